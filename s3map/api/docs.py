"""/api/v1/docs: the API reference rendered on the server from the OpenAPI document (no script, no CDN)."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import render_template_string

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ spec.info.title }} {{ spec.info.version }}</title>
<style>
 body{font:17px/1.5 system-ui,sans-serif;max-width:62rem;margin:0 auto;padding:1rem 1.5rem;color:#1b1b1b}
 code,pre{font-family:ui-monospace,monospace;font-size:.92em}
 h2{border-bottom:2px solid #ccc;margin-top:2.2rem} h3{margin:1.6rem 0 .3rem}
 .m{display:inline-block;background:#0b5394;color:#fff;border-radius:3px;padding:0 .4rem;margin-right:.4rem}
 table{border-collapse:collapse;width:100%;margin:.4rem 0} td,th{border:1px solid #ccc;padding:.2rem .45rem;
 text-align:left;vertical-align:top} th{background:#f2f2f2} a{color:#0b5394} .muted{color:#555}
</style></head><body>
<h1>{{ spec.info.title }} <span class="muted">{{ spec.info.version }}</span></h1>
<p>{{ spec.info.description }}</p>
<p>OpenAPI 3.1 document: <a href="{{ prefix }}/openapi.json">{{ prefix }}/openapi.json</a> ·
 interactive: <a href="{{ prefix }}/swagger">Swagger UI</a> ·
 bulk downloads: <a href="{{ prefix }}/downloads/datapackage.zip">Data Package (CSV)</a>,
 <a href="{{ prefix }}/downloads/parquet.zip">Parquet</a></p>
<nav><ul>{% for tag in tags %}<li><a href="#{{ tag.name }}">{{ tag.name }}</a>: {{ tag.description }}</li>{% endfor %}</ul></nav>
{% for tag in tags %}<h2 id="{{ tag.name }}">{{ tag.name }}</h2>
{% for op in operations if op.tag == tag.name %}
<h3 id="{{ op.id }}"><span class="m">{{ op.method }}</span><code>{{ op.path }}</code></h3>
<p><b>{{ op.summary }}</b>{% if op.description %}. {{ op.description }}{% endif %}</p>
{% if op.parameters %}<table><tr><th>parameter</th><th>in</th><th>type</th><th>description</th></tr>
{% for p in op.parameters %}<tr><td><code>{{ p.name }}</code>{% if p.required %} (required){% endif %}</td>
<td>{{ p.in }}</td><td>{{ p.type }}</td><td>{{ p.description }}</td></tr>{% endfor %}</table>{% endif %}
<p class="muted">Example: <a href="{{ op.example }}"><code>{{ op.example }}</code></a> · responses:
{% for code, media in op.responses %}{{ code }} <code>{{ media }}</code>{% if not loop.last %}, {% endif %}{% endfor %}</p>
{% endfor %}{% endfor %}
<h2 id="exports">Exports of a view</h2>
<p>Give the query string of an app view (what follows <code>?</code> in the app's address) to get exactly what
it shows: <code>{{ prefix }}/exports/map.csv</code> (every EU NUTS 2 region on the map with value, unit, year,
flag, source and class; a <code>#</code> header block says what was shown and filtered),
<code>{{ prefix }}/exports/comparison.csv</code> (full time series and in-force priorities of the compared
regions, <code>compare=</code>), <code>{{ prefix }}/exports/map.png</code> and <code>map.svg</code> (1600 x 1000,
with title, legend and attribution). Example:
<a href="{{ prefix }}/exports/map.csv?indicator=gerd_pc_gdp&amp;year=2021&amp;category=less"><code>{{ prefix }}/exports/map.csv?indicator=gerd_pc_gdp&amp;year=2021&amp;category=less</code></a>.
These take the app's view parameters and are not in the OpenAPI document.</p>
<h2 id="schemas">Response fields</h2>
{% for name, schema in schemas %}<h3 id="schema-{{ name }}">{{ name }}</h3>
{% if schema.description %}<p>{{ schema.description }}</p>{% endif %}
<table><tr><th>field</th><th>type</th><th>description</th></tr>
{% for field, info in schema.properties.items() %}<tr><td><code>{{ field }}</code></td><td>{{ describe(info) }}</td>
<td>{{ info.description or '' }}</td></tr>{% endfor %}</table>{% endfor %}
</body></html>"""


def describe(schema: dict) -> str:
    """A short human type: 'integer 1-1000', 'string, pattern ...', 'one of a, b', 'Region[]'."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(describe(s) for s in schema["anyOf"])
    if "enum" in schema:
        return "one of " + ", ".join(map(str, schema["enum"]))
    if "const" in schema:
        return repr(schema["const"])
    kind = schema.get("type", "any")
    if kind == "array":
        return describe(schema.get("items", {})) + "[]"
    bits = [kind]
    if "minimum" in schema or "maximum" in schema:
        bits.append(f"{_number(schema.get('minimum', ''))}-{_number(schema.get('maximum', ''))}")
    if "pattern" in schema:
        bits.append(f"pattern {schema['pattern']}")
    if "default" in schema and schema["default"] is not None:
        bits.append(f"default {schema['default']}")
    return " ".join(bits)


def _number(value):
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _text(value: str) -> str:
    """flask-openapi3 turns a docstring's line breaks into <br/>; the page shows plain text."""
    return " ".join((value or "").replace("<br/>", " ").split())


def example_url(path: str, parameters: list[dict]) -> str:
    query = {}
    for p in parameters:
        example = p.get("example", p.get("schema", {}).get("example"))
        if p["in"] == "path":
            path = path.replace("{" + p["name"] + "}", str(example or "datapackage.zip"))
        elif example is not None:
            query[p["name"]] = example
    return path + ("?" + urlencode(query) if query else "")


def operations(spec: dict) -> list[dict]:
    out = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            parameters = op.get("parameters", [])
            out.append({
                "id": op.get("operationId", path), "method": method.upper(), "path": path,
                "tag": (op.get("tags") or ["other"])[0], "summary": op.get("summary", ""),
                "description": _text(op.get("description", "")), "example": example_url(path, parameters),
                "parameters": [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                                "type": describe(p.get("schema", {})),
                                "description": p.get("description") or p.get("schema", {}).get("description", "")}
                               for p in parameters],
                "responses": [(code, ", ".join(r.get("content", {}) or ["-"]))
                              for code, r in sorted(op.get("responses", {}).items())]})
    return out


def register(app, prefix: str) -> None:
    def api_docs():
        spec = app.api_doc
        schemas = sorted((name, s) for name, s in spec["components"]["schemas"].items() if s.get("properties")
                         and not name.endswith("Query") and not name.endswith("Path"))
        return render_template_string(TEMPLATE, spec=spec, prefix=prefix, tags=spec.get("tags", []),
                                      operations=operations(spec), schemas=schemas, describe=describe)

    app.add_url_rule(f"{prefix}/docs", "api_docs", api_docs)  # plain Flask rule: not part of the spec
