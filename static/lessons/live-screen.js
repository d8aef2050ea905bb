// The projector screen and the teacher's console follow the live lesson: they poll its version (the projector
// with If-None-Match, so an unchanged lesson costs a 304) and reload when the teacher (on any screen) moves
// it on. The console also refreshes its counts. Without this script the projector reloads itself every few
// seconds (a meta refresh) and the console shows the counts as of its last load.
(function () {
  "use strict";
  var screen = document.querySelector("[data-live-screen]");
  if (!screen || !window.fetch) { return; }
  var pollUrl = screen.getAttribute("data-live-poll");
  var version = screen.getAttribute("data-live-version");
  var etag = '"live-' + version + '"';
  var counting = pollUrl.indexOf("counts=1") !== -1;
  var EVERY_MS = counting ? 2500 : 1000;
  var moved = document.querySelector("[data-live-moved]");

  function busy() {
    var active = document.activeElement;
    return active && /^(SELECT|INPUT|TEXTAREA)$/.test(active.tagName);
  }
  function showCounts(counts) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-count]"), function (cell) {
      var value = counts[cell.getAttribute("data-count")];
      if (value !== undefined) { cell.textContent = String(value); }
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-on-slide]"), function (cell) {
      cell.textContent = String(counts.on_slide[cell.getAttribute("data-on-slide")] || 0);
    });
  }
  function apply(state) {
    if (state.counts) { showCounts(state.counts); }
    if (String(state.version) === version) { return; }
    if (moved && busy()) { moved.hidden = false; return; }  // never reload under a teacher's hand
    window.location.reload();
  }
  function poll() {
    var headers = counting ? {} : { "If-None-Match": etag };
    fetch(pollUrl, { cache: "no-store", credentials: "same-origin", headers: headers })
      .then(function (response) { return response.status === 200 ? response.json() : null; })
      .then(function (state) {
        if (state) { apply(state); }
        window.setTimeout(poll, EVERY_MS);
      }, function () { window.setTimeout(poll, EVERY_MS * 2); });
  }
  window.setTimeout(poll, EVERY_MS);
})();
