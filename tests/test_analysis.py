"""The maths of peers, partners and location quotients on small hand-made cases with known answers."""

import math

import numpy as np
import pandas as pd
import pytest

from s3map.analysis.partners import jaccard, rank_partners, rarity_weights
from s3map.analysis.peers import dimension_distances, pairwise_distances, rank_peers, standardise
from s3map.analysis.specialisation import location_quotients


def test_standardise_gives_z_scores():
    table = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [5.0, 5.0, 5.0]}, index=["X1", "X2", "X3"])
    z = standardise(table)
    assert z["a"].tolist() == pytest.approx([-math.sqrt(1.5), 0.0, math.sqrt(1.5)])
    assert z["b"].tolist() == [0.0, 0.0, 0.0]  # a constant variable separates nobody


def test_dimension_distance_is_rms_of_z_differences_and_needs_shared_variables():
    z = pd.DataFrame({"a": [0.0, 3.0, 1.0], "b": [0.0, 4.0, np.nan], "c": [0.0, 0.0, 2.0]},
                     index=["AA11", "AA12", "BB11"])
    distances = dimension_distances(z, {"one": ["a", "b"], "two": ["c", "a"]}, "AA11")
    # AA12: dimension one sqrt((9 + 16) / 2); dimension two sqrt((0 + 9) / 2)
    assert distances.loc["AA12", "one"] == pytest.approx(math.sqrt(12.5))
    assert distances.loc["AA12", "two"] == pytest.approx(math.sqrt(4.5))
    # BB11 shares only variable a in dimension one: too few to count
    assert math.isnan(distances.loc["BB11", "one"])
    assert distances.loc["BB11", "two"] == pytest.approx(math.sqrt((4 + 1) / 2))


def test_pairwise_distances_match_one_region_at_a_time():
    # The app computes every pair at once; each column must be that region's own distances, NaNs included.
    rng = np.random.default_rng(7)
    values = rng.normal(size=(30, 5))
    values[rng.random(values.shape) < 0.3] = np.nan
    z = pd.DataFrame(values, columns=list("abcde"), index=[f"R{i:02d}" for i in range(30)])
    dimensions = {"one": ["a", "b", "c"], "two": ["d", "e", "a"], "three": ["e", "missing"]}
    matrices = pairwise_distances(z, dimensions)
    for code in z.index:
        one_at_a_time = dimension_distances(z, dimensions, code)
        all_at_once = pd.DataFrame({d: m[code] for d, m in matrices.items()}).drop(index=code)
        pd.testing.assert_frame_equal(all_at_once, one_at_a_time, check_names=False)
    assert matrices["three"].isna().all().all()  # one variable is too few shared ones for anybody


def test_rank_peers_orders_by_mean_distance_and_can_exclude_own_country():
    distances = pd.DataFrame({"one": [1.0, 0.2, 0.5], "two": [1.0, 0.4, 0.3]}, index=["AA12", "AA13", "BB11"])
    ranked = rank_peers(distances, count=3)
    assert ranked.index.tolist() == ["AA13", "BB11", "AA12"]
    assert ranked.loc["AA13", "distance"] == pytest.approx(0.3)
    shares = ranked[["share: one", "share: two"]].sum(axis=1)
    assert shares.tolist() == pytest.approx([1.0, 1.0, 1.0])
    assert ranked.loc["BB11", "share: one"] == pytest.approx(0.5 / 0.8)
    assert rank_peers(distances, count=3, exclude_prefix="AA").index.tolist() == ["BB11"]


def test_jaccard_and_partner_ranking_both_orders():
    own = {"nace:C10", "nace:J62", "sdg:SDG7"}
    assert jaccard(own, {"nace:C10", "nace:J62"}) == pytest.approx(2 / 3)
    assert jaccard(own, {"nabs:5"}) == 0.0
    candidates = {"S1": {"nace:C10"}, "S2": {"nace:C10", "nace:J62", "sdg:SDG3"}, "S3": {"nace:J62", "sdg:SDG7"},
                  "S4": {"nabs:5"}, "S5": {"nace:J62", "sdg:SDG7"}}
    distance = {"S1": 0.1, "S2": 0.9, "S3": 0.5, "S5": 0.2}
    by_overlap = rank_partners(own, candidates, distance, "overlap")
    # S3 shares 2 of 3 codes (2/3), S2 2 of 4 (1/2), S1 1 of 3 (1/3)
    # S5 ties S3 on overlap and wins on structural similarity (the second key)
    assert by_overlap["strategy_id"].tolist() == ["S5", "S3", "S2", "S1"]
    assert by_overlap["overlap"].tolist() == pytest.approx([2 / 3, 2 / 3, 1 / 2, 1 / 3], abs=1e-4)
    assert by_overlap.set_index("strategy_id").loc["S3", "shared"] == ["nace:J62", "sdg:SDG7"]
    by_similarity = rank_partners(own, candidates, distance, "similarity")
    assert by_similarity["strategy_id"].tolist() == ["S1", "S5", "S3", "S2"]
    assert "S4" not in set(by_overlap["strategy_id"])  # nothing shared, not a partner


def test_location_quotients_known_answer():
    employment = pd.DataFrame([
        ("AA", "C", 100), ("AA", "C10", 50), ("AA", "C20", 50),
        ("BB", "C", 100), ("BB", "C10", 10), ("BB", "C20", 90),
        ("AA11", "C", 40), ("AA11", "C10", 30), ("AA11", "C20", None),
    ], columns=["region", "nace", "employment"])
    lq = location_quotients(employment).set_index(["region", "nace"])["lq"]
    # EU (AA + BB): C10 60/200 = 0.3, C20 140/200 = 0.7
    assert lq[("AA", "C10")] == pytest.approx(0.5 / 0.3)
    assert lq[("BB", "C20")] == pytest.approx(0.9 / 0.7)
    assert lq[("AA11", "C10")] == pytest.approx(0.75 / 0.3)
    assert math.isnan(lq[("AA11", "C20")])  # a confidential cell stays a gap, never 0


def test_rare_shared_codes_weigh_more_than_common_ones():
    sets = {"A": {"sdg:SDG9", "nace:C30"}, "B": {"sdg:SDG9", "nace:C30"}, "C": {"sdg:SDG9", "nace:J62"},
            "D": {"sdg:SDG9", "nace:J62"}}
    weight = rarity_weights(sets)
    assert weight["sdg:SDG9"] == 0.0 and weight["nace:C30"] == pytest.approx(math.log(2))
    # A shares everything with B, and only the ubiquitous SDG 9 with C
    assert jaccard(sets["A"], sets["B"], weight) == pytest.approx(1.0)
    assert jaccard(sets["A"], sets["C"], weight) == pytest.approx(0.0)
    assert jaccard(sets["A"], sets["C"]) == pytest.approx(1 / 3)  # unweighted, SDG 9 alone gives 1/3
