"""The codebook's vocabulary: targets, stance labels and rhetoric tags.

Everything that names a label (data checks, training, results, the service)
takes it from here, so the classifier predicts exactly the codebook's set.
"""

TARGETS: tuple[str, ...] = ("csto", "west")
"""Stance targets: the CSTO's effectiveness, Western involvement in the region."""

STANCE_LABELS: tuple[str, ...] = ("favor", "against", "none")
"""Labels every target takes."""

RHETORIC_TAGS: tuple[str, ...] = (
    "loaded_language",
    "name_calling",
    "appeal_to_values",
    "appeal_to_authority",
    "denial",
    "false_dilemma",
    "exaggeration_minimisation",
    "appeal_to_fear",
    "doubt",
)
"""Persuasion devices a paragraph may use (zero or more)."""

SOURCES: tuple[str, ...] = ("seed", "written")
"""Where a labeled paragraph's text comes from."""
