"""Comparison, peers & partners, specialisation: the side panel's analysis tabs. Pure builders."""

from __future__ import annotations

import io

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from s3map.analysis.partners import partner_regions
from s3map.analysis.peers import similar_regions
from s3map.analysis.specialisation import specialisation_check
from s3map.data.rci_employment import PEER_DIMENSIONS
from s3map.figures.charts import peer_contributions, profile, time_series
from s3map.figures.map import format_value
from s3map.state import to_search
from s3map.ui import ids
from s3map.ui.panel import peer_controls, rank_text, stale_mark
from s3map.data.csv_safe import neutralise_frame

GRAPH_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}
METHOD = ("Peers are found on structural conditions that a region cannot change quickly, after the S3 Platform's "
          "regional benchmarking (Navarro et al. 2014): {dims}. Variables: Regional Competitiveness Index 2022 raw "
          "data (DG REGIO), standardised over its 234 regions; per dimension the distance is the root mean square of "
          "z-score differences; the overall distance is the mean over dimensions (equal weights). The seven capital "
          "regions that RCI merges with their commuting zones share the merged values.")


def has_own_base(unit: str) -> bool:
    """'index, EU 2016 = 100' or '% of EU27 average': the value is already on an EU base of its own."""
    return "= 100" in unit or "of EU" in unit


def compare_rows(dataset, regions: list[str]) -> list[dict]:
    """Long rows (region, indicator, value, year, index, rank, unit, flag, source) for table, charts and CSV."""
    rows = []
    for code in regions:
        for record in dataset.region_profile(code):
            meta = dataset.indicators[record["indicator"]]
            rows.append({"region": code, "name": dataset.region_name(code), "indicator": record["indicator"],
                         "label": record["label"], "unit": record["unit"], "year": record["year"],
                         "value": record["value"], "decimals": record["decimals"], "index": record["index"],
                         "rank": record["rank"], "of": record["of"], "flag": record["flag"],
                         "region_shown": record["region_shown"], "source": meta.source_title,
                         "source_url": meta.source_url})
    return rows


def compare_tab(dataset, state) -> list:
    regions = list(state.compare)
    if not regions:
        return [html.H2("Compare regions", className="panel-title"),
                html.P("Add up to 10 regions: ‘Add to comparison’ on a region, or ‘Compare with peers’ in the Peers "
                       "tab.", className="text-muted")]
    rows = compare_rows(dataset, regions)
    names = {code: dataset.region_name(code) or code for code in regions}
    header = html.Tr([html.Th("Indicator")] + [html.Th([names[c], html.Br(), html.Small(c), " ",
                                                        html.Button("×", id={"type": ids.COMPARE_REMOVE, "index": c},
                                                                    className="btn btn-link btn-sm p-0 remove",
                                                                    title=f"remove {names[c]}",
                                                                    **{"aria-label": f"remove {names[c]}"})])
                                                 for c in regions])
    body = []
    for indicator, meta in dataset.indicators.items():
        cells = [html.Td([meta.label, html.Br(), html.Small(meta.unit, className="unit")])]
        for code in regions:
            row = next(r for r in rows if r["region"] == code and r["indicator"] == indicator)
            if row["value"] is None:
                cells.append(html.Td("no data", className="num no-data"))
                continue
            # The year once, inside the rank where there is one ("rank 4 of 20 reporting in 2023").
            detail = [f"rank {row['rank']} {rank_text(row['of'], row['year'])}" if row["rank"] else f"{row['year']}"]
            # An indicator that is already an index or a share of the EU (RII on EU 2016 = 100, GDP in % of
            # the EU) gets no second index on another base beside it.
            if row["index"] is not None and not has_own_base(meta.unit):
                detail.append(f"EU = 100: {row['index']:.0f}")
            cells.append(html.Td([format_value(row["value"], row["decimals"]), html.Br(),
                                  html.Small(" · ".join(detail), className="unit"),
                                  *stale_mark(dataset, indicator, row["year"])], className="num"))
        body.append(html.Tr(cells))
    chart_indicator = state.chart or state.indicator
    meta = dataset.indicators[chart_indicator]
    series = {code: next(r for r in dataset.region_profile(code) if r["indicator"] == chart_indicator)["series"]
              for code in regions}
    return [
        html.H2("Compare regions", className="panel-title"),
        html.Div([dbc.Button("Download CSV (with sources)", id={"type": ids.CSV_BUTTON, "index": 0}, size="sm",
                             color="primary", outline=True)], className="mb-2"),
        html.Div(dbc.Table([html.Thead(header), html.Tbody(body)], size="sm", className="compare-table",
                           id=ids.COMPARE_TABLE), className="table-scroll"),
        html.P("Index EU = 100 (same year) only where the source publishes an EU value and the indicator is not "
               "already on an EU base of its own (RII: EU 2016 = 100; GDP in % of the EU average); rank among "
               "EU NUTS 2 regions in the same year, 1 = best.", className="hint"),
        html.Div([html.Label("Chart over time:", htmlFor=f'{{"index":0,"type":"{ids.CHART_INDICATOR}"}}',
                             className="me-2"),
                  dcc.Dropdown(id={"type": ids.CHART_INDICATOR, "index": 0}, value=chart_indicator, clearable=False,
                               options=[{"label": m.label, "value": m.id} for m in dataset.indicators.values()],
                               className="chart-indicator")], className="chart-controls"),
        dcc.Graph(figure=time_series(series, names, meta.label, meta.unit, state.present), config=GRAPH_CONFIG),
        dcc.Graph(figure=profile(rows, names, state.present), config=GRAPH_CONFIG),
    ]


def compare_csv(dataset, regions: list[str]) -> str:
    """Exactly the comparison table, long format, with unit, year, flag and source of every value."""
    rows = compare_rows(dataset, regions)
    frame = pd.DataFrame(rows)[["region", "name", "indicator", "label", "year", "value", "unit", "index", "rank", "of",
                                "flag", "region_shown", "source", "source_url"]]
    frame = frame.rename(columns={"index": "index_eu_100", "rank": "eu_rank", "of": "eu_rank_of",
                                  "region_shown": "value_of_region"})
    out = io.StringIO()
    out.write("# S3 Observatory comparison export. Empty value = no data in the source (not zero).\n")
    out.write("# Boundaries © EuroGeographics; data: Source: Eurostat; European Commission (RIS 2023). "
              "Each row names its source file.\n")
    neutralise_frame(frame).to_csv(out, index=False)  # no cell opens as a spreadsheet formula
    return out.getvalue()


def needs_nuts2(dataset, state, title: str, purpose: str) -> list:
    """What to show when the selection is not one NUTS 2 region: say why, and offer its NUTS 2 regions."""
    out = [html.H2(title, className="panel-title")]
    if not state.region:
        return out + [html.P(f"Select a NUTS 2 region {purpose}.", className="text-muted")]
    children = dataset.nuts2_children(state.region)
    out.append(html.P(f"{dataset.region_name(state.region)} ({state.region}) spans {len(children)} NUTS 2 regions; "
                      f"this analysis works on one. Choose one {purpose}:", className="text-muted"))
    return out + [html.Ul([html.Li(dcc.Link(f"{dataset.region_name(c)} ({c})", href=to_search(state.with_(region=c))))
                           for c in children])]


def peers_tab(dataset, state) -> list:
    code = dataset.nuts2_of(state.region)
    if code is None:
        return needs_nuts2(dataset, state, "Peers and partners",
                           "to find structurally similar regions and strategies that share its priorities")
    name = dataset.region_name(code)
    peers = similar_regions(dataset, code, state.peers, state.exclude_own_country)
    out = [html.H2(f"Peers and partners of {name}", className="panel-title", id=ids.PANEL_TITLE), peer_controls(state)]
    if peers.empty:
        out.append(html.P(f"No peers: the Regional Competitiveness Index 2022 has no data for {code}.",
                          className="no-data"))
    else:
        rows = [html.Tr([html.Td(rank), html.Td(f"{row['name']} ({index})"), html.Td(f"{row['distance']:.2f}", className="num")]
                        + [html.Td(f"{row[d]:.2f}" if pd.notna(row[d]) else "—", className="num") for d in PEER_DIMENSIONS])
                for rank, (index, row) in enumerate(peers.iterrows(), start=1)]
        out += [
            dbc.Button("Compare with these peers", id={"type": ids.COMPARE_PEERS, "index": code}, size="sm",
                       color="primary", outline=True, className="my-2"),
            html.Div(dbc.Table([html.Thead(html.Tr([html.Th("#"), html.Th("Region"), html.Th("Distance")] +
                                                   [html.Th(d.split()[0], title=d) for d in PEER_DIMENSIONS])),
                                html.Tbody(rows)], size="sm", id=ids.PEER_TABLE, className="compare-table"),
                     className="table-scroll"),
            dcc.Graph(figure=peer_contributions(peers, list(PEER_DIMENSIONS), state.present), config=GRAPH_CONFIG),
        ]
    out.append(html.Details([html.Summary("Method and variables"),
                             html.P(METHOD.format(dims="; ".join(PEER_DIMENSIONS))),
                             html.Ul([html.Li([html.Strong(d + ": "), ", ".join(v)]) for d, v in PEER_DIMENSIONS.items()])]))
    out += partners_block(dataset, state, code)
    return out


def partners_block(dataset, state, code: str) -> list:
    partners = partner_regions(dataset, code, 10, state.order)
    out = [html.H3("Possible partners: strategies sharing priorities"),
           dbc.RadioItems(id={"type": ids.PARTNER_ORDER, "index": 0}, value=state.order, inline=True, options=[
               {"label": "overlap first, then similarity", "value": "overlap"},
               {"label": "similarity first, then overlap", "value": "similarity"}])]
    if partners.empty:
        return out + [html.P("No current strategy with coded priorities covers this region, so no partners can be "
                             "ranked.", className="no-data")]
    rows = [html.Tr([html.Td(f"{record.name} ({record.territory})"), html.Td(f"{record.overlap:.2f}", className="num"),
                     html.Td(f"{record.distance:.2f}" if pd.notna(record.distance) else "—", className="num"),
                     html.Td(", ".join(record.shared), className="shared")])
            for record in partners.itertuples(index=False)]
    return out + [
        html.Div(dbc.Table([html.Thead(html.Tr([html.Th("Strategy territory"), html.Th("Overlap"), html.Th("Distance"),
                                                html.Th("Shared codes")])), html.Tbody(rows)], size="sm",
                           id=ids.PARTNER_TABLE, className="compare-table"), className="table-scroll"),
        html.P("Overlap: Jaccard index of the taxonomy codes of the two strategies (a person's codes, else the "
               "coder's top proposal), each code weighted by its rarity among current strategies, so a shared specific "
               "domain counts for more than a code almost every strategy has. Distance: structural distance to the "
               "strategy's NUTS 2 regions (— when the RCI has none).", className="hint"),
    ]


def specialisation_tab(dataset, state) -> list:
    code = dataset.nuts2_of(state.region)
    if code is None:
        return needs_nuts2(dataset, state, "Specialisation check", "to compare its priorities with its strengths")
    check = specialisation_check(dataset, code)
    out = [html.H2(f"Priorities and strengths of {dataset.region_name(code)}", className="panel-title"),
           html.P("Location quotient (LQ) of employment: the division's share of the region's manufacturing "
                  "employment over its share in the EU (persons employed in local units, 2022, sbs_r_nuts2021). "
                  "LQ above 1: an existing strength; below 1: a bet on something new. Only manufacturing divisions "
                  "(C10–C33) have data here; services, energy, agriculture and other priorities show no LQ.",
                  className="hint")]
    if check.empty:
        return out + [html.P("No current strategy recorded for this region.", className="no-data")]
    rows = []
    for record in check.itertuples(index=False):
        if pd.isna(record.division):
            verdict, lq = "no sector data (not a manufacturing division)", "—"
        elif pd.isna(record.lq):
            verdict, lq = "no data (missing or confidential)", "—"
        else:
            lq = f"{record.lq:.2f}"
            verdict = "builds on a strength" if record.lq >= 1.25 else "close to the EU mix" if record.lq >= 0.8 \
                else "a bet on a new area"
        rows.append(html.Tr([html.Td(record.priority), html.Td(record.nace),
                             html.Td("—" if pd.isna(record.division) else record.division),
                             html.Td(lq, className="num"), html.Td(verdict)]))
    return out + [dbc.Table([html.Thead(html.Tr([html.Th("Priority"), html.Th("NACE codes"), html.Th("Division"),
                                                 html.Th("LQ"), html.Th("Reading")])), html.Tbody(rows)],
                            size="sm", id=ids.SPEC_TABLE, className="compare-table")]
