"""Saving and loading a model directory: ``model.skops`` (the fitted
``StanceModel``), ``card.json`` (its model card) and ``card.md``.

What is trusted when a model loads (README, "What is trusted"):

* The artifact is in the ``skops`` format, which rebuilds objects without
  running code from the file: it refuses any type not on an explicit list.
  That list is derived, per model, from the classes stance itself is made of
  (the classes of ``MODEL_MODULES``) and the extractor classes that the loaded plugins
  register for the extractors the card names; scikit-learn, NumPy and SciPy
  types are skops' own defaults. A file naming any other type is refused.
  (The plugins themselves are code you chose to load: trusting them is
  trusting what you installed or named with ``--plugins-dir``.)
* The artifact is read once; its SHA-256 is checked on the same bytes that are
  then loaded: against the card, and against ``STANCE_MODEL_SHA256`` when that
  pins it from outside the directory. The card is checked against its schema.
  The model's version is derived from the artifact's SHA-256, so a card that
  claims another version is refused.
* A model directory, its files or the folder holding it that other users may
  write to is refused (they could replace the model).

Saves are crash-safe: the files are written and fsynced in a staging
directory beside the target, which then takes the target's place in one
atomic exchange (Linux ``renameat2(RENAME_EXCHANGE)``; two renames where the
system lacks it), under a lock on the parent directory; leftovers of an
interrupted save are removed by the next one. At every instant the target
holds either the complete previous model or the complete new one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import hashlib
import json
import os
import shutil
import stat
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sklearn
import skops.io

from .card import card_markdown
from .card_schema import card_problem
from .errors import ModelError, PluginError
from . import examples, heads, model as model_module
from .model import MODEL_FORMAT, StanceModel
from .plugins import get_registry

MODEL_FILE = "model.skops"
CARD_JSON = "card.json"
CARD_MD = "card.md"
MODEL_SHA256_ENV = "STANCE_MODEL_SHA256"

MODEL_MODULES = (model_module, heads, examples)
"""The stance modules whose classes a saved model may hold (the model and its
heads); a model that starts holding a class from another module must add that
module here (a load names the refused type until then)."""

_STAGING = ".{name}.new-"
"""Prefix of a save's staging directory (and, after the exchange, of the retired model)."""
_LEFTOVER_PREFIXES = (".{name}.new-", ".{name}.old-")


def save_model(model: StanceModel, card: dict, output_dir: str | Path) -> dict:
    """Write ``model`` and its card to ``output_dir`` atomically and return the
    completed card (with ``version`` and ``model_file``).

    Under a lock on the parent directory: leftovers of interrupted saves are
    removed; the files are written and fsynced in a staging directory beside
    ``output_dir``; the staging directory and ``output_dir`` are exchanged
    atomically and the parent directory fsynced; the retired model is removed.
    A failure or a kill at any point leaves ``output_dir`` holding the complete
    previous model or the complete new one."""
    output_dir = Path(output_dir)
    if output_dir.exists() and any(output_dir.iterdir()) and not (output_dir / CARD_JSON).exists():
        raise ModelError(f"{output_dir} exists and is not a model directory; refusing to replace it")
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    with _locked(output_dir.parent):
        _reached("locked")
        remove_leftovers(output_dir)
        staging = Path(tempfile.mkdtemp(prefix=_STAGING.format(name=output_dir.name), dir=output_dir.parent))
        try:
            os.chmod(staging, 0o755)
            artifact = skops.io.dumps(model)
            digest = hashlib.sha256(artifact).hexdigest()
            card = {**card, "version": model_version(card["created"], digest),
                    "model_file": {"name": MODEL_FILE, "sha256": digest}}
            _write_synced(staging / MODEL_FILE, artifact)
            _reached("artifact_written")
            _write_synced(staging / CARD_JSON,
                          (json.dumps(card, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8"))
            _write_synced(staging / CARD_MD, card_markdown(card).encode("utf-8"))
            _fsync_directory(staging)
            _reached("staged")
            retired = _switch(staging, output_dir)
            _reached("switched")
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)  # the new model, or after the exchange the previous one
            raise
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)
        _reached("retired")
    return card


def model_version(created: str, digest: str) -> str:
    """A model's version: when it was made and the start of its artifact's SHA-256."""
    stamp = created.replace("-", "").replace(":", "").split("+")[0]
    return f"{stamp}-{digest[:8]}"


def remove_leftovers(output_dir: str | Path) -> list[Path]:
    """Remove what interrupted saves to ``output_dir`` left beside it (staging
    and retired directories); return what was removed. Call it under the save lock."""
    output_dir = Path(output_dir)
    prefixes = tuple(prefix.format(name=output_dir.name) for prefix in _LEFTOVER_PREFIXES)
    removed = []
    for entry in output_dir.parent.iterdir():
        if entry.name.startswith(prefixes) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def read_card(model_dir: str | Path) -> dict:
    """The card of the model in ``model_dir``; ``ModelError`` if it is missing,
    unreadable, or breaks the card schema."""
    path = Path(model_dir) / CARD_JSON
    try:
        if not path.is_file():
            raise ModelError(f"no model in {model_dir}: {CARD_JSON} is missing (train one with `stance train`)")
        card = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ModelError(f"{path} cannot be read: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path} is not a readable model card: {exc}") from None
    problem = card_problem(card)
    if problem:
        raise ModelError(f"{path} is not a valid model card: {problem}")
    return card


def version_problem(card: dict) -> str | None:
    """Why a model with this card cannot be loaded here (another scikit-learn
    version, or a model format this stance no longer reads), or None."""
    if card.get("format") != MODEL_FORMAT:
        return (
            f"model '{card.get('name')}' is in model format {card.get('format', 1)}, but this stance reads "
            f"format {MODEL_FORMAT}; retrain it with `stance train`"
        )
    trained_with = card.get("libraries", {}).get("scikit-learn")
    if trained_with != sklearn.__version__:
        return (
            f"model '{card.get('name')}' was built with scikit-learn {trained_with} but {sklearn.__version__} "
            "is installed; retrain it with `stance train`"
        )
    return None


def load_model(model_dir: str | Path, *, plugins_dir: str | Path | None = None) -> tuple[StanceModel, dict]:
    """The model in ``model_dir`` and its card, after checking both.

    Raises ``ModelError`` for a missing, unreadable, corrupt or replaced
    artifact, one that other users may write to, one that does not match
    ``STANCE_MODEL_SHA256``, one holding types that neither stance nor the
    model's plugins register, or one built with another scikit-learn version;
    ``PluginError`` when an extractor's plugin is not loaded; warns when a
    plugin's version changed. Loading runs no code from the directory.
    """
    model_dir = Path(model_dir)
    card = read_card(model_dir)
    problem = version_problem(card)
    if problem:
        raise ModelError(problem)
    check_extractors(card, plugins_dir)
    if card["model_file"]["name"] != MODEL_FILE:
        raise ModelError(f"{model_dir / CARD_JSON} names the artifact {card['model_file']['name']!r}, not {MODEL_FILE}")
    path = model_dir / MODEL_FILE
    _refuse_writable_by_others(model_dir)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise ModelError(f"no model in {model_dir}: {MODEL_FILE} is missing") from None
    except OSError as exc:
        raise ModelError(f"{path} cannot be read: {exc.strerror or exc}") from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != card["model_file"]["sha256"]:
        raise ModelError(f"{path} does not match the SHA-256 in its card: the file is corrupt or was replaced")
    pinned = os.environ.get(MODEL_SHA256_ENV, "").strip().lower()
    if pinned and digest != pinned:
        raise ModelError(f"{path} has SHA-256 {digest}, not the {pinned} that {MODEL_SHA256_ENV} pins; refusing it")
    derived = model_version(card["created"], digest)
    if card["version"] != derived:
        raise ModelError(
            f"{model_dir / CARD_JSON} gives version {card['version']!r}, but its artifact makes it {derived!r}: "
            "the card was edited"
        )
    model = _unpacked(data, path, trusted_types(card, plugins_dir))
    if not isinstance(model, StanceModel):
        raise ModelError(f"{path} holds a {type(model).__name__}, not a stance model")
    return model, card


def trusted_types(card: dict, plugins_dir: str | Path | None = None) -> set[str]:
    """The types a model with ``card`` may hold beyond skops' defaults: the
    classes of ``MODEL_MODULES`` and the classes of the extractors the card
    names, as the loaded plugins register them."""
    names = {
        _type_name(value)
        for module in MODEL_MODULES
        for value in vars(module).values()
        if isinstance(value, type) and value.__module__ == module.__name__
    }
    registry = get_registry(plugins_dir)
    for entry in card["extractors"]:
        names.add(_type_name(type(registry.get(entry["name"]).create())))
    return names


def _unpacked(data: bytes, path: Path, trusted: set[str]):
    try:
        needed = set(skops.io.get_untrusted_types(data=data))
    except Exception as exc:  # a damaged archive can raise almost anything
        raise ModelError(f"{path} cannot be loaded: {type(exc).__name__}: {exc}") from None
    refused = sorted(needed - trusted)
    if refused:
        raise ModelError(
            f"{path} holds types that neither stance nor the model's plugins register: {', '.join(refused)}; "
            "refusing to load it"
        )
    try:
        return skops.io.loads(data, trusted=sorted(needed))
    except Exception as exc:  # a damaged archive can raise almost anything
        raise ModelError(f"{path} cannot be loaded: {type(exc).__name__}: {exc}") from None


def _type_name(kind: type) -> str:
    return f"{kind.__module__}.{kind.__qualname__}"


def _refuse_writable_by_others(model_dir: Path) -> None:
    """``ModelError`` when another user could replace the model: the directory or
    its files writable by group or others, or the folder holding it writable by
    others without the sticky bit."""
    try:
        resolved = model_dir.resolve(strict=True)
        for path in (resolved, *(resolved / name for name in (CARD_JSON, CARD_MD, MODEL_FILE))):
            if path.exists():
                mode = path.stat().st_mode
                if mode & (stat.S_IWGRP | stat.S_IWOTH):
                    raise ModelError(
                        f"{path} is writable by other users (mode {stat.filemode(mode)}), who could replace the "
                        f"model; refusing to load it (chmod go-w {path})"
                    )
        parent = resolved.parent.stat().st_mode
        if parent & stat.S_IWOTH and not parent & stat.S_ISVTX:
            raise ModelError(
                f"{resolved.parent} is writable by every user, who could replace the model in it; refusing to load it"
            )
    except OSError as exc:
        raise ModelError(f"{model_dir} cannot be read: {exc.strerror or exc}") from None


def check_extractors(card: dict, plugins_dir: str | Path | None = None) -> None:
    """Check that every extractor in ``card`` is registered: ``PluginError``
    naming the missing plugin, a warning for a changed plugin or version."""
    registry = get_registry(plugins_dir)
    for entry in card["extractors"]:
        name, plugin, version, source = entry["name"], entry["plugin"], entry["version"], entry["source"]
        if name not in registry:
            hint = {
                "folder": "load its plugins folder (--plugins-dir or STANCE_PLUGINS_DIR)",
                "entrypoint": "install it and check STANCE_PLUGINS",
                "builtin": "use the stance version that trained the model",
            }.get(source, "load it")
            raise PluginError(
                f"model '{card['name']}' needs extractor '{name}' from {source} plugin '{plugin}' {version}, "
                f"which is not loaded; {hint}"
            )
        current = registry.get(name)
        changed = _changes(entry, current)
        if changed:
            was, now = entry.get("plugin_version"), current.plugin_version
            warnings.warn(
                f"model '{card['name']}' was trained with extractor '{name}' {version} from plugin '{plugin}'"
                f"{f' {was}' if was else ''}, now provided as {current.version} by plugin '{current.plugin}'"
                f"{f' {now}' if now else ''} ({', '.join(changed)} changed); predictions may differ",
                stacklevel=2,
            )


def _changes(entry: dict, current) -> list[str]:
    """What differs between a card's extractor entry and the registered extractor.
    A built-in plugin's version is stance's own, recorded in the card's libraries."""
    changed = [
        what for what, differs in (("plugin", current.plugin != entry["plugin"]),
                                   ("extractor version", current.version != entry["version"]))
        if differs
    ]
    was = entry.get("plugin_version")
    if "plugin" not in changed and entry["source"] != "builtin" and was and was != current.plugin_version:
        changed.append("plugin version")
    return changed


def file_sha256(path: Path) -> str:
    """The hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _reached(step: str) -> None:
    """A named step of ``save_model`` is done. Does nothing; tests replace it to
    kill a save at each step (``locked``, ``artifact_written``, ``staged``,
    ``switched``, ``retired``)."""


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``directory`` (``flock``): saves into one folder
    run one at a time, across processes; the lock dies with its holder."""
    handle = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, 0o644)


def _fsync_directory(directory: Path) -> None:
    handle = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _switch(staging: Path, target: Path) -> Path | None:
    """Put ``staging`` in ``target``'s place, atomically; return where the
    previous model now is (to be removed), or ``None`` when there was none."""
    if not target.exists():
        os.rename(staging, target)
        _fsync_directory(target.parent)
        return None
    if not _exchange(staging, target):
        retired = target.with_name(staging.name.replace(".new-", ".old-"))
        os.rename(target, retired)  # no atomic exchange here: a kill between the two renames loses the target
        os.rename(staging, target)
        _fsync_directory(target.parent)
        return retired
    _fsync_directory(target.parent)
    return staging


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2`` with ``RENAME_EXCHANGE``);
    ``False`` when the system or file system cannot, ``OSError`` on other failures."""
    renameat2 = getattr(_libc(), "renameat2", None) if _libc() is not None else None
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


_LIBC: list = []


def _libc():
    if not _LIBC:
        name = ctypes.util.find_library("c")
        try:
            _LIBC.append(ctypes.CDLL(name, use_errno=True) if name else None)
        except OSError:
            _LIBC.append(None)
    return _LIBC[0]
