/* Glossary cards (_ext/xent_glossary.py): a {term} link shows its definition
 * when the pointer rests on it or the keyboard focuses it, without leaving the page.
 *
 * The definitions of the terms linked on this page are in
 * <script type="application/json" id="xe-glossary-data"> (written at build time).
 * One card, role="tooltip", shared by every link; while it shows, the link's
 * aria-describedby points at it.  It hides on Escape, on blur, and when the
 * pointer leaves both the link and the card (the card can be hovered).
 */
(function () {
  "use strict";
  var source = document.getElementById("xe-glossary-data");
  if (!source) return;
  var defs = JSON.parse(source.textContent);
  var card = null, owner = null, timer = null;

  function anchorOf(a) {
    var href = a.getAttribute("href") || "", at = href.indexOf("#");
    return at < 0 ? null : decodeURIComponent(href.slice(at + 1));
  }
  function makeCard() {
    card = document.createElement("div");
    card.id = "xe-glossary-card";
    card.className = "xe-glossary-card";
    card.setAttribute("role", "tooltip");
    card.hidden = true;
    card.addEventListener("mouseenter", keep);
    card.addEventListener("mouseleave", later);
    document.body.appendChild(card);
  }
  function keep() { if (timer) { clearTimeout(timer); timer = null; } }
  function later() { keep(); timer = setTimeout(hide, 300); }
  function place(a) {
    var r = a.getBoundingClientRect(), vw = document.documentElement.clientWidth;
    var width = Math.min(352, vw - 16);
    card.style.width = width + "px";
    var left = Math.max(8, Math.min(r.left, vw - width - 8));
    card.style.left = (left + window.scrollX) + "px";
    var h = card.offsetHeight, below = r.bottom + 6;
    var top = (below + h > window.innerHeight && r.top - 6 - h > 0) ? r.top - 6 - h : below;
    card.style.top = (top + window.scrollY) + "px";
  }
  function show(a) {
    var d = defs[anchorOf(a)];
    if (!d) return;
    keep();
    if (!card) makeCard();
    if (owner && owner !== a) owner.removeAttribute("aria-describedby");
    card.textContent = "";
    var name = document.createElement("strong");
    name.textContent = d.term;
    card.appendChild(name);
    card.appendChild(document.createTextNode(": " + d.text));
    card.hidden = false;
    owner = a;
    a.setAttribute("aria-describedby", card.id);
    place(a);
  }
  function hide() {
    keep();
    if (card) card.hidden = true;
    if (owner) owner.removeAttribute("aria-describedby");
    owner = null;
  }
  document.querySelectorAll("a.reference.internal").forEach(function (a) {
    if (!a.querySelector(".std-term") || !defs[anchorOf(a)]) return;
    a.classList.add("xe-glossary-link");
    a.addEventListener("mouseenter", function () { show(a); });
    a.addEventListener("mouseleave", later);
    a.addEventListener("focus", function () { show(a); });
    a.addEventListener("blur", hide);
  });
  document.addEventListener("keydown", function (e) {
    if ((e.key === "Escape" || e.key === "Esc") && card && !card.hidden) hide();
  });
  window.addEventListener("resize", function () { if (owner && card && !card.hidden) place(owner); });
})();
