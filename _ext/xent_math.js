// Typeset TeX to MathJax CHTML markup at build time (run by _ext/xent_math.py).
//
//   node xent_math.js MATHJAX_DIR IN.json OUT.json
//
// MATHJAX_DIR is the npm package mathjax-full (its es5/ components are used,
// which need no other npm package).  IN.json:
//   {"config": {"tex": {...}, "chtml": {...}},   // the course's mathjax3_config parts
//    "pages": [{"name": "chapters/01_entropy.html", "items": [["x^2", false], ["\\sum_i p_i", true]]}]}
// OUT.json:
//   {"pages": [["<mjx-container ...>", ...], ...],  // one HTML string per item
//    "errors": [[page index, item index, message], ...],
//    "css": "..."}                                 // one stylesheet for every page
//
// One MathJax document converts every formula of the build, so the stylesheet
// (MathJax's adaptive CSS) holds exactly the characters the pages use.  The
// TeX state (equation numbers, \label) starts afresh on every page.
"use strict";
const fs = require("fs");
const path = require("path");

const [mathjaxDir, input, output] = process.argv.slice(2);
if (!output) {
  console.error("usage: node xent_math.js MATHJAX_DIR IN.json OUT.json");
  process.exit(2);
}
const job = JSON.parse(fs.readFileSync(input, "utf8"));
const config = job.config || {};
const MathJax = require(path.join(mathjaxDir, "es5", "node-main.js"));

function withoutNoundefined(tex) {
  const packages = tex.packages || {};
  return Object.assign({}, tex, {
    packages: Array.isArray(packages)
      ? packages.filter((name) => name !== "noundefined")
      : Object.assign({}, packages, {"[-]": ["noundefined"].concat(packages["[-]"] || [])}),
  });
}

MathJax.init({
  // tex-full: every TeX package is loaded (the page's client-side MathJax
  // autoloads them on demand); assistive-mml: the hidden MathML screen readers read.
  loader: {load: ["adaptors/liteDOM", "input/tex-full", "output/chtml", "a11y/assistive-mml"]},
  // Without the noundefined package an undefined macro (\Hent) is a TeX error
  // ("Undefined control sequence"), reported like any other, instead of red text.
  tex: withoutNoundefined(config.tex || {}),
  chtml: config.chtml || {},
  startup: {typeset: false},
}).then((MJ) => {
  const adaptor = MJ.startup.adaptor;
  const pages = [];
  const errors = [];
  job.pages.forEach((page, p) => {
    MJ.texReset();
    pages.push(page.items.map(([tex, display], i) => {
      const node = MJ.tex2chtml(tex, {display: display});
      const html = adaptor.outerHTML(node);
      // Every error MathJax marks: <merror data-mjx-error=...>, and the red text
      // that noundefined writes if a page's config loads it again.
      const error = html.match(/<mjx-merror data-mjx-error="([^"]*)"/);
      const undefinedMacro = html.match(/<mtext mathcolor="red">(\\[A-Za-z]+)<\/mtext>/);
      if (error) {
        errors.push([p, i, error[1]]);
      } else if (undefinedMacro) {
        errors.push([p, i, "Undefined control sequence " + undefinedMacro[1]]);
      }
      return html;
    }));
  });
  const css = adaptor.textContent(MJ.chtmlStylesheet());
  fs.writeFileSync(output, JSON.stringify({pages, errors, css}));
}).catch((err) => {
  console.error(err && err.stack ? err.stack : String(err));
  process.exit(1);
});
