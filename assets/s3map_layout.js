// Drawer and panel buttons of the header, handled in the browser (no server round trip, no map redraw),
// and a search box that takes typing at once.
// - "Controls": opens the controls drawer over the map (html.controls-open) or, on a wide screen where
//   the controls sit beside the map, hides that column (html.controls-hidden). Escape closes the drawer.
// - "Panel": hides or shows the side panel (html.panel-hidden).
// - Region search: clicking the box or pressing a letter on it puts the caret in its search input, also
//   after a region was chosen (Dash's dropdown otherwise needs a second click).
// The classes live on <html>, which Dash never re-renders.
(function () {
  "use strict";
  var root = document.documentElement;
  // The layout carries the "Select a region" invitation so it paints at once; a URL that names a
  // region hides that first copy until the region's own panel arrives (it has no .panel-initial).
  if (/[?&]region=/.test(window.location.search)) { root.classList.add("has-region"); }
  var WIDE = window.matchMedia("(min-width: 1500px)");

  function presenting() { return !!document.querySelector(".app.present"); }
  function besideMap() { return WIDE.matches && !presenting(); }
  function controlsShown() {
    return besideMap() ? !root.classList.contains("controls-hidden") : root.classList.contains("controls-open");
  }
  function sync() {
    var controls = document.getElementById("controls-toggle");
    var panel = document.getElementById("panel-toggle");
    if (controls) { controls.setAttribute("aria-expanded", String(controlsShown())); }
    if (panel) { panel.setAttribute("aria-expanded", String(!root.classList.contains("panel-hidden"))); }
  }
  function toggleControls() {
    if (besideMap()) {
      root.classList.toggle("controls-hidden");
    } else {
      root.classList.toggle("controls-open");
      if (root.classList.contains("controls-open")) {
        var first = document.querySelector("#controls-drawer input, #controls-drawer button");
        if (first) { window.setTimeout(function () { first.focus(); }, 200); }
      }
    }
    sync();
    window.dispatchEvent(new Event("resize"));  // only a column beside the map changes the map's size
  }
  // The dropdown moves focus to the chosen option when it opens (after a choice): take it back to the
  // search input a few times while the list settles.
  function focusSearchInput() {
    [30, 150, 300].forEach(function (delay) {
      window.setTimeout(function () {
        var input = document.querySelector("input.dash-dropdown-search");
        if (input && document.activeElement !== input) { input.focus(); }
      }, delay);
    });
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("#controls-toggle")) { toggleControls(); return; }
    if (event.target.closest("#panel-toggle")) {
      root.classList.toggle("panel-hidden"); sync(); window.dispatchEvent(new Event("resize")); return;
    }
    if (event.target.closest("#region-search")) { focusSearchInput(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && root.classList.contains("controls-open")) {
      root.classList.remove("controls-open"); sync();
      var button = document.getElementById("controls-toggle");
      if (button) { button.focus(); }
    }
    var printable = event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey;
    var search = document.getElementById("region-search");
    if (printable && search && search.contains(event.target)) { focusSearchInput(); return; }
    // Typing while an option of an open list has the focus: the letters go to that list's search input.
    var list = event.target.closest && event.target.closest(".dash-dropdown-content");
    var input = list && list.querySelector("input.dash-dropdown-search");
    if (printable && input && event.target !== input) { input.focus(); }
  }, true);
  WIDE.addEventListener("change", sync);
})();
