/* semester default theme: progressive enhancement only. Every page reads and works without it.
   - a light/dark toggle in the header (remembered in localStorage "semester-theme")
   - a "Copy code" button on every .codeblock, announced through an aria-live region
   - marks the current week: [data-week-start][data-week-end] elements (YYYY-MM-DD, inclusive)
     get class "current-week" and aria-current="date" when today, in the course timezone
     (body[data-timezone]), falls in the range; ?today=YYYY-MM-DD overrides today for testing;
     on the home page it reveals that week in .this-week (or week 1 before the term starts)
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

  function each(selector, fn, scope) {
    var list = (scope || doc).querySelectorAll(selector);
    for (var i = 0; i < list.length; i++) fn(list[i], i);
  }

  function el(tag, attrs, text) {
    var node = doc.createElement(tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) node.setAttribute(k, attrs[k]);
    if (text) node.textContent = text;
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
    button.appendChild(el("span", { "class": "theme-text" }, "Dark mode"));
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
      var button = el("button", { type: "button", "class": "copy-button", "aria-label": "Copy code" }, "Copy");
      var timer;
      button.addEventListener("click", function () {
        var code = pre.querySelector("code") || pre;
        copyText(code.textContent.replace(/\n$/, "")).then(function () {
          button.textContent = "Copied";
          button.classList.add("is-copied");
          announce("Copied");
        }, function () {
          button.textContent = "Failed";
          announce("Copy failed: select the code and copy it by hand");
        }).then(function () {
          clearTimeout(timer);
          timer = setTimeout(function () {
            button.textContent = "Copy";
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
      box.setAttribute("aria-label", (box.checked ? "Done: " : "To do: ") + (text || "task"));
    });
  }

  /* ---- Current week ------------------------------------------------------------------- */
  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function today() {
    var forced = /[?&]today=(\d{4}-\d\d-\d\d)/.exec(window.location.search);
    if (forced) return forced[1];
    var zone = doc.body.getAttribute("data-timezone");
    var now = new Date();
    if (zone && window.Intl && Intl.DateTimeFormat) {
      try {
        var parts = new Intl.DateTimeFormat("en-US", {
          timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit"
        }).formatToParts(now);
        var f = {};
        for (var i = 0; i < parts.length; i++) f[parts[i].type] = parts[i].value;
        if (f.year && f.month && f.day) return f.year + "-" + f.month + "-" + f.day;
      } catch (e) { /* unknown zone: fall back to the reader's own */ }
    }
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

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
    if (jump && found && found.id) {
      var link = jump.querySelector("a");
      if (link) link.setAttribute("href", "#" + found.id);
      jump.hidden = false;
    }
    thisWeek(now);
  }

  /* Home page: reveal this week's box, or before the term the first week ("Coming up"). */
  function thisWeek(now) {
    var box = doc.querySelector(".this-week");
    if (!box) return;
    var weeks = box.querySelectorAll(".home-week");
    var pick = null, upcoming = false;
    for (var i = 0; i < weeks.length && !pick; i++) {
      if (weeks[i].classList.contains("current-week")) pick = weeks[i];
    }
    if (!pick && weeks.length && now < weeks[0].getAttribute("data-week-start")) {
      pick = weeks[0];
      upcoming = true;
    }
    for (var j = 0; j < weeks.length; j++) weeks[j].hidden = weeks[j] !== pick;
    var nowTitle = box.querySelector(".this-week-now");
    var nextTitle = box.querySelector(".this-week-next");
    if (nowTitle) nowTitle.hidden = upcoming;
    if (nextTitle) nextTitle.hidden = !upcoming;
    box.hidden = !pick;
  }

  /* ---- Calendar feed links ------------------------------------------------------------ */
  function feedLinks() {
    var feed = null;
    each("[data-absolute-url]", function (node) {
      try { feed = new URL(node.getAttribute("data-absolute-url"), window.location.href); } catch (e) { return; }
      node.textContent = feed.href;
    });
    var box = doc.querySelector(".ics-link");
    if (box && feed && /^https?:$/.test(feed.protocol) && !box.querySelector(".webcal")) {
      box.appendChild(doc.createTextNode(" "));
      box.appendChild(el("a", { "class": "button button-secondary webcal", href: "webcal://" + feed.host + feed.pathname },
        "Subscribe in calendar app"));
    }
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
