// Quick exit: leave for a neutral site at once, replacing this page in the history.
// Works from the button and from pressing Shift three times in a row.
(function () {
  "use strict";
  var link = document.querySelector("[data-quick-exit]");
  if (!link) { return; }
  var target = link.getAttribute("href");
  function leave() {
    document.body.classList.add("leaving");
    window.location.replace(target);
  }
  link.addEventListener("click", function (event) {
    event.preventDefault();
    leave();
  });
  var presses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") { presses = []; return; }
    if (event.repeat) { return; }
    var now = Date.now();
    presses = presses.filter(function (time) { return now - time < 2000; });
    presses.push(now);
    if (presses.length >= 3) { leave(); }
  });
})();
