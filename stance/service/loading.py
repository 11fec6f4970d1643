"""The service's model and plugins, loaded once per process: before serving,
or in a background thread while ``/readyz`` answers 503."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from ..api import Classifier
from ..errors import StanceError
from ..plugins import list_plugins, load_plugins
from .errors import ApiError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadedModel:
    """A loaded classifier and the plugins that were loaded with it."""

    classifier: Classifier
    plugins: list[dict]


class ModelSlot:
    """Where the service finds its model, and whether it is ready yet.

    ``load()`` loads at once and raises ``PluginError``/``ModelError`` when it
    cannot; ``load_in_background()`` returns at once. ``require()`` gives the
    loaded model or raises a 503 ``ApiError`` that says why there is none.
    """

    def __init__(self, model_dir: str | None, plugins_dir: str | None) -> None:
        self._model_dir = model_dir
        self._plugins_dir = plugins_dir
        self._loaded: LoadedModel | None = None
        self._failure: str | None = None

    def load(self) -> None:
        """Load the plugins (strictly: a broken one raises) and the model."""
        load_plugins(self._plugins_dir, strict=True)
        classifier = Classifier.load(self._model_dir, plugins_dir=self._plugins_dir)
        self._loaded = LoadedModel(classifier, list_plugins())
        log.info("model loaded", extra={"fields": {"model": classifier.info.name, "version": classifier.info.version}})

    def load_in_background(self) -> None:
        """Start loading in a daemon thread; a failure is logged and reported by ``require()``."""
        threading.Thread(target=self._load_or_record_failure, name="stance-model-loader", daemon=True).start()

    def require(self) -> LoadedModel:
        """The loaded model; a 503 ``ApiError`` while loading or after a failed load."""
        if self._loaded is not None:
            return self._loaded
        if self._failure is not None:
            raise ApiError(503, "model_load_failed", f"The model could not be loaded: {self._failure}")
        raise ApiError(503, "not_ready", "The model is still loading; retry shortly.")

    def _load_or_record_failure(self) -> None:
        try:
            self.load()
        except StanceError as exc:
            self._failure = str(exc)
            log.error("model loading failed", extra={"fields": {"reason": self._failure}})
        except Exception as exc:  # a bug: require() answers 503, the log keeps the traceback
            self._failure = f"{type(exc).__name__}: {exc}"
            log.exception("model loading failed")
