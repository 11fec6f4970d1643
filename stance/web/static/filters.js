// Showing only the paragraphs with a given stance on a target, or a given tag.

import { element } from "./dom.js";
import { RHETORIC_TAGS, STANCE_LABELS, TARGETS, tagName, targetName } from "./labels.js";

const SHOW_ALL = "all";
const CONTENT_ONLY = "content";

/** The <select>'s options for a result, each with how many paragraphs it shows. */
export function filterOptions(result) {
  const count = (value) => result.paragraphs.filter((paragraph) => matches(paragraph, value)).length;
  const option = (value, text) => element("option", { value }, `${text} (${count(value)})`);
  const tagsFound = RHETORIC_TAGS.filter((tag) => result.summary.tags?.[tag]);
  return [
    option(SHOW_ALL, "All paragraphs"),
    option(CONTENT_ONLY, "Content only, without boilerplate"),
    ...TARGETS.map((target) => element("optgroup", { label: `${targetName(target)} stance` },
      STANCE_LABELS.map((label) => option(`stance:${target}:${label}`, `${targetName(target)}: ${label}`)))),
    tagsFound.length
      ? element("optgroup", { label: "Rhetoric tag" }, tagsFound.map((tag) => option(`tag:${tag}`, tagName(tag))))
      : null,
  ].filter(Boolean);
}

/** Whether `paragraph` is shown under the filter `value` (an option's value). */
export function matches(paragraph, value) {
  const [kind, first, second] = value.split(":");
  if (kind === "stance") return paragraph.stances?.[first]?.label === second;
  if (kind === "tag") return (paragraph.rhetoric ?? []).some((tag) => tag.tag === first);
  if (kind === CONTENT_ONLY) return !paragraph.boilerplate;
  return true;
}
