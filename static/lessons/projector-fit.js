// The projector's slide fits the screen: when a slide is taller than the window (a long chat, the help
// services on a 1280x720 projector), its text is made smaller step by step, down to a size still readable from
// the back of a classroom; a slide that does not fit even then scrolls, as every slide does without this script.
(function () {
  "use strict";
  var FLOOR_PX = 16;
  var body = document.body;
  var waiting = null;

  function tooTall() {
    return document.documentElement.scrollHeight > window.innerHeight + 1;
  }
  function fit() {
    body.style.fontSize = "";
    var size = parseFloat(window.getComputedStyle(body).fontSize);
    while (tooTall() && size > FLOOR_PX) {
      size = Math.max(FLOOR_PX, size * 0.95);
      body.style.fontSize = size + "px";
    }
    body.setAttribute("data-fitted", String(Math.round(size)));
  }
  fit();
  window.addEventListener("load", fit);
  window.addEventListener("resize", function () {
    window.clearTimeout(waiting);
    waiting = window.setTimeout(fit, 150);
  });
})();
