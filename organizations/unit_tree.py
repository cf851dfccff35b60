"""The business-unit tree (DESIGN §10) as plain data: units, their ancestors and the
tree order pages and scores list them in. Pure: no framework."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    id: int
    name: str
    parent: int | None


def ancestors(units: Mapping[int, Unit], unit_id: int) -> list[int]:
    """The unit and every unit above it, nearest first (a broken loop stops)."""
    chain, seen, current = [], set(), unit_id
    while current is not None and current in units and current not in seen:
        chain.append(current)
        seen.add(current)
        current = units[current].parent
    return chain


def tree_order(units: Iterable[Unit]) -> list[tuple[Unit, int]]:
    """Units depth-first (parents before children, siblings by name) with their depth."""
    units = list(units)
    ids = {u.id for u in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        parent = unit.parent if unit.parent in ids else None
        children.setdefault(parent, []).append(unit)
    ordered: list[tuple[Unit, int]] = []

    def walk(parent, depth):
        for unit in sorted(children.get(parent, []), key=lambda u: (u.name.lower(), u.id)):
            ordered.append((unit, depth))
            walk(unit.id, depth + 1)

    walk(None, 0)
    return ordered
