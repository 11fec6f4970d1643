"""The labeling loop: pick the paragraphs of a user's own articles worth
labeling (``suggest``), hand them to Label Studio with the model's guesses
(``studio``), and bring the labels back as records (``studio.import_export``).

``stance data suggest``, ``stance data labeling-config`` and ``stance data
import`` (``stance.labeling.commands``) are thin layers over these modules.
"""

STRATEGIES: tuple[str, ...] = ("diverse", "uncertainty", "random")
"""How ``stance data suggest`` picks paragraphs (see ``stance.labeling.suggest``)."""

DEFAULT_STRATEGY = "diverse"
"""The default strategy, chosen by ``bench/labeling_loop.py`` (README, "Labeling your own sources")."""

MEASURES: tuple[str, ...] = ("margin", "entropy")
"""How a paragraph's uncertainty on a target is measured."""
