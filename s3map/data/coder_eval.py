"""Agreement of the coder with the hand-coded sample (data/s3/codes_curated.csv).

precision@1: share of priorities whose top proposal is one of the hand-assigned codes.
precision@3: share of the top-3 proposals that are hand-assigned codes (fewer proposals count as misses).
hit@3: share of priorities with at least one hand-assigned code in the top 3.
For NACE, `section_precision@1` also counts a top proposal in the right section (C10 vs C11).
"""

from __future__ import annotations

import pandas as pd

from s3map.data.taxonomy import TAXONOMIES, Coder, code_lists, curated_codes


def evaluate(priorities: pd.DataFrame, paths: dict) -> dict:
    lists = code_lists(paths)
    truth = curated_codes(lists)
    coder = Coder(lists)
    texts = priorities.set_index("priority_id")
    results = {}
    for taxonomy in TAXONOMIES:
        gold = truth[truth["taxonomy"] == taxonomy].groupby("priority_id")["code"].apply(set)
        p1 = p3 = hit3 = section1 = 0
        for priority_id, codes in gold.items():
            record = texts.loc[priority_id]
            proposed = coder.propose(f"{record['name']}. {record['description']}")
            proposed = proposed[proposed["taxonomy"] == taxonomy]["code"].tolist()
            top = proposed[:1]
            p1 += bool(top and top[0] in codes)
            p3 += sum(code in codes for code in proposed[:3]) / 3
            hit3 += any(code in codes for code in proposed[:3])
            section1 += bool(top and top[0][0] in {code[0] for code in codes})
        n = len(gold)
        results[taxonomy] = {"sample": n, "precision@1": round(p1 / n, 3), "precision@3": round(p3 / n, 3),
                             "hit@3": round(hit3 / n, 3)}
        if taxonomy == "nace":
            results[taxonomy]["section_precision@1"] = round(section1 / n, 3)
    return results


def main() -> None:
    import json

    from s3map.data.sources import fetch, load_manifest
    from s3map.data.store import get_dataset

    paths = {key: fetch(source) for key, source in load_manifest().items() if key in {"nace_rev2", "nabs_2007"}}
    print(json.dumps(evaluate(get_dataset().priorities, paths), indent=2))


if __name__ == "__main__":
    main()
