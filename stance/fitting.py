"""From labeled records and extractor names to a fitted ``StanceModel``: the
steps that training and evaluation share."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .dataset import Record
from .errors import DataError
from .extractors import ExtractorSpec
from .labels import RHETORIC_TAGS, STANCE_LABELS, TARGETS
from .model import StanceModel
from .plugins import get_registry

PROFILES: dict[str, tuple[str, ...]] = {
    "default": ("word_tfidf", "char_tfidf", "lexicon", "encoder"),
    "fast": ("word_tfidf", "char_tfidf", "lexicon"),
}
"""Named sets of built-in extractors: ``default`` adds the text encoder's
embeddings to the sparse extractors (more accurate, slower to classify new
text); ``fast`` is the sparse extractors only."""

DEFAULT_PROFILE = "default"
DEFAULT_EXTRACTORS: tuple[str, ...] = PROFILES[DEFAULT_PROFILE]
"""The built-in extractors a model uses unless told otherwise."""


def profile_extractors(profile: str | None) -> tuple[str, ...]:
    """The extractors of ``profile`` (None: the default profile); ``DataError`` naming the profiles for an unknown one."""
    if profile is None:
        return DEFAULT_EXTRACTORS
    if profile not in PROFILES:
        raise DataError(f"unknown profile {profile!r}; profiles: {', '.join(PROFILES)}")
    return PROFILES[profile]


def profile_of(names: Sequence[str]) -> str | None:
    """The profile whose extractors are exactly ``names``, or None."""
    return next((profile for profile, extractors in PROFILES.items() if tuple(names) == extractors), None)


def resolve_extractors(names: Sequence[str] | None = None, plugins_dir: str | Path | None = None, *,
                       profile: str | None = None) -> list[ExtractorSpec]:
    """The registered extractors called ``names`` (default: those of ``profile``,
    see ``PROFILES``), loading plugins first; ``PluginError`` listing the known
    names for an unknown one."""
    registry = get_registry(plugins_dir)
    if names is not None and profile is not None:
        raise DataError("choose either a profile or a list of extractors, not both")
    chosen = list(profile_extractors(profile) if names is None else names)
    if not chosen:
        raise DataError("choose at least one extractor")
    if len(set(chosen)) != len(chosen):
        raise DataError(f"extractors are listed more than once: {', '.join(chosen)}")
    return [registry.get(name) for name in chosen]


def content_records(records: Sequence[Record]) -> list[Record]:
    """The records that are not boilerplate: the ones a model learns from and is scored on."""
    return [record for record in records if not record.boilerplate]


def check_labels(records: Sequence[Record]) -> list[Record]:
    """``records``, after checking that every label and tag is the codebook's;
    ``DataError`` naming the first record that is not (``stance data check`` lists all)."""
    for record in records:
        for target in TARGETS:
            if record.label(target) not in STANCE_LABELS:
                raise DataError(f"record {record.id}: unknown {target} label {record.label(target)!r}")
        unknown = [tag for tag in record.rhetoric if tag not in RHETORIC_TAGS]
        if unknown:
            raise DataError(f"record {record.id}: unknown rhetoric tag {unknown[0]!r}")
    return list(records)


def fit_model(records: Sequence[Record], specs: Sequence[ExtractorSpec], *, settings: dict | None = None) -> StanceModel:
    """A ``StanceModel`` over fresh ``specs`` extractors, fitted on content
    ``records``; with ``settings`` (see ``StanceModel.settings``) without its inner cross-validation."""
    if not records:
        raise DataError("no content paragraphs to learn from")
    model = StanceModel([(spec.name, spec.create()) for spec in specs], [spec.provenance() for spec in specs])
    return model.fit(
        [record.text for record in records],
        {target: [record.label(target) for record in records] for target in TARGETS},
        [record.rhetoric for record in records],
        [record.doc for record in records],
        [record.id for record in records],
        settings=settings,
    )
