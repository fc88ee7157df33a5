/* Course: search result snippets that show the matching text.
 *
 * Sphinx 7.4's searchtools.js cuts each result's snippet out of the text of
 * the page's [role=main] element around the first *stemmed* search term
 * ("entropi" for "entropy").  A stem that is not a word of the page is not
 * found, and the snippet falls back to the first characters of the main
 * area: in this theme, the ".ipynb .pdf" download buttons of the article
 * header, for every result.  Here the snippet is cut from the article text
 * only (no buttons, navigation or scripts), around the first word that
 * starts with a search term or its stem.  Loaded on search.html only, after
 * searchtools.js.
 */
(function () {
  "use strict";
  if (typeof Search === "undefined") { return; }
  var SKIP = ".headerlink, script, style, .bd-header-article, .d-print-none, nav, .prev-next-area, " +
             "button, .toggle-button, .copybtn, mjx-assistive-mml";

  var queryWords = function () {
    var q = new URLSearchParams(window.location.search).get("q") || "";
    return q.toLowerCase().split(/[^\p{L}\p{N}_-]+/u).filter(function (w) { return w.length > 1; });
  };

  Search.htmlToText = function (htmlString, anchor) {
    var doc = new DOMParser().parseFromString(htmlString, "text/html");
    doc.querySelectorAll(SKIP).forEach(function (el) { el.remove(); });
    var root = null;
    if (anchor) { root = doc.querySelector("article " + anchor) || doc.querySelector('[role="main"] ' + anchor); }
    root = root || doc.querySelector("article.bd-article") || doc.querySelector('[role="main"]');
    return root ? root.textContent.replace(/\s+/g, " ").trim() : "";
  };

  Search.makeSearchSummary = function (htmlText, keywords, anchor) {
    var text = Search.htmlToText(htmlText, anchor);
    if (!text) { return null; }
    var lower = text.toLowerCase();
    var terms = queryWords().concat(Array.from(keywords || []).map(function (k) { return String(k).toLowerCase(); }));
    var at = -1;
    for (var i = 0; i < terms.length && at < 0; i++) {
      var esc = terms[i].replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      var m = new RegExp("(^|[^\\p{L}\\p{N}])" + esc, "u").exec(lower);
      if (m) { at = m.index + m[1].length; }
    }
    var start = Math.max((at < 0 ? 0 : at) - 100, 0);
    if (start > 0) {  // start at a word boundary
      var space = text.indexOf(" ", start);
      if (space > -1 && space < at) { start = space + 1; }
    }
    var summary = document.createElement("p");
    summary.classList.add("context");
    summary.textContent = (start > 0 ? "… " : "") + text.substr(start, 240).trim() +
                          (start + 240 < text.length ? " …" : "");
    return summary;
  };
})();
