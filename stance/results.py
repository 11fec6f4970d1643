"""Typed results of classifying an article: what the CLI, the HTTP service and
the page all render. ``to_dict()`` gives the one JSON shape they share."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of a paragraph's text, by character offsets (``text[start:end]``)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Example:
    """A labeled training paragraph close to the one classified, shown as an
    example behind a stance call: its record ``id``, its ``label`` on the
    target, its cosine ``similarity`` to the paragraph (in the encoder's
    embedding space, else the model's features), and its ``opening`` words."""

    id: str
    label: str
    similarity: float
    opening: str


@dataclass(frozen=True, slots=True)
class TargetResult:
    """A paragraph's stance on one target: label, every label's score, evidence,
    and the most similar training paragraphs with the same label (``examples``)."""

    label: str
    scores: dict[str, float]
    evidence: tuple[Evidence, ...] = ()
    examples: tuple[Example, ...] = ()


@dataclass(frozen=True, slots=True)
class TagResult:
    """One rhetoric device found in a paragraph, its score and the spans that show it."""

    tag: str
    score: float
    spans: tuple[Span, ...] = ()


def new_spans(text: str, offsets) -> tuple[Span, ...]:
    """A ``Span`` for each ``(start, end)`` of ``offsets`` that lies inside
    ``text``. The slots are filled directly rather than through the frozen
    dataclass's ``__init__`` (same objects, about half the time), as in the
    other ``new_`` builders: the model builds thousands of results per batch."""
    length = len(text)
    spans = []
    for start, end in offsets:
        if 0 <= start < end <= length:
            span = _new(Span)
            _set_start(span, start)
            _set_end(span, end)
            _set_text(span, text[start:end])
            spans.append(span)
    return tuple(spans)


def new_evidence_list(features, extractors, weights, spans) -> list[Evidence]:
    """``Evidence(feature, extractor, weight, spans)`` for each item of the
    four parallel sequences, built like ``new_spans``."""
    made = []
    for feature, extractor, weight, found in zip(features, extractors, weights, spans):
        evidence = _new(Evidence)
        _set_feature(evidence, feature)
        _set_extractor(evidence, extractor)
        _set_weight(evidence, weight)
        _set_evidence_spans(evidence, found)
        made.append(evidence)
    return made


def new_target_results(labels, scores, evidence, examples=None) -> list[TargetResult]:
    """``TargetResult(label, scores, evidence, examples)`` for each item of the
    parallel sequences (no examples when ``examples`` is None), built like ``new_spans``."""
    made = []
    if examples is None:
        examples = [()] * len(labels)
    for label, label_scores, found, similar in zip(labels, scores, evidence, examples):
        result = _new(TargetResult)
        _set_label(result, label)
        _set_scores(result, label_scores)
        _set_target_evidence(result, found)
        _set_examples(result, similar)
        made.append(result)
    return made


def new_examples(ids, labels, similarities, openings) -> tuple[Example, ...]:
    """``Example(id, label, similarity, opening)`` for each item of the four
    parallel sequences, built like ``new_spans``."""
    made = []
    for identifier, label, similarity, opening in zip(ids, labels, similarities, openings):
        example = _new(Example)
        _set_example_id(example, identifier)
        _set_example_label(example, label)
        _set_similarity(example, similarity)
        _set_opening(example, opening)
        made.append(example)
    return tuple(made)


_new = object.__new__
_set_start, _set_end, _set_text = Span.start.__set__, Span.end.__set__, Span.text.__set__
_set_feature, _set_extractor = Evidence.feature.__set__, Evidence.extractor.__set__
_set_weight, _set_evidence_spans = Evidence.weight.__set__, Evidence.spans.__set__
_set_label, _set_scores = TargetResult.label.__set__, TargetResult.scores.__set__
_set_target_evidence, _set_examples = TargetResult.evidence.__set__, TargetResult.examples.__set__
_set_example_id, _set_example_label = Example.id.__set__, Example.label.__set__
_set_similarity, _set_opening = Example.similarity.__set__, Example.opening.__set__


@dataclass(frozen=True, slots=True)
class ParagraphResult:
    """One paragraph of an article. Boilerplate carries no stances and no tags;
    nor does a paragraph in a language the model was not trained on
    (``unsupported_language``). ``language`` is the detected ISO 639-1 code of
    a content paragraph (``None`` for boilerplate or when it is not clear)."""

    index: int
    text: str
    start: int
    end: int
    boilerplate: bool
    boilerplate_reason: str | None = None
    stances: dict[str, TargetResult] = field(default_factory=dict)
    rhetoric: tuple[TagResult, ...] = ()
    language: str | None = None
    unsupported_language: bool = False


@dataclass(frozen=True)
class ArticleSummary:
    """Counts for a whole article and its overall stance per target.
    ``paragraphs`` = ``classified`` + ``boilerplate`` + ``unsupported_language``."""

    paragraphs: int
    classified: int
    boilerplate: int
    counts: dict[str, dict[str, int]]
    overall: dict[str, str]
    tags: dict[str, int]
    unsupported_language: int = 0


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
