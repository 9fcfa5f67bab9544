// The plotly.js the S3 Observatory serves: core (with scatter) plus the trace types the app draws.
// Built by scripts/build-plotly-bundle.sh; see web/README.md.
'use strict';

var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/choropleth'), // the map (s3map/figures/map.py)
    require('plotly.js/lib/scattergeo'), // frames and labels of the outermost-region insets (s3map/figures/insets.py)
    require('plotly.js/lib/bar'), // profile and peer charts (s3map/figures/charts.py)
]);

module.exports = Plotly;
