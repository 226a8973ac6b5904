/* semester default theme: progressive enhancement only. Every page reads and works without it.
   - a light/dark toggle in the header (remembered in localStorage "semester-theme")
   - a "Copy code" button on every .codeblock, announced through an aria-live region
   - marks the current week: [data-week-start][data-week-end] elements (YYYY-MM-DD, inclusive)
     get class "current-week" and aria-current="date" when today, in the course timezone
     (body[data-timezone]), falls in the range; ?today=YYYY-MM-DD overrides today for testing;
     the calendar page scrolls to that week (unless the address names another place)
   - recomputes "Next up" (.next-up) for the reader's day and time with the rule of
     src/next_up.rs, from the JSON the build put beside it
   - names task-list checkboxes after their item (pulldown-cmark emits them unlabelled)
   - makes wide code blocks, tables and math keyboard-scrollable (tabindex="0")
   - shows the absolute .ics URL ([data-absolute-url]) and a webcal: subscribe link
   No frameworks, no network requests. */
(function () {
  "use strict";
  var doc = document;
  var root = doc.documentElement;
  var KEY = "semester-theme";
  var live;

  /* The page's interface strings (#sm-strings, from the course's translation table): t(key)
     or t(key, {n: 3, q: "x"}); a counting message takes the form of CLDR's rule for n. */
  var STRINGS = {};
  try { STRINGS = JSON.parse(document.getElementById("sm-strings").textContent); } catch (e) { /* none */ }
  var PLURAL = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang || "en") : null;
  function t(key, vars) {
    var m = STRINGS[key];
    if (m == null) return key;
    if (typeof m === "object") {
      var n = vars && vars.n;
      m = m[PLURAL && n != null ? PLURAL.select(n) : "other"] || m.other || "";
    }
    for (var k in vars) if (Object.prototype.hasOwnProperty.call(vars, k)) m = m.split("{" + k + "}").join(String(vars[k]));
    if (EN.indexOf(key) < 0) return m;
    /* The English fallback of a message the course's language lacks: el() marks it lang="en". */
    var marked = new String(m);
    marked.en = true;
    return marked;
  }
  var EN = STRINGS._en || [];
  /* Shared with search.js, which the search page loads after this file. */
  window.semester = { t: t };

  function each(selector, fn, scope) {
    var list = (scope || doc).querySelectorAll(selector);
    for (var i = 0; i < list.length; i++) fn(list[i], i);
  }

  function el(tag, attrs, text) {
    var node = doc.createElement(tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) node.setAttribute(k, attrs[k]);
    if (text && text.en) node.appendChild(el("span", { lang: "en" }, String(text)));
    else if (text) node.textContent = text;
    return node;
  }

  /* `node` with the build's HTML of a text appended when the data has it (an English
     fallback marked inside), else the text. The HTML was escaped by the build. */
  function rich(node, html, text) {
    if (html) node.insertAdjacentHTML("beforeend", html);
    else node.appendChild(doc.createTextNode(text));
    return node;
  }

  /* A polite live region for short announcements ("Copied"). */
  function announce(message) {
    if (!live) return;
    live.textContent = "";
    setTimeout(function () { live.textContent = message; }, 60);
  }

  /* ---- Light / dark toggle ------------------------------------------------------------ */
  var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function isDark() {
    var chosen = root.getAttribute("data-theme");
    if (chosen === "dark" || chosen === "light") return chosen === "dark";
    return !!(media && media.matches);
  }

  function themeToggle() {
    var host = doc.querySelector(".site-tools") || doc.querySelector(".site-header");
    if (!host) return;
    var button = el("button", { type: "button", "class": "theme-toggle" });
    button.appendChild(el("span", { "class": "theme-icon", "aria-hidden": "true" }));
    button.appendChild(el("span", { "class": "theme-text" }, t("dark_mode")));
    function sync() { button.setAttribute("aria-pressed", isDark() ? "true" : "false"); }
    button.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem(KEY, next); } catch (e) { /* private mode: not remembered */ }
      sync();
    });
    if (media) {
      if (media.addEventListener) media.addEventListener("change", sync);
      else if (media.addListener) media.addListener(sync);
    }
    sync();
    host.appendChild(button);
  }

  /* ---- Copy buttons on code blocks ---------------------------------------------------- */
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = el("textarea", { readonly: "", "aria-hidden": "true" });
      area.value = text;
      area.style.position = "fixed";
      area.style.opacity = "0";
      doc.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = doc.execCommand("copy"); } catch (e) { ok = false; }
      doc.body.removeChild(area);
      if (ok) resolve(); else reject(new Error("copy failed"));
    });
  }

  function copyButtons() {
    each(".codeblock", function (block) {
      var pre = block.querySelector("pre");
      if (!pre || block.querySelector(".copy-button")) return;
      var button = el("button", { type: "button", "class": "copy-button", "aria-label": t("copy_code") }, t("copy"));
      var timer;
      button.addEventListener("click", function () {
        var code = pre.querySelector("code") || pre;
        copyText(code.textContent.replace(/\n$/, "")).then(function () {
          button.textContent = t("copied");
          button.classList.add("is-copied");
          announce(t("copied"));
        }, function () {
          button.textContent = t("copy_failed");
          announce(t("copy_failed_note"));
        }).then(function () {
          clearTimeout(timer);
          timer = setTimeout(function () {
            button.textContent = t("copy");
            button.classList.remove("is-copied");
          }, 2000);
        });
      });
      block.classList.add("has-copy");
      block.insertBefore(button, block.firstChild);
    });
  }

  /* ---- Scrollable boxes reachable by keyboard ------------------------------------------ */
  function scrollables() {
    each(".content pre, .content table, .content math, .content .table-wrap, .content .math-display", function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("tabindex")) {
          box.setAttribute("tabindex", "0");
          box.setAttribute("data-scroll-focus", "");
        }
      } else if (box.hasAttribute("data-scroll-focus")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-scroll-focus");
      }
    });
  }

  /* ---- Task-list checkboxes get the item's text as their name ------------------------- */
  function taskLists() {
    each(".content li > input[type=checkbox]", function (box) {
      if (box.hasAttribute("aria-label") || box.hasAttribute("aria-labelledby") || box.closest("label")) return;
      var text = "";
      for (var n = box.nextSibling; n && !(n.nodeType === 1 && /^(UL|OL)$/.test(n.nodeName)); n = n.nextSibling) {
        text += n.textContent;
      }
      text = text.replace(/\s+/g, " ").trim().slice(0, 120);
      box.setAttribute("aria-label", t(box.checked ? "done" : "to_do") + ": " + (text || t("task")));
    });
  }

  /* ---- Current week ------------------------------------------------------------------- */
  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /* The reader's day (YYYY-MM-DD) and minutes after midnight, in the course time zone.
     ?today=YYYY-MM-DD sets the day and midnight, as a build with --as-of does. */
  function clock() {
    var forced = /[?&]today=(\d{4}-\d\d-\d\d)/.exec(window.location.search);
    if (forced) return { day: forced[1], minutes: 0 };
    var zone = doc.body.getAttribute("data-timezone");
    var now = new Date();
    if (zone && window.Intl && Intl.DateTimeFormat) {
      try {
        var parts = new Intl.DateTimeFormat("en-US", {
          timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
          hour: "2-digit", minute: "2-digit", hourCycle: "h23"
        }).formatToParts(now);
        var f = {};
        for (var i = 0; i < parts.length; i++) f[parts[i].type] = parts[i].value;
        if (f.year && f.month && f.day) {
          return { day: f.year + "-" + f.month + "-" + f.day, minutes: (+f.hour % 24) * 60 + (+f.minute) };
        }
      } catch (e) { /* unknown zone: fall back to the reader's own */ }
    }
    return {
      day: now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate()),
      minutes: now.getHours() * 60 + now.getMinutes()
    };
  }

  function today() { return clock().day; }

  function addDays(iso, days) {
    var d = new Date(iso + "T12:00:00Z");
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  }

  function currentWeek() {
    var now = today();
    var found = null;
    each("[data-week-start]", function (week) {
      var start = week.getAttribute("data-week-start");
      var end = week.getAttribute("data-week-end") || addDays(start, 6);
      var current = start <= now && now <= end;
      week.classList.toggle("current-week", current);
      if (current) {
        week.setAttribute("aria-current", "date");
        if (!found) found = week;
      } else if (week.getAttribute("aria-current") === "date") {
        week.removeAttribute("aria-current");
      }
    });
    var jump = doc.querySelector(".jump-now");
    if (jump) {
      var link = jump.querySelector("a");
      if (link && found && found.id) link.setAttribute("href", "#" + found.id);
      jump.hidden = !(found && found.id);
    }
    if (found && found.id && doc.body.classList.contains("kind-calendar") && !window.location.hash) {
      /* After the load event, so that the browser's own scroll restoring does not undo it. */
      var go = function () { found.scrollIntoView({ block: "start", behavior: "instant" }); };
      if (doc.readyState === "complete") go(); else window.addEventListener("load", go);
    }
  }

  /* ---- Next up: the rule of src/next_up.rs, for the reader's day and time ------------ */
  function daysBetween(from, to) {
    return Math.round((Date.parse(to + "T12:00:00Z") - Date.parse(from + "T12:00:00Z")) / 86400000);
  }

  function countdown(from, to) {
    var n = daysBetween(from, to);
    if (n === 0) return t("today");
    if (n === 1) return t("tomorrow");
    if (n === -1) return t("yesterday");
    return n < 0 ? t("days_ago", { n: -n }) : t("in_days", { n: n });
  }

  function pickNextUp(data, day, minutes) {
    var ahead = data.items.filter(function (e) {
      var t = e.end != null ? e.end : e.start;
      return e.date > day || (e.date === day && (t == null || t > minutes));
    });
    var withCount = function (e) {
      var c = {};
      for (var k in e) if (Object.prototype.hasOwnProperty.call(e, k)) c[k] = e[k];
      c.countdown = countdown(day, e.date);
      return c;
    };
    var cls = null, deadlines = [];
    ahead.forEach(function (e) {
      if (e.kind === "session") { if (!cls) cls = withCount(e); } else deadlines.push(e);
    });
    var within = function (until) {
      return deadlines.filter(function (e) { return e.date <= until; }).map(withCount);
    };
    var horizon = addDays(day, data.window);
    var holiday = null;
    data.holidays.forEach(function (h) { if (!holiday && h.from <= day && day <= h.to) holiday = h; });
    var r = { state: "term", status: "", classHeading: t("next_class"), cls: cls,
              dueHeading: t("due_within", { n: data.window }), due: [], empty: "" };
    if (day > data.last) return { state: "over", status: t("term_over"), cls: null, due: [] };
    if (day < data.start) {
      r.state = "before";
      r.status = t("term_starts", { date: data.start_text, when: countdown(day, data.start) });
      r.classHeading = t("first_class");
      r.due = within(horizon);
    } else if (holiday) {
      r.state = "break";
      r.status = holiday.from === holiday.to ? t("holiday_today", { name: holiday.name })
        : t("holiday_until", { name: holiday.name, date: holiday.to_text });
      r.dueHeading = t("due_meanwhile");
      r.due = within(cls ? cls.date : data.last);
    } else if (!cls) {
      r.state = "finals";
      r.status = t("classes_over");
      r.dueHeading = t("still_due");
      r.due = within(data.last);
    } else {
      r.due = within(horizon);
      if (!r.due.length && deadlines.length) {
        r.dueHeading = t("next_deadline");
        r.due = [withCount(deadlines[0])];
      }
    }
    if (!r.due.length) r.empty = t(deadlines.length ? "nothing_due_until_then" : "nothing_else_due");
    return r;
  }

  /* The markup of partials/cal-item.html, built from an item of the data. */
  function calItem(e) {
    var li = el("li", { "class": "cal-item kind-" + e.kind });
    var when = el("span", { "class": "cal-when" });
    when.appendChild(el("time", { datetime: e.date }, e.date_text));
    if (e.time_text) {
      when.appendChild(doc.createTextNode(" "));
      when.appendChild(el("span", { "class": "nowrap" }, e.time_text));
    }
    if (e.countdown) {
      when.appendChild(doc.createTextNode(" "));
      when.appendChild(el("span", { "class": "countdown" }, e.countdown));
    }
    li.appendChild(when);
    li.appendChild(doc.createTextNode("\n"));
    li.appendChild(rich(el("span", { "class": "cal-kind" }), e.kind_label_html, e.kind_label));
    li.appendChild(doc.createTextNode("\n"));
    var what = el("span", { "class": "cal-what" });
    if (e.url) what.appendChild(rich(el("a", { href: e.url }), e.title_html, e.title));
    else rich(what, e.title_html, e.title);
    if (e.detail && e.detail !== e.title) {
      what.appendChild(doc.createTextNode(" "));
      what.appendChild(rich(el("span", { "class": "cal-detail" }, "· "), e.detail_html, e.detail));
    }
    if (e.location) {
      what.appendChild(doc.createTextNode(" "));
      var where = el("span", { "class": "cal-where" }, "· ");
      where.appendChild(el("bdi", {}, e.location));
      what.appendChild(where);
    }
    li.appendChild(what);
    return li;
  }

  function list(items) {
    var ul = el("ul", { "class": "week-items" });
    items.forEach(function (e) { ul.appendChild(calItem(e)); });
    return ul;
  }

  function nextUp() {
    var box = doc.querySelector(".next-up");
    var script = box && box.querySelector(".next-up-data");
    var body = box && box.querySelector(".next-up-body");
    if (!script || !body) return;
    var data;
    try { data = JSON.parse(script.textContent); } catch (e) { return; }
    var now = clock();
    var r = pickNextUp(data, now.day, now.minutes);
    while (body.firstChild) body.removeChild(body.firstChild);
    if (r.status) body.appendChild(el("p", { "class": "next-up-status" }, r.status));
    if (r.cls) {
      body.appendChild(el("h3", { "class": "next-up-heading" }, r.classHeading));
      body.appendChild(list([r.cls]));
    }
    if (r.state !== "over") {
      body.appendChild(el("h3", { "class": "next-up-heading" }, r.dueHeading));
      body.appendChild(r.due.length ? list(r.due) : el("p", { "class": "muted next-up-empty" }, r.empty));
    }
    box.setAttribute("data-state", r.state);
    box.setAttribute("data-as-of", now.day);
  }

  /* ---- Calendar feed links ------------------------------------------------------------ */
  function feedLinks() {
    var feed = null;
    each("[data-absolute-url]", function (node) {
      try { feed = new URL(node.getAttribute("data-absolute-url"), window.location.href); } catch (e) { return; }
      node.textContent = feed.href;
    });
    /* A site built with a bare-path base_url learns its host here. */
    each("a[data-webcal]", function (link) {
      if (/^webcal:/.test(link.getAttribute("href"))) return;
      var url;
      try { url = new URL(link.getAttribute("data-webcal"), window.location.href); } catch (e) { return; }
      if (/^https?:$/.test(url.protocol)) link.setAttribute("href", "webcal://" + url.host + url.pathname);
    });
  }

  /* ---- The term switcher closes on Escape and on a click elsewhere ---------------------- */
  function switcher() {
    each("details.versions", function (details) {
      details.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && details.open) {
          details.open = false;
          var summary = details.querySelector("summary");
          if (summary) summary.focus();
        }
      });
      doc.addEventListener("click", function (event) {
        if (details.open && !details.contains(event.target)) details.open = false;
      });
    });
  }

  function init() {
    live = el("div", { "class": "sr-only", role: "status", "aria-live": "polite" });
    doc.body.appendChild(live);
    themeToggle();
    copyButtons();
    taskLists();
    currentWeek();
    nextUp();
    feedLinks();
    switcher();
    scrollables();
    var pending;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(scrollables, 150);
    });
  }

  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", init);
  else init();
})();
