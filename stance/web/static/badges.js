// Small labelled marks shared by the summary and the paragraphs.

import { element } from "./dom.js";
import { formatScore, stanceIcon, tagName, targetName } from "./labels.js";

/** "CSTO ✓ favor 0.81": target, icon, label as text, and the score if given. */
export function stanceBadge(target, label, score) {
  return element(
    "span",
    { class: `badge stance stance--${label}`, "data-target": target, "data-label": label },
    element("span", { class: "stance__target" }, targetName(target)),
    " ",
    element("span", { class: "stance__icon", "aria-hidden": "true" }, stanceIcon(label)),
    " ",
    element("span", { class: "stance__label" }, label),
    score === undefined ? null : element("span", { class: "stance__score" }, ` ${formatScore(score)}`),
  );
}

/** A rhetoric tag with its score (paragraphs) or count (summary). */
export function tagChip(tag, detail) {
  return element("span", { class: "badge tag", "data-tag": tag }, tagName(tag), element("span", { class: "tag__detail" }, ` ${detail}`));
}
