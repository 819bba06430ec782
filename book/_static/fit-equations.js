/*
 * Display equations a little wider than the text column are scaled down to fit; much wider ones
 * keep their size and scroll sideways (overflow.css draws the scrollbar). Below MIN_SCALE the
 * symbols would be too small to read, so scrolling is the better choice there.
 */
(function () {
  "use strict";

  var MIN_SCALE = 0.75;
  var SELECTOR = 'mjx-container[jax="CHTML"][display="true"]';

  function fit(container) {
    // Scale the math inside: MathJax keeps its own font scaling on the container.
    var math = container.querySelector("mjx-math");
    if (!math) {
      return;
    }
    math.style.fontSize = "";
    var available = container.clientWidth;
    var needed = container.scrollWidth;
    if (needed <= available + 1) {
      return;
    }
    var scale = available / needed;
    if (scale >= MIN_SCALE) {
      // Round down so that rounding of glyph widths cannot leave a 1 px overflow.
      math.style.fontSize = Math.floor(scale * 1000) / 10 + "%";
    }
  }

  function fitAll() {
    document.querySelectorAll(SELECTOR).forEach(fit);
  }

  function whenTypeset(callback) {
    var startup = window.MathJax && window.MathJax.startup;
    if (startup && startup.promise) {
      startup.promise.then(callback);
    }
  }

  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(fitAll, 150);
  });
  window.addEventListener("load", function () {
    whenTypeset(fitAll);
  });
})();
