#!/usr/bin/env bash
# Rebuild s3map/vendor/plotly-s3map.min.js: plotly.js core + only the trace types the app draws
# (choropleth, bar; scatter comes with core), and s3map/vendor/regenerator-runtime.min.js, from the
# versions pinned in web/package-lock.json.
# Needs Node.js and the npm registry; the built file is committed, so running the app does not.
# Keep the plotly.js version equal to the one the plotly Python package expects:
#   .venv/bin/python -c "from plotly.offline import get_plotlyjs_version as v; print(v())"
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --prefix web --no-audit --no-fund --loglevel=error
out=s3map/vendor
mkdir -p "$out"
(cd web && npx --no-install esbuild plotly-entry.js --bundle --format=iife --global-name=Plotly --minify \
  --target=es2016 --define:global=window --define:define.amd=false --alias:stream=stream-browserify \
  --legal-comments=external --log-level=warning --outfile=../$out/plotly-s3map.min.js)
# Dash's renderer needs only the regenerator runtime of the Babel polyfill it ships (the rest of
# core-js 2 polyfills what every current browser has): served in its place by s3map/plotly_bundle.py.
(cd web && npx --no-install esbuild node_modules/regenerator-runtime/runtime.js --minify --format=iife \
  --legal-comments=none --log-level=warning --outfile=../$out/regenerator-runtime.min.js)
cp web/node_modules/regenerator-runtime/LICENSE "$out/regenerator-runtime.LICENSE.txt"
# The map style sheet of maplibre comes along through plotly.js core; no trace here uses it.
rm -f "$out/plotly-s3map.min.css"
cp web/node_modules/plotly.js/LICENSE "$out/plotly.js.LICENSE.txt"
version=$(node -p "require('./web/node_modules/plotly.js/package.json').version")
echo "$version" > "$out/plotly-s3map.version"
ls -l "$out"/plotly-s3map.min.js
echo "plotly.js $version; gzip $(gzip -9c "$out/plotly-s3map.min.js" | wc -c) bytes; sha256 $(sha256sum "$out/plotly-s3map.min.js" | cut -c1-16)…"
