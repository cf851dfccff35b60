"""The perception gap (DESIGN §11): the assessor's dimension scores beside the client's.

Pure: plain data in (the dimension lists of two `scoring.summarize` results), plain
data out.
"""

from __future__ import annotations

# A gap this large (in points on the 0–100 scale, either way) is flagged to discuss.
FLAGGED_GAP = 15


def gap(assessor: float | None, client: float | None) -> float | None:
    """Assessor score − client score; None when either has no score."""
    if assessor is None or client is None:
        return None
    return assessor - client


def is_flagged(value: float | None) -> bool:
    """|gap| ≥ 15 points, compared unrounded."""
    return value is not None and abs(value) >= FLAGGED_GAP


def gap_rows(client: list[dict], assessor: list[dict]) -> list[dict]:
    """One row per dimension (client order): both scores, the gap and whether it is
    flagged. Dimensions are matched by key."""
    assessor_scores = {d["key"]: d["score"] for d in assessor}
    rows = []
    for dimension in client:
        theirs = assessor_scores.get(dimension["key"])
        value = gap(theirs, dimension["score"])
        rows.append(
            {
                "key": dimension["key"],
                "title": dimension["title"],
                "client": dimension["score"],
                "assessor": theirs,
                "gap": value,
                "flagged": is_flagged(value),
            }
        )
    return rows
