"""Issue 11: status by date, one list in force per territory, duplicates, the new curated files."""

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from s3map import config
from s3map.data import s3_queries
from s3map.data.errors import BuildError
from s3map.data.stats import dataset_stats
from s3map.data.strategies import (apply_overlays, load_curated, load_descriptions, load_documents,
                                   load_searched_not_found, load_unlisted, normalise, nuts2_coverage,
                                   validate_flat, with_status)
from s3map.data.taxonomy import code_lists, code_priorities, reviewed_codes
from s3map.ui.panel import region_panel
from s3map.render.text import caption
from s3map.state import parse

ROW = {
    "country": "PL", "nuts_code": "PL21", "region_name": "Małopolska", "strategy_title": "RIS 2030",
    "period": "2021-2030", "level": "regional", "priority_name": "Life sciences",
    "source_url": "https://example.org/ris", "completeness": "full", "priority_description": "",
    "priority_note": "", "source_type": "official", "document_url": "", "retrieved": "",
    "period_basis": "", "extended_until": "", "extension_source": "",
}


def flat(rows) -> pd.DataFrame:
    frame = pd.DataFrame([{**ROW, **row} for row in rows])
    return frame.assign(file="hand.csv", row=range(2, len(frame) + 2))


def statuses(rows, on: date) -> dict:
    strategies, _ = normalise(flat(rows), as_of=on)
    return {title: (status, None if pd.isna(year) else int(year))
            for title, status, year in zip(strategies["title"], strategies["status"], strategies["status_year"])}


def write(tmp_path, name, rows, columns=None) -> Path:
    path = tmp_path / name
    pd.DataFrame(rows, columns=columns).to_csv(path, index=False)
    return path


# ---- status by date ------------------------------------------------------------------------------

SUCCESSION = [
    {"strategy_title": "RIS3 2014-2020", "period": "2014-2020", "priority_name": "A"},
    {"strategy_title": "Strategy 2025", "period": "2016-2025", "priority_name": "B"},
    {"strategy_title": "Strategy 2030", "period": "2022-2030", "priority_name": "C", "completeness": "partial"},
    {"strategy_title": "Interview", "period": "not stated on page", "priority_name": "D"},
]


def test_newer_partial_list_is_in_force_and_the_older_full_one_superseded():
    assert statuses(SUCCESSION, date(2026, 12, 5)) == {
        "RIS3 2014-2020": ("history", None), "Strategy 2025": ("superseded", None),
        "Strategy 2030": ("in force", None), "Interview": ("history", None)}
    # Before the newer list starts the older one is in force; the 2014-2020 one was replaced by it.
    assert statuses(SUCCESSION, date(2020, 6, 1)) == {
        "RIS3 2014-2020": ("superseded", None), "Strategy 2025": ("in force", None),
        "Strategy 2030": ("not yet in force", None), "Interview": ("history", None)}


def test_a_list_expires_after_its_horizon_unless_a_cited_page_extends_it():
    rows = [{"nuts_code": "PL22", "country": "PL", "strategy_title": "innoXY 2025", "period": "2019-2025"}]
    assert statuses(rows, date(2025, 12, 31)) == {"innoXY 2025": ("in force", None)}
    assert statuses(rows, date(2026, 1, 1)) == {"innoXY 2025": ("expired", 2025)}
    extended = [{**rows[0], "extended_until": "2027", "extension_source": "https://example.org/extended"}]
    strategies, _ = normalise(flat(extended), as_of=date(2026, 12, 5))
    assert strategies[["status", "past_horizon"]].values.tolist() == [["in force", True]]
    assert statuses(extended, date(2028, 1, 1)) == {"innoXY 2025": ("expired", 2027)}
    # An extension without its page is refused at validation, naming the row.
    bad = flat([{**rows[0], "extended_until": "2027"}])
    assert any(row == 2 and "extension_source go together" in reason
               for _, row, reason in validate_flat(bad, {"PL22"}))


def test_adopted_list_outranks_a_draft_of_the_same_period_and_a_draft_is_never_in_force():
    rows = [
        {"nuts_code": "PL41", "strategy_title": "RIS adopted", "period": "2021-2027", "source_type": "secondary"},
        {"nuts_code": "PL41", "strategy_title": "RIS concept paper", "period": "2021-2027", "source_type": "draft"},
        {"nuts_code": "PL42", "strategy_title": "RIS draft only", "period": "2021-2027", "source_type": "draft"},
    ]
    assert statuses(rows, date(2026, 12, 5)) == {
        "RIS adopted": ("in force", None), "RIS concept paper": ("draft", None), "RIS draft only": ("draft", None)}
    assert statuses(rows, date(2028, 3, 1))["RIS draft only"] == ("history", None)
    # One adopted row makes the strategy adopted (the draft row's priority keeps its caveat).
    mixed = [{"nuts_code": "PL42", "strategy_title": "RIS", "period": "2021-2027", "source_type": "draft"},
             {"nuts_code": "PL42", "strategy_title": "RIS", "period": "2021-2027", "priority_name": "ICT"}]
    strategies, priorities = normalise(flat(mixed), as_of=date(2026, 12, 5))
    assert strategies["status"].tolist() == ["in force"]
    assert priorities["caveats"].tolist() == ["draft", ""]


def test_two_adopted_lists_of_a_territory_starting_together_stop_the_build_naming_both():
    rows = [{"strategy_title": "RIS 2030", "period": "2021-2030"},
            {"strategy_title": "Another RIS", "period": "2021-2027", "priority_name": "ICT"}]
    with pytest.raises(BuildError, match=r"hand.csv, row 3: two lists of PL21 would be in force in 2026: "
                                         r"'Another RIS' and 'RIS 2030' \(hand.csv, row 2\)"):
        normalise(flat(rows), as_of=date(2026, 12, 5))


def test_caveats_are_derived_from_fields_with_their_source():
    rows = [{"completeness": "partial", "source_type": "secondary", "priority_note": "news item; period inferred",
             "source_url": "https://news.example.org/a | https://example.org/b"},
            {"completeness": "partial", "priority_name": "ICT", "period_basis": "stated",
             "priority_note": "period inferred from the title"}]
    _, priorities = normalise(flat(rows), as_of=date(2026, 12, 5))
    records = priorities.to_dict("records")
    assert s3_queries.priority_caveats(records[0]) == [
        {"kind": "partial", "label": "partial list", "source_url": "https://news.example.org/a"},
        {"kind": "secondary", "label": "secondary source", "source_url": "https://news.example.org/a"},
        {"kind": "period_inferred", "label": "inferred period", "source_url": "https://news.example.org/a"}]
    # period_basis 'stated' wins over the note
    assert [c["kind"] for c in s3_queries.priority_caveats(records[1])] == ["partial"]


# ---- duplicates ---------------------------------------------------------------------------------

def test_the_same_strategy_written_twice_is_rejected_naming_file_and_row(tmp_path, dataset):
    rows = [ROW, {**ROW, "strategy_title": "RIS-2030 ", "priority_name": "ICT"}]
    folder = tmp_path / "priorities"
    folder.mkdir()
    write(folder, "a.csv", [rows[0]])
    write(folder, "b.csv", [rows[1]])
    with pytest.raises(BuildError, match=r"b.csv, row 2: duplicate strategy: 'RIS-2030' is 'RIS 2030' \(a.csv, row 2\)"):
        load_curated(set(dataset.regions["code"]), folder)


def test_register_rejects_the_same_strategy_twice(tmp_path, dataset):
    row = {"country": "IT", "nuts_code": "ITC2", "region_name": "Valle d'Aosta", "strategy_title": "S3 VdA",
           "period": "2021-2027", "level": "regional", "source_url": "https://example.org/s3", "note": "list not found"}
    path = write(tmp_path, "strategies_without_list.csv", [row, {**row, "strategy_title": "S3 vda."}])
    with pytest.raises(BuildError, match=r"strategies_without_list.csv, row 3: duplicate strategy"):
        load_unlisted(set(dataset.regions["code"]), dataset.strategies, path)


# ---- the real dataset ---------------------------------------------------------------------------

def test_at_most_one_list_in_force_per_territory_in_the_real_dataset(dataset):
    in_force = dataset.in_force
    assert in_force["territory"].is_unique
    assert (in_force["status"] == "in force").all() and set(in_force["strategy_id"]) == set(
        dataset.strategies.loc[dataset.strategies["in_force"], "strategy_id"])
    # every region's panel shows at most one in-force list per territory covering it
    for code in dataset.regions.loc[dataset.regions["eu"] & (dataset.regions["level"] <= 2), "code"]:
        lists = s3_queries.territory_lists(dataset, code)
        territories = [r["territory"] for r in lists["in_force"]]
        assert len(territories) == len(set(territories)), code
    stats = dataset_stats(dataset.folder)["s3"]
    assert stats["territories_with_more_than_one_list_in_force"] == 0
    assert stats["in_force_past_horizon_without_source"] == 0
    assert stats["strategies_in_force"] == len(in_force)
    assert stats["nuts2_covered"] + stats["nuts2_register"] + stats["nuts2_searched_not_found"] \
        + len(stats["nuts2_in_none"]) == stats["nuts2_eu"]


def test_the_real_cases_of_the_issue_at_a_fixed_date(dataset):
    at = with_status(dataset.strategies, date(2026, 12, 5)).set_index("strategy_id")
    by_territory = {t: sorted(g["status"]) for t, g in at.groupby("territory")}
    assert by_territory["EL43"] == ["draft", "in force"]
    assert by_territory["AT22"] == ["history", "in force", "superseded"]  # newer partial in force
    assert by_territory["ES61"] == ["in force"]  # the two S4 Andalucía records are one
    assert by_territory["DE3"] == ["expired"] and by_territory["FI1D2"] == ["expired"]
    assert not any(t in by_territory for t in ("IE04", "IE05", "IE06"))  # Ireland: one national S3
    assert [r["territory"] for r in s3_queries.territory_lists(dataset, "IE05")["in_force"]] == ["IE"]
    andalucia = at[(at["territory"] == "ES61") & (at["status"] == "in force")].iloc[0]
    assert andalucia["priorities"] == 6


def test_partnerships_of_a_nuts1_or_national_selection_are_the_union_of_its_regions(dataset):
    p = dataset.partnerships
    region_level = p[p["nuts_code"].str.startswith("DE")]
    expected = set(region_level["partnership"])
    found = s3_queries.partnerships_of(dataset, "DE")
    assert set(found["partnership"]) == expected and expected
    named = dict(zip(found["partnership"], found["members"]))
    for partnership, code in zip(region_level["partnership"], region_level["nuts_code"]):
        assert any(member.endswith(f"({code})") for member in named[partnership])
    # a NUTS 2 region inherits memberships recorded for its NUTS 1 region
    nuts1 = p[p["nuts_code"].str.len() == 3].iloc[0]
    child = dataset.nuts2_children(nuts1["nuts_code"])[0]
    assert nuts1["partnership"] in set(s3_queries.partnerships_of(dataset, child)["partnership"])


# ---- the four curated files (FORMATS.md) --------------------------------------------------------

REVIEW_COLUMNS = ["priority_id", "taxonomy", "code", "decision", "reason", "reviewed_by", "reviewed_on"]


@pytest.fixture()
def code_paths(mirror):
    return {"nace_rev2": mirror / "s3/NACE_REV2_20180910_105408.csv", "nabs_2007": mirror / "s3/NABS.json"}


def review_rows(priority_id):
    by = {"reviewed_by": "test", "reviewed_on": "2026-12-05"}
    return [{"priority_id": priority_id, "taxonomy": "nace", "code": "C10", "decision": "corrected",
             "reason": "food processing", **by},
            {"priority_id": priority_id, "taxonomy": "nabs", "code": "none", "decision": "none_fits",
             "reason": "no research objective named", **by},
            {"priority_id": priority_id, "taxonomy": "sdg", "code": "SDG2", "decision": "kept", "reason": "", **by}]


def test_reviewed_codes_take_precedence_and_none_means_none_fits(tmp_path, dataset, code_paths):
    priorities = dataset.priorities
    target = priorities["priority_id"].iloc[0]
    folder = tmp_path / "codes_reviewed"
    folder.mkdir()
    write(folder, "part_a.csv", review_rows(target))
    codes = code_priorities(priorities, code_paths, reviewed_folder=folder)
    mine = codes[codes["priority_id"] == target]
    assert set(mine["method"]) == {"reviewed"}
    assert sorted(zip(mine["taxonomy"], mine["code"])) == [("nabs", "none"), ("nace", "C10"), ("sdg", "SDG2")]
    labels = dataset.taxonomy.set_index(["taxonomy", "code"])["label"]
    records = [{**r, "label": labels.get((r["taxonomy"], r["code"]), "")} for r in mine.to_dict("records")]
    texts = [c["text"] for c in s3_queries.display_codes(records)]
    assert texts == ["NACE C10 · food products", "NABS · none fits", "SDG 2 · zero hunger"]
    # the other priorities keep the coder's proposals; no folder means no reviews
    assert set(codes.loc[codes["priority_id"] != target, "method"]) <= {"coder", "curated"}
    assert reviewed_codes(pd.DataFrame(columns=["taxonomy", "code"]), set(), tmp_path / "absent").empty


@pytest.mark.parametrize("change, reason", [
    ({"priority_id": "XX-2021-0000/none"}, "unknown priority_id 'XX-2021-0000/none'"),
    ({"code": "C99"}, "nace code 'C99' is not in its code list"),
    ({"decision": "guessed"}, "decision 'guessed' is not kept, corrected or none_fits"),
    ({"reason": ""}, "a corrected code needs a reason"),
    ({"code": "none"}, "code 'none' goes with decision none_fits"),
    ({"reviewed_on": "05/12/2026"}, "reviewed_on '05/12/2026' is not YYYY-MM-DD"),
])
def test_a_bad_reviewed_row_stops_the_build_naming_file_and_row(tmp_path, dataset, code_paths, change, reason):
    target = dataset.priorities["priority_id"].iloc[0]
    rows = review_rows(target)
    rows[0] = {**rows[0], **change}
    folder = tmp_path / "codes_reviewed"
    folder.mkdir()
    write(folder, "part_b.csv", rows)
    with pytest.raises(BuildError, match=rf"part_b.csv, row 2: {re.escape(reason)}"):
        reviewed_codes(code_lists(code_paths), set(dataset.priorities["priority_id"]), folder)


def test_reviewed_rows_duplicate_or_missing_a_taxonomy_are_refused(tmp_path, dataset, code_paths):
    lists, ids = code_lists(code_paths), set(dataset.priorities["priority_id"])
    target = dataset.priorities["priority_id"].iloc[0]
    folder = tmp_path / "codes_reviewed"
    folder.mkdir()
    rows = review_rows(target)
    write(folder, "a.csv", rows)
    write(folder, "b.csv", [rows[2]])
    with pytest.raises(BuildError, match=r"b.csv, row 2: duplicate code \(also a.csv, row 4\)"):
        reviewed_codes(lists, ids, folder)
    (folder / "b.csv").unlink()
    write(folder, "a.csv", rows[:2])
    with pytest.raises(BuildError, match=r"a.csv, row 2: .*no reviewed row for sdg"):
        reviewed_codes(lists, ids, folder)


def test_documents_and_descriptions_fill_the_tables_and_bad_rows_are_refused(tmp_path, dataset):
    strategies = dataset.strategies.drop(columns=["document_source"], errors="ignore")
    priorities = dataset.priorities
    sid = strategies.loc[strategies["document_url"] == "", "strategy_id"].iloc[0]
    pid = priorities.loc[priorities["description"] == "", "priority_id"].iloc[0]
    docs = write(tmp_path, "strategy_documents.csv", [
        {"strategy_id": sid, "document_url": "https://example.org/s3.pdf", "source_url": "https://example.org/s3",
         "retrieved": "2026-12-05", "note": ""}])
    texts = write(tmp_path, "priority_descriptions.csv", [
        {"priority_id": pid, "description": "Food processing and agri-food technologies.",
         "source_url": "https://example.org/s3", "retrieved": "2026-12-05"}])
    filled_s, filled_p = apply_overlays(strategies, priorities, load_documents(strategies, docs),
                                        load_descriptions(priorities, texts))
    row = filled_s.set_index("strategy_id").loc[sid]
    assert (row["document_url"], row["document_source"]) == ("https://example.org/s3.pdf", "https://example.org/s3")
    prow = filled_p.set_index("priority_id").loc[pid]
    assert prow["description"] == "Food processing and agri-food technologies."
    assert prow["description_source"] == "https://example.org/s3"
    assert load_documents(strategies, tmp_path / "absent.csv").empty
    assert load_descriptions(priorities, tmp_path / "absent.csv").empty
    bad_docs = [({"strategy_id": "XX-1-0000"}, "unknown strategy_id 'XX-1-0000'"),
                ({"document_url": "see the PDF"}, "document_url must be an http"),
                ({"retrieved": "yesterday"}, "retrieved 'yesterday' is not YYYY-MM-DD")]
    good = pd.read_csv(docs, dtype=str, keep_default_na=False).iloc[0].to_dict()
    for change, reason in bad_docs:
        path = write(tmp_path, "strategy_documents.csv", [{**good, **change}])
        with pytest.raises(BuildError, match=rf"strategy_documents.csv, row 2: {reason}"):
            load_documents(strategies, path)
    path = write(tmp_path, "strategy_documents.csv", [good, good])
    with pytest.raises(BuildError, match=r"row 3: duplicate strategy_id .* \(also row 2\)"):
        load_documents(strategies, path)
    good_text = pd.read_csv(texts, dtype=str, keep_default_na=False).iloc[0].to_dict()
    path = write(tmp_path, "priority_descriptions.csv", [{**good_text, "description": ""}])
    with pytest.raises(BuildError, match=r"priority_descriptions.csv, row 2: description is empty"):
        load_descriptions(priorities, path)


SEARCHED = {"country": "LU", "nuts_code": "LU00", "region_name": "Luxembourg",
            "searched": "https://example.lu/a | https://example.lu/b", "queries": "S3 Luxembourg | spécialisation",
            "searched_on": "2026-12-05", "note": ""}


def test_searched_not_found_is_validated(tmp_path, dataset):
    known = set(dataset.regions["code"])
    good = load_searched_not_found(known, write(tmp_path, "searched_not_found.csv", [SEARCHED]))
    assert good["nuts_code"].tolist() == ["LU00"]
    assert load_searched_not_found(known, tmp_path / "absent.csv").empty
    for change, reason in [({"nuts_code": "LU99"}, "territory 'LU99' is not a NUTS 2021 code"),
                           ({"country": "BE"}, "territory LU00 is not in country 'BE'"),
                           ({"nuts_code": "LU0", "searched": "the ministry site"}, "searched must be the http"),
                           ({}, "duplicate territory 'LU00' \\(also row 2\\)")]:
        path = write(tmp_path, "searched_not_found.csv", [SEARCHED, {**SEARCHED, **change}])
        with pytest.raises(BuildError, match=rf"searched_not_found.csv, row 3: {reason}"):
            load_searched_not_found(known, path)


def test_coverage_puts_every_nuts2_region_in_exactly_one_state():
    regions = pd.DataFrame({"code": ["AA", "AA1", "AA11", "AA12", "AA13", "AA14", "BB", "BB11", "BB12", "BB13"],
                            "level": [0, 1, 2, 2, 2, 2, 0, 2, 2, 2], "eu": True})
    strategies = pd.DataFrame({"territory": ["AA", "AA11", "BB", "AA12", "BB11"],
                               "level": ["national", "regional", "national", "regional", "regional"],
                               "country": ["AA", "AA", "BB", "AA", "BB"],
                               "title": ["AA S3", "AA11 RIS3", "BB S3", "AA12 RIS3", "BB S3 - regional prioritisation"],
                               "in_force": [True, True, True, False, True]})
    unlisted = pd.DataFrame({"territory": ["AA13"], "level": ["regional"], "status": ["in force"]})
    searched = pd.DataFrame({"nuts_code": ["AA14"]})
    coverage = nuts2_coverage(regions, strategies, unlisted, searched).set_index("code")["state"].to_dict()
    # AA has regional strategies, so its national list covers none of its regions; BB has none (its BB11
    # record is the regional part of the national strategy), so the national list covers all
    assert coverage == {"AA11": "covered", "AA12": "none", "AA13": "register", "AA14": "searched_not_found",
                        "BB11": "covered", "BB12": "covered", "BB13": "covered"}


# ---- the panel ----------------------------------------------------------------------------------

def component_text(component) -> str:
    """Every string a Dash component tree puts on screen (children and hover titles)."""
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return "\n".join(component_text(c) for c in component)
    parts = [component_text(getattr(component, "children", None))]
    title = getattr(component, "title", None)
    if isinstance(title, str):
        parts.append(title)
    return "\n".join(parts)


def research_notes(dataset) -> set[str]:
    notes = set(dataset.priorities["note"]) | set(dataset.unlisted["note"])
    folder = config.curated_dir() / "compilation-notes"
    for name in ("priority_notes.csv", "register_notes.csv"):
        if (folder / name).is_file():
            notes |= set(pd.read_csv(folder / name, dtype=str, keep_default_na=False)["note"])
    # Shorter notes ('pillar', 'horizontal specialisation') are ordinary words that a priority's
    # sourced description may use too; a research note is a sentence or more.
    return {n for n in notes if len(n) >= 40}


def rendered_panels(dataset):
    r = dataset.regions
    codes = list(r.loc[r["eu"] & (r["level"] <= 2), "code"]) + sorted(
        c for c in dataset.strategy_territories if len(c) == 5)
    for code in codes:
        yield code, component_text(region_panel(dataset, code))


@pytest.mark.slow  # renders the panel of every EU region
def test_no_research_note_reaches_any_rendered_panel(dataset):
    notes = research_notes(dataset)
    assert len(notes) > 100
    for code, text in rendered_panels(dataset):
        leaked = [n for n in notes if n in text]
        assert not leaked, (code, leaked[0][:80])


def test_panel_shows_status_caveats_other_lists_and_labelled_badges(dataset):
    text = component_text(region_panel(dataset, "EL43"))
    assert "in force" in text and "Other lists of this territory (1): draft" in text
    assert "secondary source" in text  # the adopted Crete list rests on a news item
    assert "NACE = economic activity" in text and "SDG = UN Sustainable Development Goal" in text
    assert re.search(r"(NACE [A-U]\d* · [a-z]|SDG \d+ · [a-z])", text)
    bavaria = component_text(region_panel(dataset, "DE2"))
    assert "priorities not yet sourced" in bavaria and "history" in bavaria
    baden = component_text(region_panel(dataset, "DE1"))
    assert "None recorded for this region." not in baden
    germany = component_text(region_panel(dataset, "DE"))
    assert "(DE11)" in germany or "(DE1)" in germany  # members named


def test_titles_and_names_carry_no_compilation_notes(dataset):
    # Where a list was read (a platform page, an excerpt) is provenance, kept in the sources and
    # compilation-notes; a title or priority name on screen says only what the strategy calls itself.
    trail_words = re.compile(r"region page|excerpt|cut off|as applied in|priorities table", re.I)
    titles = [t for t in dataset.strategies["title"] if trail_words.search(t)]
    names = [n for n in dataset.priorities["name"] if trail_words.search(n)]
    assert not titles and not names, (titles[:3], names[:3])


def test_priority_map_caption_names_the_status_date(dataset):
    # "Current" used to mean "horizon 2025 or later"; the caption now says what the map counts.
    state, _ = parse("?mode=priorities&q=hydrogen", dataset)
    text = " ".join(caption(state, 2023, dataset))
    assert f"in force on {dataset.s3_as_of}" in text and "later horizon" not in text
