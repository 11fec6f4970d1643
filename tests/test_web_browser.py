"""The analysts' page in a real browser: Debian's Chromium, headless, driven by
Playwright against the real app served on a loopback port.

Prints the time from submit to rendered results for a seed article and the
page's transfer size; saves screenshots to tests/artifacts/.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from werkzeug.serving import make_server

from stance.render import csv_header, csv_rows
from stance.service import create_app

CHROMIUM = Path("/usr/bin/chromium")

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip(
        "Chromium is not installed at /usr/bin/chromium (apt-get install chromium); "
        "CI installs it and runs this test",
        allow_module_level=True,
    )

from playwright.sync_api import Browser, Page, Request, expect, sync_playwright  # noqa: E402

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "003_26dae961d9fa5e46.txt"
KNOWN_PARAGRAPH = "could not be considered a failure"
ARTIFACTS = ROOT / "tests" / "artifacts"
LOOPBACK = "127.0.0.1"
PAGE_BUDGET_BYTES = 100_000


@dataclass
class Site:
    """The app and the URL of its page."""

    app: Flask
    url: str


@dataclass
class Traffic:
    """Every request the page made that finished."""

    finished: list[Request] = field(default_factory=list)

    def record(self, request: Request) -> None:
        self.finished.append(request)

    def hosts(self) -> set[str]:
        return {urlsplit(request.url).hostname for request in self.finished}

    def transferred(self) -> int:
        """Bytes of all responses so far, headers and bodies, as Chromium counted them."""
        sizes = [request.sizes() for request in self.finished]
        return sum(size["responseHeadersSize"] + size["responseBodySize"] for size in sizes)


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve ``app`` on a free loopback port in a background thread; yield its URL."""
    server = make_server(LOOPBACK, 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="web-test-server", daemon=True)
    thread.start()
    try:
        yield f"http://{LOOPBACK}:{server.server_port}/"
    finally:
        server.shutdown()
        thread.join()


@pytest.fixture
def site(app) -> Iterator[Site]:
    """The service with its model (``app``, tests/conftest.py), on a loopback port."""
    with serving(app) as url:
        yield Site(app, url)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


@pytest.fixture
def page(browser: Browser, traffic: Traffic) -> Iterator[Page]:
    """A fresh page; it must end its test without a script error."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.on("requestfinished", traffic.record)
    script_errors = []
    page.on("pageerror", lambda error: script_errors.append(error))
    yield page
    context.close()
    assert script_errors == []


def classify(page: Page, text: str) -> dict:
    """Paste ``text``, press Classify, wait for the results; the API's answer."""
    page.fill("#article-text", text)
    with page.expect_response(lambda response: response.url.endswith("/v1/classify")) as answer:
        page.click("#classify-button")
    expect(page.locator("#results")).to_be_visible()
    return answer.value.json()


def shown_error(page: Page, text: str) -> str:
    """Submit ``text`` and return the error message the page shows."""
    page.fill("#article-text", text)
    page.click("#classify-button")
    notice = page.get_by_role("alert").locator(".notice")
    expect(notice).to_be_visible()
    return notice.inner_text()


def paragraph_item(page: Page, index: int):
    return page.locator(f"#paragraph-{index}")


def test_seed_article_is_shown_paragraph_by_paragraph(site, page, traffic):
    page.goto(site.url)
    expect(page.locator("#model-name")).not_to_have_text("loading…")
    page_bytes = traffic.transferred()

    page.fill("#article-text", SEED.read_text(encoding="utf-8"))
    started = time.perf_counter()
    with page.expect_response(lambda response: response.url.endswith("/v1/classify")) as answer:
        page.click("#classify-button")
    expect(page.locator("#results")).to_be_visible()
    wall_ms = (time.perf_counter() - started) * 1000
    result = answer.value.json()
    render_ms = page.evaluate("performance.getEntriesByName('classify').at(-1).duration")

    expect(page.locator("#paragraphs > li")).to_have_count(len(result["paragraphs"]))
    known = next(p for p in result["paragraphs"] if KNOWN_PARAGRAPH in p["text"])
    csto = known["stances"]["csto"]
    badge = paragraph_item(page, known["index"]).locator('.stance[data-target="csto"]')
    expect(badge).to_have_attribute("data-label", csto["label"])
    expect(badge).to_contain_text(f"{csto['label']} {csto['scores'][csto['label']]:.2f}")
    overall = page.locator('#summary .stance[data-target="csto"]')
    expect(overall).to_have_attribute("data-label", result["summary"]["overall"]["csto"])
    model = result["model"]
    expect(page.locator("#model-name")).to_have_text(f"{model['name']} {model['version']}")

    spans = [(p["index"], tag["tag"], span["text"]) for p in result["paragraphs"]
             for tag in p["rhetoric"] for span in tag["spans"]]
    assert spans, "the model found no rhetoric span in the seed article"
    index, tag, text = spans[0]
    marked = paragraph_item(page, index).locator(f'mark[data-tags~="{tag}"]').evaluate_all(
        "marks => marks.map(mark => mark.firstChild.data).join('')")
    assert text in marked
    for boilerplate in (p for p in result["paragraphs"] if p["boilerplate"]):
        expect(paragraph_item(page, boilerplate["index"])).to_have_class("paragraph paragraph--boilerplate")

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "web_seed_article.png", full_page=True)
    assert traffic.hosts() == {LOOPBACK}
    answer_bytes = traffic.transferred() - page_bytes
    print(f"\nweb page: submit to rendered {render_ms:.0f} ms in the page, {wall_ms:.0f} ms seen by the test; "
          f"page load {page_bytes / 1024:.1f} KB, the seed's answer {answer_bytes / 1024:.1f} KB")
    assert page_bytes < PAGE_BUDGET_BYTES


def test_evidence_names_its_tag_on_hover_and_on_focus(site, page):
    page.goto(site.url)
    classify(page, SEED.read_text(encoding="utf-8"))
    marks = page.locator("#paragraphs mark.highlight")

    first, last = marks.first, marks.last
    first.focus()
    expect(first.locator(".tooltip")).to_be_visible()
    expect(first).to_have_attribute("tabindex", "0")
    first.blur()
    expect(first.locator(".tooltip")).to_be_hidden()
    last.hover()
    expect(last.locator(".tooltip")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "web_highlight_tooltip.png")


def test_similar_training_paragraphs_are_shown_behind_each_call(site, page):
    page.goto(site.url)
    result = classify(page, SEED.read_text(encoding="utf-8"))
    known = next(p for p in result["paragraphs"] if KNOWN_PARAGRAPH in p["text"])
    examples = known["stances"]["csto"]["examples"]
    assert examples, "the model named no similar training paragraph"
    item = paragraph_item(page, known["index"])
    item.locator("details.paragraph__details > summary").click()
    shown = item.locator('ul.example-list[aria-label="Similar training paragraphs"] > li')
    expect(shown.first).to_be_visible()
    expect(shown.first).to_contain_text(f"({examples[0]['id']})")
    expect(shown.first.locator("q")).to_have_text(examples[0]["opening"])
    expect(shown.first).to_contain_text(f"similarity {examples[0]['similarity']:.2f}")


def text_without_tooltips(locator) -> str:
    """The text a reader sees in ``locator``, without the evidence tooltips
    (shown only on hover or focus) that highlighted spans carry inside them."""
    return locator.evaluate(
        "node => { const copy = node.cloneNode(true);"
        " copy.querySelectorAll('.tooltip').forEach(t => t.remove()); return copy.textContent; }"
    )


def test_markup_in_the_article_is_shown_as_text(site, page):
    page.goto(site.url)
    article = ("The CSTO said <script>window.__xss=1</script> that it works.\n\n"
               'Readers wrote <img src="x" onerror="window.__xss=2"> to the editor.')
    result = classify(page, article)

    items = page.locator("#paragraphs > li")
    expect(items).to_have_count(len(result["paragraphs"]))
    assert "<script>window.__xss=1</script>" in text_without_tooltips(items.first.locator(".paragraph__text"))
    assert '<img src="x" onerror="window.__xss=2">' in text_without_tooltips(items.last.locator(".paragraph__text"))
    assert page.locator("#paragraphs script, #paragraphs img").count() == 0
    assert page.evaluate("window.__xss") is None


def test_filters_show_only_matching_paragraphs(site, page):
    page.goto(site.url)
    result = classify(page, SEED.read_text(encoding="utf-8"))
    shown = page.locator("#paragraphs > li:visible")

    page.select_option("#filter", "stance:csto:none")
    expect(shown).to_have_count(sum(p["stances"].get("csto", {}).get("label") == "none" for p in result["paragraphs"]))
    tag = next(iter(result["summary"]["tags"]))
    page.select_option("#filter", f"tag:{tag}")
    expect(shown).to_have_count(result["summary"]["tags"][tag])
    page.select_option("#filter", "content")
    expect(shown).to_have_count(result["summary"]["classified"])
    page.select_option("#filter", "all")
    expect(shown).to_have_count(len(result["paragraphs"]))


def test_downloads_are_the_api_answer_and_the_cli_csv(site, page):
    page.goto(site.url)
    text = SEED.read_text(encoding="utf-8")
    result = classify(page, text)

    with page.expect_download() as json_download:
        page.click("#download-json")
    assert json.loads(Path(json_download.value.path()).read_text(encoding="utf-8")) == result
    with page.expect_download() as csv_download:
        page.click("#download-csv")
    classifier = site.app.extensions["stance"].require().classifier
    first_line = next(line.strip() for line in text.splitlines() if line.strip())
    name = first_line if len(first_line) <= 60 else first_line[:59] + "…"
    assert result["id"] == name  # the page names the article after its first line
    expected = csv_header() + csv_rows(classifier.classify_text(text, id=name))
    assert Path(csv_download.value.path()).read_text(encoding="utf-8") == expected
    assert csv_download.value.suggested_filename.startswith("stance-") and csv_download.value.suggested_filename.endswith(".csv")


def test_a_txt_file_is_read_into_the_text_box(site, page):
    page.goto(site.url)
    page.set_input_files("#article-file", SEED)

    expect(page.locator("#article-text")).to_have_value(SEED.read_text(encoding="utf-8"))


def test_api_errors_are_readable_messages(site, page):
    page.goto(site.url)

    assert "no text to classify" in shown_error(page, "   \n  ")
    assert "too large" in shown_error(page, "The CSTO works. " * 70_000)
    page.route("**/v1/classify", lambda route: route.abort())
    assert "could not be reached" in shown_error(page, "The CSTO works.")
    page.screenshot(path=ARTIFACTS / "web_error.png")
    expect(page.locator("#results")).to_be_hidden()


def test_a_model_that_is_not_ready_is_a_readable_message(page, service_config, tmp_path):
    app = create_app({**service_config, "LOAD_MODEL": "background", "MODEL_DIR": str(tmp_path / "no-model")})
    with serving(app) as url:
        page.goto(url)
        message = shown_error(page, "The CSTO works.")

    assert message.startswith("The classifier is not ready yet.")
    assert "{" not in message


def test_evidence_is_named_in_words_not_feature_names(site, page):
    page.goto(site.url)
    result = classify(page, SEED.read_text(encoding="utf-8"))
    shown = [p for p in result["paragraphs"] if any(s["evidence"] for s in p["stances"].values())]
    assert shown
    items = paragraph_item(page, shown[0]["index"]).locator(".evidence-list li")
    texts = items.all_text_contents()  # inside the closed "Scores and evidence" details
    assert texts and not any("__" in text for text in texts)
    assert all(any(kind in text for kind in ("word “", "letters “", "cue: ")) for text in texts)
