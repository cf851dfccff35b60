"""Peer comparison (DESIGN §7). Pure pandas.

The cohort is the latest closed assessment of every *other* organization in the same
industry, or of all industries when the industry has fewer than `MIN_COHORT`
organizations. A cohort smaller than that is suppressed: nothing computed from it
leaves this module, so no peer can be singled out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

MIN_COHORT = 5


@dataclass(frozen=True)
class PeerStat:
    key: str  # "index" or a dimension key
    percentile: float | None
    median: float | None
    q1: float | None
    q3: float | None
    size: int


@dataclass(frozen=True)
class PeerComparison:
    cohort: str  # "industry:<key>" or "all"
    size: int
    suppressed: bool
    overall: PeerStat | None
    dimensions: tuple[PeerStat, ...]


def percentile_rank(value: float, peers: np.ndarray) -> float:
    """100 × (peers strictly below + ½ × peers equal) / cohort size."""
    below = np.count_nonzero(peers < value)
    equal = np.count_nonzero(peers == value)
    return 100.0 * (below + 0.5 * equal) / len(peers)


def choose_cohort(
    peers: pd.DataFrame, organization: int, industry: str
) -> tuple[str, pd.DataFrame]:
    """Other organizations' rows: the industry when it has enough, else everyone."""
    others = peers[peers["organization"] != organization]
    same = others[others["industry"] == industry]
    if len(same) >= MIN_COHORT:
        return f"industry:{industry}", same
    return "all", others


def compare(
    peers: pd.DataFrame,
    *,
    organization: int,
    industry: str,
    scores: dict[str, float | None],
    keys: list[str],
) -> PeerComparison:
    """`peers`: one row per organization (its latest closed assessment) with columns
    organization, industry, and a score column per key in `keys` (``index`` and the
    dimension keys). `scores`: this organization's values for the same keys."""
    cohort, rows = choose_cohort(peers, organization, industry)
    if len(rows) < MIN_COHORT:
        return PeerComparison(cohort, len(rows), True, None, ())
    stats = [_stat(key, scores.get(key), rows[key].to_numpy(dtype="float64")) for key in keys]
    overall = next((s for s in stats if s.key == "index"), None)
    return PeerComparison(
        cohort=cohort,
        size=len(rows),
        suppressed=False,
        overall=overall,
        dimensions=tuple(s for s in stats if s.key != "index"),
    )


def _stat(key: str, value: float | None, column: np.ndarray) -> PeerStat:
    present = column[~np.isnan(column)]
    if len(present) < MIN_COHORT:
        return PeerStat(key, None, None, None, None, len(present))
    q1, median, q3 = np.quantile(present, [0.25, 0.5, 0.75])  # linear, as pandas' default
    return PeerStat(
        key=key,
        percentile=None if value is None else percentile_rank(value, present),
        median=float(median),
        q1=float(q1),
        q3=float(q3),
        size=len(present),
    )
