"""The S3 part of the region panel: the list in force with its status, each priority's standard
caveats with their source, labelled taxonomy badges, the territory's other lists under it, and
S3 partnerships. Pure builders over s3map.data.s3_queries; research notes are never rendered."""

from __future__ import annotations

from dash import dcc, html

from s3map.data import s3_queries as q
from s3map.data.curated_csv import split_urls


def _link(text: str, url: str, class_name: str = "source-link") -> html.A:
    return html.A(text, href=url, target="_blank", rel="noopener", className=class_name)


def _sources(urls: str) -> list:
    pages = split_urls(urls)
    return [_link(f"source {n}" if len(pages) > 1 else "source", url, "source-link me-2")
            for n, url in enumerate(pages, 1)]


def status_badge(label: str) -> html.Span:
    kind = label.split()[0] if label else "unknown"
    return html.Span(label, className=f"status-badge status-{kind}")


def strategy_section(dataset, code: str) -> list:
    lists = q.territory_lists(dataset, code)
    out = [html.H3("Smart specialisation strategy")]
    if not (lists["in_force"] or lists["other"] or lists["unlisted"]):
        return out + [html.P("No strategy recorded for this region yet.", className="no-data")]
    out.append(html.P(q.TAXONOMY_LINE, className="taxonomy-explained text-muted"))
    shown_territories = set()
    for record in lists["in_force"]:
        others = [r for r in lists["other"] if r["territory"] == record["territory"]]
        out.append(strategy_card(dataset, record, others))
        shown_territories.add(record["territory"])
    for record in lists["unlisted"]:
        others = [r for r in lists["other"] if r["territory"] == record["territory"]]
        out.append(unlisted_card(dataset, record, others))
        shown_territories.add(record["territory"])
    rest = [r for r in lists["other"] if r["territory"] not in shown_territories]
    if rest:
        out.append(html.P("No list in force is recorded for this territory; earlier or draft lists:",
                          className="no-data"))
        out.append(other_lists(dataset, rest, open_=True))
    out += related_strategies(dataset, code, lists)
    return out


def priority_item(priority: dict) -> html.Li:
    badges = [html.Span(c["text"], title=c["title"],
                        className=f"code-badge code-{c['taxonomy']} code-{c['method']}"
                        + (" code-none" if c["none_fits"] else ""))
              for c in q.display_codes(priority["codes"])]
    found = q.priority_caveats(priority)
    # one line: the caveats, then the page they rest on (the same page for all of a priority's caveats)
    caveats = [html.Span(" · ".join(c["label"] for c in found), className="caveat"), " ",
               _link("source", found[0]["source_url"])] if found else []
    source = q.first_url(priority["source_url"])
    description = None
    if priority.get("description"):
        description = html.Div([priority["description"], " "] +
                               ([_link("source", priority["description_source"])]
                                if priority.get("description_source") else []),
                               className="priority-description")
    return html.Li([
        html.Span(priority["name"], className="priority-name"), " ", _link("source", source),
        html.Div(caveats, className="caveats") if caveats else None,
        description,
        html.Div(badges, className="badges"),
    ])


def _meta(record: dict) -> list:
    scope = "National strategy" if record["level"] == "national" else "Regional strategy"
    meta = [status_badge(record["status_label"]), f" {scope} · {record['territory']} · {record['period']}"]
    if record.get("document_url"):
        meta += [" · ", _link("strategy document", record["document_url"], "")]
    return meta


def strategy_card(dataset, record: dict, others: list[dict] = ()) -> html.Div:
    items = [priority_item(p) for p in dataset.priority_records(record["strategy_id"])]
    caveats = q.strategy_caveats(record)
    body = [html.H4(record["title"]), html.P(_meta(record), className="strategy-meta")]
    if caveats:
        body.append(html.P("Caveats: " + "; ".join(caveats) + ".", className="strategy-caveats"))
    body.append(html.Ol(items, className="priority-list"))
    if others:
        body.append(other_lists(dataset, others))
    return html.Div(body, className=f"strategy status-{record['status'].split()[0]}")


def other_lists(dataset, records: list[dict], open_: bool = False) -> html.Details:
    """The territory's other lists (superseded, draft, expired, history), each with its status."""
    cards = []
    for record in records:
        items = [priority_item(p) for p in dataset.priority_records(record["strategy_id"])]
        cards.append(html.Div([html.H5(record["title"]), html.P(_meta(record), className="strategy-meta"),
                               html.Ol(items, className="priority-list")],
                              className=f"strategy other status-{record['status'].split()[0]}"))
    summary = f"Other lists of this territory ({len(records)}): " + ", ".join(
        dict.fromkeys(r["status_label"] for r in records))
    return html.Details([html.Summary(summary)] + cards, open=open_, className="other-lists")


def unlisted_card(dataset, record: dict, others: list[dict] = ()) -> html.Div:
    """A strategy in force a page shows to exist, whose priority list could not be sourced: a gap."""
    scope = "National strategy" if record["level"] == "national" else "Regional strategy"
    meta = [status_badge("in force"), f" {scope} · {record['territory']} · {record['period']} · priorities not yet sourced"]
    if record.get("document_url"):
        meta += [" · ", _link("strategy document", record["document_url"], "")]
    caveat = q.UNLISTED_CAVEAT + (" · secondary source" if record.get("source_type") == "secondary" else "")
    body = [html.H4(record["title"]), html.P(meta, className="strategy-meta"),
            html.P([caveat.capitalize() + ". "] + _sources(record["source_urls"]), className="no-data")]
    if others:
        body.append(other_lists(dataset, others))
    return html.Div(body, className="strategy status-in unlisted")


def related_strategies(dataset, code: str, lists: dict) -> list:
    """A national strategy lists its country's regional ones; a regional one links to its national one."""
    country = code[:2]
    if len(code) == 2:
        regional = dataset.regional_strategies_in(country)
        if regional.empty:
            return [html.P("No regional list in force recorded in this country.", className="no-data")]
        links = [html.Li(dcc.Link(f"{dataset.region_name(t.split()[0]) or t} — {title}", href=f"?region={t.split()[0]}"))
                 for t, title in zip(regional["territory"], regional["title"])]
        return [html.H3(f"Regional strategies in {dataset.region_name(country)}"), html.Ul(links)]
    national = dataset.national_strategy(country)
    if national is None or any(r["territory"] == country for r in lists["in_force"]):
        return []
    return [html.P(["National strategy: ", dcc.Link(national["title"], href=f"?region={country}")],
                   className="strategy-meta")]


def partnership_block(dataset, code: str) -> list:
    """S3 partnerships; a country or NUTS 1 selection shows the union of its regions', members named."""
    found = q.partnerships_of(dataset, code)
    out = [html.H3("S3 partnerships")]
    if found.empty:
        return out + [html.P("None recorded for this region.", className="no-data")]
    several = len(code) <= 3
    items = [html.Li([html.Strong(row.partnership), f" ({row.platform})"]
                     + ([": ", ", ".join(row.members)] if several else []))
             for row in found.itertuples(index=False)]
    note = [html.P("Memberships of the regions in this area.", className="text-muted")] if several else []
    return out + note + [html.Ul(items, className="partnerships")]
