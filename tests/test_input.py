"""Input as it comes: HTML files and pages fetched with --url (from a real HTTP
server on 127.0.0.1), legacy encodings, pre-split paragraphs, and each
paragraph's language, with paragraphs in languages the model does not know
flagged and left unclassified."""

from __future__ import annotations

import codecs
import http.server
import json
import threading
import time

import pytest
from click.testing import CliRunner

from conftest import ROOT
from stance.cli import main
from stance.errors import InputError
from stance.language import MODEL_LANGUAGES, detect_language, detect_languages
from stance.reading import read_article

PAGE = """<!doctype html>
<html><head><meta charset="{charset}"><title>CSTO summit ends</title></head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/politics">Politics</a></nav>
<article>
<h1>CSTO summit ends without a statement on Armenia</h1>
<p>The leaders of the Collective Security Treaty Organization ended their summit in Minsk on Thursday without
adopting a declaration on assistance to Armenia, which did not send a delegation.</p>
<p>Prime Minister Nikol Pashinyan said the bloc had failed to meet its obligations when Azerbaijani forces crossed
the border, and that Yerevan would not take part in its exercises this year.</p>
<p>The European Union said its civilian monitors would stay on the Armenian side of the border, a presence
Moscow has called interference.</p>
<p>ОДКБ не выполнила свои обязательства перед Арменией, заявил премьер-министр, и Ереван заморозил участие.</p>
</article>
<footer><p>We use cookies to improve your experience. By continuing you accept our cookie policy.</p></footer>
</body></html>
"""

RUSSIAN = (
    "ОДКБ не выполнила свои обязательства перед Арменией, заявил премьер-министр. "
    "Москва отвергла критику и назвала её безосновательной.\n\n"
    "Евросоюз направил наблюдателей на армяно-азербайджанскую границу, и их число будет увеличено."
)


@pytest.fixture
def runner():
    return CliRunner()


def run(runner, model_dir, *args, **kwargs):
    return runner.invoke(main, ["classify", "--model", str(model_dir), *map(str, args)], **kwargs)


# ---- encodings


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_russian_text_in_legacy_and_utf16_encodings_is_read(tmp_path, encoding):
    path = tmp_path / "article.txt"
    path.write_bytes(RUSSIAN.encode(encoding))
    assert read_article(path) == RUSSIAN


def test_western_european_text_in_latin1_is_read():
    text = "Le ministre a déclaré que l'OTSC n'avait pas rempli ses obligations envers l'Arménie à l'été dernier."
    assert read_article(text.encode("latin-1")) == text


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x10\x00\x00", bytes(range(1, 9)) * 20])
def test_binary_data_is_still_refused(content):
    with pytest.raises(InputError, match="binary data"):
        read_article(content, name="x.bin")


# ---- HTML files and pages


def test_an_html_file_is_reduced_to_its_main_text_in_paragraphs(runner, cli_model_dir, tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(PAGE.format(charset="windows-1251").encode("cp1251"))
    result = run(runner, cli_model_dir, page, "--format", "json")
    assert result.exit_code == 0, result.output
    (article,) = json.loads(result.stdout)
    texts = [paragraph["text"] for paragraph in article["paragraphs"]]
    assert any(text.startswith("The leaders of the Collective Security Treaty Organization") for text in texts)
    assert any(text.startswith("ОДКБ не выполнила") for text in texts)  # decoded with the page's charset
    assert not any("Home" in text or "cookie" in text for text in texts)
    assert sum(not paragraph["boilerplate"] for paragraph in article["paragraphs"]) >= 4


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/slow":
            time.sleep(3)
        if self.path == "/missing":
            self.send_error(404, "Not Found")
            return
        body = PAGE.format(charset="utf-8").encode("utf-8")
        if self.path == "/huge":
            body = body * 200
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_url_is_fetched_and_classified_like_a_page(runner, cli_model_dir, server):
    result = run(runner, cli_model_dir, "--url", f"{server}/article", "--format", "json")
    assert result.exit_code == 0, result.output
    (article,) = json.loads(result.stdout)
    assert article["id"] == f"{server}/article"
    assert any(p["text"].startswith("Prime Minister Nikol Pashinyan") and not p["boilerplate"]
               for p in article["paragraphs"])


def test_url_failures_are_one_line_each_and_the_other_inputs_still_run(runner, cli_model_dir, server):
    started = time.monotonic()
    result = run(runner, cli_model_dir, "--url", f"{server}/missing", "--url", f"{server}/slow",
                 "--url", f"{server}/huge", "--url", "ftp://example.org/a.txt", "--url", f"{server}/article",
                 "--timeout", "1", "--max-mb", "0.05", "--format", "jsonl")
    assert result.exit_code == 1
    assert time.monotonic() - started < 15
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        f"Error: {server}/missing: the server answered 404 Not Found",
        f"Error: {server}/slow: no answer within 1 s",
        f"Error: {server}/huge: the page is larger than the 52428 bytes limit for an article",
        "Error: ftp://example.org/a.txt: not an http:// or https:// URL",
    ]
    assert {json.loads(line)["article"] for line in result.stdout.splitlines()} == {f"{server}/article"}


def test_an_unreachable_url_is_one_line(runner, cli_model_dir):
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run(runner, cli_model_dir, "--url", f"http://127.0.0.1:{port}/")
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(f"Error: http://127.0.0.1:{port}/: cannot fetch (")
    assert "Traceback" not in result.output


def test_classify_needs_a_file_or_a_url(runner, cli_model_dir):
    result = run(runner, cli_model_dir)
    assert result.exit_code == 2 and "give at least one FILE or --url" in result.stderr


# ---- pre-split paragraphs


def test_paragraphs_mode_takes_each_line_as_one_paragraph(runner, cli_model_dir, tmp_path):
    lines = ["Moscow, 12 March", "The CSTO is useless and Russia abandoned us", "",
             "Brussels sent monitors. Moscow called it interference."]
    source = tmp_path / "lines.txt"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(runner, cli_model_dir, "--paragraphs", source, "--format", "json")
    assert result.exit_code == 0, result.output
    (article,) = json.loads(result.stdout)
    assert [p["text"] for p in article["paragraphs"]] == [line for line in lines if line]
    assert not any(p["boilerplate"] for p in article["paragraphs"])  # no segmentation, no boilerplate rules


# ---- languages


def test_every_labeled_paragraph_is_detected_as_a_language_the_model_knows():
    texts = []
    for path in (ROOT / "seeds" / "labels.jsonl", ROOT / "heldout" / "labels.jsonl"):
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        texts += [record["text"] for record in records if not record["boilerplate"]]
    flagged = [(language, text[:60]) for language, text in zip(detect_languages(texts), texts)
               if language not in MODEL_LANGUAGES and language is not None]
    assert flagged == []


@pytest.mark.parametrize(("text", "language"), [
    ("The CSTO is useless and Russia abandoned us", "en"),
    ("Brussels offered monitors to Yerevan.", "en"),
    ("ОДКБ бесполезна, Россия нас бросила", "ru"),
    ("Die OVKS hat Armenien im Stich gelassen, sagte der Außenminister am Montag in Berlin.", "de"),
    ("ՀԱՊԿ-ը չկատարեց իր պարտավորությունները Հայաստանի նկատմամբ։", "hy"),
    ("ევროკავშირის მისია საზღვარზე კიდევ ორი წლით დარჩება.", "ka"),
    ("Україна не є членом ОДКБ, заявив міністр закордонних справ.", "uk"),
    ("NATO", None),
])
def test_languages_are_detected_and_too_short_text_gets_none(text, language):
    assert detect_language(text) == language


def test_russian_news_with_few_function_words_is_told_by_its_alphabet_without_lingua(monkeypatch):
    import stance.language as language

    monkeypatch.setattr(language, "_best", lambda detector, text: pytest.fail("lingua was asked"))
    wire = ("Секретариат ОДКБ сообщил о завершении совместных учений коллективных сил "
            "«Взаимодействие-2024» на полигоне Харб-Майдон в Таджикистане.")
    assert language.detect_language(wire) == "ru"


@pytest.mark.parametrize(("text", "language"), [
    ("Секретаріат ОДКБ повідомив про завершення спільних навчань колективних сил на полігоні у Таджикистані.", "uk"),
    ("ҰҚШҰ хатшылығы Тәжікстандағы полигонда ұжымдық күштердің бірлескен оқу-жаттығуы аяқталғанын хабарлады.", "kk"),
])
def test_other_cyrillic_languages_still_go_to_lingua(text, language):
    assert detect_language(text) == language


def test_lingua_reads_only_the_start_of_a_long_paragraph(monkeypatch):
    """lingua holds the interpreter lock for as long as it reads (0.5 s for 1 MB)."""
    import stance.language as language

    read = []
    best = language._best
    monkeypatch.setattr(language, "_best", lambda detector, text: read.append(len(text)) or best(detector, text))
    text = "Die OVKS hat Armenien im Stich gelassen, sagte der Außenminister am Montag in Berlin. " * 12_000
    assert detect_language(text) == "de"
    assert read and max(read) <= language.DETECTION_CHARS


def test_paragraphs_in_languages_the_model_does_not_know_are_flagged_not_labeled(tiny_classifier):
    text = ("Die OVKS hat Armenien im Stich gelassen, sagte der Außenminister am Montag in Berlin vor Journalisten.\n\n"
            "The CSTO failed Armenia when Azerbaijani forces crossed the border, the prime minister said.")
    german, english = tiny_classifier.classify_text(text).paragraphs
    assert (german.language, german.unsupported_language, german.stances, german.rhetoric) == ("de", True, {}, ())
    assert not german.boilerplate
    assert (english.language, english.unsupported_language) == ("en", False)
    assert set(english.stances) == {"csto", "west"}
    summary = tiny_classifier.classify_text(text).summary
    assert (summary.paragraphs, summary.classified, summary.boilerplate, summary.unsupported_language) == (2, 1, 0, 1)


# ---- the HTTP service says what is missing


def test_an_empty_request_says_which_fields_are_missing(client):
    response = client.post("/v1/classify", json={})
    assert response.status_code == 400
    message = response.get_json()["error"]["message"]
    assert '"text"' in message and '"paragraphs"' in message and "not both" not in message
    both = client.post("/v1/classify", json={"text": "a", "paragraphs": ["a"]}).get_json()["error"]["message"]
    assert "both" in both


def test_a_plain_text_body_in_cp1251_is_read(client):
    response = client.post("/v1/classify", data=RUSSIAN.encode("cp1251"), content_type="text/plain")
    assert response.status_code == 200
    assert response.get_json()["paragraphs"][0]["text"].startswith("ОДКБ не выполнила")
