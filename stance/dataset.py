"""Labeled paragraphs in the codebook's JSON Lines format."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataError


@dataclass(frozen=True)
class Record:
    """One labeled paragraph (a line of a labels file)."""

    id: str
    doc: str
    text: str
    boilerplate: bool
    csto: str
    west: str
    rhetoric: tuple[str, ...]
    evidence: dict[str, list[str]] = field(default_factory=dict)
    source: str = "seed"
    note: str | None = None

    def label(self, target: str) -> str:
        """This paragraph's label on ``target`` (``"csto"`` or ``"west"``)."""
        return getattr(self, target)


def load_records(path: str | Path) -> list[Record]:
    """Read a labels file; a line that is not a well-formed record raises
    ``DataError`` naming the file and line (run ``stance data check`` for all problems)."""
    records = []
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read labeled data: {exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            records.append(
                Record(
                    id=raw["id"],
                    doc=raw["doc"],
                    text=raw["text"],
                    boilerplate=bool(raw["boilerplate"]),
                    csto=raw["csto"],
                    west=raw["west"],
                    rhetoric=tuple(raw["rhetoric"]),
                    evidence=dict(raw.get("evidence", {})),
                    source=raw["source"],
                    note=raw.get("note"),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise DataError(f"{path}:{number}: not a valid record ({exc.__class__.__name__}: {exc})") from exc
    return records
