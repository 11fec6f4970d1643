"""Results handed on while they are produced: an article's paragraphs come out
of the model batch by batch and are passed on at once, so that memory stays
bounded however long the input (a 100,000-paragraph file), and many small
articles still share model calls.

``classified`` turns ``(id, segments)`` articles into a flat sequence of
events (an article starts; one of its paragraphs is classified), detecting the
language of content paragraphs and predicting the supported ones in batches of
up to ``batch_size`` content paragraphs across article boundaries; ``articles``
regroups the events into one ``ArticleStream`` per article, whose summary is
tallied as its paragraphs are read (``SummaryTally``). ``stance.api.Classifier``
builds every result this way, whole ``ArticleResult``s included.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from .article_summary import SummaryTally
from .deadline import check_deadline
from .language import detect_languages, is_supported
from .results import ArticleResult, ArticleSummary, ModelInfo, ParagraphResult
from .segment import Segment

Predict = Callable[[list[str]], Sequence]
"""Texts -> one prediction per text, each with ``stances`` and ``rhetoric``."""

_START, _PARAGRAPH = 0, 1


class ArticleStream:
    """One article's results, paragraph by paragraph as they are classified.

    Iterate it (or its ``paragraphs``, the same iterator) once for its
    ``ParagraphResult``s; its ``summary`` is known once they have all been
    read. ``result()`` reads them all into an ``ArticleResult``. The renderers
    of ``stance.render`` take either, and write a stream's paragraphs as they come.
    """

    def __init__(self, id: str | None, model: ModelInfo, events: _Events):
        self.id = id
        self.model = model
        self._events = events
        self._tally = SummaryTally()
        self._started = False
        self._done = False

    def __iter__(self) -> Iterator[ParagraphResult]:
        if self._started:
            raise RuntimeError("an article's paragraphs can be read only once")
        self._started = True
        return self._read()

    @property
    def paragraphs(self) -> Iterator[ParagraphResult]:
        """The paragraphs' results, in order (readable once)."""
        return iter(self)

    @property
    def summary(self) -> ArticleSummary:
        """The article's summary; ``RuntimeError`` before every paragraph has been read."""
        if not self._done:
            raise RuntimeError("an article's summary is known once every paragraph has been read")
        return self._tally.summary()

    def result(self) -> ArticleResult:
        """The whole article as an ``ArticleResult`` (reads every paragraph)."""
        paragraphs = tuple(self)
        return ArticleResult(self.id, paragraphs, self.summary, self.model)

    def _read(self) -> Iterator[ParagraphResult]:
        events = self._events
        while (event := events.peek()) is not None and event[0] == _PARAGRAPH:
            events.advance()
            self._tally.add(event[1])
            yield event[1]
        self._done = True

    def _skip_rest(self) -> None:
        """Read what the consumer left unread, so that the next article's events come next."""
        if not self._started:
            self._started = True
            rest = self._read()
        elif not self._done:
            rest = self._read()
        else:
            return
        for _ in rest:
            pass


class _Events:
    """An iterator of events with one event of lookahead."""

    _EMPTY = object()

    def __init__(self, events: Iterator[tuple]):
        self._events = events
        self._head = self._EMPTY

    def peek(self) -> tuple | None:
        if self._head is self._EMPTY:
            self._head = next(self._events, None)
        return self._head

    def advance(self) -> None:
        self.peek()
        self._head = self._EMPTY


def articles(
    predict: Predict, items: Iterable[tuple[str | None, Sequence[Segment]]], model: ModelInfo, *, batch_size: int
) -> Iterator[ArticleStream]:
    """One ``ArticleStream`` per ``(id, segments)`` item of ``items`` (read
    lazily, one batch ahead at most), its content paragraphs classified by
    ``predict`` in batches of at most ``batch_size`` shared across articles.
    An article left unread is read (and dropped) when the next one is asked for."""
    events = _Events(classified(predict, items, batch_size=batch_size))
    current = None
    while True:
        if current is not None:
            current._skip_rest()
        event = events.peek()
        if event is None:
            return
        events.advance()
        current = ArticleStream(event[1], model, events)
        yield current


def classified(
    predict: Predict, items: Iterable[tuple[str | None, Sequence[Segment]]], *, batch_size: int
) -> Iterator[tuple]:
    """``(_START, id)`` for each article, then ``(_PARAGRAPH, ParagraphResult)``
    for each of its segments, in order. Content paragraphs are sent to the
    model once ``batch_size`` of them are pending (or at the end), so no more
    than one batch of segments waits for its results."""
    pending: list[tuple] = []
    content: list[str] = []
    for article_id, segments in items:
        pending.append((_START, article_id))
        for seg in segments:
            pending.append((_PARAGRAPH, seg))
            if not seg.boilerplate:
                content.append(seg.text)
                if len(content) >= batch_size:
                    yield from _flush(predict, pending, content)
                    pending, content = [], []
    yield from _flush(predict, pending, content)


def _flush(predict: Predict, pending: list[tuple], content: list[str]) -> Iterator[tuple]:
    """The events of ``pending``: its content paragraphs' languages detected,
    the supported ones predicted in one call."""
    languages = detect_languages(content)
    known = [text for text, language in zip(content, languages) if is_supported(language)]
    check_deadline()
    predictions = iter(predict(known) if known else ())
    detected = iter(languages)
    for kind, value in pending:
        if kind == _START:
            yield kind, value
            continue
        language = None if value.boilerplate else next(detected)
        unsupported = not is_supported(language)
        prediction = None if value.boilerplate or unsupported else next(predictions)
        yield _PARAGRAPH, ParagraphResult(
            index=value.index,
            text=value.text,
            start=value.start,
            end=value.end,
            boilerplate=value.boilerplate,
            boilerplate_reason=value.reason,
            stances=prediction.stances if prediction else {},
            rhetoric=prediction.rhetoric if prediction else (),
            language=language,
            unsupported_language=unsupported,
        )
