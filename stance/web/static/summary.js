// The summary bar: paragraph counts, each target's overall stance and label
// counts, and how often each rhetoric tag was found.

import { stanceBadge, tagChip } from "./badges.js";
import { element } from "./dom.js";
import { RHETORIC_TAGS, STANCE_LABELS, TARGETS, stanceIcon, targetName } from "./labels.js";

/** The summary of a result as a description list. */
export function summaryList(result) {
  const summary = result.summary;
  const tagsFound = RHETORIC_TAGS.filter((tag) => summary.tags?.[tag]);
  return element(
    "dl",
    { class: "summary__list" },
    item("Paragraphs", "", [
      element("span", { class: "summary__number" }, String(summary.paragraphs)),
      element("span", { class: "hint" }, ` ${summary.classified} classified, ${summary.boilerplate} boilerplate`),
    ]),
    TARGETS.map((target) => item(`${targetName(target)} overall`, "", [
      stanceBadge(target, summary.overall?.[target] ?? "none"),
      element("ul", { class: "counts", "aria-label": `${targetName(target)} paragraphs by stance` },
        STANCE_LABELS.map((label) => element("li", { class: `count count--${label}` },
          element("span", { "aria-hidden": "true" }, stanceIcon(label)), ` ${label} ${summary.counts?.[target]?.[label] ?? 0}`))),
    ])),
    item("Rhetoric tags", "summary__item--tags", tagsFound.length
      ? element("span", { class: "chips" }, tagsFound.map((tag) => tagChip(tag, `×${summary.tags[tag]}`)))
      : element("span", { class: "hint" }, "none found")),
  );
}

function item(term, modifier, details) {
  return element("div", { class: `summary__item ${modifier}`.trim() }, element("dt", {}, term), element("dd", {}, details));
}
