"""``check_file``: every problem of a labels file, named with its line."""

import json
import random
import time
from pathlib import Path

import pytest

from stance.dataset import check_file, load_records
from stance.errors import DataError

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "seeds" / "labels.jsonl"
VOCABULARY = [f"word{i}" for i in range(2000)]


def record(number, **fields):
    """A valid written record, distinct from every other ``number``, with ``fields`` changed."""
    base = {
        "id": f"wx{number:02d}-01",
        "doc": f"wx{number:02d}",
        "text": f"Paragraph {number}: " + " ".join(random.Random(number).choices(VOCABULARY, k=30)),
        "boilerplate": False,
        "csto": "favor",
        "west": "none",
        "rhetoric": [],
        "evidence": {},
        "source": "written",
    }
    return {**base, **fields}


def write_lines(path, lines):
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n", "utf-8")
    return path


def problems(report):
    return [(p.line, p.message) for p in report.errors]


def check_one(tmp_path, line):
    """Problems of a file whose first line is valid and second is ``line``."""
    path = write_lines(tmp_path / "labels.jsonl", [record(1), line])
    return problems(check_file(path))


def test_a_valid_file_is_ok(tmp_path):
    report = check_file(write_lines(tmp_path / "labels.jsonl", [record(1), record(2)]))
    assert report.ok and report.errors == ()


@pytest.mark.parametrize(
    "line, message",
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "a record must be a JSON object, not a list"),
        ({k: v for k, v in record(2).items() if k not in ("csto", "source")}, "missing key(s): csto, source"),
        (record(2, label="x"), "unknown key(s): label"),
        (record(2, boilerplate="no"), "'boilerplate' must be true or false, not a string"),
        (record(2, text=5), "'text' must be a string, not a number"),
        (record(2, rhetoric="denial"), "'rhetoric' must be a list, not a string"),
        (record(2, rhetoric=[1]), "'rhetoric' must be a list of tag names"),
        (record(2, evidence={"denial": "no"}), "'evidence' must map each tag to a list of text spans"),
        (record(2, note=3), "'note' must be a string or null, not a number"),
        (record(2, csto="pro"), "unknown csto label 'pro'"),
        (record(2, west="yes"), "unknown west label 'yes'"),
        (record(2, rhetoric=["spin"], evidence={"spin": ["Paragraph"]}), "unknown rhetoric tag 'spin'"),
        (record(2, source="web"), "unknown source 'web'"),
        (record(2, id="zz-01"), "id 'zz-01' does not start with its doc 'wx02'"),
        (record(2, text="   "), "empty text"),
        (record(2, rhetoric=["denial"]), "tag 'denial' has no evidence span"),
        (record(2, evidence={"doubt": ["Paragraph"]}), "evidence for 'doubt', which is not among the record's tags"),
        (
            record(2, rhetoric=["denial"], evidence={"denial": ["Nothing of the kind"]}),
            "evidence span for 'denial' not found verbatim in the text: \"Nothing of the kind\"",
        ),
        (
            record(2, rhetoric=["denial", "denial"], evidence={"denial": ["Paragraph"]}),
            "rhetoric tag(s) listed twice: denial",
        ),
        (record(2, boilerplate=True, csto="favor"), "boilerplate record carries a stance or tags"),
        (record(2, text=record(1)["text"]), "same text as line 1"),
        (record(2, id=record(1)["id"], doc="wx01"), "duplicate id 'wx01-01' (first on line 1)"),
        (record(2, text=record(1)["text"] + " more"), "near-duplicate of line 1 (word 5-gram Jaccard 0.97)"),
    ],
)
def test_each_problem_is_named_with_its_line(tmp_path, line, message):
    found = check_one(tmp_path, line)
    assert any(number == 2 and message in text for number, text in found), found
    assert all(number == 2 for number, _ in found), found


def test_all_problems_are_collected_and_blank_lines_keep_numbering(tmp_path):
    path = write_lines(tmp_path / "labels.jsonl", [record(1), "", "{broken", record(3, csto="pro"), record(4)])
    report = check_file(path)
    assert not report.ok
    assert [line for line, _ in problems(report)] == [3, 4]


def test_normalised_duplicates_ignore_case_and_punctuation(tmp_path):
    text = record(1)["text"]
    assert check_one(tmp_path, record(2, text=text.upper() + "!")) == [(2, "same text as line 1")]


def test_boilerplate_may_repeat(tmp_path):
    see_also = {"text": "See also", "boilerplate": True, "csto": "none"}
    path = write_lines(tmp_path / "labels.jsonl", [record(1, **see_also), record(2, **see_also)])
    assert check_file(path).ok


def test_distribution_counts_content_paragraphs(tmp_path):
    lines = [
        record(1, rhetoric=["denial"], evidence={"denial": ["Paragraph 1"]}),
        record(2, csto="against", west="against", source="seed", id="002-00", doc="002"),
        record(3, text="ОДКБ остаётся надёжным гарантом безопасности.", csto="favor"),
        record(4, text="See also", boilerplate=True, csto="none"),
    ]
    distribution = check_file(write_lines(tmp_path / "labels.jsonl", lines)).distribution
    assert distribution.paragraphs == 3 and distribution.boilerplate == 1
    assert distribution.targets["csto"] == {"favor": 2, "against": 1, "none": 0}
    assert distribution.targets["west"] == {"favor": 0, "against": 1, "none": 2}
    assert distribution.tags["denial"] == 1 and distribution.tags["doubt"] == 0
    assert distribution.sources == {"seed": 1, "written": 2, "user": 0}
    assert distribution.languages == {"en": 2, "ru": 1}


def test_near_duplicate_check_is_fast_for_thousands_of_records(tmp_path):
    rng = random.Random(0)
    lines = [
        record(i % 100, id=f"wx{i % 100:02d}-{i}", text=" ".join(rng.choices(VOCABULARY, k=50))) for i in range(3000)
    ]
    lines.append(record(7, id="wx07-near", text=lines[10]["text"] + " and more"))
    start = time.perf_counter()
    report = check_file(write_lines(tmp_path / "labels.jsonl", lines))
    assert time.perf_counter() - start < 5
    assert problems(report) == [(3001, "near-duplicate of line 11 (word 5-gram Jaccard 0.96)")]


def seed_folder(tmp_path, article):
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "007_abc.txt").write_text(article, encoding="utf-8")
    return folder


def seed(index, text, doc="007", **fields):
    return record(0, id=f"{doc}-{index:02d}", doc=doc, text=text, source="seed", csto="none", **fields)


def test_every_seed_paragraph_must_have_a_seed_record(tmp_path):
    folder = seed_folder(tmp_path, "CSTO summit\n\nThe CSTO failed Armenia.\n\nIt said nothing.")
    path = write_lines(
        folder / "labels.jsonl",
        [seed(0, "CSTO summit", boilerplate=True), seed(1, "The CSTO failed Armenia."), seed(2, "It said nothing!")],
    )
    found = problems(check_file(path))
    assert (3, "text is not a paragraph of seed article 007 in " + str(folder)) in found
    assert any(line is None and "007_abc.txt: paragraph 3 \"It said nothing.\"" in m for line, m in found), found


def test_seeds_dir_may_be_given_and_docs_must_name_an_article(tmp_path):
    folder = seed_folder(tmp_path, "The CSTO failed Armenia.")
    path = write_lines(tmp_path / "labels.jsonl", [seed(0, "The CSTO failed Armenia."), seed(1, "Other.", doc="008")])
    assert problems(check_file(path, seeds_dir=folder)) == [(2, f"doc '008' names no seed article in {folder}")]


def test_seeds_folder_beside_the_labels_file_is_found(tmp_path):
    seed_folder(tmp_path, "The CSTO failed Armenia.\n\nAnother paragraph.")
    path = write_lines(tmp_path / "labels.jsonl", [seed(0, "The CSTO failed Armenia.")])
    assert [p.line for p in check_file(path).errors] == [None]


def test_unreadable_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="cannot read labeled data"):
        check_file(tmp_path / "absent.jsonl")


def test_load_records_names_the_broken_line(tmp_path):
    path = write_lines(tmp_path / "labels.jsonl", [record(1), "", "{broken"])
    with pytest.raises(DataError, match=r"labels\.jsonl:3: not a valid record"):
        load_records(path)
    assert len(load_records(write_lines(path, [record(1), record(2)]))) == 2


@pytest.mark.skipif(not LABELS.exists(), reason="seeds/labels.jsonl not written yet")
def test_the_project_labels_pass():
    report = check_file(LABELS)
    assert report.ok, [(p.line, p.message) for p in report.errors]
    assert report.distribution.paragraphs > 0
