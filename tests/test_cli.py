"""The ``stance`` command line, run with ``CliRunner`` on real files."""

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from stance.cli import main

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
SEED = SEEDS_DIR / "000_3f0b3d69d48b213d.txt"
EXTRACTORS = "word_tfidf,lexicon"


@pytest.fixture
def runner():
    return CliRunner()


def classify(runner, model_dir, *args, **kwargs):
    return runner.invoke(main, ["classify", "--model", str(model_dir), *map(str, args)], **kwargs)


# ---- classify


def test_csv_starts_with_a_byte_order_mark_unless_told_not_to(runner, cli_model_dir):
    with_bom = classify(runner, cli_model_dir, SEED, "--format", "csv").stdout
    without = classify(runner, cli_model_dir, SEED, "--format", "csv", "--no-bom").stdout
    assert with_bom == "\ufeff" + without and without.startswith("article,")


def test_classify_prints_a_table_with_a_summary(runner, cli_model_dir):
    result = classify(runner, cli_model_dir, SEED)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == str(SEED)
    assert lines[1].split() == ["#", "paragraph", "csto", "west", "rhetoric"]
    assert "summary:" in result.stdout and "overall" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_classify_formats_carry_every_paragraph(runner, cli_model_dir, fmt):
    result = classify(runner, cli_model_dir, SEED, "--format", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "json":
        (article,) = json.loads(result.stdout)  # always a list, one object per input
        paragraphs = article["paragraphs"]
    elif fmt == "jsonl":
        paragraphs = [json.loads(line) for line in result.stdout.splitlines()]
        assert {p["article"] for p in paragraphs} == {str(SEED)}
    else:
        paragraphs = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(paragraphs) == len([s for s in SEED.read_text("utf-8").split("\n\n") if s.strip()])


def test_classify_json_results_have_scores_for_every_label(runner, cli_model_dir):
    result = classify(runner, cli_model_dir, SEED, "--format", "json")
    classified = [p for p in json.loads(result.stdout)[0]["paragraphs"] if not p["boilerplate"]]
    assert classified
    for paragraph in classified:
        for target in ("csto", "west"):
            scores = paragraph["stances"][target]["scores"]
            assert set(scores) == {"favor", "against", "none"}
            assert paragraph["stances"][target]["label"] == max(scores, key=scores.get)


def test_classify_reads_standard_input(runner, cli_model_dir):
    result = classify(runner, cli_model_dir, "-", "--format", "json", input=SEED.read_bytes())
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["id"] == "<stdin>"


def test_highlight_marks_spans_with_brackets_when_not_a_terminal(runner, cli_model_dir):
    result = classify(runner, cli_model_dir, SEED, "--highlight")
    assert result.exit_code == 0, result.output
    assert "[1] " in result.stdout and "\x1b[" not in result.stdout


def test_many_files_one_binary_still_classifies_the_others(runner, cli_model_dir, tmp_path):
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    second = SEEDS_DIR / "001_d72a76753b022cea.txt"
    result = classify(runner, cli_model_dir, SEED, binary, second, "--format", "json")
    assert result.exit_code == 1
    assert [document["id"] for document in json.loads(result.stdout)] == [str(SEED), str(second)]
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [f"Error: {binary}: binary data, not a text article"]


def test_missing_and_binary_files_are_each_named(runner, cli_model_dir, tmp_path):
    binary = tmp_path / "data.bin"
    binary.write_bytes(bytes(range(1, 9)) * 20)
    result = classify(runner, cli_model_dir, binary, tmp_path / "absent.txt", SEED, "--format", "jsonl")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 2 and str(binary) in errors[0] and "absent.txt: no such file" in errors[1]
    assert {json.loads(line)["article"] for line in result.stdout.splitlines()} == {str(SEED)}


def test_an_empty_file_is_named_on_stderr_and_exits_1(runner, cli_model_dir, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n", encoding="utf-8")
    result = classify(runner, cli_model_dir, empty, SEED, "--format", "jsonl")
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if line.startswith("Error")] == [
        f"Error: {empty}: empty, no text to classify"]
    assert {json.loads(line)["article"] for line in result.stdout.splitlines()} == {str(SEED)}


def test_an_unwritable_train_output_fails_before_training(runner, tmp_path, small_labels):
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    result = runner.invoke(main, ["train", "--data", str(small_labels), "--output", str(blocked / "model"),
                                  "--extractors", EXTRACTORS])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"Error: cannot write {blocked / 'model'}: {blocked} is not a writable directory"]


def test_an_unwritable_evaluate_output_fails_before_evaluating(runner, tmp_path, small_labels):
    result = runner.invoke(main, ["evaluate", "--data", str(small_labels), "--output", str(tmp_path),
                                  "--extractors", EXTRACTORS])
    assert result.exit_code == 2 and "is a directory" in result.stderr
    assert "reading" not in result.stderr and "Traceback" not in result.output


def test_an_internal_error_is_one_line_unless_debugging(runner, monkeypatch, cli_model_dir):
    import stance.api

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(stance.api.Classifier, "stream", broken)
    result = classify(runner, cli_model_dir, SEED)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: internal error: ZeroDivisionError: division by zero (set STANCE_DEBUG=1 for the traceback)"
    )
    monkeypatch.setenv("STANCE_DEBUG", "1")
    assert isinstance(classify(runner, cli_model_dir, SEED).exception, ZeroDivisionError)


def test_warnings_print_as_one_line_each(runner, cli_model_dir, tmp_path):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "broken.py").write_text("raise RuntimeError('boom')\n", encoding="utf-8")
    result = runner.invoke(main, ["classify", "--model", str(cli_model_dir), "--plugins-dir", str(plugins), str(SEED)])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.strip().splitlines() if not line.startswith("stance: ")]  # stages
    assert warnings and all(line.startswith("Warning: ") for line in warnings), result.stderr
    assert "broken" in warnings[0] and "UserWarning" not in result.stderr


def test_oversized_file_is_refused(runner, cli_model_dir):
    result = classify(runner, cli_model_dir, SEED, "--max-mb", "0.001")
    assert result.exit_code == 1
    assert "larger than the 1048 bytes limit" in result.stderr


def test_highlight_with_another_format_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["classify", str(SEED), "--highlight", "--format", "json"])
    assert result.exit_code == 2 and "--highlight only works with --format table" in result.stderr


def test_missing_model_is_a_one_line_error(runner, tmp_path):
    result = classify(runner, tmp_path / "no-model", SEED)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.output


# ---- train and evaluate


def test_train_fits_once_without_cross_validation_and_shows_its_stages(runner, tmp_path, small_labels):
    output = tmp_path / "model"
    arguments = ["train", "--data", str(small_labels), "--output", str(output), "--extractors", EXTRACTORS]
    result = runner.invoke(main, arguments)
    assert result.exit_code == 0, result.output
    assert str(output) in result.stdout and "not cross-validated" in result.stdout
    assert "macro-F1" not in result.stdout and "held-out" not in result.stdout
    stages = result.stderr.splitlines()
    assert any(line.startswith("stance: fitting the model on") for line in stages)
    assert not any("fold" in line for line in stages)


def test_train_with_cv_prints_the_card_summary_and_each_fold(runner, tmp_path, small_labels):
    output = tmp_path / "model"
    arguments = ["train", "--data", str(small_labels), "--output", str(output), "--extractors", EXTRACTORS]
    result = runner.invoke(main, [*arguments, "--cv", "--folds", "3"])
    assert result.exit_code == 0, result.output
    assert "macro-F1" in result.stdout and "3 folds" in result.stdout
    folds = [line for line in result.stderr.splitlines() if line.startswith("stance: fold ")]
    assert [line.split()[2] for line in folds] == ["1/3", "2/3", "3/3"]
    assert all("/s)" in line for line in folds) and "s left" in folds[0]


def test_train_with_a_test_file_prints_its_held_out_scores(runner, tmp_path, small_labels):
    output = tmp_path / "model"
    arguments = ["train", "--data", str(small_labels), "--output", str(output), "--extractors", EXTRACTORS]
    result = runner.invoke(main, [*arguments, "--test", str(small_labels)])
    assert result.exit_code == 0, result.output
    assert f"held-out file {small_labels}" in result.stdout


def test_train_on_a_broken_line_names_it_and_keeps_the_old_model(runner, tmp_path, cli_model_dir, small_labels):
    model = tmp_path / "model"
    shutil.copytree(cli_model_dir, model)
    before = {path.name: path.read_bytes() for path in model.iterdir() if path.is_file()}
    labels = tmp_path / "broken.jsonl"
    labels.write_text(small_labels.read_text("utf-8") + "{broken\n", encoding="utf-8")
    broken_line = len(labels.read_text("utf-8").splitlines())
    result = runner.invoke(main, ["train", "--data", str(labels), "--output", str(model), "--extractors", EXTRACTORS])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if not line.startswith("stance: ")]
    assert len(errors) == 1 and f"{labels}:{broken_line}" in errors[0]
    assert {path.name: path.read_bytes() for path in model.iterdir() if path.is_file()} == before


def test_evaluate_prints_and_writes_a_report(runner, tmp_path, small_labels):
    report = tmp_path / "report.json"
    arguments = ["evaluate", "--data", str(small_labels), "--folds", "3", "--output", str(report)]
    arguments += ["--extractors", EXTRACTORS]
    result = runner.invoke(main, arguments)
    assert result.exit_code == 0, result.output
    assert "csto" in result.stdout and "west" in result.stdout and "rhetoric" in result.stdout
    assert "majority" in result.stdout
    assert json.loads(report.read_text("utf-8"))


# ---- data check


def test_data_check_passes_on_the_project_labels(runner):
    result = runner.invoke(main, ["data", "check", str(SEEDS_DIR / "labels.jsonl")])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].endswith("; ok")


def test_data_check_names_file_and_line_of_every_problem(runner, tmp_path):
    labels = tmp_path / "labels.jsonl"
    good = json.loads((SEEDS_DIR / "labels.jsonl").read_text("utf-8").splitlines()[5])
    good.update(source="written", doc="wz01", id="wz01-01")
    labels.write_text(
        "\n".join([json.dumps(good), "{broken", json.dumps({**good, "id": "wz01-02", "csto": "pro"})]) + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["data", "check", str(labels)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{labels}:2: not valid JSON")
    assert f"{labels}:3: unknown csto label 'pro' (expected favor, against, none)" in lines
    assert f"{labels}:3: same text as line 1" in lines
    assert any(line.startswith(f"{labels}: 2 records") and "3 problems" in line for line in lines)


def test_data_check_of_a_missing_file_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["data", "check", str(tmp_path / "absent.jsonl")])
    assert result.exit_code == 2



def test_train_and_evaluate_help_name_the_default_extractors():
    from click.testing import CliRunner

    from stance.cli import main
    from stance.fitting import DEFAULT_EXTRACTORS

    for command in ("train", "evaluate"):
        shown = CliRunner().invoke(main, [command, "--help"]).output
        assert f"[default: {','.join(DEFAULT_EXTRACTORS)}]" in " ".join(shown.split())
