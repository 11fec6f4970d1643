// The result as files, made in the browser from the API's answer: the same
// JSON the API sent, and the same CSV as `stance classify --format csv`.

import { RHETORIC_TAGS, STANCE_LABELS, TARGETS } from "./labels.js";

const CSV_COLUMNS = [
  "article", "index", "start", "end", "boilerplate", "boilerplate_reason", "language", "unsupported_language",
  ...TARGETS.flatMap((target) => [target, ...STANCE_LABELS.map((label) => `${target}_${label}`), `${target}_examples`]),
  "rhetoric", ...RHETORIC_TAGS.map((tag) => `rhetoric_${tag}`), "text",
];

/** The answer as indented JSON, exactly as the API returned it. */
export function resultJson(result) {
  return `${JSON.stringify(result, null, 2)}\n`;
}

/**
 * One CSV row per paragraph: position, boilerplate, each target's label,
 * scores and similar training paragraphs, the tags and each tag's score, and the text.
 */
export function resultCsv(result) {
  const rows = result.paragraphs.map((paragraph) => {
    const tagScores = Object.fromEntries((paragraph.rhetoric ?? []).map((tag) => [tag.tag, tag.score]));
    return [
      result.id, paragraph.index, paragraph.start, paragraph.end, paragraph.boilerplate, paragraph.boilerplate_reason,
      paragraph.language, paragraph.unsupported_language ?? false,
      ...TARGETS.flatMap((target) => {
        const stance = paragraph.stances?.[target];
        const examples = (stance?.examples ?? []).map((example) => `${example.id}:${score(example.similarity)}`).join(";");
        return [stance?.label, ...STANCE_LABELS.map((label) => score(stance?.scores?.[label])), stance ? examples : ""];
      }),
      Object.keys(tagScores).join(";"),
      ...RHETORIC_TAGS.map((tag) => score(tagScores[tag])),
      paragraph.text,
    ];
  });
  return [CSV_COLUMNS, ...rows].map((row) => row.map(csvCell).join(",")).join("\n") + "\n";
}

/** Let the browser save `content` as a file called `filename`. */
export function saveFile(filename, content, type) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function score(value) {
  return typeof value === "number" ? value.toFixed(4) : "";
}

// As `stance classify --format csv` writes a cell: None empty, booleans
// True/False, a text a spreadsheet would run as a formula (= + - @ tab CR
// first: OWASP's rule) prefixed with ', quoted when it holds a comma, a quote
// or a line break.
function csvCell(value) {
  if (value === null || value === undefined) return "";
  let text = typeof value === "boolean" ? (value ? "True" : "False") : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
