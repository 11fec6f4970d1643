"""Finding, loading and checking plugins.

Plugins come from three sources, loaded once and lazily by ``load_plugins``:

* built in: the modules of ``DEFAULT_PLUGINS`` (``stance.default_plugins``);
* installed packages declaring an entry point in the ``stance`` group; the
  ``STANCE_PLUGINS`` environment variable chooses which load: unset loads all,
  empty loads none, otherwise a comma-separated list of entry point or
  distribution names;
* the ``*.py`` files of a plugins folder, only when one is named: the
  ``plugins_dir`` argument, else ``STANCE_PLUGINS_DIR`` (unset or empty: no
  folder). Never a folder found by itself: a ``plugins/`` folder in the working
  directory is code nobody asked to run. Each folder loaded is named on stderr.
  Files whose name starts with ``_`` are skipped. Each file is imported as the
  module ``stance_plugins.<file stem>``, so what it defines pickles and loads
  again in any process that loads the same folder first.

A plugin that is broken (does not import, or calls ``sys.exit()`` while
importing, implements an unknown hook, defines a hook function without
``@hookimpl``, raises in its hook, registers a duplicate or broken extractor)
is left out and reported as a ``PluginError`` by ``plugin_errors()`` and a
warning; the other plugins keep working. ``load_plugins(strict=True)`` raises instead, for a service that
must not start half-loaded.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import sys
import threading
import types
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pluggy

from . import __version__, hookspecs
from .errors import PluginError
from .extractors import ExtractorRegistry, PluginInfo

DEFAULT_PLUGINS: tuple[str, ...] = (
    "stance.default_plugins.word_tfidf",
    "stance.default_plugins.char_tfidf",
    "stance.default_plugins.lexicon",
    "stance.default_plugins.encoder",
)
"""Modules of the built-in plugins, registered exactly like third-party ones."""

ENTRY_POINT_GROUP = "stance"
FOLDER_PACKAGE = "stance_plugins"
PLUGINS_ENV = "STANCE_PLUGINS"
PLUGINS_DIR_ENV = "STANCE_PLUGINS_DIR"


@dataclass
class _Loaded:
    pm: pluggy.PluginManager
    plugins: dict[str, PluginInfo] = field(default_factory=dict)
    folders: list[Path] = field(default_factory=list)
    load_errors: list[PluginError] = field(default_factory=list)
    registry: ExtractorRegistry = field(default_factory=ExtractorRegistry)

    @property
    def errors(self) -> list[PluginError]:
        return self.load_errors + self.registry.errors


_loaded: _Loaded | None = None
_warned: set[str] = set()
_lock = threading.RLock()


def load_plugins(plugins_dir: str | Path | None = None, *, strict: bool = False) -> None:
    """Load the built-in and installed plugins (once) and the plugins folder
    (once per folder); with ``strict``, raise ``PluginError`` if any plugin is broken.
    Without ``plugins_dir``, ``STANCE_PLUGINS_DIR`` is loaded only if nothing is loaded yet."""
    global _loaded
    with _lock:
        folder = _plugins_folder(plugins_dir) if plugins_dir is not None or _loaded is None else None
        changed = False
        if _loaded is None:
            _loaded = _Loaded(pm=_new_manager())
            for module_name in DEFAULT_PLUGINS:
                _add(importlib.import_module(module_name), PluginInfo(module_name, "builtin", __version__, module_name))
            _load_entry_points()
            changed = True
        if folder is not None and folder not in _loaded.folders:
            _load_folder(folder)
            changed = True
        if changed:
            _loaded.registry = _collect_extractors()
            _warn_new_errors(_loaded.errors)
        if strict and _loaded.errors:
            raise PluginError("; ".join(str(error) for error in _loaded.errors))


def get_plugin_manager() -> pluggy.PluginManager:
    """The plugin manager, with the built-in and installed plugins loaded."""
    load_plugins()
    return _loaded.pm


def get_registry(plugins_dir: str | Path | None = None, *, strict: bool = False) -> ExtractorRegistry:
    """Every extractor registered by the loaded plugins (loading them first)."""
    load_plugins(plugins_dir, strict=strict)
    return _loaded.registry


def plugin_errors() -> list[PluginError]:
    """The problems found while loading plugins, one ``PluginError`` per broken plugin or extractor."""
    load_plugins()
    return list(_loaded.errors)


def list_plugins() -> list[dict]:
    """Each loaded plugin as ``{name, source, version, extractors, hooks}``, for ``stance plugins``."""
    load_plugins()
    listing = []
    for name, info in _loaded.plugins.items():
        plugin = _loaded.pm.get_plugin(name)
        listing.append(
            {
                "name": name,
                "source": info.source,
                "version": info.version,
                "extractors": [spec.name for spec in _loaded.registry if spec.plugin == name],
                "hooks": sorted(caller.name for caller in _loaded.pm.get_hookcallers(plugin) or ()),
            }
        )
    return listing


def reset_plugins() -> None:
    """Forget every loaded plugin and folder module, so the next call loads afresh (for tests)."""
    global _loaded
    with _lock:
        _loaded = None
        _warned.clear()
        for name in [name for name in sys.modules if name == FOLDER_PACKAGE or name.startswith(FOLDER_PACKAGE + ".")]:
            del sys.modules[name]


def _new_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager("stance")
    pm.add_hookspecs(hookspecs)
    return pm


def _add(module: types.ModuleType, info: PluginInfo) -> None:
    """Register one plugin module, or record why it cannot be."""
    pm = _loaded.pm
    try:
        pm.register(module, name=info.name)
    except ValueError as exc:
        _loaded.load_errors.append(PluginError(f"{info.label} cannot be registered: {exc}"))
        return
    except pluggy.PluginValidationError as exc:
        reason = " ".join(str(exc).split())
        _loaded.load_errors.append(PluginError(f"{info.label} has an invalid hook implementation: {reason}"))
        return
    try:
        pm.check_pending()
    except pluggy.PluginValidationError:
        unknown = sorted(caller.name for caller in pm.get_hookcallers(module) or () if not caller.has_spec())
        pm.unregister(module)
        known = ", ".join(sorted(name for name in vars(pm.hook) if getattr(pm.hook, name).has_spec()))
        _loaded.load_errors.append(
            PluginError(f"{info.label} implements unknown hook(s) {', '.join(unknown)}; known hooks: {known}")
        )
        return
    unmarked = _unmarked_hooks(module)
    if unmarked:
        pm.unregister(module)
        _loaded.load_errors.append(PluginError(
            f"{info.label} defines {', '.join(unmarked)} without @hookimpl, so it would never be called; "
            "mark it with `from stance.hookspecs import hookimpl`"
        ))
        return
    _loaded.plugins[info.name] = info


def _unmarked_hooks(module: types.ModuleType) -> list[str]:
    """Functions of ``module`` named after a known hook but not marked as its implementation."""
    pm = _loaded.pm
    implemented = {caller.name for caller in pm.get_hookcallers(module) or ()}
    return sorted(
        name for name in vars(pm.hook)
        if getattr(pm.hook, name).has_spec() and name not in implemented and callable(getattr(module, name, None))
    )


def _failure(exc: BaseException) -> str:
    """How a plugin failed, in words: an exception's type and message, or its ``sys.exit`` call."""
    if isinstance(exc, SystemExit):
        return f"it called sys.exit({exc.code!r})"
    return f"{type(exc).__name__}: {exc}"


def _load_entry_points() -> None:
    wanted = _wanted_plugins()
    found = set()
    for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = entry_point.dist
        names = {_normalise(entry_point.name)} | ({_normalise(dist.name)} if dist else set())
        if wanted is not None and not names & wanted:
            continue
        found |= names
        info = PluginInfo(entry_point.name, "entrypoint", dist.version if dist else None, dist.name if dist else entry_point.value)
        try:
            module = entry_point.load()
        except (Exception, SystemExit) as exc:  # a plugin's import may raise anything; report it, keep the others
            _loaded.load_errors.append(PluginError(f"{info.label} failed to import: {_failure(exc)}"))
            continue
        _add(module, info)
    for name in sorted((wanted or set()) - found):
        _loaded.load_errors.append(PluginError(f"{PLUGINS_ENV} names '{name}', which is not an installed stance plugin"))


def _wanted_plugins() -> set[str] | None:
    value = os.environ.get(PLUGINS_ENV)
    if value is None:
        return None
    return {_normalise(name) for name in value.split(",") if name.strip()}


def _normalise(name: str) -> str:
    return name.strip().lower().replace("_", "-")


def _plugins_folder(plugins_dir: str | Path | None) -> Path | None:
    """The folder named by ``plugins_dir``, else by ``STANCE_PLUGINS_DIR``; ``None`` when neither names one."""
    if plugins_dir is None:
        plugins_dir = os.environ.get(PLUGINS_DIR_ENV) or None
        if plugins_dir is None:
            return None
    folder = Path(plugins_dir).expanduser()
    if not folder.is_dir():
        raise PluginError(f"plugins folder {folder} does not exist or is not a directory")
    return folder.resolve()


def _load_folder(folder: Path) -> None:
    """Import each ``*.py`` file of ``folder`` as ``stance_plugins.<stem>`` and register it."""
    _loaded.folders.append(folder)
    package = sys.modules.get(FOLDER_PACKAGE)
    if package is None:
        package = types.ModuleType(FOLDER_PACKAGE, "Plugins loaded from plugins folders.")
        package.__path__ = []
        sys.modules[FOLDER_PACKAGE] = package
    package.__path__.append(str(folder))
    print(f"stance: loading plugins from {folder}", file=sys.stderr)
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        module_name = f"{FOLDER_PACKAGE}.{path.stem}"
        label = f"folder plugin '{path.stem}' ({path})"
        if module_name in sys.modules:
            other = sys.modules[module_name].__file__
            _loaded.load_errors.append(PluginError(f"{label} has the same file name as the loaded plugin {other}"))
            continue
        spec = importlib.util.spec_from_file_location(module_name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        try:
            spec.loader.exec_module(module)
        except (Exception, SystemExit) as exc:  # a plugin's import may raise anything; report it, keep the others
            del sys.modules[module_name]
            _loaded.load_errors.append(PluginError(f"{label} failed to import: {_failure(exc)}"))
            continue
        setattr(package, path.stem, module)
        _add(module, PluginInfo(path.stem, "folder", getattr(module, "__version__", None), str(path)))


def _collect_extractors() -> ExtractorRegistry:
    """Call every plugin's ``register_extractors`` hook, in loading order, each on its own."""
    registry = ExtractorRegistry()
    for impl in _loaded.pm.hook.register_extractors.get_hookimpls():
        info = _loaded.plugins[impl.plugin_name]
        register = registry.registrar(info)
        try:
            impl.function(**{name: register for name in impl.argnames})
        except (Exception, SystemExit) as exc:  # a plugin's hook may raise anything; report it, keep the others
            registry.errors.append(PluginError(f"{info.label} raised in register_extractors: {_failure(exc)}"))
    return registry


def _warn_new_errors(errors: list[PluginError]) -> None:
    for error in errors:
        if str(error) not in _warned:
            _warned.add(str(error))
            warnings.warn(str(error), stacklevel=3)
