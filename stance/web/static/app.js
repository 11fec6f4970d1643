// The page's wiring: read the article, call the API, show the result, filter
// it and offer it as files. Submitting and rendering are timed with the
// performance marks "classify-submitted" and "classify-rendered".

import { ServiceError, classifyText, modelCard } from "./api.js";
import { resultCsv, resultJson, saveFile } from "./downloads.js";
import { filterOptions, matches } from "./filters.js";
import { paragraphItem } from "./paragraphs.js";
import { summaryList } from "./summary.js";

const byId = (id) => document.getElementById(id);
const page = {
  form: byId("classify-form"),
  text: byId("article-text"),
  file: byId("article-file"),
  button: byId("classify-button"),
  status: byId("status"),
  error: byId("error"),
  modelName: byId("model-name"),
  results: byId("results"),
  resultsHeading: byId("results-heading"),
  summary: byId("summary"),
  filter: byId("filter"),
  filterCount: byId("filter-count"),
  paragraphs: byId("paragraphs"),
  downloadJson: byId("download-json"),
  downloadCsv: byId("download-csv"),
};

let shown = null; // {result, items}: the result on the page and its <li>s
let loaded = null; // {name, text}: the file last read into the text box

page.form.addEventListener("submit", (event) => {
  event.preventDefault();
  classify();
});
page.file.addEventListener("change", () => readFile(page.file.files[0]));
page.filter.addEventListener("change", applyFilter);
page.downloadJson.addEventListener("click", () =>
  saveFile(`${fileStem(shown.result.id)}.json`, resultJson(shown.result), "application/json"));
page.downloadCsv.addEventListener("click", () =>
  saveFile(`${fileStem(shown.result.id)}.csv`, resultCsv(shown.result), "text/csv;charset=utf-8"));
showModelCard();

async function classify() {
  hideError();
  page.results.hidden = true;
  page.button.disabled = true;
  page.form.setAttribute("aria-busy", "true");
  page.status.textContent = "Classifying…";
  performance.mark("classify-submitted");
  try {
    const text = page.text.value;
    const result = await classifyText(text, articleName(text));
    showResult(result);
    performance.mark("classify-rendered");
    performance.measure("classify", "classify-submitted", "classify-rendered");
    page.status.textContent = `Classified ${result.paragraphs.length} paragraphs.`;
    page.resultsHeading.focus();
  } catch (error) {
    page.status.textContent = "";
    if (!(error instanceof ServiceError)) console.error(error);
    showError(error instanceof ServiceError ? error : new ServiceError("The results could not be displayed because of an error in this page. Please report it."));
  } finally {
    page.button.disabled = false;
    page.form.removeAttribute("aria-busy");
  }
}

function showResult(result) {
  const items = result.paragraphs.map(paragraphItem);
  shown = { result, items };
  page.summary.replaceChildren(summaryList(result));
  page.filter.replaceChildren(...filterOptions(result));
  page.paragraphs.replaceChildren(...items);
  showModel(result.model);
  applyFilter();
  page.results.hidden = false;
}

function applyFilter() {
  const { result, items } = shown;
  let count = 0;
  items.forEach((item, position) => {
    item.hidden = !matches(result.paragraphs[position], page.filter.value);
    if (!item.hidden) count += 1;
  });
  page.filterCount.textContent = count
    ? `Showing ${count} of ${items.length} paragraphs`
    : "No paragraph matches this filter.";
}

function readFile(file) {
  if (!file) return;
  hideError();
  const maxBytes = Number(page.form.dataset.maxBytes);
  if (maxBytes && file.size > maxBytes) {
    showError(new ServiceError(`The file ${file.name} has ${kilobytes(file.size)}; the service accepts at most ${kilobytes(maxBytes)}.`));
    page.file.value = "";
    return;
  }
  const reader = new FileReader();
  reader.addEventListener("load", () => {
    page.text.value = reader.result;
    loaded = { name: file.name, text: reader.result };
    page.status.textContent = `Loaded ${file.name}. Press Classify to analyse it.`;
  });
  reader.addEventListener("error", () => showError(new ServiceError(`The file ${file.name} could not be read.`)));
  reader.readAsText(file, "utf-8");
}

async function showModelCard() {
  try {
    const card = await modelCard();
    if (typeof card.name === "string") showModel(card);
  } catch (error) {
    page.modelName.textContent = error.status === 503 ? "not loaded yet" : "unavailable";
  }
}

/**
 * What the result calls the article (its id, the CSV's "article" column): the
 * file's name while the text box holds that file, else the text's first line.
 */
function articleName(text) {
  if (loaded && loaded.text === text) return loaded.name;
  const first = text.split("\n").map((line) => line.trim()).find(Boolean) ?? "article";
  return first.length > 60 ? `${first.slice(0, 59)}…` : first;
}

/** A download's file name from the article's name: "stance-" and its words, dashed. */
function fileStem(name) {
  const words = (name ?? "").replace(/\.[a-z0-9]{1,5}$/i, "").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return ["stance", ...words].join("-").slice(0, 80);
}

function showModel(model) {
  page.modelName.textContent = [model?.name, model?.version].filter(Boolean).join(" ") || "unknown";
}

function showError(error) {
  const notice = document.createElement("div");
  notice.className = "notice notice--error";
  const message = document.createElement("p");
  message.textContent = error.message;
  notice.append(message);
  if (error.requestId) {
    const reference = document.createElement("p");
    reference.className = "hint";
    reference.textContent = `Reference: ${error.requestId}`;
    notice.append(reference);
  }
  page.error.replaceChildren(notice);
}

function hideError() {
  page.error.replaceChildren();
}

function kilobytes(bytes) {
  return `${Math.ceil(bytes / 1024)} KB`;
}
