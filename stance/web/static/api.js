// Calls to the JSON API. Every failure becomes a ServiceError whose message is
// a sentence for people: never the raw body of the answer.

const REQUEST_ID_HEADER = "X-Request-ID";

/** A request that failed, with a readable message and, when known, the request id. */
export class ServiceError extends Error {
  constructor(message, { status = null, requestId = null } = {}) {
    super(message);
    this.name = "ServiceError";
    this.status = status;
    this.requestId = requestId;
  }
}

/** POST v1/classify: the article's result (the API's result shape), with `id` as its name. */
export async function classifyText(text, id) {
  const result = await requestJson("v1/classify", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(id ? { id, text } : { text }),
  });
  if (!Array.isArray(result.paragraphs) || !result.summary) {
    throw new ServiceError("The service sent an answer this page cannot read. Please report it.");
  }
  return result;
}

/** GET v1/model: the loaded model's card. */
export function modelCard() {
  return requestJson("v1/model", { headers: { Accept: "application/json" } });
}

async function requestJson(path, init) {
  let response;
  try {
    response = await fetch(new URL(path, document.baseURI), init);
  } catch {
    throw new ServiceError("The stance service could not be reached. Check that it is running and your connection, then try again.");
  }
  const body = await response.json().catch(() => null);
  if (response.ok && body !== null) return body;
  const error = body?.error ?? {};
  throw new ServiceError(explain(response.status, error), {
    status: response.status,
    requestId: error.request_id ?? response.headers.get(REQUEST_ID_HEADER),
  });
}

function explain(status, error) {
  const detail = sentence(error.message);
  const say = (...parts) => parts.filter(Boolean).join(" ");
  if (error.code === "empty_text") return "There is no text to classify. Paste an article or open a .txt file first.";
  if (status === 400) return say("The article was not accepted.", detail);
  if (status === 413) return say("The article is too large for the service.", detail);
  if (status === 415) return say("The service did not accept the request's format.", detail);
  if (status === 503) return say("The classifier is not ready yet.", detail, "Please try again in a moment.");
  if (status >= 500) return "The service failed while answering. Please try again; if it keeps failing, report the reference below.";
  if (status >= 200 && status < 300) return "The service sent an answer this page cannot read. Please report it.";
  return say(`The service refused the request (HTTP ${status}).`, detail);
}

// The service's message as a sentence: capitalised and closed by a full stop.
function sentence(message) {
  if (typeof message !== "string" || !message.trim()) return "";
  const text = message.trim();
  const capitalised = text[0].toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}
