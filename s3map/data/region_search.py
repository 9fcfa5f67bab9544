"""Find a region by the names people use: NUTS names, native script, codes, country names, and the
sourced English and common names of `data/aliases.csv` ("Bavaria", "Euskadi", "Lesser Poland").

Matching folds case, accents, hyphens, apostrophes and spaces, so "Nord-Pas-de-Calais" finds NUTS's
"Nord-Pas de Calais" and "ile de france" finds "Île-de-France". When nothing matches, `did_you_mean`
offers the closest known names (difflib). No Dash here: the app's search box, the notebook and the
tests use the same functions.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from s3map import config

ALIASES_CSV = config.PROJECT_ROOT / "data" / "aliases.csv"
ALIAS_COLUMNS = ["alias", "nuts_code", "language", "relation", "source_url"]
RELATIONS = {"name": "a name of the region", "contains": "a city the region contains"}
# Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae",
                          "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th", "ð": "d", "’": "'"})
_NOT_ALNUM = re.compile(r"[^0-9a-z\u0370-\u03ff\u0400-\u04ff]+")
# Rank of a match, best first; a country-name or "contains" match ranks below the region's own names.
EXACT, PREFIX, WORDS, INSIDE = 0, 1, 2, 3
_KIND_PENALTY = {"name": 0.0, "code": 0.0, "alias": 0.0, "contains": 0.5, "country": 2.0}


def plain(text: str) -> str:
    """'Małopolskie' -> 'Malopolskie': without diacritics, case and punctuation kept."""
    text = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """'Île-de-France' -> 'ile de france'; 'Nord-Pas de Calais' == fold('Nord-Pas-de-Calais')."""
    text = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return _NOT_ALNUM.sub(" ", text).strip()


@dataclass(frozen=True)
class Alias:
    alias: str
    nuts_code: str
    language: str
    relation: str
    source_url: str


@dataclass(frozen=True)
class Term:
    text: str  # as shown ("Bavaria")
    kind: str  # name, code, alias, contains, country
    alias: Alias | None = None
    folded: str = field(init=False, compare=False)
    compact: str = field(init=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "folded", fold(self.text))
        object.__setattr__(self, "compact", self.folded.replace(" ", ""))


@dataclass(frozen=True)
class Entry:
    code: str
    label: str
    level: int
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Match:
    code: str
    label: str
    term: Term  # the name that matched
    rank: float

    @property
    def via(self) -> str | None:
        """'Bavaria' when the region was found by a name that is not its label, else None."""
        return self.term.text if self.term.kind in ("alias", "contains") else None


def load_aliases(path: Path = ALIASES_CSV) -> list[Alias]:
    """The alias table; a row without a name, a code, a known relation or an http(s) source stops here."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != ALIAS_COLUMNS:
            raise ValueError(f"{path}: columns must be {ALIAS_COLUMNS}, found {reader.fieldnames}")
        aliases = []
        for line, row in enumerate(reader, start=2):
            alias = Alias(**{key: (row[key] or "").strip() for key in ALIAS_COLUMNS})
            if not alias.alias or not alias.nuts_code or not alias.language:
                raise ValueError(f"{path}:{line}: alias, nuts_code and language are required")
            if alias.relation not in RELATIONS:
                raise ValueError(f"{path}:{line}: relation must be one of {sorted(RELATIONS)}")
            if not alias.source_url.startswith(("https://", "http://")):
                raise ValueError(f"{path}:{line}: every alias needs a source URL")
            aliases.append(alias)
    return aliases


def _score(query: str, compact_query: str, words: list[str], term: Term) -> int | None:
    if query == term.folded:
        return EXACT
    if term.folded.startswith(query):
        return PREFIX
    term_words = term.folded.split()
    if all(any(w.startswith(q) for w in term_words) for q in words):
        return WORDS
    if len(compact_query) >= 3 and compact_query in term.compact:
        return INSIDE
    return None


class RegionIndex:
    """Regions and every name they can be found by."""

    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self.by_code = {entry.code: entry for entry in entries}
        # folded name or word -> the names shown for it, for "did you mean"
        self._suggestions: dict[str, list[str]] = {}
        for entry in entries:
            for term in entry.terms:
                if term.kind == "code":
                    continue
                for key in {term.folded, *(w for w in term.folded.split() if len(w) >= 4)}:
                    shown = self._suggestions.setdefault(key, [])
                    if term.text not in shown:
                        shown.append(term.text)

    @classmethod
    def build(cls, regions: list[dict], aliases: list[Alias]) -> RegionIndex:
        """`regions`: dicts with code, label, level and names (NUTS name, native name, country name...).

        Aliases whose code is not among `regions` are an error: the table must not point nowhere."""
        known = {region["code"] for region in regions}
        unknown = sorted({a.nuts_code for a in aliases} - known)
        if unknown:
            raise ValueError(f"aliases point to regions that are not offered: {', '.join(unknown)}")
        by_code: dict[str, list[Alias]] = {}
        for alias in aliases:
            by_code.setdefault(alias.nuts_code, []).append(alias)
        entries = []
        for region in regions:
            terms = [Term(region["code"], "code")]
            terms += [Term(name, "name") for name in region.get("names", ()) if name]
            terms += [Term(name, "country") for name in region.get("country_names", ()) if name]
            terms += [Term(a.alias, "alias" if a.relation == "name" else "contains", a)
                      for a in by_code.get(region["code"], ())]
            entries.append(Entry(region["code"], region["label"], int(region["level"]), tuple(terms)))
        return cls(entries)

    def search(self, query: str, limit: int = 50) -> list[Match]:
        """Regions matching `query`, best first (exact, then prefix, then every word, then anywhere)."""
        folded = fold(query or "")
        if not folded:
            return []
        compact, words = folded.replace(" ", ""), folded.split()
        found = []
        for order, entry in enumerate(self.entries):
            best = None
            for term in entry.terms:
                score = _score(folded, compact, words, term)
                if score is not None:
                    rank = score + _KIND_PENALTY[term.kind]
                    if best is None or rank < best[0]:
                        best = (rank, term)
            if best is not None:
                found.append((best[0], order, Match(entry.code, entry.label, best[1], best[0])))
        found.sort(key=lambda item: (item[0], item[1]))
        return [match for _, _, match in found[:limit]]

    def did_you_mean(self, query: str, n: int = 3) -> list[str]:
        """The closest known names to a query that matched nothing ("Bavarai" -> ["Bavaria"])."""
        folded = fold(query or "")
        if not folded:
            return []
        scored = []
        for key in self._suggestions:
            matcher = difflib.SequenceMatcher(None, folded, key)
            if matcher.real_quick_ratio() >= 0.7 and matcher.quick_ratio() >= 0.7:
                ratio = matcher.ratio()
                if ratio >= 0.7:
                    scored.append((ratio, key))
        scored.sort(key=lambda item: -item[0])
        out: list[str] = []
        for ratio, key in scored:
            if ratio < scored[0][0] - 0.08:  # only names about as close as the closest one
                break
            for shown in self._suggestions[key]:
                if shown not in out:
                    out.append(shown)
        return out[:n]


def country_names(codes) -> dict[str, str]:
    """Eurostat country code -> English short name (ISO 3166 via pycountry; Eurostat writes EL and UK)."""
    import pycountry  # noqa: PLC0415  (slow to import; only needed when an index is built)

    iso = {"EL": "GR", "UK": "GB"}
    out = {}
    for code in codes:
        country = pycountry.countries.get(alpha_2=iso.get(code, code))
        if country is not None:
            out[code] = getattr(country, "common_name", None) or country.name
    return out


def offered_regions(dataset) -> list[dict]:
    """The regions the search box offers: EU countries, NUTS 1 and 2 regions, and the NUTS 3 regions
    that have a strategy of their own; each with the names it can be found by."""
    r = dataset.regions
    wanted = (r["level"] <= 2) | r["code"].isin(dataset.strategy_territories)
    rows = r[r["eu"] & wanted].sort_values(["country", "level", "name"], kind="stable")
    english = country_names(rows["country"].unique())
    return [{"code": code, "level": int(level), "names": [name, native],
             "country_names": [english.get(code[:2], "")],
             "label": f"{name} ({code})" if level else f"{name} — {english.get(code, '')} ({code})"}
            for code, name, native, level in zip(rows["code"], rows["name"], rows["name_native"], rows["level"])]


@lru_cache(maxsize=4)
def _cached_index(dataset, aliases_path: Path, mtime: float) -> RegionIndex:
    return RegionIndex.build(offered_regions(dataset), load_aliases(aliases_path))


def index_for(dataset, aliases_path: Path = ALIASES_CSV) -> RegionIndex:
    """The search index of a dataset, built once per dataset and version of the alias file."""
    return _cached_index(dataset, aliases_path, aliases_path.stat().st_mtime)


def _searchable_text(entry: Entry) -> str:
    """Every name of a region, as written and folded, for a search box's own client-side filter."""
    words = []
    for term in entry.terms:
        for form in (term.text, plain(term.text), term.folded, term.compact):
            if form and form not in words:
                words.append(form)
    return " ".join(words)


def dropdown_options(index: RegionIndex, query: str | None = None, limit: int = 50) -> list[dict]:
    """Options for a search box ({label, value, search, disabled}).

    No query: every region, in index order. A query: the matches, best first, each labelled with the
    name it was found by when that is not its own ("Bayern (DE2) · Bavaria"); nothing matched: the
    "did you mean" suggestions as selectable options, or one disabled line saying so. `search` holds
    the query and every name of the region, so a client-side filter keeps what the server chose."""
    if not query or not fold(query):
        return [{"label": e.label, "value": e.code, "search": _searchable_text(e)} for e in index.entries]
    matches = index.search(query, limit)
    if matches:
        options = []
        for m in matches:
            label = m.label
            if m.term.kind == "alias":
                label = f"{m.label} · {m.term.text}"
            elif m.term.kind == "contains":
                label = f"{m.label} · contains {m.term.text}"
            options.append({"label": label, "value": m.code,
                            "search": f"{query} {_searchable_text(index.by_code[m.code])}"})
        return options
    options = []
    for name in index.did_you_mean(query):
        for m in index.search(name, 3):
            if m.term.text == name and not any(o["value"] == m.code for o in options):
                options.append({"label": f"Did you mean {name}? {m.label}", "value": m.code, "search": query})
    return options or [{"label": f"No region matches “{query.strip()}”", "value": "", "search": query,
                        "disabled": True}]
