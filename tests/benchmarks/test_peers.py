"""Peer comparison (DESIGN §7): the pure module on hand-checked tables, and the selector
that feeds it one row per other organization from its latest closed assessment."""

from datetime import timedelta

import numpy as np
import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.bank import DIMENSION_KEYS
from benchmarks import selectors
from benchmarks.peers import MIN_COHORT, choose_cohort, compare, percentile_rank
from organizations.models import Industry

from .peers_data import closed_assessment, peer

KEYS = ["index", *DIMENSION_KEYS]


def frame(rows: list[tuple[int, str, float]]) -> pd.DataFrame:
    """Peers whose index and every dimension are the same value."""
    return pd.DataFrame(
        [{"organization": o, "industry": i, **dict.fromkeys(KEYS, v)} for o, i, v in rows]
    )


def scores(value):
    return dict.fromkeys(KEYS, value)


@pytest.mark.parametrize(
    ("value", "peers", "expected"),
    [
        (30, [10, 20, 30, 40, 50], 50.0),  # 2 below + ½ × 1 equal, of 5
        (35, [10, 20, 30, 40, 50], 60.0),
        (5, [10, 20, 30, 40, 50], 0.0),
        (60, [10, 20, 30, 40, 50], 100.0),
        (50, [10, 20, 30, 40, 50], 90.0),
        (20, [20, 20, 20, 40, 40], 30.0),  # ties count half: 1.5 / 5
        (40, [20, 20, 20, 40, 40], 80.0),  # 3 + 1 = 4 / 5
        (7, [1, 2, 4, 8, 16, 32], 100 * 3 / 6),
    ],
)
def test_the_percentile_rank_counts_peers_below_and_half_the_ties(value, peers, expected):
    assert percentile_rank(value, np.array(peers, dtype=float)) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("peers", "quartiles"),
    [
        ([10, 20, 30, 40, 50], (20, 30, 40)),
        ([50, 10, 40, 20, 30], (20, 30, 40)),  # order does not matter
        ([1, 2, 4, 8, 16, 32], (2.5, 6, 14)),  # linear: positions 1.25, 2.5, 3.75
        ([0, 0, 0, 0, 100], (0, 0, 0)),
    ],
)
def test_the_cohort_median_and_quartiles_interpolate_linearly(peers, quartiles):
    result = compare(
        frame([(i + 10, "manufacturing", v) for i, v in enumerate(peers)]),
        organization=1,
        industry="manufacturing",
        scores=scores(25),
        keys=KEYS,
    )

    stat = result.overall
    assert (stat.q1, stat.median, stat.q3) == pytest.approx(quartiles)
    assert [d.key for d in result.dimensions] == list(DIMENSION_KEYS)
    assert all((d.q1, d.median, d.q3) == (stat.q1, stat.median, stat.q3) for d in result.dimensions)


def test_each_key_is_ranked_on_its_own_column():
    peers = pd.DataFrame(
        [
            {
                "organization": o,
                "industry": "retail",
                "index": 10.0 * o,
                **dict.fromkeys(DIMENSION_KEYS, 50.0),
            }
            for o in range(1, 6)
        ]
    )
    mine = {"index": 30.0, **dict.fromkeys(DIMENSION_KEYS, 60.0)}
    mine["talent"] = 50.0

    result = compare(peers, organization=99, industry="retail", scores=mine, keys=KEYS)

    assert result.overall.percentile == 50.0  # 10 20 [30] 40 50
    by_key = {d.key: d.percentile for d in result.dimensions}
    assert by_key["talent"] == 50.0  # five ties
    assert by_key["governance_risk"] == 100.0


def test_the_industry_is_the_cohort_when_it_has_five_other_organizations():
    peers = frame(
        [(o, "manufacturing", 10.0 * o) for o in range(1, 6)]
        + [(o, "retail", 99.0) for o in range(6, 12)]
    )

    result = compare(
        peers, organization=100, industry="manufacturing", scores=scores(25), keys=KEYS
    )

    assert (result.cohort, result.size, result.suppressed) == ("industry:manufacturing", 5, False)
    assert result.overall.percentile == 40.0  # 10 20 | 30 40 50


def test_an_industry_with_four_falls_back_to_all_industries():
    peers = frame(
        [(o, "manufacturing", 10.0) for o in range(1, 5)]
        + [(o, "retail", 90.0) for o in range(5, 8)]
    )

    result = compare(
        peers, organization=100, industry="manufacturing", scores=scores(50), keys=KEYS
    )

    assert (result.cohort, result.size, result.suppressed) == ("all", 7, False)
    assert result.overall.percentile == pytest.approx(100 * 4 / 7)


def test_a_cohort_of_four_is_suppressed_and_carries_no_figure():
    peers = frame([(o, "manufacturing", 10.0 * o) for o in range(1, 5)])

    result = compare(
        peers, organization=100, industry="manufacturing", scores=scores(25), keys=KEYS
    )

    assert result.suppressed
    assert result.cohort == "all"
    assert result.overall is None
    assert result.dimensions == ()


def test_a_cohort_of_five_is_shown():
    peers = frame([(o, "manufacturing", 10.0 * o) for o in range(1, 6)])

    result = compare(
        peers, organization=100, industry="manufacturing", scores=scores(25), keys=KEYS
    )

    assert not result.suppressed
    assert result.size == MIN_COHORT == 5


def test_the_organization_itself_is_never_in_its_cohort():
    """Five rows including its own: four peers, so suppressed; its own row never counts."""
    peers = frame([(o, "manufacturing", 10.0 * o) for o in range(1, 6)])

    result = compare(peers, organization=3, industry="manufacturing", scores=scores(30), keys=KEYS)
    _, rows = choose_cohort(peers, 3, "manufacturing")

    assert result.suppressed
    assert 3 not in set(rows["organization"])
    assert len(rows) == 4


def test_a_dimension_fewer_than_five_peers_scored_is_left_without_figures():
    peers = frame([(o, "manufacturing", 10.0 * o) for o in range(1, 6)])
    peers.loc[peers["organization"] == 5, "talent"] = np.nan

    result = compare(
        peers, organization=100, industry="manufacturing", scores=scores(25), keys=KEYS
    )

    talent = next(d for d in result.dimensions if d.key == "talent")
    assert (talent.percentile, talent.median, talent.q1, talent.q3) == (None, None, None, None)
    assert result.overall.median == 30.0


def test_an_organization_without_a_score_has_no_percentile_but_the_cohort_is_shown():
    peers = frame([(o, "manufacturing", 10.0 * o) for o in range(1, 6)])

    result = compare(
        peers, organization=100, industry="manufacturing", scores=scores(None), keys=KEYS
    )

    assert result.overall.percentile is None
    assert result.overall.median == 30.0


# --- the selector (database) ----------------------------------------------------------


@pytest.mark.django_db
def test_only_each_organizations_latest_closed_assessment_counts(bank):
    now = timezone.now()
    old = peer("Old and new", Industry.RETAIL, 90.0, closed_at=now - timedelta(days=200), bank=bank)
    closed_assessment(old, bank, 10.0, closed_at=now - timedelta(days=10))
    closed_assessment(old, bank, 70.0, closed_at=now - timedelta(days=100))  # older
    other = peer("Single", Industry.RETAIL, 40.0, closed_at=now, bank=bank)

    result = selectors.peer_frame().set_index("organization")

    assert sorted(result.index) == sorted([old.pk, other.pk])
    assert result.loc[old.pk, "index"] == 10.0
    assert result.loc[other.pk, "industry"] == "retail"


@pytest.mark.django_db
def test_an_open_assessment_does_not_replace_the_latest_closed_one(bank):
    organization = peer("Reassessing", Industry.RETAIL, 55.0, bank=bank)
    from assessments.models import Assessment

    Assessment.objects.create(organization=organization, bank=bank, title="Open, newer")

    result = selectors.peer_frame()

    assert list(result["index"]) == [55.0]


@pytest.mark.django_db
def test_the_peer_frame_leaves_out_the_organization_and_is_one_query(bank):
    organizations = [peer(f"P{i}", Industry.ENERGY, 10.0 * i, bank=bank) for i in range(1, 7)]

    with CaptureQueriesContext(connection) as queries:
        result = selectors.peer_frame(exclude_organization=organizations[0].pk)

    assert len(queries) == 1
    assert organizations[0].pk not in set(result["organization"])
    assert len(result) == 5
    assert list(result.columns) == ["organization", "industry", *KEYS]


@pytest.mark.django_db
def test_demo_organizations_and_real_ones_are_never_each_others_peers(bank):
    real = [peer(f"Real {i}", Industry.ENERGY, 20.0, bank=bank) for i in range(3)]
    demo = [peer(f"Demo {i}", Industry.ENERGY, 80.0, bank=bank, is_demo=True) for i in range(3)]

    assert set(selectors.peer_frame()["organization"]) == {o.pk for o in real}
    assert set(selectors.peer_frame(demo=True)["organization"]) == {o.pk for o in demo}


@pytest.mark.django_db
def test_with_an_industry_the_frame_holds_only_its_rows_when_it_has_five(bank):
    mine = [peer(f"M{i}", Industry.MANUFACTURING, 10.0 * i, bank=bank) for i in range(6)]
    retail = [peer(f"R{i}", Industry.RETAIL, 50.0, bank=bank) for i in range(3)]

    with CaptureQueriesContext(connection) as queries:
        five = selectors.peer_frame(exclude_organization=mine[0].pk, industry="manufacturing")

    assert len(queries) == 1
    assert set(five["organization"]) == {o.pk for o in mine[1:]}
    mine[5].delete()  # four other manufacturers left: every industry's rows come back
    four = selectors.peer_frame(exclude_organization=mine[0].pk, industry="manufacturing")
    assert set(four["organization"]) == {o.pk for o in mine[1:5] + retail}
    nobody = selectors.peer_frame(industry="healthcare")
    assert len(nobody) == len(mine) - 1 + len(retail)


@pytest.mark.django_db
def test_an_empty_peer_frame_has_the_columns(bank):
    result = selectors.peer_frame(industry="retail")

    assert result.empty
    assert list(result.columns) == ["organization", "industry", *KEYS]
    assert result["index"].dtype == "float64"
