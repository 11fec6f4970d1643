"""Label Studio: the labeling configuration, task files with the model's
guesses as predictions, and labeled exports turned back into records.

The configuration is built, validated and read with ``label-studio-sdk``
(``LabelInterface``), predictions are made of its regions, and exports are
parsed by its ``Converter``; this module only maps them to the codebook.
Label Studio counts text offsets in UTF-16 code units (JavaScript strings);
Python counts code points, so offsets are converted both ways.
"""

from __future__ import annotations

import importlib
import json
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError, StanceError
from ..labels import LABEL_DEFINITIONS, RHETORIC_TAGS, STANCE_LABELS, TAG_DEFINITIONS, TARGET_QUESTIONS, TARGETS

TEXT = "text"
"""The name of the paragraph's text in the configuration and in each task's data."""
RHETORIC = "rhetoric"
BOILERPLATE = "boilerplate"
NOTE = "note"

_TAG_COLOURS = ("#f4a261", "#e76f51", "#2a9d8f", "#8ab17d", "#e9c46a", "#9b5de5", "#f15bb5", "#00bbf9", "#adb5bd")


def _sdk(module: str):
    """``label_studio_sdk.<module>``, or a one-line error saying how to install the SDK."""
    try:
        return importlib.import_module(f"label_studio_sdk.{module}")
    except ImportError as exc:
        raise StanceError(
            f"the labeling loop needs label-studio-sdk ({exc}); install it with: pip install 'stance[label]'"
        ) from exc


def labeling_config() -> str:
    """The Label Studio labeling configuration (XML) for the codebook: the
    rhetoric tags as span labels over the paragraph, one single choice per
    target with the three labels and their one-line definitions (shown on
    hover), a checkbox for a paragraph that is boilerplate, and a note."""
    LabelInterface = _sdk("label_interface").LabelInterface
    tags = tuple(
        ("Label", {"value": tag, "hint": TAG_DEFINITIONS[tag], "background": colour}, ())
        for tag, colour in zip(RHETORIC_TAGS, _TAG_COLOURS)
    )
    controls = {
        RHETORIC: ("Labels", {"toName": TEXT}, tags),
        TEXT: ("Text", {"value": "$" + TEXT}),
    }
    titles = {RHETORIC: "Rhetoric devices: select the words that show each one (zero or more)"}
    for target in TARGETS:
        choices = tuple(
            ("Choice", {"value": label, "hint": LABEL_DEFINITIONS[target][label]}, ()) for label in STANCE_LABELS
        )
        controls[target] = (
            "Choices",
            {"toName": TEXT, "choice": "single-radio", "required": "true", "showInline": "true"},
            choices,
        )
        titles[target] = f"{target}: {TARGET_QUESTIONS[target]}"
    controls[BOILERPLATE] = (
        "Choices",
        {"toName": TEXT, "choice": "multiple", "showInline": "true"},
        (("Choice", {"value": BOILERPLATE, "hint": "not running text: a headline, byline, caption, notice"}, ()),),
    )
    controls[NOTE] = ("TextArea", {"toName": TEXT, "rows": "2", "maxSubmissions": "1", "placeholder": "why a hard call went this way (optional)"})
    titles[NOTE] = "Note"
    return LabelInterface.create(controls, title=titles)


def interface():
    """The SDK's ``LabelInterface`` of ``labeling_config()``, validated."""
    parsed = _sdk("label_interface").LabelInterface(labeling_config())
    parsed.validate()
    return parsed


# ---------------------------------------------------------------- tasks


def task(candidate, uncertainty: float, rank: int, model: str, parsed=None) -> dict:
    """A Label Studio task for a suggested paragraph (``stance.labeling.suggest.Candidate``):
    its data (id, document, text, origin, the model's uncertainty and the
    pick's rank), and the model's labels and tag spans as a prediction with
    scores (the prediction's score is the lower of the two targets' label scores)."""
    parsed = parsed or interface()
    result = []
    target_scores = []
    for target in TARGETS:
        stance = candidate.result.stances[target]
        target_scores.append(stance.scores[stance.label])
        region = _region(parsed.get_control(target).label(stance.label))
        result.append({**region, "score": round(stance.scores[stance.label], 4)})
    for tag in candidate.result.rhetoric:
        for span in tag.spans:
            start, end = utf16_offset(candidate.text, span.start), utf16_offset(candidate.text, span.end)
            region = _region(parsed.get_control(RHETORIC).label(tag.tag, start=start, end=end))
            region["value"]["text"] = span.text
            result.append({**region, "score": round(tag.score, 4)})
    prediction = {"model_version": model, "score": round(min(target_scores), 4), "result": result}
    errors = parsed.validate_prediction(prediction, return_errors=True)
    if errors:  # a bug, not a user error: the model and the configuration disagree
        raise AssertionError(f"prediction for {candidate.id} does not fit the labeling config: {errors}")
    data = {
        "id": candidate.id,
        "doc": candidate.doc,
        TEXT: candidate.text,
        "origin": candidate.origin,
        "uncertainty": round(uncertainty, 4),
        "rank": rank,
    }
    return {"data": data, "predictions": [prediction]}


def _region(region) -> dict:
    """A region of the SDK as the JSON of a task's ``result`` list (its own
    serialisation, which still calls pydantic's deprecated ``dict()``)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return json.loads(region.to_json())


def utf16_offset(text: str, index: int) -> int:
    """The UTF-16 offset (Label Studio's) of the code point offset ``index`` in ``text``."""
    return len(text[:index].encode("utf-16-le")) // 2


def code_point_offset(text: str, offset: int) -> int | None:
    """The code point offset of the UTF-16 ``offset`` in ``text``; ``None`` if it falls inside a character or outside."""
    units = 0
    for index, char in enumerate(text):
        if units == offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text) if units == offset else None


# ---------------------------------------------------------------- import


@dataclass(frozen=True)
class ImportProblem:
    """Something in an export that could not become (part of) a record, by Label Studio task id."""

    task: object
    message: str


@dataclass(frozen=True)
class ImportReport:
    """The records made from an export and what could not be converted."""

    records: tuple[dict, ...]
    problems: tuple[ImportProblem, ...]
    tasks: int
    unlabeled: int


def import_export(path: str | Path, *, annotator: str | None = None) -> ImportReport:
    """The records (codebook format, ``source: "user"``) of a Label Studio JSON
    export of tasks made by ``stance data suggest``, one per labeled task: its
    choices as the stance labels, its spans as the rhetoric tags' evidence.

    Where a task has several annotations, the latest one is used, or the latest
    by ``annotator`` (an e-mail or user id) when given. Skipped and cancelled
    annotations do not count; a task with none is counted as unlabeled; one without a choice on a target is
    left out, a span outside the text or not matching it is dropped (with its
    tag if no other span shows it), each reported by task id. ``DataError``
    when the file is not a Label Studio JSON export.
    """
    path = Path(path)
    total = _check_export(path)
    converter = _sdk("converter").Converter(config=labeling_config(), project_dir=None, download_resources=False)
    records, problems = [], []
    done: set[object] = set()
    annotated: set[object] = set()
    for item in converter.iter_from_json_file(str(path)):
        task_id = item["id"]
        if item.get("annotation_id") is None and not item["output"]:
            continue  # a task nobody has labeled yet
        annotated.add(task_id)
        if task_id in done or (annotator is not None and not _by(item, annotator)):
            continue
        done.add(task_id)
        record = _record(item, problems)
        if record is not None:
            records.append(record)
    for task_id in sorted(annotated - done, key=str):
        problems.append(ImportProblem(task_id, f"no annotation by {annotator}"))
    return ImportReport(tuple(records), tuple(problems), total, total - len(annotated))


def write_records(records: Sequence[dict], path: str | Path) -> None:
    """Write records as JSON Lines, one a line, in UTF-8."""
    Path(path).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def _check_export(path: Path) -> int:
    """The number of tasks in ``path``; ``DataError`` unless ``path`` holds a JSON list of Label Studio tasks (``data`` and ``annotations``)."""
    try:
        tasks = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read the export: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list) or not all(
        isinstance(t, dict) and isinstance(t.get("data"), dict) and "annotations" in t for t in tasks
    ):
        raise DataError(
            f"{path}: not a Label Studio JSON export (a list of tasks with 'data' and 'annotations'); "
            "export the project as JSON, not JSON-MIN or CSV"
        )
    return len(tasks)


def _by(item: dict, annotator: str) -> bool:
    who = item.get("completed_by")
    if isinstance(who, dict):
        return annotator in {str(who.get("email")), str(who.get("id"))}
    return str(who) == annotator


def _record(item: dict, problems: list[ImportProblem]) -> dict | None:
    """One annotation of one task as a record, or ``None`` (with a problem) when it cannot be one."""
    task_id, data, output = item["id"], item["input"], item["output"]
    text = data.get(TEXT)
    if not isinstance(text, str) or not text.strip():
        problems.append(ImportProblem(task_id, f"the task has no '{TEXT}'"))
        return None
    doc = str(data.get("doc") or f"ls{task_id}")
    record_id = str(data.get("id") or f"{doc}-{task_id}")
    if not record_id.startswith(doc):
        record_id = f"{doc}-{record_id}"
    note = "".join(" ".join(value.get("text", [])) for value in output.get(NOTE, [])).strip() or None
    if any(BOILERPLATE in value.get("choices", []) for value in output.get(BOILERPLATE, [])):
        return _with_note(
            {"id": record_id, "doc": doc, "text": text, "boilerplate": True, "csto": "none", "west": "none",
             "rhetoric": [], "evidence": {}, "source": "user"},
            note,
        )
    labels = {}
    for target in TARGETS:
        chosen = [choice for value in output.get(target, []) for choice in value.get("choices", [])]
        if len(chosen) != 1 or chosen[0] not in STANCE_LABELS:
            what = "no" if not chosen else f"{', '.join(chosen)} as the"
            problems.append(ImportProblem(task_id, f"{what} {target} choice; task left out"))
            return None
        labels[target] = chosen[0]
    evidence: dict[str, list[str]] = {}
    for value in output.get(RHETORIC, []):
        span = _span(text, value)
        tags = value.get("labels", [])
        if isinstance(span, str) and span.startswith("!"):
            problems.append(ImportProblem(task_id, f"span {span[1:]} of {', '.join(tags) or 'no tag'} dropped"))
            continue
        for tag in tags:
            if tag not in RHETORIC_TAGS:
                problems.append(ImportProblem(task_id, f"unknown tag '{tag}' dropped"))
            elif span not in evidence.setdefault(tag, []):
                evidence[tag].append(span)
    rhetoric = [tag for tag in RHETORIC_TAGS if evidence.get(tag)]
    return _with_note(
        {"id": record_id, "doc": doc, "text": text, "boilerplate": False, **labels, "rhetoric": rhetoric,
         "evidence": {tag: evidence[tag] for tag in rhetoric}, "source": "user"},
        note,
    )


def _span(text: str, value: dict) -> str:
    """The evidence string a span region marks (white space at its edges
    trimmed), or ``"!reason"`` when it does not fit the text."""
    start, end = value.get("start"), value.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        return f"!without offsets ({start!r}, {end!r})"
    first, last = code_point_offset(text, start), code_point_offset(text, end)
    if first is None or last is None or not first < last:
        return f"!{start}-{end} outside the text ({len(text)} characters)"
    marked = text[first:last]
    if isinstance(value.get("text"), str) and value["text"].strip() != marked.strip():
        return f"!{start}-{end}: its text {value['text']!r} is not the paragraph's {marked!r}"
    if not marked.strip():
        return f"!{start}-{end}: only white space"
    return marked.strip()


def _with_note(record: dict, note: str | None) -> dict:
    return {**record, "note": note} if note else record
