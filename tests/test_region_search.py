"""Find a region by the names people use: the alias table, folding, and "did you mean"."""

from __future__ import annotations

import pytest

from s3map.data.region_search import ALIASES_CSV, dropdown_options, fold, index_for, load_aliases

# Names a policymaker types (issue 12 and the S3 Forum's list) -> the region that must come first.
COMMON_NAMES = {
    "Bavaria": "DE2", "Lombardy": "ITC4", "Andalusia": "ES61", "Basque Country": "ES21", "Euskadi": "ES21",
    "Basque": "ES21", "Brittany": "FRH0", "Flanders": "BE2", "Wallonia": "BE3", "Île-de-France": "FR1",
    "Nord-Pas-de-Calais": "FRE1", "Catalonia": "ES51", "Tuscany": "ITI1", "Saxony": "DED",
    "Lower Saxony": "DE9", "North Rhine-Westphalia": "DEA", "Moravian-Silesian": "CZ08", "Mazovia": "PL9",
    "Lesser Poland": "PL21", "Greater Poland": "PL41", "Attica": "EL30", "Crete": "EL43", "Vienna": "AT13",
    "Prague": "CZ01", "Lisbon": "PT17", "Madrid": "ES3", "Rome": "ITI4", "Milan": "ITC4", "Piedmont": "ITC1",
    "Sardinia": "ITG2", "Sicily": "ITG1", "Apulia": "ITF4", "Carinthia": "AT21", "Styria": "AT22",
    "Tyrol": "AT33", "Upper Austria": "AT31", "Lower Austria": "AT12", "Thuringia": "DEG", "Hesse": "DE7",
    "Saxony-Anhalt": "DEE", "Galicia": "ES11", "Valencia": "ES52", "Castile and León": "ES41",
    "Castile-La Mancha": "ES42", "Murcia": "ES62", "Navarre": "ES22", "Aragon": "ES24", "Asturias": "ES12",
    "Canary Islands": "ES70", "Azores": "PT20", "Madeira": "PT30", "Silesian Voivodeship": "PL22",
}


@pytest.fixture(scope="module")
def index(dataset):
    return index_for(dataset)


@pytest.mark.parametrize("name, code", COMMON_NAMES.items())
def test_common_names_find_their_region_first(index, name, code):
    assert index.search(name)[0].code == code


def test_an_alias_match_says_which_name_found_it(index):
    top = index.search("bavaria")[0]
    assert (top.code, top.via, top.term.alias.language) == ("DE2", "Bavaria", "en")
    assert top.term.alias.source_url.startswith("https://")
    rome = index.search("Rome")[0]
    assert rome.term.kind == "contains"  # a city in Lazio, not Lazio's name


@pytest.mark.parametrize("typed, written", [
    ("Nord-Pas-de-Calais", "Nord-Pas de Calais"), ("ile de france", "Île-de-France"), ("LODZKIE", "Łódzkie"),
    ("Provence Alpes Cote d'Azur", "Provence-Alpes-Côte d’Azur"), ("  Baden  Wurttemberg ", "Baden-Württemberg"),
])
def test_folding_ignores_case_accents_hyphens_and_spaces(typed, written):
    assert fold(typed) == fold(written)


def test_folded_queries_find_nuts_names_written_differently(index):
    for query, code in [("Nord Pas de Calais", "FRE1"), ("nordpasdecalais", "FRE1"), ("Ile-de-France", "FR1"),
                        ("malopolskie", "PL21"), ("Moravia-Silesia", "CZ08"), ("provence alpes cote", "FRL")]:
        assert code in [m.code for m in index.search(query)], query


def test_partial_names_list_every_region_containing_them(index):
    assert {"PL22", "PL51", "CZ08"} <= {m.code for m in index.search("Silesia")}
    assert {"CZ02", "CZ031"} <= {m.code for m in index.search("Bohemia")}


def test_did_you_mean_when_nothing_matches(index):
    for typo, meant in [("Bavarai", "Bavaria"), ("Lombrady", "Lombardy"), ("Andalusa", "Andalusia"),
                        ("Brittanny", "Brittany")]:
        assert index.search(typo) == []
        assert meant in index.did_you_mean(typo), typo
    assert index.did_you_mean("qqqqqq") == []


def test_alias_table_every_name_sourced_and_pointing_to_an_offered_region(dataset, index):
    aliases = load_aliases()
    assert len(aliases) >= 100
    assert all(a.source_url.startswith(("https://", "http://")) for a in aliases)
    assert {a.nuts_code for a in aliases} <= set(index.by_code)  # RegionIndex.build also refuses unknown codes
    pairs = [(fold(a.alias), a.nuts_code) for a in aliases]
    assert len(pairs) == len(set(pairs)), "duplicate alias rows"
    readme = ALIASES_CSV.with_name("aliases.README.md").read_text(encoding="utf-8")
    assert all(f"<{a.source_url}>" in readme for a in aliases), "list every source in data/aliases.README.md"


def test_an_alias_without_a_source_is_refused(tmp_path):
    bad = tmp_path / "aliases.csv"
    bad.write_text("alias,nuts_code,language,relation,source_url\nBavaria,DE2,en,name,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="source"):
        load_aliases(bad)


def test_dropdown_options_say_why_a_region_is_offered_and_suggest_on_a_typo(index):
    everything = dropdown_options(index)
    assert len(everything) == len(index.entries) and "bavaria" in next(o for o in everything if o["value"] == "DE2")["search"]
    bavaria = dropdown_options(index, "bavaria")
    assert bavaria[0]["value"] == "DE2" and "Bavaria" in bavaria[0]["label"] and bavaria[0]["search"].startswith("bavaria")
    assert "contains Rome" in dropdown_options(index, "Rome")[0]["label"]
    typo = dropdown_options(index, "Bavarai")
    assert typo[0]["value"] == "DE2" and typo[0]["label"].startswith("Did you mean Bavaria?")
    nothing = dropdown_options(index, "qqqqqq")
    assert nothing == [{"label": "No region matches “qqqqqq”", "value": "", "search": "qqqqqq", "disabled": True}]
