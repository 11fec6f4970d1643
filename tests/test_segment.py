"""Segmentation: paragraphs, offsets and boilerplate flags, checked on the seeds."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stance.deadline import DeadlineExceeded, work_deadline
from stance.segment import _MORE_THAN_40_WORDS, _WORD, NOTICE_MAX_CHARS, boilerplate_reason, segment

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def _seed_labels():
    records = [json.loads(line) for line in (ROOT / "seeds" / "labels.jsonl").read_text("utf-8").splitlines()]
    return {r["id"]: r for r in records if r["source"] == "seed"}


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_segments_match_the_labels(path):
    labels = _seed_labels()
    text = path.read_text(encoding="utf-8")
    segments = segment(text)
    doc = path.name[:3]
    assert [s.text for s in segments] == [labels[f"{doc}-{s.index:02d}"]["text"] for s in segments]
    assert len(segments) == sum(1 for key in labels if key.startswith(doc + "-"))
    for s in segments:
        assert s.boilerplate == labels[f"{doc}-{s.index:02d}"]["boilerplate"], s.text


def test_offsets_point_into_the_article():
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        for s in segment(text):
            assert text[s.start:s.end] == s.text


def test_blank_lines_separate_paragraphs_and_single_breaks_do_not():
    text = "First paragraph,\nwrapped onto a second line.\n\n  \nSecond paragraph."
    assert [s.text for s in segment(text)] == ["First paragraph,\nwrapped onto a second line.", "Second paragraph."]


def test_one_paragraph_per_line_when_there_are_no_blank_lines():
    text = "The summit opened on Monday.\nLeaders discussed the border.\n"
    assert [s.text for s in segment(text)] == ["The summit opened on Monday.", "Leaders discussed the border."]


def test_empty_and_whitespace_only_articles_have_no_segments():
    assert segment("") == []
    assert segment(" \n\n\t\n") == []


@pytest.mark.parametrize(
    ("paragraph", "reason"),
    [
        ("EU extends its monitoring mission in Armenia", "headline"),
        ("12 March 2024", "dateline"),
        ("March 12, 2024, 14:05", "dateline"),
        ("12 марта 2024", "dateline"),
        ("By Anna Petrosyan", "byline"),
        ("Photo: Reuters", "credit"),
        ("Фото: ТАСС", "credit"),
        ("Read also: CSTO drills postponed", "see_also"),
        ("| World, Politics", "navigation"),
        ("1 2 3 4 5 6 7 8 9 10", "number_run"),
        ("We use cookies to improve your experience. Accept the cookie policy to continue.", "cookie_notice"),
        ("Our newsroom seeks correspondents in Central Asia. Send your CV to the editor.", "recruitment"),
        ("АСТАНА, 3 октября. /Агентство/.", "dateline"),
        ("BISHKEK, 14 May (Kabar).", "dateline"),
        ("Soldiers unload supplies at the airfield near Dushanbe. Photo: press service", "credit"),
        ("Join our WhatsApp channel for daily updates from the region.", "promotion"),
        ("We are a reader-funded outlet. Support our journalism today.", "promotion"),
        ("Подписывайтесь на наш канал, чтобы быть в курсе.", "promotion"),
        ("© Newswire 2025. All quotes are checked by our editors.", "legal_notice"),
        ("The opinions expressed here belong to the author alone.", "legal_notice"),
        ("При перепечатке материалов ссылка на источник обязательна.", "legal_notice"),
        ("Who pays for the joint staff?", "heading"),
        ("Зачем Казахстану союзники?", "heading"),
    ],
)
def test_boilerplate_kinds(paragraph, reason):
    assert boilerplate_reason(paragraph) == reason


@pytest.mark.parametrize(
    "paragraph",
    [
        "The CSTO failed Armenia.",
        "«ОДКБ остаётся главным гарантом безопасности», — заявил он.",
        "By any measure, the mission has been a success, the minister said on Tuesday in Brussels.",
        "Photographs of the border posts, published by the ministry on Friday, show empty trenches and no observers at all.",
        "— Do you think the CSTO will survive?",
        "Will the alliance come to your aid?",
        "Critics say the organisation's offer to follow its work on Telegram was no substitute for troops, and that "
        "support our reporting-style appeals cannot hide how little the bloc did when Armenia asked for help in 2022, "
        "a point the opposition raised again on Tuesday in a long debate that ran past midnight.",
    ],
)
def test_running_text_is_not_boilerplate(paragraph):
    assert boilerplate_reason(paragraph) is None


# ---- rules for input as it comes from the web and from other scripts


def test_a_short_post_alone_is_classified_not_taken_for_a_headline():
    (post,) = segment("The CSTO is useless and Russia abandoned us")
    assert not post.boilerplate
    posts = segment("The CSTO is useless and Russia abandoned us\nBrussels is the only one listening")
    assert [p.boilerplate for p in posts] == [False, False]


def test_a_short_line_is_still_a_headline_in_an_article_with_running_text():
    text = ("EU extends its monitoring mission in Armenia\n\n"
            "The European Union on Monday extended its civilian mission on the Armenian side of the border by two "
            "years, officials in Brussels said.")
    assert [(s.boilerplate, s.reason) for s in segment(text)] == [(True, "headline"), (False, None)]


@pytest.mark.parametrize("text", [
    "ՀԱՊԿ-ը չկատարեց իր պարտավորությունները Հայաստանի նկատմամբ։",   # Armenian full stop
    "ОДКБ не выполнила свои обязательства перед Арменией…",
    "هل ستتدخل منظمة معاهدة الأمن الجماعي؟",                          # Arabic question mark
    "集体安全条约组织没有履行义务。",                                   # CJK full stop
])
def test_sentences_end_in_any_script(text):
    article = text + "\n\nThe CSTO summit opened in Yerevan on Monday, and leaders discussed the border at length."
    assert segment(article)[0].boilerplate is False


def test_text_copied_from_a_web_page_splits_into_its_lines():
    text = (
        "CSTO summit ends without a statement\n"
        "Leaders of the bloc met in Minsk on Thursday.\n"
        "Armenia did not send a delegation.\n"
        "Its prime minister said the alliance had failed the country.\n"
        "\n"
        "Moscow responded within hours.\n"
        "A spokeswoman called the criticism unfounded.\n"
        "Brussels said its monitors would stay.\n"
        "The mission has 200 staff.\n"
    )
    segments = segment(text)
    assert len(segments) == 8
    assert segments[0].boilerplate and segments[0].reason == "headline"
    assert not any(s.boilerplate for s in segments[1:])
    for s in segments:
        assert text[s.start:s.end] == s.text


def test_a_block_wrapped_at_a_fixed_width_stays_one_paragraph():
    text = (
        "The Collective Security Treaty Organization ended its summit in Minsk on\n"
        "Thursday without a statement on the border clashes, and Armenia, which did\n"
        "not send a delegation, said the alliance had failed to meet its obligations.\n"
        "\n"
        "Moscow rejected the criticism."
    )
    assert len(segment(text)) == 2


# ---- linear time on adversarial text ------------------------------------------------

MB = 1_000_000
ADVERSARIAL_BUDGET_S = 20.0
"""Seconds to segment 1 MB of adversarial text. Linear patterns take about 0.1-5 s
on a loaded 2-core machine; the cookie pattern's ``.*`` gap took 23 s for 80 KB."""


def _filled(unit: str) -> str:
    return (unit * (MB // len(unit) + 1))[:MB]


ADVERSARIAL = {
    # one text per pattern, built to make a backtracking pattern retry its gap or repeat
    "cookie_one_paragraph": lambda: _filled("cookie "),
    "cookie_paragraphs": lambda: _filled("cookie " * 200 + "\n\n"),
    "cookie_lines": lambda: _filled("cookies " * 150 + "\n"),
    "trailing_credit": lambda: "photo" + " " * MB + ":",
    "byline": lambda: "by" + " " * MB + "x" * 100,
    "dateline": lambda: "12" + " " * MB + "x",
    "agency_dateline": lambda: "ASTANA," + " " * MB + "x",
    "credit_see_also": lambda: "see also " + "a" * MB,
    "navigation": lambda: " " * MB + "x",
    "question_heading": lambda: "A" + "?" * MB,
    "sentence_end": lambda: "." + " " * MB + "x",
    "sentence_end_lines": lambda: _filled("short line ." + " " * 100 + "x\n"),
    "recruitment": lambda: _filled("vacancy "),
    "promotion": lambda: _filled("join us "),
    "promotion_paragraphs": lambda: _filled("join us " * 4 + "\n\n"),
    "legal_notice": lambda: _filled("при использовании "),
    "legal_notice_paragraphs": lambda: _filled("при использовании " * 20 + "\n\n"),
    "advertisement": lambda: _filled("sponsored "),
    "block_breaks": lambda: _filled("\n" + " " * 1000 + "x"),
    "blank_lines": lambda: _filled("\n \n"),
    "number_run": lambda: _filled("1 "),
    "words": lambda: _filled("a "),
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_segmenting_a_megabyte_of_adversarial_text_takes_linear_time(name):
    """Run in a child process, so that a quadratic pattern is stopped at the budget, not awaited."""
    script = (
        "import sys, time\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from test_segment import ADVERSARIAL\n"
        "from stance.segment import segment\n"
        "text = ADVERSARIAL[sys.argv[2]]()\n"
        "assert len(text) >= 1_000_000\n"
        "started = time.perf_counter()\n"
        "segment(text)\n"
        "print(time.perf_counter() - started)\n"
    )
    try:
        done = subprocess.run([sys.executable, "-c", script, str(Path(__file__).parent), name],
                              capture_output=True, text=True, timeout=ADVERSARIAL_BUDGET_S + 10)
    except subprocess.TimeoutExpired:
        pytest.fail(f"segmenting 1 MB of {name!r} text took longer than {ADVERSARIAL_BUDGET_S} s")
    assert done.returncode == 0, done.stderr
    assert float(done.stdout) < ADVERSARIAL_BUDGET_S


def test_notices_are_sought_only_in_short_paragraphs():
    notice = "We use cookies to improve your experience. Accept the cookie policy to continue."
    assert boilerplate_reason(notice) == "cookie_notice"
    running = notice + " " + "The ministers met in Yerevan on Tuesday to discuss the border. " * 30
    assert len(running) > NOTICE_MAX_CHARS
    assert boilerplate_reason(running) is None


def test_a_work_deadline_stops_segmentation_between_paragraphs():
    text = "A paragraph of running text about the alliance.\n\n" * 20_000
    with work_deadline(0.01), pytest.raises(DeadlineExceeded, match="deadline"):
        segment(text)
    assert len(segment(text)) == 20_000


NOTICE_PIECES = [
    "Cookies", "we use cookies", "accept", "policy", "SEND YOUR CV", "cover letter", "We are Hiring", "vacancies",
    "seeks journalists", "Join us on Telegram", "follow our channel", "Support our journalism", "sign up for our",
    "Subscribe to our newsletter", "Donate here", "©", "(C) 2024", "Copyright", "views expressed in this",
    "do not necessarily reflect", "при использовании материалов ссылка", "Если вы нашли ошибку", "Реклама",
    "ПОДПИШИТЕСЬ НА НАШ", "Sponsored Content", "ALL RIGHTS RESERVED", "ſubscribe to our newsletter", "\u212aeep", "CSTO",
    "the", "said", ".", " ", "\n",
]


def _unfiltered(monkeypatch):
    from stance import segment as module

    monkeypatch.setattr(module, "_NOTICE_WORDS", {reason: ("",) for reason in module._NOTICE_WORDS})


def test_notice_words_only_skip_paragraphs_no_notice_pattern_matches(monkeypatch):
    """The substring pre-check before each notice's search changes no answer:
    on every labeled paragraph and on notice wording in mixed case, the
    reasons equal those of searching every paragraph."""
    import random

    root = Path(__file__).resolve().parent.parent
    texts = [json.loads(line)["text"] for line in (root / "seeds" / "labels.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    rng = random.Random(7)
    texts += [" ".join(rng.choice(NOTICE_PIECES) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    quick = [boilerplate_reason(text) for text in texts]
    _unfiltered(monkeypatch)
    assert quick == [boilerplate_reason(text) for text in texts]
    assert {"cookie_notice", "recruitment", "promotion", "legal_notice", "advertisement"} <= set(quick)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", "bc", "ё", "9", " ", "  ", ",", "_", "-", "\n", "é", "x1"]), max_size=120))
def test_the_forty_word_test_counts_words_like_findall(parts):
    text = "".join(parts)
    assert bool(_MORE_THAN_40_WORDS.match(text)) == (len(_WORD.findall(text)) > 40)
