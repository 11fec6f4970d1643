"""The registry of feature extractors that plugins register.

A plugin's ``register_extractors(register)`` hook calls
``register(name, factory, *, version, description="")``; the registry checks
each registration (a usable name, no duplicate, a factory that returns a
transformer) and records what is wrong, naming the plugin, instead of letting
one broken plugin stop the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from .errors import PluginError

TRANSFORMER_METHODS = ("fit", "transform", "get_feature_names_out", "get_params", "set_params")


@dataclass(frozen=True)
class PluginInfo:
    """A loaded plugin: its name, source (``builtin``, ``entrypoint`` or
    ``folder``), version if known, and origin (module, distribution or file)."""

    name: str
    source: str
    version: str | None
    origin: str

    @property
    def label(self) -> str:
        """How messages name this plugin."""
        kind = {"builtin": "built-in plugin", "entrypoint": "installed plugin", "folder": "folder plugin"}[self.source]
        return f"{kind} '{self.name}' ({self.origin})"


@dataclass(frozen=True)
class ExtractorSpec:
    """One registered extractor: how to make it and where it comes from."""

    name: str
    factory: Callable[[], object]
    version: str
    plugin: str
    source: str
    description: str = ""
    plugin_label: str = ""
    plugin_version: str | None = None

    def create(self) -> object:
        """A new, unfitted extractor; ``PluginError`` if the factory fails or returns no transformer."""
        try:
            extractor = self.factory()
        except Exception as exc:  # plugin code may raise anything; name the plugin
            raise PluginError(
                f"{self.plugin_label}: the factory of extractor '{self.name}' raised {type(exc).__name__}: {exc}"
            ) from exc
        missing = [method for method in TRANSFORMER_METHODS if not callable(getattr(extractor, method, None))]
        if missing:
            raise PluginError(
                f"{self.plugin_label}: extractor '{self.name}' is not a scikit-learn transformer "
                f"({type(extractor).__name__} lacks {', '.join(missing)})"
            )
        return extractor

    def provenance(self) -> dict:
        """What a model card records about this extractor: its name and
        version, and the plugin (name, version, source) that provided it."""
        return {
            "name": self.name,
            "plugin": self.plugin,
            "version": self.version,
            "source": self.source,
            "plugin_version": self.plugin_version,
        }


@dataclass
class ExtractorRegistry:
    """Extractors by name, plus the errors met while registering them."""

    specs: dict[str, ExtractorSpec] = field(default_factory=dict)
    errors: list[PluginError] = field(default_factory=list)

    def registrar(self, plugin: PluginInfo) -> Callable[..., None]:
        """The ``register`` callback handed to ``plugin``'s hook."""

        def register(name: str, factory: Callable[[], object], *, version: str, description: str = "") -> None:
            spec = ExtractorSpec(name, factory, version, plugin.name, plugin.source, description, plugin.label,
                                 plugin_version=plugin.version)
            self._register(spec)

        return register

    def _register(self, spec: ExtractorSpec) -> None:
        problem = None
        if not isinstance(spec.name, str) or not spec.name.isidentifier():
            problem = f"extractor name {spec.name!r} is not an identifier"
        elif "__" in spec.name:
            problem = f"extractor name '{spec.name}' contains '__', which separates extractor and feature names"
        elif spec.name in self.specs:
            problem = f"extractor '{spec.name}' is already registered by {self.specs[spec.name].plugin_label}"
        elif not isinstance(spec.version, str) or not spec.version:
            problem = f"extractor '{spec.name}' needs a version string"
        if problem:
            self.errors.append(PluginError(f"{spec.plugin_label}: {problem}"))
            return
        try:
            spec.create()
        except PluginError as error:
            self.errors.append(error)
            return
        self.specs[spec.name] = spec

    def __iter__(self) -> Iterator[ExtractorSpec]:
        return iter(self.specs.values())

    def __contains__(self, name: object) -> bool:
        return name in self.specs

    def names(self) -> list[str]:
        """Registered extractor names, in registration order."""
        return list(self.specs)

    def get(self, name: str) -> ExtractorSpec:
        """The extractor ``name``; ``PluginError`` listing the known names if there is none."""
        if name not in self.specs:
            raise PluginError(f"unknown extractor '{name}'; known extractors: {', '.join(self.specs) or 'none'}")
        return self.specs[name]
