// Presenter tour (?present=1): Page Down / Page Up (what clickers send), or the arrow keys with Alt,
// step through the prepared views in /tour.json without reloading the page.
(function () {
  let tour = null;
  function step() {
    const search = new URLSearchParams(window.location.search);
    return tour ? tour.steps.findIndex(s => new URLSearchParams(s.search).toString() === search.toString()) : -1;
  }
  function go(delta) {
    if (!tour || !window.dash_clientside || !window.dash_clientside.set_props) { return; }
    const i = step();
    const next = Math.max(0, Math.min(tour.steps.length - 1, (i < 0 ? -1 : i) + delta));
    if (i === next) { return; }
    window.dash_clientside.set_props('url', {search: tour.steps[next].search});
    const label = document.getElementById('tour-step');
    if (label) { label.textContent = `${next + 1}/${tour.steps.length} · ${tour.steps[next].title}`; }
  }
  document.addEventListener('keydown', function (event) {
    if (!new URLSearchParams(window.location.search).has('present')) { return; }
    const tag = (event.target.tagName || '').toLowerCase();
    if (tag === 'input' || tag === 'textarea') { return; }
    if (event.key === 'PageDown' || (event.altKey && event.key === 'ArrowRight')) { event.preventDefault(); go(1); }
    if (event.key === 'PageUp' || (event.altKey && event.key === 'ArrowLeft')) { event.preventDefault(); go(-1); }
  });
  fetch('/tour.json').then(r => r.ok ? r.json() : null).then(data => { tour = data; }).catch(() => {});
})();
