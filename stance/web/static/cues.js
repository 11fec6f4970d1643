// Evidence features as a reader names them: "word “failed”", "letters “провал”",
// "cue: CSTO criticised, near a CSTO mention", never "word_tfidf__failed".

import { tagName } from "./labels.js";

const FAMILIES = {
  csto_mention: "mention of the CSTO",
  csto_positive: "CSTO praised",
  csto_negative: "CSTO criticised",
  west_actor: "mention of a Western actor",
  west_positive: "Western involvement welcomed",
  west_negative: "Western involvement criticised",
  csto: "the CSTO",
  west: "a Western actor",
};

/** A readable name for an evidence item ({feature, extractor}). */
export function cueName(evidence) {
  const extractor = evidence.extractor ?? "";
  const prefix = `${extractor}__`;
  const local = evidence.feature?.startsWith(prefix) ? evidence.feature.slice(prefix.length) : evidence.feature ?? "";
  if (extractor === "word_tfidf") return `word “${local}”`;
  if (extractor === "char_tfidf") return `letters “${local.trim()}”`;
  if (extractor === "lexicon") return `cue: ${lexiconCue(local)}`;
  return `${extractor.replaceAll("_", " ")}: ${local.replaceAll("_", " ")}`;
}

// "csto_negative_negated_near_csto_mention" -> "CSTO criticised, negated, near a mention of the CSTO"
function lexiconCue(name) {
  const [family, anchor] = name.split("_near_");
  const negated = family.endsWith("_negated");
  const base = negated ? family.slice(0, -"_negated".length) : family;
  const parts = [FAMILIES[base] ?? tagName(base)];
  if (negated) parts.push("negated");
  if (anchor) parts.push(`near a ${FAMILIES[anchor] ?? tagName(anchor)}`);
  return parts.join(", ");
}
