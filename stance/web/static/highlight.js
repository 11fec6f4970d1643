// A paragraph's text with its evidence highlighted: rhetoric spans and stance
// evidence spans become <mark> elements that name what they show, on hover and
// on keyboard focus (each mark is focusable and described by its tooltip).

import { cueName } from "./cues.js";
import { element } from "./dom.js";
import { formatScore, tagName, targetName } from "./labels.js";

/**
 * Every highlight of a paragraph: {start, end, kind, note} (and the rhetoric
 * `tag`), with offsets in the paragraph's text as the service counts them
 * (code points).
 */
export function highlightsOf(paragraph) {
  const highlights = [];
  for (const tag of paragraph.rhetoric ?? []) {
    for (const span of tag.spans ?? []) {
      highlights.push({ ...span, kind: "rhetoric", tag: tag.tag, note: `${tagName(tag.tag)} (${formatScore(tag.score)})` });
    }
  }
  for (const [target, stance] of Object.entries(paragraph.stances ?? {})) {
    for (const evidence of stance.evidence ?? []) {
      for (const span of evidence.spans ?? []) {
        highlights.push({ ...span, kind: "evidence", note: `${targetName(target)} ${stance.label}: ${cueName(evidence)}` });
      }
    }
  }
  return highlights;
}

/**
 * Nodes for `text` with `highlights` marked. Overlapping highlights split the
 * text into pieces; each highlighted piece is one <mark> carrying every note
 * that covers it. `idPrefix` makes the tooltips' ids unique on the page.
 */
export function highlightedText(text, highlights, idPrefix) {
  const toIndex = codePointToIndex(text);
  const ranges = highlights
    .map((highlight) => ({ ...highlight, from: toIndex(highlight.start), to: toIndex(highlight.end) }))
    .filter((range) => range.from !== null && range.to !== null && range.from < range.to);
  const cuts = [...new Set([0, text.length, ...ranges.flatMap((range) => [range.from, range.to])])].sort((a, b) => a - b);

  const nodes = [];
  for (let i = 0; i + 1 < cuts.length; i += 1) {
    const [from, to] = [cuts[i], cuts[i + 1]];
    const piece = text.slice(from, to);
    const covering = ranges.filter((range) => range.from <= from && range.to >= to);
    nodes.push(covering.length ? mark(piece, covering, `${idPrefix}-${nodes.length}`) : piece);
  }
  return nodes;
}

function mark(piece, covering, tooltipId) {
  const kinds = [...new Set(covering.map((range) => range.kind))];
  const notes = [...new Set(covering.map((range) => range.note))];
  const tags = [...new Set(covering.map((range) => range.tag).filter(Boolean))];
  return element(
    "mark",
    {
      class: ["highlight", ...kinds.map((kind) => `highlight--${kind}`)].join(" "),
      tabindex: 0,
      "aria-describedby": tooltipId,
      "data-tags": tags.length ? tags.join(" ") : null,
    },
    piece,
    element("span", { class: "tooltip", role: "tooltip", id: tooltipId }, notes.join(" · ")),
  );
}

/**
 * A function from a code-point offset to a UTF-16 index of `text` (JavaScript
 * strings count astral characters twice); null for an offset outside the text.
 */
function codePointToIndex(text) {
  const indices = [0];
  for (const character of text) indices.push(indices.at(-1) + character.length);
  return (offset) => (Number.isInteger(offset) && offset >= 0 && offset < indices.length ? indices[offset] : null);
}
