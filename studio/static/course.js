/* The course page: chapter buttons, embed snippets, and which clips this browser has watched.
   No mathematics here: every number shown was computed when the site was built. */
(function () {
  "use strict";

  // --- the page's words: every message the scripts show comes from the page, in its language ---------
  // (<script id="calcviz-ui">: {"lang", "text": {key: "message with {name} fields"}, "number": symbols})
  var UI = { lang: "en", text: {}, number: { decimal: ".", group: "," } };
  try { UI = JSON.parse(document.getElementById("calcviz-ui").textContent); } catch (e) { /* no words given */ }
  function say(key, values) {
    var message = UI.text[key];
    if (message === undefined) { message = key; }
    return message.replace(/\{(\w+)\}/g, function (m, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : m;
    });
  }
  function sayCount(key, n, values) {  // "_one" is the message for a count of 1
    return say(n === 1 && UI.text[key + "_one"] !== undefined ? key + "_one" : key, values);
  }
  function digits(text) {  // a number printed the JavaScript way ("-0.25") written the page's way ("−0,25")
    var d = UI.number.decimal, g = UI.number.group;
    return String(text).replace(/[.,]/g, function (c) { return c === "." ? d : g; }).replace(/-/g, "−");
  }
  window.calcvizText = { say: say, count: sayCount, digits: digits, lang: UI.lang };

  // --- watched clips, remembered in localStorage as {"lesson/Scene": true} ---------------------------
  var KEY = "calcviz.watched";
  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "{}") || {}; } catch (e) { return {}; }
  }
  function save(watched) {
    try { localStorage.setItem(KEY, JSON.stringify(watched)); } catch (e) { /* private mode: not remembered */ }
  }
  function setWatched(id, yes) {
    var watched = load();
    if (yes) { watched[id] = true; } else { delete watched[id]; }
    save(watched);
    show();
  }
  function show() {
    var watched = load(), total = 0, seen = 0;
    document.querySelectorAll("[data-clip]").forEach(function (el) {
      var mark = el.querySelector(":scope > [data-mark], :scope > h2 > [data-mark]");
      if (mark) { mark.textContent = watched[el.dataset.clip] ? say("watched_mark") : ""; }
    });
    document.querySelectorAll("button.toggle-watched").forEach(function (b) {
      b.setAttribute("aria-pressed", watched[b.dataset.clip] ? "true" : "false");
    });
    document.querySelectorAll("[data-watched-count]").forEach(function (el) {
      var ids = el.dataset.clips ? el.dataset.clips.split(" ") : [];
      var n = ids.filter(function (id) { return watched[id]; }).length;
      total += ids.length; seen += n;
      el.textContent = sayCount("watched_count", ids.length, { n: n, total: ids.length });
      var bar = document.createElement("span");
      bar.className = "bar"; bar.setAttribute("aria-hidden", "true");
      var fill = document.createElement("i");
      fill.style.width = (ids.length ? 100 * n / ids.length : 0) + "%";  // a bar's length, for the eye only
      bar.appendChild(fill); el.appendChild(bar);
    });
    var all = document.querySelector("[data-progress-all]");
    if (all) {
      all.textContent = seen ? say("watched_all", { n: seen, total: total }) : "";
    }
  }
  window.calcvizWatched = { set: setWatched, load: load };

  document.querySelectorAll("video[data-clip]").forEach(function (v) {
    v.addEventListener("ended", function () { setWatched(v.dataset.clip, true); });
  });
  document.querySelectorAll("button.toggle-watched").forEach(function (b) {
    b.addEventListener("click", function () { setWatched(b.dataset.clip, b.getAttribute("aria-pressed") !== "true"); });
  });
  window.addEventListener("storage", show);  // another tab finished a clip
  show();

  // --- the language switch keeps the place on the page (#Scene, #sandpit) --------------------------------
  function keepPlace() {
    document.querySelectorAll("a[data-switch]").forEach(function (a) {
      a.setAttribute("href", a.getAttribute("href").split("#")[0] + location.hash);
    });
  }
  window.addEventListener("hashchange", keepPlace);
  keepPlace();

  // --- chapter buttons seek their video ---------------------------------------------------------------
  document.querySelectorAll("button.chapter").forEach(function (b) {
    b.addEventListener("click", function () {
      var v = document.getElementById(b.dataset.video);
      v.currentTime = parseFloat(b.dataset.start);
      v.play().catch(function () {});  // autoplay may be refused; seeking still happened
    });
  });

  // --- the snippets name files relative to this page; another page needs them absolute ------------------
  document.querySelectorAll("details.embed code").forEach(function (code) {
    code.textContent = code.textContent.replace(/(src|poster)="([^"]+)"/g, function (m, attr, url) {
      return attr + '="' + new URL(url, document.baseURI).href + '"';
    });
  });
  document.querySelectorAll("button.copy").forEach(function (b) {
    b.addEventListener("click", function () {
      var code = b.parentElement.querySelector("code").textContent;
      if (navigator.clipboard) { navigator.clipboard.writeText(code).catch(function () {}); }
      b.textContent = say("copied");
    });
  });
})();
