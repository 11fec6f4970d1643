"""Inter-annotator agreement between two labelings of the same paragraphs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError
from .labels import RHETORIC_TAGS, TARGETS


@dataclass(frozen=True)
class Disagreement:
    """One paragraph on which the two passes differ, and what each said."""

    id: str
    field: str
    first: object
    second: object


@dataclass(frozen=True)
class AgreementReport:
    """Cohen's kappa per target, micro/macro F1 over rhetoric tags, and every disagreement."""

    compared: int
    content: int
    boilerplate_agreement: float
    kappa: dict[str, float]
    tags_micro_f1: float
    tags_macro_f1: float
    disagreements: tuple[Disagreement, ...]


def compare_files(first: str | Path, second: str | Path) -> AgreementReport:
    """Compare two label files on the ids they share: labels files, or Label
    Studio exports of the same tasks by two annotators. Kappa and tag F1 are
    computed over the paragraphs the first pass calls content (not boilerplate)."""
    from sklearn.metrics import f1_score
    from sklearn.preprocessing import MultiLabelBinarizer

    a, b = _by_id(first), _by_id(second)
    shared = [key for key in a if key in b]
    if not shared:
        raise DataError(f"{first} and {second} share no paragraph ids")
    content = [key for key in shared if not a[key].get("boilerplate", False)]
    kappa = {target: _kappa([a[k][target] for k in content], [b[k][target] for k in content]) for target in TARGETS}
    binarizer = MultiLabelBinarizer(classes=list(RHETORIC_TAGS))
    tags_a = binarizer.fit_transform([a[k]["rhetoric"] for k in content])
    tags_b = binarizer.transform([b[k]["rhetoric"] for k in content])
    disagreements = []
    for key in shared:
        for name in ("boilerplate", *TARGETS):
            if a[key].get(name) != b[key].get(name):
                disagreements.append(Disagreement(key, name, a[key].get(name), b[key].get(name)))
        if set(a[key]["rhetoric"]) != set(b[key]["rhetoric"]):
            disagreements.append(
                Disagreement(key, "rhetoric", sorted(a[key]["rhetoric"]), sorted(b[key]["rhetoric"]))
            )
    return AgreementReport(
        compared=len(shared),
        content=len(content),
        boilerplate_agreement=sum(a[k].get("boilerplate") == b[k].get("boilerplate") for k in shared) / len(shared),
        kappa=kappa,
        tags_micro_f1=float(f1_score(tags_a, tags_b, average="micro", zero_division=0)),
        tags_macro_f1=float(f1_score(tags_a, tags_b, average="macro", zero_division=0)),
        disagreements=tuple(disagreements),
    )


def _kappa(first: list[str], second: list[str]) -> float:
    """Cohen's kappa; 1.0 where the passes agree everywhere (kappa is undefined
    when both use a single label)."""
    from sklearn.metrics import cohen_kappa_score

    if first == second:
        return 1.0
    return float(cohen_kappa_score(first, second))


def _by_id(path: str | Path) -> dict[str, dict]:
    """Records by id from a labels file, or from a Label Studio JSON export
    (a file whose first character is ``[``), converted as ``stance data import`` does."""
    if Path(path).read_text(encoding="utf-8-sig").lstrip().startswith("["):
        from .labeling.studio import import_export

        return {record["id"]: record for record in import_export(path).records}
    records = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            records[record["id"]] = record
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise DataError(f"{path}:{number}: not a labeled record ({exc})") from exc
    return records
