// A choice step's options: pressing one shows what might happen in place, without loading the page again.
// Without JavaScript each option's button submits the form and the page comes back showing that option.
(function () {
  "use strict";

  function show(form, button) {
    var result = document.getElementById(form.getAttribute("data-choice"));
    var value = button.value;
    result.querySelectorAll("[data-choice-option]").forEach(function (panel) {
      panel.hidden = panel.getAttribute("data-choice-option") !== value;
    });
    form.querySelectorAll("button[name=option]").forEach(function (other) {
      other.setAttribute("aria-pressed", other === button ? "true" : "false");
    });
    // The address says what is shown, so that reloading or sharing the page shows the same.
    var url = new URL(window.location.href);
    url.searchParams.set("option", value);
    url.hash = "";
    window.history.replaceState(null, "", url.toString());
    var shown = document.getElementById("choice-" + value);
    if (shown && shown.getBoundingClientRect().bottom > window.innerHeight) {
      shown.scrollIntoView({ block: "nearest" });
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("form[data-choice] button[name=option]");
    if (!button) { return; }
    event.preventDefault();
    show(button.form, button);
  });
})();
