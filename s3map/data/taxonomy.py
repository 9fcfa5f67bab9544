"""The three taxonomies priorities are coded on, and the offline coder that proposes codes.

- nace: NACE Rev.2 sections (A..U) and divisions, written section+division (C10, J62) as Eye@RIS3 did.
- nabs: NABS 2007 chapters (1..14, 12.x/13.x), the basis of Eye@RIS3's scientific domains.
- sdg: the 17 UN Sustainable Development Goals. Eye@RIS3's own list of EU policy objectives could
  not be sourced as data (shared/data/s3/SOURCE.md), so policy objectives use the SDGs.

The coder scores a priority's name and description against each code's label and Eurostat's
explanatory note (TF-IDF cosine) plus a hand-made lexicon of S3 vocabulary (coder_lexicon.csv).
It is deterministic, needs no model download, and never overrides a code a person assigned.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from s3map import config
from s3map.data.curated_csv import read_curated_csv
from s3map.data.errors import BuildError

TAXONOMIES = ("nace", "nabs", "sdg")
LEXICON_FILE = Path(__file__).with_name("coder_lexicon.csv")
LEXICON_WEIGHT = 0.6
MIN_SCORE = 0.12
TOP_K = 3
STOPWORDS = set("""a an and the of in on for to with by from as at or its their this that these those
including include includes other n.e.c. activities activity services service products product related
development based new smart specialisation specialization area areas domain domains sector sectors
priority priorities technologies technology innovation innovative sustainable advanced high value chain
chains systems system regional region economy""".split())


# Words that name another domain than their usual one: "data mining" is analytics, not extraction.
FALSE_FRIENDS = {"data mining": "data analytics", "text mining": "text analytics", "process mining": "process analytics"}
FALSE_FRIEND_PATTERN = re.compile("|".join(re.escape(phrase) for phrase in FALSE_FRIENDS))


def plain(text: str) -> str:
    """Lower-cased text with false friends replaced, as the coder reads it."""
    return FALSE_FRIEND_PATTERN.sub(lambda m: FALSE_FRIENDS[m.group(0)], str(text).lower())


def tokens(text: str) -> list[str]:
    words = re.findall(r"[a-z0-9][a-z0-9\-]+", plain(text))
    out = []
    for word in words:
        if word in STOPWORDS or len(word) < 3:
            continue
        if word.endswith("ies") and len(word) > 5:
            word = word[:-3] + "y"
        elif word.endswith("s") and not word.endswith("ss") and len(word) > 4:
            word = word[:-1]
        out.append(word)
    return out


def code_lists(paths: dict[str, Path]) -> pd.DataFrame:
    """code, taxonomy, label, parent, text (what the coder matches against)."""
    nace = pd.read_csv(paths["nace_rev2"], dtype=str, keep_default_na=False)
    nace = nace[nace["Level"].isin(["1", "2"])]
    section_of = {}
    rows = []
    for record in nace.itertuples(index=False):
        level, code, parent, label = record.Level, record.Code, record.Parent, record.Description
        includes = getattr(record, "_5", "") or ""
        if level == "1":
            section_of[code] = code
            rows.append(("nace", code, label.capitalize(), "", label))
        else:
            full = f"{parent}{code}"
            rows.append(("nace", full, label, parent, f"{label} {includes[:600]}"))
    nabs = pd.read_json(paths["nabs_2007"], dtype={"id": str})
    for record in nabs.itertuples(index=False):
        rows.append(("nabs", str(record.id), record.name, "", record.name))
    sdg_path = config.curated_dir() / "taxonomy" / "sdg.csv"
    sdg = pd.read_csv(sdg_path, dtype=str)
    for record in sdg.itertuples(index=False):
        rows.append(("sdg", record.code, record.label, "", record.label))
    frame = pd.DataFrame(rows, columns=["taxonomy", "code", "label", "parent", "text"])
    if frame.duplicated(["taxonomy", "code"]).any():
        dup = frame[frame.duplicated(["taxonomy", "code"])].iloc[0]
        raise BuildError("code lists", f"duplicate {dup['taxonomy']} code {dup['code']}")
    return frame


class Coder:
    """TF-IDF over code texts plus lexicon hits; `propose(text)` -> top codes per taxonomy with scores."""

    def __init__(self, codes: pd.DataFrame, lexicon: pd.DataFrame | None = None):
        self.codes = codes.reset_index(drop=True)
        documents = [Counter(tokens(text)) for text in self.codes["text"]]
        df = Counter(term for doc in documents for term in doc)
        self.vocabulary = {term: index for index, term in enumerate(sorted(df))}
        n = len(documents)
        self.idf = np.array([math.log((1 + n) / (1 + df[t])) + 1 for t in sorted(df)])
        self.matrix = np.vstack([self._vector(doc) for doc in documents])  # codes x terms, rows unit length
        lexicon = pd.read_csv(LEXICON_FILE, dtype=str) if lexicon is None else lexicon
        index = {key: i for i, key in enumerate(zip(self.codes["taxonomy"], self.codes["code"]))}
        unknown = [(t, c) for t, c in zip(lexicon["taxonomy"], lexicon["code"]) if (t, c) not in index]
        if unknown:
            raise BuildError(LEXICON_FILE.name, f"lexicon code {unknown[0]} is not in its code list")
        self.lexicon_terms = {
            term: [index[(t, c)] for t, c in zip(group["taxonomy"], group["code"])]
            for term, group in lexicon.groupby("term", sort=True)
        }
        self.lexicon_patterns = {term: re.compile(rf"(?<![a-z]){re.escape(term)}(?![a-z])") for term in self.lexicon_terms}

    def _vector(self, counts: Counter) -> np.ndarray:
        vector = np.zeros(len(self.vocabulary))
        for term, tf in counts.items():
            if term in self.vocabulary:
                vector[self.vocabulary[term]] = 1 + math.log(tf)
        vector *= self.idf
        norm = np.linalg.norm(vector)
        return vector / norm if norm else vector

    def scores(self, text: str) -> np.ndarray:
        """One score per code: cosine similarity plus LEXICON_WEIGHT per lexicon hit (at most two)."""
        score = self.matrix @ self._vector(Counter(tokens(text)))
        lowered = f" {plain(text)} "
        hits = np.zeros(len(score))
        for term, pattern in self.lexicon_patterns.items():
            if pattern.search(lowered):
                hits[self.lexicon_terms[term]] += 1
        return score + LEXICON_WEIGHT * np.minimum(hits, 2)

    def propose(self, text: str, top_k: int = TOP_K) -> pd.DataFrame:
        frame = self.codes[["taxonomy", "code"]].assign(score=self.scores(text))
        frame = frame[frame["score"] >= MIN_SCORE]
        frame = frame.sort_values(["taxonomy", "score", "code"], ascending=[True, False, True])
        frame = frame.groupby("taxonomy").head(top_k).copy()
        frame["rank"] = frame.groupby("taxonomy").cumcount() + 1
        frame["score"] = frame["score"].clip(upper=1.0).round(3)
        return frame.reset_index(drop=True)


def curated_codes(known: pd.DataFrame) -> pd.DataFrame:
    path = config.curated_dir() / "codes_curated.csv"
    if not path.is_file():
        return pd.DataFrame(columns=["priority_id", "taxonomy", "code"])
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    valid = set(zip(known["taxonomy"], known["code"]))
    for index, row in frame.iterrows():
        if (row["taxonomy"], row["code"]) not in valid:
            raise BuildError(path.name, f"{row['taxonomy']} code {row['code']!r} is not in its code list", row=index + 2)
    return frame


REVIEWED_DIR = "codes_reviewed"
REVIEWED_COLUMNS = ["priority_id", "taxonomy", "code", "decision", "reason", "reviewed_by", "reviewed_on"]
DECISIONS = {"kept", "corrected", "none_fits"}
NONE_CODE = "none"  # a reviewed "no code of this taxonomy fits": shown as such, not as a gap
MAX_REVIEWED_PER_TAXONOMY = 2
CODE_COLUMNS = ["priority_id", "taxonomy", "code", "method", "score", "rank", "reason"]


def reviewed_codes(known: pd.DataFrame, priority_ids: set[str], folder: Path | None = None) -> pd.DataFrame:
    """Codes a person checked against a priority's name, description and source (method `reviewed`).

    One row per (priority, taxonomy, code) in data/s3/codes_reviewed/*.csv (FORMATS.md); `none`
    means no code fits. A missing folder is no reviews. A bad row stops the build naming file and row.
    """
    folder = config.curated_dir() / REVIEWED_DIR if folder is None else folder
    files = sorted(folder.glob("*.csv")) if folder.is_dir() else []
    if not files:
        return pd.DataFrame(columns=REVIEWED_COLUMNS + ["file", "row"])
    frames = []
    for path in files:
        frames.append(read_curated_csv(path, REVIEWED_COLUMNS).assign(file=path.name))
    frame = pd.concat(frames, ignore_index=True)
    valid = set(zip(known["taxonomy"], known["code"]))
    seen: dict = {}
    for _, row in frame.iterrows():
        problem = None
        key = (row["priority_id"], row["taxonomy"], row["code"])
        if row["priority_id"] not in priority_ids:
            problem = f"unknown priority_id {row['priority_id']!r}"
        elif row["taxonomy"] not in TAXONOMIES:
            problem = f"taxonomy {row['taxonomy']!r} is not nace, nabs or sdg"
        elif row["code"] != NONE_CODE and (row["taxonomy"], row["code"]) not in valid:
            problem = f"{row['taxonomy']} code {row['code']!r} is not in its code list"
        elif row["decision"] not in DECISIONS:
            problem = f"decision {row['decision']!r} is not kept, corrected or none_fits"
        elif (row["code"] == NONE_CODE) != (row["decision"] == "none_fits"):
            problem = "code 'none' goes with decision none_fits, and only with it"
        elif row["decision"] != "kept" and not row["reason"]:
            problem = f"a {row['decision']} code needs a reason"
        elif not row["reviewed_by"]:
            problem = "reviewed_by is empty"
        elif not re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["reviewed_on"]):
            problem = f"reviewed_on {row['reviewed_on']!r} is not YYYY-MM-DD"
        elif key in seen:
            problem = f"duplicate code (also {seen[key]})"
        if problem:
            raise BuildError(row["file"], problem, row=int(row["row"]))
        seen[key] = f"{row['file']}, row {int(row['row'])}"
    for (priority_id, taxonomy), group in frame.groupby(["priority_id", "taxonomy"], sort=False):
        first = group.iloc[0]
        if len(group) > MAX_REVIEWED_PER_TAXONOMY:
            raise BuildError(first["file"], f"{priority_id}: more than {MAX_REVIEWED_PER_TAXONOMY} {taxonomy} codes",
                             row=int(group.iloc[MAX_REVIEWED_PER_TAXONOMY]["row"]))
        if len(group) > 1 and (group["code"] == NONE_CODE).any():
            raise BuildError(first["file"], f"{priority_id}: 'none' and a {taxonomy} code at once", row=int(first["row"]))
    for priority_id, group in frame.groupby("priority_id", sort=False):
        absent = [t for t in TAXONOMIES if t not in set(group["taxonomy"])]
        if absent:
            first = group.iloc[0]
            raise BuildError(first["file"], f"{priority_id}: no reviewed row for {', '.join(absent)} "
                             "(write a 'none' row where nothing fits)", row=int(first["row"]))
    return frame


def code_priorities(priorities: pd.DataFrame, paths: dict[str, Path], reviewed_folder: Path | None = None) -> pd.DataFrame:
    """Per priority and taxonomy, one source of codes: reviewed, else curated (the hand-coded sample),
    else the coder's proposals. The curated sample stays in codes_curated.csv for `coder-eval`."""
    lists = code_lists(paths)
    curated = curated_codes(lists)
    unknown = set(curated["priority_id"]) - set(priorities["priority_id"])
    if unknown:
        raise BuildError("codes_curated.csv", f"priority {sorted(unknown)[0]!r} is not in the curated priorities")
    reviewed = reviewed_codes(lists, set(priorities["priority_id"]), reviewed_folder)
    reviewed_done = set(zip(reviewed["priority_id"], reviewed["taxonomy"]))
    curated = curated[[(p, t) not in reviewed_done for p, t in zip(curated["priority_id"], curated["taxonomy"])]]
    coder = Coder(lists)
    done = reviewed_done | set(zip(curated["priority_id"], curated["taxonomy"]))
    rows = [
        reviewed.assign(method="reviewed", score=float("nan"),
                        rank=reviewed.groupby(["priority_id", "taxonomy"]).cumcount() + 1),
        curated.assign(method="curated", score=float("nan"), reason="",
                       rank=curated.groupby(["priority_id", "taxonomy"]).cumcount() + 1),
    ]
    for record in priorities.itertuples(index=False):
        proposals = coder.propose(f"{record.name}. {record.description}")
        proposals = proposals[[(record.priority_id, t) not in done for t in proposals["taxonomy"]]]
        rows.append(proposals.assign(priority_id=record.priority_id, method="coder", reason=""))
    out = pd.concat(rows, ignore_index=True)[CODE_COLUMNS]
    out["rank"] = out["rank"].astype(int)
    return out
