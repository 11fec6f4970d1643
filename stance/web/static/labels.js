// The codebook's vocabulary (given by the server, from stance.labels) and how
// its names read on the page. Colour is never the only cue: every stance shows
// an icon and its label as text.

const vocabulary = document.body.dataset;

/** Stance targets, in the codebook's order. */
export const TARGETS = vocabulary.targets.split(" ");

/** Labels every target takes. */
export const STANCE_LABELS = vocabulary.stanceLabels.split(" ");

/** Rhetoric tags, in the codebook's order. */
export const RHETORIC_TAGS = vocabulary.rhetoricTags.split(" ");

const TARGET_NAMES = { csto: "CSTO", west: "West" };

const STANCE_ICONS = { favor: "✓", against: "✗", none: "○" };

/** "csto" -> "CSTO"; an unknown target keeps its own name. */
export function targetName(target) {
  return TARGET_NAMES[target] ?? target;
}

/** The icon that goes with a stance label (hidden from screen readers). */
export function stanceIcon(label) {
  return STANCE_ICONS[label] ?? "•";
}

/** "loaded_language" -> "loaded language". */
export function tagName(tag) {
  return tag.replaceAll("_", " ");
}

/** A score in [0, 1] as "0.81". */
export function formatScore(score) {
  return typeof score === "number" ? score.toFixed(2) : "–";
}
