"""The labeling loop on real files: suggest -> Label Studio tasks -> an export
made with label-studio-sdk -> import -> check, agreement."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from label_studio_sdk.label_interface import LabelInterface

from stance.cli import main
from stance.dataset import check_file, load_records, text_hash
from stance.labeling import studio
from stance.labels import LABEL_DEFINITIONS, RHETORIC_TAGS, STANCE_LABELS, TAG_DEFINITIONS, TARGETS

ROOT = Path(__file__).resolve().parent.parent
POOL_DOCS = ("we01", "we02", "we03", "wf01", "wf02", "wg01", "wg02", "wh01")
EMOJI_LINE = "🇦🇲 Yerevan said the CSTO had not answered its request, a 'so-called alliance' in the minister's words."


@pytest.fixture(scope="module")
def seed_paragraphs():
    """Paragraphs of a few written documents of ``seeds/labels.jsonl``, by document."""
    by_doc: dict[str, list[str]] = {}
    for record in load_records(ROOT / "seeds" / "labels.jsonl"):
        if record.doc in POOL_DOCS and not record.boilerplate:
            by_doc.setdefault(record.doc, []).append(record.text)
    assert set(by_doc) == set(POOL_DOCS)
    return by_doc


@pytest.fixture
def pool(tmp_path, seed_paragraphs):
    """A folder of articles the way a user has them: text files, an HTML page,
    a JSON Lines file, and a headline and a dateline to be set aside."""
    folder = tmp_path / "articles"
    folder.mkdir()
    docs = list(POOL_DOCS)
    for doc in docs[:5]:
        body = "\n\n".join(seed_paragraphs[doc])
        (folder / f"{doc}.txt").write_text(f"CSTO summit ends\n\n12 March 2024\n\n{body}\n", encoding="utf-8")
    (folder / "emoji.txt").write_text(EMOJI_LINE + "\n", encoding="utf-8")
    paragraphs = "".join(f"<p>{p.replace('&', '&amp;').replace('<', '&lt;')}</p>" for p in seed_paragraphs[docs[5]])
    (folder / "page.html").write_text(
        f"<!doctype html><html><head><title>t</title><script>var x = 1;</script></head>"
        f"<body><nav>Home | World</nav><article>{paragraphs}</article></body></html>",
        encoding="utf-8",
    )
    with (folder / "more.jsonl").open("w", encoding="utf-8") as handle:
        for doc in docs[6:]:
            handle.write(json.dumps({"id": doc, "text": "\n\n".join(seed_paragraphs[doc])}, ensure_ascii=False) + "\n")
    return folder


@pytest.fixture
def runner():
    return CliRunner()


def suggest(runner, model_dir, pool, output, *extra):
    result = runner.invoke(
        main, ["data", "suggest", str(pool), "--output", str(output), "--model", str(model_dir), *map(str, extra)]
    )
    assert result.exit_code == 0, result.output
    return json.loads(Path(output).read_text(encoding="utf-8"))


def annotate(interface, task, *, csto, west, spans=(), note=None):
    """A Label Studio annotation of ``task`` made of the SDK's regions: ``spans``
    are ``(tag, substring)`` pairs, placed at the substring's first occurrence."""
    text = task["data"]["text"]
    result = [region_json(interface.get_control(target).label(label)) for target, label in (("csto", csto), ("west", west))]
    for tag, words in spans:
        start = text.index(words)
        region = region_json(interface.get_control("rhetoric").label(
            tag, start=studio.utf16_offset(text, start), end=studio.utf16_offset(text, start + len(words))
        ))
        region["value"]["text"] = words
        result.append({**region, "origin": "manual"})
    if note:
        result.append(region_json(interface.get_control("note").label(text=[note])))
    assert interface.validate_annotation({"result": result})
    return result


def region_json(region) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return json.loads(region.to_json())


def export(tasks, results, *, annotator=1, email="analyst@example.org"):
    """A Label Studio JSON export (the format of Export > JSON) of ``tasks``
    with one annotation each from ``results`` (``None``: not labeled)."""
    exported = []
    for number, (task, result) in enumerate(zip(tasks, results), 1):
        annotations = []
        if result is not None:
            annotations.append({
                "id": 1000 + number, "completed_by": {"id": annotator, "email": email, "first_name": "", "last_name": ""},
                "result": result, "was_cancelled": False, "ground_truth": False,
                "created_at": "2026-12-03T10:00:00.000000Z", "updated_at": "2026-12-03T10:00:00.000000Z",
                "draft_created_at": None, "lead_time": 12.5, "prediction": {}, "result_count": len(result),
                "unique_id": f"u{number}", "import_id": None, "last_action": None, "bulk_created": False,
                "task": number, "project": 3, "updated_by": annotator, "parent_prediction": 1, "parent_annotation": None,
                "last_created_by": None,
            })
        exported.append({
            "id": number, "annotations": annotations, "file_upload": "tasks.json", "drafts": [],
            "predictions": [{**task["predictions"][0], "id": number, "task": number, "project": 3}],
            "data": task["data"], "meta": {}, "created_at": "2026-12-03T09:00:00.000000Z",
            "updated_at": "2026-12-03T10:00:00.000000Z", "inner_id": number, "total_annotations": len(annotations),
            "cancelled_annotations": 0, "total_predictions": 1, "comment_count": 0, "unresolved_comment_count": 0,
            "last_comment_updated_at": None, "project": 3, "updated_by": annotator, "comment_authors": [],
        })
    return exported


# ---- the labeling configuration


def test_the_labeling_config_is_valid_and_follows_the_codebook(runner):
    result = runner.invoke(main, ["data", "labeling-config"])
    assert result.exit_code == 0, result.output
    interface = LabelInterface(result.stdout)
    interface.validate()
    for target in TARGETS:
        control = interface.get_control(target)
        assert control.tag == "Choices" and control.labels == list(STANCE_LABELS)
        assert [c.attr.get("hint") for c in control.labels_attrs.values()] == [LABEL_DEFINITIONS[target][l] for l in STANCE_LABELS]
    spans = interface.get_control("rhetoric")
    assert spans.tag == "Labels" and spans.labels == list(RHETORIC_TAGS)
    assert [a.attr.get("hint") for a in spans.labels_attrs.values()] == [TAG_DEFINITIONS[t] for t in RHETORIC_TAGS]
    assert interface.get_object("text").value == "$text"


# ---- suggest, export, import


def test_suggest_export_import_round_trip_loses_nothing(runner, tiny_model_dir, isolated_plugins, pool, tmp_path):
    tasks = suggest(runner, tiny_model_dir, pool, tmp_path / "tasks.json", "--n", 8)
    assert len(tasks) == 8
    interface = studio.interface()
    for task in tasks:
        assert interface.validate_prediction(task["predictions"][0], return_errors=True) == []
        assert {"csto", "west"} <= {region["from_name"] for region in task["predictions"][0]["result"]}
        assert task["data"]["id"].startswith(task["data"]["doc"] + "-")
    if not any(task["data"]["text"] == EMOJI_LINE for task in tasks):
        tasks = [*tasks, suggest(runner, tiny_model_dir, pool / "emoji.txt", tmp_path / "emoji.json")[0]]
    emoji = next(task for task in tasks if task["data"]["text"] == EMOJI_LINE)
    wanted = []
    results = []
    for number, task in enumerate(tasks):
        text = task["data"]["text"]
        words = text.split()
        spans = [("loaded_language", " ".join(words[1:3])), ("doubt", words[-1])] if number % 2 else []
        if task is emoji:
            spans = [("loaded_language", "'so-called alliance'"), ("denial", "had not answered")]
        labels = (STANCE_LABELS[number % 3], STANCE_LABELS[(number + 1) % 3])
        results.append(annotate(interface, task, csto=labels[0], west=labels[1], spans=spans, note="hard" if number == 1 else None))
        evidence = {}
        for tag, span in spans:
            evidence.setdefault(tag, []).append(span)
        wanted.append((task["data"]["id"], text, labels, {t: evidence[t] for t in RHETORIC_TAGS if t in evidence}))
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export(tasks, results), ensure_ascii=False), encoding="utf-8")

    result = runner.invoke(main, ["data", "import", str(path), "--output", str(tmp_path / "labels.jsonl")])
    assert result.exit_code == 0, result.output
    records = load_records(tmp_path / "labels.jsonl")
    got = [(r.id, r.text, (r.csto, r.west), r.evidence) for r in records]
    assert got == wanted
    assert {r.source for r in records} == {"user"} and records[1].note == "hard"
    assert all(list(r.rhetoric) == list(r.evidence) for r in records)
    checked = runner.invoke(main, ["data", "check", str(tmp_path / "labels.jsonl")])
    assert checked.exit_code == 0, checked.output
    assert f"user {len(tasks)}" in checked.output


def test_suggestions_skip_labeled_paragraphs_and_cover_several_documents(
    runner, tiny_model_dir, isolated_plugins, pool, tmp_path, seed_paragraphs
):
    first = suggest(runner, tiny_model_dir, pool, tmp_path / "first.json", "--n", 6)
    labeled = tmp_path / "labeled.jsonl"
    studio.write_records(
        [{"id": t["data"]["id"], "doc": t["data"]["doc"], "text": t["data"]["text"], "boilerplate": False,
          "csto": "none", "west": "none", "rhetoric": [], "evidence": {}, "source": "user"} for t in first],
        labeled,
    )
    second = suggest(runner, tiny_model_dir, pool, tmp_path / "second.json", "--n", 6, "--labeled", labeled)
    for tasks in (first, second):
        assert len({t["data"]["doc"] for t in tasks}) >= 4
        texts = [t["data"]["text"] for t in tasks]
        assert len({text_hash(text) for text in texts}) == len(texts)
        assert not any(text in ("CSTO summit ends", "12 March 2024", "Home | World") for text in texts)
    assert not {text_hash(t["data"]["text"]) for t in first} & {text_hash(t["data"]["text"]) for t in second}
    every = {text_hash(p) for paragraphs in seed_paragraphs.values() for p in paragraphs}
    assert {text_hash(t["data"]["text"]) for t in second} <= every | {text_hash(EMOJI_LINE)}


@pytest.mark.parametrize("strategy", ["uncertainty", "random"])
def test_other_strategies_write_valid_tasks(runner, tiny_model_dir, isolated_plugins, pool, tmp_path, strategy):
    tasks = suggest(runner, tiny_model_dir, pool, tmp_path / "t.json", "--n", 5, "--strategy", strategy)
    assert len(tasks) == 5 and len({t["data"]["id"] for t in tasks}) == 5
    if strategy == "uncertainty":
        values = [t["data"]["uncertainty"] for t in tasks]
        assert values == sorted(values, reverse=True)


def test_import_reports_what_it_cannot_convert_by_task_id(runner, tmp_path):
    interface = studio.interface()
    text = "Nothing of the kind: the CSTO mission did its job."
    tasks = [{"data": {"id": f"d{i}-0{i}", "doc": f"d{i}", "text": text}, "predictions": [{"result": []}]} for i in range(4)]
    good = annotate(interface, tasks[0], csto="favor", west="none", spans=[("denial", "Nothing of the kind")])
    no_choice = [region for region in annotate(interface, tasks[1], csto="favor", west="none") if region["from_name"] != "west"]
    outside = annotate(interface, tasks[2], csto="favor", west="none", spans=[("denial", "Nothing of the kind")])
    outside[-1]["value"].update(start=40, end=90)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export(tasks, [good, no_choice, outside, None])), encoding="utf-8")
    result = runner.invoke(main, ["data", "import", str(path), "--output", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 1
    assert "task 2: no west choice" in result.stderr
    assert "task 3: span 40-90 outside the text" in result.stderr
    assert "2 records written" in result.stdout and "from 4 tasks (1 not labeled yet, 2 problems)" in result.stdout
    records = load_records(tmp_path / "out.jsonl")
    assert [r.id for r in records] == ["d0-00", "d2-02"]
    assert records[0].evidence == {"denial": ["Nothing of the kind"]} and records[1].rhetoric == ()
    assert check_file(tmp_path / "out.jsonl").ok is False  # same text twice: the check still sees it


@pytest.mark.parametrize("content", ["not json", '{"data": 1}', '[{"text": "a json-min export"}]'])
def test_import_refuses_what_is_not_a_label_studio_json_export(runner, tmp_path, content):
    path = tmp_path / "export.json"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(main, ["data", "import", str(path), "--output", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "not valid JSON" in result.output or "not a Label Studio JSON export" in result.output


def test_agree_compares_two_annotators_exports_of_the_same_tasks(runner, tmp_path):
    interface = studio.interface()
    texts = ["The CSTO failed Armenia again.", "Brussels sent monitors.", "Nothing of the kind, said the ministry."]
    tasks = [{"data": {"id": f"p-0{i}", "doc": "p", "text": t}, "predictions": [{"result": []}]} for i, t in enumerate(texts)]
    first = [annotate(interface, tasks[0], csto="against", west="none"),
             annotate(interface, tasks[1], csto="none", west="favor"),
             annotate(interface, tasks[2], csto="none", west="none", spans=[("denial", "Nothing of the kind")])]
    second = [annotate(interface, tasks[0], csto="against", west="none"),
              annotate(interface, tasks[1], csto="none", west="none"),
              annotate(interface, tasks[2], csto="none", west="none", spans=[("denial", "Nothing of the kind")])]
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(export(tasks, first)), encoding="utf-8")
    b.write_text(json.dumps(export(tasks, second, annotator=2, email="b@example.org")), encoding="utf-8")
    result = runner.invoke(main, ["data", "agree", str(a), str(b)])
    assert result.exit_code == 0, result.output
    assert "3 shared paragraphs" in result.output and "kappa csto: 1.000" in result.output
    assert "p-01 west: favor / none" in result.output and "1 disagreements" in result.output


def test_import_can_hold_out_whole_documents_for_scoring(runner, tmp_path):
    interface = studio.interface()
    tasks = [
        {"data": {"id": f"d{i % 4}-{i:02d}", "doc": f"d{i % 4}", "text": f"Paragraph {i} says the CSTO did nothing at all."},
         "predictions": [{"result": []}]}
        for i in range(12)
    ]
    results = [annotate(interface, task, csto="against", west="none") for task in tasks]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export(tasks, results)), encoding="utf-8")
    result = runner.invoke(
        main,
        ["data", "import", str(path), "--output", str(tmp_path / "train.jsonl"), "--test-output", str(tmp_path / "test.jsonl")],
    )
    assert result.exit_code == 0, result.output
    train, test = load_records(tmp_path / "train.jsonl"), load_records(tmp_path / "test.jsonl")
    assert len(train) == 9 and len(test) == 3 and len({r.doc for r in test}) == 1
    assert not {r.doc for r in train} & {r.doc for r in test}
    assert "3 records of 1 documents held out" in result.output
