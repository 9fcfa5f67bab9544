"""Similar regions on structural conditions (after Navarro et al. 2014, S3 Platform benchmarking).

Each variable is standardised (z-score over all regions with data); within a dimension the
distance between two regions is the root mean square of their z-score differences over the
variables both have; the overall distance is the mean of the dimension distances, so every
dimension weighs the same whatever its number of variables. Pure functions on a region x variable
table; `similar_regions(dataset, code)` is the cached entry point the app uses.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from s3map.data.rci_employment import PEER_DIMENSIONS

MIN_SHARED_VARIABLES = 2  # a dimension counts only if two regions share this many of its variables


def standardise(table: pd.DataFrame) -> pd.DataFrame:
    """z-scores per column (population standard deviation); constant columns become 0."""
    spread = table.std(ddof=0).replace(0, np.nan)
    return ((table - table.mean()) / spread).fillna(table.where(table.isna(), 0.0))


def dimension_distances(z: pd.DataFrame, dimensions: dict[str, list[str]], code: str) -> pd.DataFrame:
    """Distance from `code` to every other region, one column per dimension (NaN when too few shared)."""
    target = z.loc[code]
    out = {}
    for dimension, variables in dimensions.items():
        columns = [v for v in variables if v in z.columns]
        diff = z[columns].sub(target[columns], axis=1)
        shared = diff.notna().sum(axis=1)
        rms = np.sqrt((diff ** 2).sum(axis=1) / shared.replace(0, np.nan))
        out[dimension] = rms.where(shared >= MIN_SHARED_VARIABLES)
    return pd.DataFrame(out).drop(index=code)


def pairwise_distances(z: pd.DataFrame, dimensions: dict[str, list[str]]) -> dict[str, pd.DataFrame]:
    """Every region's distance to every other, one region x region table per dimension: the same
    numbers as `dimension_distances` for each region, computed at once (~240 regions: a few ms)."""
    out = {}
    for dimension, variables in dimensions.items():
        columns = [v for v in variables if v in z.columns]
        values = z[columns].to_numpy(dtype=float)
        diff = values[:, None, :] - values[None, :, :]  # region x region x variable, NaN where either lacks it
        shared = (~np.isnan(diff)).sum(axis=2)
        with np.errstate(invalid="ignore", divide="ignore"):
            rms = np.sqrt(np.nansum(diff ** 2, axis=2) / np.where(shared == 0, np.nan, shared))
        rms[shared < MIN_SHARED_VARIABLES] = np.nan
        out[dimension] = pd.DataFrame(rms, index=z.index, columns=z.index)
    return out


def rank_peers(distances: pd.DataFrame, count: int = 10, exclude_prefix: str | None = None) -> pd.DataFrame:
    """Closest regions by mean dimension distance (dimensions with data only), with each dimension's share."""
    frame = distances.copy()
    if exclude_prefix:
        frame = frame[~frame.index.str.startswith(exclude_prefix)]
    available = frame.notna().sum(axis=1)
    frame = frame[available >= max(1, len(distances.columns) - 1)]  # at most one dimension missing
    total = frame.mean(axis=1)
    share = frame.div(frame.sum(axis=1), axis=0)
    ranked = frame.assign(distance=total).sort_values(["distance"]).head(count)
    contributions = share.loc[ranked.index].add_prefix("share: ")
    return ranked.join(contributions)


def wide_table(rci: pd.DataFrame) -> pd.DataFrame:
    return rci.pivot_table(index="region", columns="variable", values="value", aggfunc="first")


def similar_regions(dataset, code: str, count: int = 10, exclude_own_country: bool = False) -> pd.DataFrame:
    """Top peers of a NUTS 2 region (empty when the RCI has no data for it)."""
    z = dataset.memo(("rci_z",), lambda: standardise(wide_table(dataset.rci)))
    if code not in z.index:
        return pd.DataFrame()
    matrices = dataset.memo(("peer_matrices",), lambda: pairwise_distances(z, PEER_DIMENSIONS))
    distances = dataset.memo(("peer_distances", code), lambda: pd.DataFrame(
        {dimension: matrix[code] for dimension, matrix in matrices.items()}).drop(index=code))
    ranked = rank_peers(distances, count, code[:2] if exclude_own_country else None)
    ranked.insert(0, "name", [dataset.region_name(c) for c in ranked.index])
    return ranked
