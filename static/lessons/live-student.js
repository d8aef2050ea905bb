// A student's screen in a class's live lesson: polls the class's state (a version number, 304 while nothing
// changed) and, when the teacher leads, moves to the teacher's slide; shows "Eyes on the board" while the
// teacher has paused the screens. Without this script every page still works: a step ahead of the class shows
// "Wait for your teacher" with a button that checks again. A lesson on one's own gets 204 and stops at once.
(function () {
  "use strict";
  var pause = document.getElementById("live-pause");
  if (!pause || !window.fetch) { return; }
  var pollUrl = pause.getAttribute("data-live-poll");
  var notice = document.getElementById("live-notice");
  var noticeLink = document.getElementById("live-notice-link");
  var waiting = document.querySelector("[data-live-waiting]");
  var page = document.querySelector("body > .container");
  // Every 2 s: a class of 30 asks 15 times a second, a school's 1,000 students about 500
  // (bench/live_run.py reads this figure), and a student still has the teacher's slide within 3 s.
  var EVERY_MS = 2000;
  var FOLLOWED = "live-followed";
  var etag = waiting ? '"live-' + waiting.getAttribute("data-live-version") + '"' : null;
  var typed = false;

  // Never pull a student away from something they are typing: tell them instead.
  document.addEventListener("input", function (event) { if (event.target.form) { typed = true; } });
  document.addEventListener("submit", function () { typed = false; });

  function followed() {
    try { return window.sessionStorage.getItem(FOLLOWED); } catch (error) { return null; }
  }
  function remember(mark) {
    try { window.sessionStorage.setItem(FOLLOWED, mark); } catch (error) { /* private mode: follow anyway */ }
  }
  function here(state) {
    var path = window.location.pathname;
    return path === state.url || (state.section && path.indexOf(state.section) === 0);
  }
  function showPause(paused) {
    if (waiting) { return; }  // the page itself says so
    if (paused === !pause.hidden) { return; }
    pause.hidden = !paused;
    document.body.classList.toggle("live-paused", paused);
    if (page) { page.inert = paused; }
    if (paused) { pause.focus(); }
  }
  function apply(state) {
    if (waiting) {  // "Wait for your teacher" or "Eyes on the board": something changed, so look again
      window.location.assign(state.follow ? state.url : window.location.href);
      return;
    }
    showPause(state.paused);
    if (!state.follow) { remember(""); notice.hidden = true; return; }
    // A student may look back at earlier slides; only a new move by the teacher brings them to it.
    var mark = "teacher:" + state.slide;
    if (mark === followed()) { return; }
    remember(mark);
    if (here(state)) { notice.hidden = true; return; }
    if (typed) {
      noticeLink.setAttribute("href", state.url);
      notice.hidden = false;
      return;
    }
    window.location.assign(state.url);
  }
  function poll() {
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch(pollUrl, { cache: "no-store", credentials: "same-origin", headers: headers })
      .then(function (response) {
        if (response.status === 204) { showPause(false); return "stop"; }
        if (response.status !== 200) { return null; }
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (state) {
        if (state === "stop") { return; }
        if (state) { apply(state); }
        window.setTimeout(poll, EVERY_MS);
      }, function () {
        window.setTimeout(poll, EVERY_MS * 2);  // offline for a moment: keep trying, a little slower
      });
  }
  poll();
})();
