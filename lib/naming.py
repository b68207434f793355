"""How people are named in pickers, tables and exports so that namesakes stay apart."""

from __future__ import annotations

import pandas as pd

SEPARATOR = " · "


def person_labels(people: pd.DataFrame) -> pd.Series:
    """One label per row of `people` (person_id, name, and department and position when
    present): "Name · Department"; where two rows share that, their position is added, and
    where they still read the same, the person id in brackets. A missing name is the id."""
    ids = people["person_id"].astype(str)
    names = people["name"].where(people["name"].notna() & (people["name"] != ""), ids)
    labels = names.astype(str)
    if "department" in people:
        department = people["department"].fillna("—").replace("", "—")
        labels = labels + SEPARATOR + department.astype(str)
    if "position" in people:
        position = people["position"].fillna("").astype(str)
        twice = labels.duplicated(keep=False) & (position != "")
        labels = labels.where(~twice, labels + SEPARATOR + position)
    twice = labels.duplicated(keep=False)
    return labels.where(~twice, labels + " (" + ids + ")")


def person_label_map(people: pd.DataFrame) -> dict[str, str]:
    """person_id → label (see `person_labels`), for a picker's format_func."""
    return dict(zip(people["person_id"], person_labels(people), strict=True))
