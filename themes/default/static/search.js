/* Search page: queries the term's Pagefind index (fetched from this site, chunk by chunk) and
   lists each match with its section and an excerpt. */
(function () {
  "use strict";
  var list = document.querySelector(".search-results");
  var input = document.getElementById("search-q");
  var status = document.querySelector(".search-status");
  if (!list || !input || !status) return;
  var engine = null;
  function load() {
    if (!engine) {
      engine = import(list.getAttribute("data-index")).then(function (pf) {
        return Promise.resolve(pf.options({ baseUrl: "/", excerptLength: 24 })).then(function () { return pf; });
      });
    }
    return engine;
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  var latest = 0;
  function run(q) {
    var ticket = ++latest;
    q = q.trim();
    if (!q) { list.textContent = ""; status.textContent = ""; return; }
    status.textContent = "Searching…";
    load().then(function (pf) { return pf.search(q); }).then(function (found) {
      if (ticket !== latest) return null;
      return Promise.all(found.results.slice(0, 20).map(function (r) { return r.data(); }));
    }).then(function (pages) {
      if (!pages || ticket !== latest) return;
      list.textContent = "";
      pages.forEach(function (d) {
        var li = el("li", "search-result");
        var a = el("a", "search-title", (d.meta && d.meta.title) || d.url);
        a.href = d.url;
        var h = el("h2");
        h.appendChild(a);
        if (d.meta && d.meta.section) li.appendChild(el("p", "search-section", d.meta.section));
        li.appendChild(h);
        var p = el("p", "search-excerpt");
        p.innerHTML = d.excerpt; /* Pagefind's excerpt: our own text, escaped, with <mark> */
        li.appendChild(p);
        list.appendChild(li);
      });
      status.textContent = pages.length === 0 ? "No page matches “" + q + "”." :
        pages.length + (pages.length === 1 ? " page matches" : " pages match") + " “" + q + "”.";
    }).catch(function () {
      status.textContent = "Search could not load its index. Open this site through a web server (not as a file), or try again.";
    });
  }
  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value); }, 150);
  });
  input.form.addEventListener("submit", function (e) {
    e.preventDefault();
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    run(input.value);
  });
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) { input.value = q; run(q); }
})();
