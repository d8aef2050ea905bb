// The live lesson's answer panels: send their forms without leaving the page, and keep the teacher's panel
// up to date. Without JavaScript every form posts and comes back to the same page, so nothing depends on this.
(function () {
  "use strict";
  var HEADER = "X-Live-Responses";
  var REFRESH_MS = 4000;

  function fetchPanel(url, options) {
    options = options || {};
    options.headers = {};
    options.headers[HEADER] = "panel";
    options.credentials = "same-origin";
    return fetch(url, options).then(function (response) {
      if (response.status !== 200 && response.status !== 400) { throw new Error("status " + response.status); }
      return response.text();
    });
  }

  // Put the panel the server sent in place of the old one; our own HTML, and scripts in it never run.
  function replace(panel, html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.querySelector("[data-live-responses-panel]");
    if (!fresh) { return null; }
    fresh.liveResponsesHtml = html;
    panel.replaceWith(fresh);
    return fresh;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-live-responses]") || !window.fetch) { return; }
    var panel = form.closest("[data-live-responses-panel]");
    if (!panel) { return; }
    event.preventDefault();
    var buttons = form.querySelectorAll("button, input[type=submit]");
    buttons.forEach(function (button) { button.disabled = true; });
    fetchPanel(form.action, { method: "POST", body: new FormData(form) })
      .then(function (html) {
        var fresh = replace(panel, html);
        var notice = fresh && fresh.querySelector("[data-live-responses-notice]");
        if (notice) { notice.focus(); }
      })
      .catch(function () {
        // Not answered in place (the network, or the server): post the plain way, so nothing is lost.
        buttons.forEach(function (button) { button.disabled = false; });
        HTMLFormElement.prototype.submit.call(form);
      });
  });

  // The console's panel shows new answers and questions as they arrive, keeping the teacher's place.
  function refresh() {
    if (document.hidden) { return; }
    document.querySelectorAll("[data-live-responses-panel][data-refresh-url]").forEach(function (panel) {
      fetchPanel(panel.getAttribute("data-refresh-url")).then(function (html) {
        if (html === panel.liveResponsesHtml || !panel.isConnected) { return; }
        var focused = document.activeElement;
        var form = focused && panel.contains(focused) ? focused.closest("form") : null;
        var action = form ? form.getAttribute("action") : null;
        var fresh = replace(panel, html);
        if (fresh && action) {
          var again = fresh.querySelector('form[action="' + action + '"] button');
          if (again) { again.focus(); }
        }
      }).catch(function () { /* try again next time */ });
    });
  }
  window.setInterval(refresh, REFRESH_MS);
})();
