"""Typed results of classifying an article: what the CLI, the HTTP service and
the page all render. ``to_dict()`` gives the one JSON shape they share."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass


@dataclass(frozen=True)
class Span:
    """A stretch of a paragraph's text, by character offsets (``text[start:end]``)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Evidence:
    """One feature that pushed a decision, named by the extractor that made it.

    ``feature`` is the full name (``"lexicon__csto_positive"``), ``extractor``
    its prefix, ``weight`` its signed contribution toward the chosen label, and
    ``spans`` where in the paragraph it matched, when the extractor can tell.
    """

    feature: str
    extractor: str
    weight: float
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True)
class TargetResult:
    """A paragraph's stance on one target: label, every label's score, evidence."""

    label: str
    scores: dict[str, float]
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class TagResult:
    """One rhetoric device found in a paragraph, its score and the spans that show it."""

    tag: str
    score: float
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True)
class ParagraphResult:
    """One paragraph of an article. Boilerplate carries no stances and no tags."""

    index: int
    text: str
    start: int
    end: int
    boilerplate: bool
    boilerplate_reason: str | None = None
    stances: dict[str, TargetResult] = field(default_factory=dict)
    rhetoric: tuple[TagResult, ...] = ()


@dataclass(frozen=True)
class ArticleSummary:
    """Counts for a whole article and its overall stance per target."""

    paragraphs: int
    classified: int
    boilerplate: int
    counts: dict[str, dict[str, int]]
    overall: dict[str, str]
    tags: dict[str, int]


@dataclass(frozen=True)
class ModelInfo:
    """Which model produced a result."""

    name: str
    version: str


@dataclass(frozen=True)
class ArticleResult:
    """Everything ``stance`` says about one article."""

    id: str | None
    paragraphs: tuple[ParagraphResult, ...]
    summary: ArticleSummary
    model: ModelInfo

    def to_dict(self) -> dict:
        """The JSON-ready form shared by the CLI, the HTTP API and the page
        (what ``dataclasses.asdict`` gives, several times faster)."""
        return _plain(self)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_LEAVES = frozenset({str, int, float, bool, type(None)})


def _plain(value):
    """``dataclasses.asdict`` for these results: dataclasses become dicts of
    their fields, tuples, lists and dicts are rebuilt, other values kept. It
    skips ``asdict``'s ``deepcopy`` of every leaf, which are immutable here
    (strings, numbers, booleans, None); that was most of the cost of an answer."""
    kind = type(value)
    names = _FIELD_NAMES.get(kind)
    if names is None and is_dataclass(kind):
        names = _FIELD_NAMES[kind] = tuple(item.name for item in fields(kind))
    if names is not None:
        return {
            name: item if type(item := getattr(value, name)) in _LEAVES else _plain(item) for name in names
        }
    if kind is tuple or kind is list:
        return kind(item if type(item) in _LEAVES else _plain(item) for item in value)
    if kind is dict:
        return {key: item if type(item) in _LEAVES else _plain(item) for key, item in value.items()}
    return value
