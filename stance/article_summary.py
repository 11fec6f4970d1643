"""An article's summary: counts per label, overall stance per target, tag counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .labels import RHETORIC_TAGS, STANCE_LABELS, TARGETS
from .results import ArticleSummary, ParagraphResult

SIDES = ("favor", "against")


def summarize(paragraphs: Iterable[ParagraphResult]) -> ArticleSummary:
    """Summarise an article's paragraph results.

    The overall stance on a target is ``none`` when no paragraph takes a side;
    otherwise the side whose paragraphs carry the larger summed score of that
    side (``none`` on an exact tie).
    """
    tally = SummaryTally()
    for paragraph in paragraphs:
        tally.add(paragraph)
    return tally.summary()


class SummaryTally:
    """``summarize`` one paragraph at a time, for results handed on as they are
    produced (``stance.streaming``): it keeps running counts, never the paragraphs."""

    def __init__(self) -> None:
        self.paragraphs = 0
        self.classified = 0
        self.boilerplate = 0
        self.unsupported_language = 0
        self.counts = {target: dict.fromkeys(STANCE_LABELS, 0) for target in TARGETS}
        self.weight = {target: dict.fromkeys(SIDES, 0.0) for target in TARGETS}
        self.tags: Counter = Counter()

    def add(self, paragraph: ParagraphResult) -> None:
        """Count one more paragraph of the article."""
        self.paragraphs += 1
        if paragraph.boilerplate:
            self.boilerplate += 1
            return
        if paragraph.unsupported_language:
            self.unsupported_language += 1
            return
        self.classified += 1
        for target, result in paragraph.stances.items():
            self.counts[target][result.label] += 1
            if result.label in SIDES:
                self.weight[target][result.label] += result.scores[result.label]
        self.tags.update(tag.tag for tag in paragraph.rhetoric)

    def summary(self) -> ArticleSummary:
        """The summary of the paragraphs counted so far."""
        overall = {}
        for target in TARGETS:
            favor, against = self.weight[target]["favor"], self.weight[target]["against"]
            overall[target] = "favor" if favor > against else "against" if against > favor else "none"
        return ArticleSummary(
            paragraphs=self.paragraphs,
            classified=self.classified,
            boilerplate=self.boilerplate,
            counts={target: dict(counts) for target, counts in self.counts.items()},
            overall=overall,
            tags={tag: self.tags[tag] for tag in RHETORIC_TAGS if self.tags[tag]},
            unsupported_language=self.unsupported_language,
        )
