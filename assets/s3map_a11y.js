// Accessibility repairs for markup that Dash and dash-bootstrap-components render and give no prop for.
// - Dropdowns carry a hidden, focusable <input> that only forwards focus to the real trigger button
//   (which has tabindex=-1): the Tab key goes to the trigger itself instead, so nothing focusable is
//   aria-hidden and the trigger (labelled, role of a listbox button) is what a keyboard user lands on.
// - Slider thumbs (role=slider) get the name of their <label for=...>.
// - Tabs used as navigation point aria-controls at a tab pane that is never rendered: point it at the
//   panel they change instead.
// Runs after each batch of DOM changes, at most once per animation frame.
(function () {
  "use strict";
  var pending = false;

  function labelText(id) {
    var label = document.querySelector('label[for="' + id + '"]');
    return label ? label.textContent.replace(/\s+/g, " ").trim() : null;
  }

  function repair() {
    pending = false;
    document.querySelectorAll(".dash-dropdown-focus-target[tabindex='0']").forEach(function (input) {
      var trigger = input.parentElement && input.parentElement.querySelector("button.dash-dropdown");
      if (trigger && !trigger.disabled) { trigger.tabIndex = 0; }
      input.tabIndex = -1;
    });
    document.querySelectorAll("[role='slider']:not([aria-label])").forEach(function (thumb) {
      var owner = thumb.closest("[id]");
      var name = owner && labelText(owner.id);
      if (name) { thumb.setAttribute("aria-label", name); }
    });
    document.querySelectorAll("[role='tab'][aria-controls]").forEach(function (tab) {
      if (!document.getElementById(tab.getAttribute("aria-controls"))) {
        var panel = document.getElementById("region-panel");
        if (panel) { tab.setAttribute("aria-controls", "region-panel"); } else { tab.removeAttribute("aria-controls"); }
      }
    });
  }

  new MutationObserver(function () {
    if (!pending) { pending = true; window.requestAnimationFrame(repair); }
  }).observe(document.documentElement, {childList: true, subtree: true});
})();
