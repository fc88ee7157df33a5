/* Course: small behaviours on every page.
 *
 * A display equation wider than the text column scrolls inside its own box
 * (assets/custom.css).  A scrolling box has to be reachable with the keyboard
 * (axe-core rule "scrollable-region-focusable"), so each one that overflows
 * gets a tab stop and a label, after MathJax has typeset the page and again
 * when the window is resized.
 */
(function () {
  "use strict";
  function tabStops() {
    document.querySelectorAll('mjx-container[display="true"]').forEach(function (m) {
      if (m.scrollWidth > m.clientWidth + 1) {
        if (!m.hasAttribute("tabindex")) {
          m.setAttribute("tabindex", "0");
          m.setAttribute("data-course-scroll", "true");
        }
      } else if (m.getAttribute("data-course-scroll") === "true") {
        m.removeAttribute("tabindex");
        m.removeAttribute("data-course-scroll");
      }
    });
  }
  function whenTypeset() {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      MathJax.startup.promise.then(tabStops);
    } else {
      tabStops();
    }
  }
  window.addEventListener("load", whenTypeset);
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(tabStops, 200);
  });
})();
