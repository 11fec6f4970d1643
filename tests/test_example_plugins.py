"""The example folder plugins of ``plugins/``: ``hedging`` and ``quotation``."""

from __future__ import annotations

import numpy as np
import pytest

from stance.fitting import DEFAULT_EXTRACTORS
from stance.plugins import get_registry, list_plugins


def extractor(name: str):
    return get_registry().get(name).create().fit([])


def found(name: str, text: str) -> dict[str, list[str]]:
    spans = extractor(name).match_spans(text)
    return {feature: [text[start:end] for start, end in offsets] for feature, offsets in spans.items()}


def features(name: str, text: str) -> dict[str, float]:
    fitted = extractor(name)
    return dict(zip(fitted.get_feature_names_out(), fitted.transform([text])[0]))


def test_examples_load_as_folder_plugins_with_their_versions(example_plugins):
    assert get_registry().names() == [*DEFAULT_EXTRACTORS, "hedging", "quotation"]
    listed = {entry["name"]: entry for entry in list_plugins()}
    for name in ("hedging", "quotation"):
        entry = listed[name]
        assert (entry["source"], entry["version"], entry["extractors"]) == ("folder", "1.0", [name])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We are firmly convinced that, of course, the CSTO works.", {"certainty": ["firmly convinced", "of course"]}),
        ("The mission may help; we hope it could.", {"hedge_modal": ["may", "could"], "hedge_hope": ["hope"]}),
        ("The EU allegedly wants peace, it seems.", {"hedge_evidential": ["allegedly", "it seems"]}),
        ("ОДКБ, безусловно, поможет, но, возможно, позже; надеемся на это.",
         {"certainty": ["безусловно"], "hedge_modal": ["возможно"], "hedge_hope": ["надеемся"]}),
        ("The summit was held on 5 May 2023 in Minsk.", {}),
    ],
)
def test_hedging_finds_certainty_and_hedges(example_plugins, text, expected):
    assert found("hedging", text) == expected


def test_hedging_balance_runs_from_hedged_to_certain(example_plugins):
    assert features("hedging", "Of course, undoubtedly, clearly.")["certainty_balance"] == pytest.approx(3 / 4)
    assert features("hedging", "It may, perhaps, possibly work.")["certainty_balance"] == pytest.approx(-3 / 4)
    assert features("hedging", "The meeting is on Friday.")["certainty_balance"] == 0


def test_quotation_share_and_kinds_of_quotes(example_plugins):
    text = 'The so-called «monitoring» mission, "which protects nothing at all", left.'
    spans = found("quotation", text)
    assert spans["scare_quote"] == ["«monitoring»"]
    assert spans["direct_quote"] == ['"which protects nothing at all"']
    inside = len("«monitoring»") + len('"which protects nothing at all"')
    assert features("quotation", text)["quoted_share"] == pytest.approx(inside / len(text))


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        ("Maria Zakharova said the EU mission is spying.", {"speaker_russian": ["Zakharova"]}),
        ("CSTO Secretary General Imangali Tasmagambetov noted that the allies are ready.",
         {"speaker_csto": ["CSTO Secretary General", "Tasmagambetov"]}),
        ("The Armenian prime minister told lawmakers the bloc had failed.",
         {"speaker_armenian": ["Armenian prime minister"]}),
        ("“We welcome the mission,” a State Department spokesperson added.",
         {"speaker_western": ["State Department spokesperson"]}),
        ("Как заявил Лавров, Пашинян ошибается.", {"speaker_russian": ["Лавров"], "speaker_armenian": ["Пашинян"]}),
        ("Pashinyan visited Moscow on Monday.", {}),
    ],
)
def test_quotation_names_the_speaker_only_where_speech_is_reported(example_plugins, text, speakers):
    spans = found("quotation", text)
    assert {feature: names for feature, names in spans.items() if feature.startswith("speaker_")} == speakers


def test_quotation_tells_neutral_from_stance_taking_reporting(example_plugins):
    spans = found("quotation", "Zas said the CSTO works, while Mirzoyan claimed it failed and Пашинян утверждает иное.")
    assert spans["reporting_verb"] == ["said"]
    assert spans["reporting_stance"] == ["claimed", "утверждает"]


def test_examples_transform_a_batch_row_by_row(example_plugins):
    texts = ["Of course!", "", "He said «no».", "Возможно, да."]
    for name in ("hedging", "quotation"):
        fitted = extractor(name)
        batch = fitted.transform(texts)
        assert np.allclose(batch, np.vstack([fitted.transform([text]) for text in texts]))
