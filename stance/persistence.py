"""Saving and loading a model directory: ``model.joblib`` (the fitted
``StanceModel``), ``card.json`` (its model card) and ``card.md``.

The artifact is read once: its SHA-256 is checked on the same bytes that
joblib then loads. Unpickling runs code from the file it reads: load models only from
directories you trust. Before unpickling, ``load_model`` checks the card, the
scikit-learn version, the extractors' plugins and the artifact's SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import io
import os
import shutil
import tempfile
import uuid
import warnings
from pathlib import Path

import joblib
import sklearn

from .card import REQUIRED_FIELDS, card_markdown
from .errors import ModelError, PluginError
from .model import MODEL_FORMAT, StanceModel
from .plugins import get_registry

MODEL_FILE = "model.joblib"
CARD_JSON = "card.json"
CARD_MD = "card.md"


def save_model(model: StanceModel, card: dict, output_dir: str | Path) -> dict:
    """Write ``model`` and its card to ``output_dir`` atomically and return the
    completed card (with ``version`` and ``model_file``). The files go to a
    temporary directory beside ``output_dir``, which then replaces it, so a
    failure never leaves a half-written model or breaks the previous one."""
    output_dir = Path(output_dir)
    if output_dir.exists() and any(output_dir.iterdir()) and not (output_dir / CARD_JSON).exists():
        raise ModelError(f"{output_dir} exists and is not a model directory; refusing to replace it")
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.new-", dir=output_dir.parent))
    try:
        joblib.dump(model, staging / MODEL_FILE)
        digest = file_sha256(staging / MODEL_FILE)
        stamp = card["created"].replace("-", "").replace(":", "").split("+")[0]
        card = {**card, "version": f"{stamp}-{digest[:8]}", "model_file": {"name": MODEL_FILE, "sha256": digest}}
        (staging / CARD_JSON).write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        (staging / CARD_MD).write_text(card_markdown(card), encoding="utf-8")
        _swap_in(staging, output_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return card


def read_card(model_dir: str | Path) -> dict:
    """The card of the model in ``model_dir``; ``ModelError`` if it is missing or malformed."""
    path = Path(model_dir) / CARD_JSON
    if not path.is_file():
        raise ModelError(f"no model in {model_dir}: {CARD_JSON} is missing (train one with `stance train`)")
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path} is not a readable model card: {exc}") from exc
    missing = [name for name in REQUIRED_FIELDS if not isinstance(card, dict) or name not in card]
    if missing:
        raise ModelError(f"{path} is not a valid model card: it lacks {', '.join(missing)}")
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

    Raises ``ModelError`` for a missing, corrupt or replaced artifact or one
    built with another scikit-learn version, ``PluginError`` when an
    extractor's plugin is not loaded; warns when a plugin's version changed.
    Load only from trusted directories: unpickling runs code.
    """
    model_dir = Path(model_dir)
    card = read_card(model_dir)
    problem = version_problem(card)
    if problem:
        raise ModelError(problem)
    check_extractors(card, plugins_dir)
    file_name = (card["model_file"] or {}).get("name", MODEL_FILE)
    if file_name != MODEL_FILE:
        raise ModelError(f"{model_dir / CARD_JSON} names the artifact {file_name!r}, not {MODEL_FILE}")
    path = model_dir / MODEL_FILE
    if not path.is_file():
        raise ModelError(f"no model in {model_dir}: {MODEL_FILE} is missing")
    with open(path, "rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != (card["model_file"] or {}).get("sha256"):
        raise ModelError(f"{path} does not match the SHA-256 in its card: the file is corrupt or was replaced")
    try:
        model = joblib.load(io.BytesIO(data))
    except Exception as exc:  # unpickling a damaged file can raise almost anything
        raise ModelError(f"{path} cannot be loaded: {type(exc).__name__}: {exc}") from exc
    if not isinstance(model, StanceModel):
        raise ModelError(f"{path} holds a {type(model).__name__}, not a stance model")
    return model, card


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


def _swap_in(staging: Path, target: Path) -> None:
    """Replace ``target`` by ``staging`` with renames, restoring ``target`` if that fails."""
    if not target.exists():
        os.replace(staging, target)
        return
    retired = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
    os.replace(target, retired)
    try:
        os.replace(staging, target)
    except BaseException:
        os.replace(retired, target)
        raise
    shutil.rmtree(retired, ignore_errors=True)
