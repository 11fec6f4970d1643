// One list item per paragraph: its stances, tags, highlighted text, and the
// scores, evidence and similar training paragraphs behind them.

import { stanceBadge, tagChip } from "./badges.js";
import { element } from "./dom.js";
import { cueName } from "./cues.js";
import { highlightedText, highlightsOf } from "./highlight.js";
import { STANCE_LABELS, TARGETS, formatScore, targetName } from "./labels.js";

/** The <li> for one paragraph of a result. */
export function paragraphItem(paragraph) {
  const boilerplate = Boolean(paragraph.boilerplate);
  return element(
    "li",
    {
      class: boilerplate ? "paragraph paragraph--boilerplate" : "paragraph",
      id: `paragraph-${paragraph.index}`,
      "data-index": paragraph.index,
    },
    element("div", { class: "paragraph__marks" },
      element("span", { class: "paragraph__number" }, `¶ ${paragraph.index + 1}`),
      boilerplate ? boilerplateBadge(paragraph.boilerplate_reason)
        : paragraph.unsupported_language ? unsupportedBadge(paragraph.language) : classificationBadges(paragraph)),
    element("p", { class: "paragraph__text" },
      highlightedText(paragraph.text, boilerplate ? [] : highlightsOf(paragraph), `paragraph-${paragraph.index}-note`)),
    boilerplate ? null : scoresAndEvidence(paragraph),
  );
}

function boilerplateBadge(reason) {
  const text = reason ? `Boilerplate: ${reason.replaceAll("_", " ")}` : "Boilerplate";
  return element("span", { class: "badge boilerplate" }, text);
}

function unsupportedBadge(language) {
  return element("span", { class: "badge boilerplate" }, `Not classified: language (${language}) unknown to the model`);
}

function stancesOf(paragraph) {
  return TARGETS.filter((target) => paragraph.stances?.[target]).map((target) => [target, paragraph.stances[target]]);
}

function classificationBadges(paragraph) {
  const stances = stancesOf(paragraph).map(([target, stance]) => stanceBadge(target, stance.label, stance.scores?.[stance.label]));
  const tags = (paragraph.rhetoric ?? []).map((tag) => tagChip(tag.tag, formatScore(tag.score)));
  return [...stances, ...tags];
}

function scoresAndEvidence(paragraph) {
  const stances = stancesOf(paragraph);
  if (!stances.length) return null;
  const evidence = stances.flatMap(([target, stance]) => (stance.evidence ?? []).map((item) =>
    element("li", { title: item.feature }, `${targetName(target)} ${stance.label}: ${cueName(item)} (${signed(item.weight)})`)));
  const examples = stances.flatMap(([target, stance]) => (stance.examples ?? []).map((example) =>
    element("li", {},
      `${targetName(target)} ${example.label}, similarity ${formatScore(example.similarity)}: `,
      element("q", {}, example.opening), ` (${example.id})`)));
  return element(
    "details",
    { class: "paragraph__details" },
    element("summary", {}, "Scores and evidence"),
    element("table", { class: "scores" },
      element("caption", { class: "visually-hidden" }, `Scores of paragraph ${paragraph.index + 1}`),
      element("thead", {}, element("tr", {},
        element("th", { scope: "col" }, "Target"),
        STANCE_LABELS.map((label) => element("th", { scope: "col" }, label)))),
      element("tbody", {}, stances.map(([target, stance]) => element("tr", {},
        element("th", { scope: "row" }, targetName(target)),
        STANCE_LABELS.map((label) => element("td", {}, formatScore(stance.scores?.[label]))))))),
    evidence.length
      ? element("ul", { class: "evidence-list", "aria-label": "Evidence" }, evidence)
      : element("p", { class: "hint" }, "No evidence features reported."),
    examples.length
      ? [element("p", { class: "hint" }, "Most similar training paragraphs with the same label:"),
         element("ul", { class: "example-list", "aria-label": "Similar training paragraphs" }, examples)]
      : null,
  );
}

function signed(weight) {
  return typeof weight === "number" ? `${weight >= 0 ? "+" : "−"}${Math.abs(weight).toFixed(2)}` : "–";
}
