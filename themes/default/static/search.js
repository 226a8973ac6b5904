/* Search page. The term's index is static files made by `semester build` (src/search.rs):
   search-index.json lists the pages and the shards; search-index/<shard>.json holds, for every
   word starting with the shard's prefix, the pages it is in and its weight there;
   search-index/text/<n>.txt is page n's text, for excerpts. A query fetches the entry once, one
   shard per word typed, and the texts of the results shown: all from this site.
   Every query word must be the start of a word of the page ("deploy" finds "deployment");
   pages are ranked by BM25, exact words above prefixes. */
(function () {
  "use strict";
  var list = document.querySelector(".search-results");
  var input = document.getElementById("search-q");
  var status = document.querySelector(".search-status");
  if (!list || !input || !status) return;

  /* The page's interface strings: semester.js's t(key, vars) (it runs first: both are
     deferred, and base.html loads it before the head block). */
  var t = window.semester && window.semester.t ? window.semester.t : function (key) { return key; };
  var entryUrl = list.getAttribute("data-index");
  var dir = entryUrl.replace(/\.json$/, "/");
  /* The marks folded away: accents (Latin, Greek, Cyrillic), Hebrew points, Arabic harakat;
     never the vowel signs of Indic scripts or Thai, which tell words apart (src/search.rs). */
  var DIACRITICS = /[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
  var SHOWN = 20, EXCERPT_WORDS = 28, K1 = 1.2, B = 0.75, PREFIX = 0.6;

  var cache = {};
  function fetchOnce(url, as) {
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ": " + r.status);
        return as === "text" ? r.text() : r.json();
      });
      cache[url].catch(function () { delete cache[url]; });
    }
    return cache[url];
  }

  /* The indexer's fold (src/search.rs): lowercase, no diacritics (DIACRITICS, the accents of
     the canonical decomposition, dropped: "Modèles", "modeles" and decomposed text are one word;
     Turkish "İ" and dotless "ı" are "i"), final sigma as "σ", then NFC, then German "ß" as "ss". */
  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(DIACRITICS, "")
      .replace(/ς/g, "σ").replace(/ı/g, "i").normalize("NFC").replace(/ß/g, "ss");
  }
  /* The same words as the indexer's for_each_word: folded runs of letters and digits of at
     least two characters; each Chinese or Japanese character is a word by itself. */
  var UNSPACED = /[\u{3040}-\u{30FF}\u{3400}-\u{4DBF}\u{4E00}-\u{9FFF}\u{F900}-\u{FAFF}\u{20000}-\u{2FFFF}]/u;
  var RUN = /[\p{Alphabetic}\p{N}\p{M}]+/gu;
  function words(text) {
    var out = [];
    (fold(text).match(RUN) || []).forEach(function (run) {
      var cur = "";
      function flush() {
        if (Array.from(cur).length >= 2) out.push(cur);
        cur = "";
      }
      Array.from(run).forEach(function (c) {
        if (UNSPACED.test(c)) { flush(); out.push(c); } else { cur += c; }
      });
      flush();
    });
    return out;
  }
  /* The hex of a word's UTF-8 bytes: shard files are named by the hex of the prefix their
     words share (one letter for a small site, longer where a shard would be large). */
  function hex(word) {
    return Array.from(new TextEncoder().encode(word), function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }
  /* Every shard that can hold a word starting with `word`: its prefix begins the word, or the
     word begins its prefix. */
  function shardsFor(word, entry) {
    var h = hex(word);
    return entry.shards.filter(function (k) {
      return h.lastIndexOf(k, 0) === 0 || k.lastIndexOf(h, 0) === 0;
    });
  }

  /* Score of every page for one query word: the best of the index words it begins. */
  function scoresFor(word, shard, entry) {
    var n = entry.pages.length, avg = entry.average_words || 1, scores = new Map();
    Object.keys(shard).forEach(function (w) {
      if (w.lastIndexOf(word, 0) !== 0) return;
      var postings = shard[w], df = postings.length / 2;
      var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      var factor = w === word ? 1 : PREFIX;
      for (var i = 0; i < postings.length; i += 2) {
        var page = postings[i], tf = postings[i + 1], len = entry.pages[page][3] || 0;
        var s = factor * idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * len / avg));
        if (!(scores.get(page) >= s)) scores.set(page, s);
      }
    });
    return scores;
  }

  function rank(query, entry) {
    var qs = words(query).filter(function (w, i, all) { return all.indexOf(w) === i; });
    if (qs.length === 0) return Promise.resolve({ words: [], pages: [] });
    return Promise.all(qs.map(function (w) {
      return Promise.all(shardsFor(w, entry).map(function (k) {
        return fetchOnce(dir + k + ".json");
      })).then(function (parts) { return Object.assign.apply(null, [{}].concat(parts)); });
    })).then(function (loaded) {
      var total = null;
      qs.forEach(function (w, i) {
        var s = scoresFor(w, loaded[i], entry), next = new Map();
        (total || s).forEach(function (_, page) {
          if (s.has(page)) next.set(page, (total ? total.get(page) : 0) + s.get(page));
        });
        total = next;
      });
      var pages = Array.from(total.keys());
      pages.sort(function (a, b) { return total.get(b) - total.get(a) || a - b; });
      return { words: qs, pages: pages };
    });
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }
  /* The stretch of the page's text with the most query words, the words marked. */
  function excerpt(text, qs) {
    var parts = text.split(/\s+/).filter(Boolean);
    var hit = parts.map(function (p) {
      var ws = words(p);
      return ws.some(function (w) {
        return qs.some(function (q) { return w.lastIndexOf(q, 0) === 0; });
      });
    });
    var best = 0, bestCount = -1, count = 0;
    for (var i = 0; i < parts.length; i++) {
      count += hit[i] ? 1 : 0;
      if (i >= EXCERPT_WORDS) count -= hit[i - EXCERPT_WORDS] ? 1 : 0;
      var start = Math.max(0, i - EXCERPT_WORDS + 1);
      if (count > bestCount) { bestCount = count; best = start; }
    }
    /* Start a little before the first match, so it is read in context. */
    var first = hit.indexOf(true, best);
    if (first > best + 4) best = Math.max(0, first - 4);
    var end = Math.min(parts.length, best + EXCERPT_WORDS);
    var html = parts.slice(best, end).map(function (p, i) {
      return hit[best + i] ? "<mark>" + escapeHtml(p) + "</mark>" : escapeHtml(p);
    }).join(" ");
    return (best > 0 ? "… " : "") + html + (end < parts.length ? " …" : "");
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
    if (words(q).length === 0) {
      list.textContent = "";
      status.textContent = t("search_short");
      return;
    }
    status.textContent = t("searching");
    fetchOnce(entryUrl).then(function (entry) {
      return rank(q, entry).then(function (found) {
        var shown = found.pages.slice(0, SHOWN);
        return Promise.all(shown.map(function (page) {
          return fetchOnce(dir + "text/" + page + ".txt", "text").catch(function () { return ""; });
        })).then(function (texts) {
          return { entry: entry, found: found, shown: shown, texts: texts };
        });
      });
    }).then(function (r) {
      if (ticket !== latest) return;
      list.textContent = "";
      r.shown.forEach(function (page, i) {
        var p = r.entry.pages[page];
        var li = el("li", "search-result");
        if (p[2]) li.appendChild(el("p", "search-section", p[2]));
        var h = el("h2");
        var a = el("a", "search-title", p[1] || p[0]);
        a.href = p[0];
        h.appendChild(a);
        li.appendChild(h);
        var ex = el("p", "search-excerpt");
        ex.innerHTML = excerpt(r.texts[i], r.found.words); /* escaped text with <mark> */
        li.appendChild(ex);
        list.appendChild(li);
      });
      var n = r.found.pages.length;
      status.textContent = n === 0 ? t("search_none", { q: q }) :
        t("search_results", { n: n, q: q }) + (n > SHOWN ? " " + t("search_best_shown", { n: SHOWN }) : "");
    }).catch(function () {
      if (ticket !== latest) return;
      status.textContent = t("search_failed");
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
