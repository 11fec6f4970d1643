"""An article's summary: counts per label, overall stance per target, tag counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from .labels import RHETORIC_TAGS, STANCE_LABELS, TARGETS
from .results import ArticleSummary, ParagraphResult

SIDES = ("favor", "against")


def summarize(paragraphs: Sequence[ParagraphResult]) -> ArticleSummary:
    """Summarise an article's paragraph results.

    The overall stance on a target is ``none`` when no paragraph takes a side;
    otherwise the side whose paragraphs carry the larger summed score of that
    side (``none`` on an exact tie).
    """
    classified = [p for p in paragraphs if not p.boilerplate and not p.unsupported_language]
    counts = {target: dict.fromkeys(STANCE_LABELS, 0) for target in TARGETS}
    weight = {target: dict.fromkeys(SIDES, 0.0) for target in TARGETS}
    for paragraph in classified:
        for target, result in paragraph.stances.items():
            counts[target][result.label] += 1
            if result.label in SIDES:
                weight[target][result.label] += result.scores[result.label]
    overall = {}
    for target in TARGETS:
        favor, against = weight[target]["favor"], weight[target]["against"]
        overall[target] = "favor" if favor > against else "against" if against > favor else "none"
    tags = Counter(tag.tag for paragraph in classified for tag in paragraph.rhetoric)
    return ArticleSummary(
        paragraphs=len(paragraphs),
        classified=len(classified),
        boilerplate=sum(paragraph.boilerplate for paragraph in paragraphs),
        counts=counts,
        overall=overall,
        tags={tag: tags[tag] for tag in RHETORIC_TAGS if tags[tag]},
        unsupported_language=sum(paragraph.unsupported_language for paragraph in paragraphs),
    )
