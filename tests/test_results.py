"""``ArticleResult.to_dict()``: exactly what ``dataclasses.asdict`` gives, as a copy."""

from __future__ import annotations

from dataclasses import asdict

SEED_TEXT = (
    "The CSTO failed Armenia again.\n\n"
    "Nothing of the kind: the EU mission is spying on Russia's allies.\n\n"
    "See Also"
)


def test_to_dict_is_asdict_of_a_classified_article(tiny_classifier):
    result = tiny_classifier.classify_text(SEED_TEXT, id="a1")
    answer = result.to_dict()
    assert answer == asdict(result)
    assert [type(value) for value in answer.values()] == [type(value) for value in asdict(result).values()]


def test_to_dict_is_a_copy(tiny_classifier):
    result = tiny_classifier.classify_text(SEED_TEXT, id="a1")
    answer = result.to_dict()
    answer["paragraphs"][0]["stances"]["csto"]["scores"]["favor"] = -1.0
    answer["summary"]["counts"]["csto"].clear()
    assert result.to_dict() == asdict(result)
