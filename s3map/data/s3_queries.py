"""What the app shows of a territory's S3: its list in force, its other lists with their status,
the standard caveats of each priority, labelled taxonomy codes and partnership memberships.

No Dash here: the panel, the API and the tests read the same answers. Research notes (the
search trail in `priorities.note` and the register's `note`) are never part of an answer meant
for the screen; the screen gets standard caveats, each with the page it rests on.
"""

from __future__ import annotations

import pandas as pd

from s3map.data.curated_csv import split_urls
from s3map.data.strategies import (CAVEATS, DRAFT, EXPIRED, HISTORY, IN_FORCE, NOT_YET, SUPERSEDED,
                                   status_label)

TAXONOMY_NAMES = {"nace": "NACE", "nabs": "NABS", "sdg": "SDG"}
# One line each, in plain words, for readers who have never met the classifications.
TAXONOMY_EXPLAINED = {
    "nace": "NACE: the EU's classification of economic activities (what firms produce, e.g. C10 food products).",
    "nabs": "NABS: the EU's classification of public research spending by objective (e.g. 7 health).",
    "sdg": "SDG: the UN's 17 Sustainable Development Goals, used here for the policy objective.",
}
TAXONOMY_LINE = ("Codes: NACE = economic activity (EU classification of industries); NABS = research objective "
                 "(EU classification of public R&D budgets); SDG = UN Sustainable Development Goal. "
                 "Solid badges: checked by a person; dashed: proposed by the automatic coder.")
KEYWORD_SCOPE = "Searches the names and descriptions of the priorities of the lists in force."
METHOD_WORDS = {"reviewed": "checked by a person", "curated": "assigned by a person",
                "coder": "proposed by the automatic coder"}
NONE_CODE = "none"
STATUS_ORDER = {IN_FORCE: 0, NOT_YET: 1, DRAFT: 2, SUPERSEDED: 3, EXPIRED: 4, HISTORY: 5}
UNLISTED_CAVEAT = "priority list not found on any page read"
# Standard caveats in the order the panel shows them.
CAVEAT_ORDER = ("partial", "draft", "secondary", "period_inferred")


def first_url(urls: str) -> str:
    return next(iter(split_urls(urls)), "")


def priority_caveats(priority: dict) -> list[dict]:
    """The standard caveats of one priority (partial list, draft, secondary source, inferred period),
    each with the page it rests on: [{kind, label, source_url}]."""
    kinds = [k for k in str(priority.get("caveats", "")).split("|") if k]
    source = first_url(priority.get("source_url", ""))
    return [{"kind": kind, "label": CAVEATS[kind], "source_url": source}
            for kind in CAVEAT_ORDER if kind in kinds]


def short_label(label: str) -> str:
    """'Manufacture of food products' -> 'food products': the words that tell codes apart on a badge."""
    text = str(label or "").strip()
    for prefix in ("Manufacture of ", "Manufacture "):
        if text.startswith(prefix):
            text = text[len(prefix):]
    # lower case but for acronyms (R&D, ICT): labels are in title or sentence case
    text = " ".join(word if word.isupper() and len(word) > 1 else word.lower() for word in text.split())
    return text if len(text) <= 48 else text[:47].rstrip() + "…"


def badge_text(taxonomy: str, code: str, label: str) -> str:
    """'NACE C10 · food products'; a reviewed 'none' reads 'NACE · none fits'."""
    name = TAXONOMY_NAMES[taxonomy]
    if code == NONE_CODE:
        return f"{name} · none fits"
    shown = code[3:] if taxonomy == "sdg" and code.startswith("SDG") else code  # 'SDG 9', not 'SDG SDG9'
    return f"{name} {shown} · {short_label(label)}" if label else f"{name} {shown}"


def display_codes(codes: list[dict]) -> list[dict]:
    """The codes a priority shows: every code a person gave (reviewed or curated), else the coder's top
    proposal per taxonomy; each with its badge text, hover title and whether it means 'none fits'."""
    out = []
    for code in codes:
        if code["method"] == "coder" and code["rank"] != 1:
            continue
        label = code.get("label") if isinstance(code.get("label"), str) else ""
        how = METHOD_WORDS.get(code["method"], code["method"])
        if code["method"] == "coder" and pd.notna(code.get("score")):
            how += f", score {code['score']:.2f}"
        reason = code.get("reason") if isinstance(code.get("reason"), str) else ""
        title = ("no code of this classification fits" if code["code"] == NONE_CODE else f"{label}") + f" ({how})"
        if reason:
            title += f": {reason}"
        out.append({**code, "label": label, "text": badge_text(code["taxonomy"], code["code"], label),
                    "title": title, "none_fits": code["code"] == NONE_CODE})
    order = {t: i for i, t in enumerate(TAXONOMY_NAMES)}
    return sorted(out, key=lambda c: (order.get(c["taxonomy"], 9), c["rank"]))


def territory_lists(dataset, code: str) -> dict:
    """A region's lists: `in_force` (at most one per territory covering it, finest territory first),
    `other` (the other lists of those territories, with their status) and `unlisted` (strategies in
    force whose priorities no page gives). Records are dicts with `status_label`."""
    found = dataset.strategies_for(code)
    if found.empty:
        in_force, other = [], []
    else:
        found = found.assign(status_rank=found["status"].map(STATUS_ORDER).fillna(9),
                             status_label=[status_label(s, y) for s, y in zip(found["status"], found["status_year"])])
        live = found[found["status"] == IN_FORCE].sort_values("territory_level", ascending=False)
        rest = found[found["status"] != IN_FORCE].sort_values(
            ["territory_level", "status_rank", "period_start"], ascending=[False, True, False])
        in_force, other = live.to_dict("records"), rest.to_dict("records")
    unlisted = dataset.unlisted_for(code)
    if "status" in unlisted:
        unlisted = unlisted[unlisted["status"] == IN_FORCE]
    unlisted_records = [{**r, "status_label": "in force, priorities not yet sourced", "caveat": UNLISTED_CAVEAT}
                        for r in unlisted.to_dict("records")]
    return {"in_force": in_force, "other": other, "unlisted": unlisted_records}


def strategy_caveats(strategy: dict) -> list[str]:
    """Caveats of a whole list, in words: partial list, draft, a list resting on secondary sources."""
    out = []
    if strategy.get("completeness") == "partial":
        out.append(CAVEATS["partial"])
    if strategy.get("draft"):
        out.append(CAVEATS["draft"])
    share = strategy.get("secondary_share") or 0
    if share >= 1:
        out.append("rests entirely on secondary or draft sources (news, third-party copies)")
    elif share > 0:
        out.append(f"{round(100 * share)}% of its priorities from secondary or draft sources")
    return out


def partnerships_of(dataset, code: str) -> pd.DataFrame:
    """S3 partnerships of a selection: for a country or NUTS 1 region the union of its regions'
    memberships, each member named; for a region those it belongs to itself or through its parent.

    Columns: platform, partnership, members (list of 'Name (CODE)'), roles."""
    p = dataset.partnerships
    p = p[p["nuts_code"] != ""]
    inside = p["nuts_code"].str.startswith(code)
    above = p["nuts_code"].map(lambda member: code.startswith(member) and member != code)
    hits = p[inside | above]
    if hits.empty:
        return pd.DataFrame(columns=["platform", "partnership", "members", "roles"])
    rows = []
    for (platform, partnership), group in hits.groupby(["platform", "partnership"], sort=True):
        group = group.drop_duplicates("nuts_code").sort_values("nuts_code")
        members = [f"{dataset.region_name(c) or name} ({c})" for c, name in zip(group["nuts_code"], group["region_name"])]
        rows.append({"platform": platform, "partnership": partnership, "members": members,
                     "roles": sorted(set(group["role"]))})
    return pd.DataFrame(rows)
