/* The course page: chapter buttons, embed snippets, and which clips this browser has watched.
   No mathematics here: every number shown was computed when the site was built. */
(function () {
  "use strict";

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
      if (mark) { mark.textContent = watched[el.dataset.clip] ? "✓ watched" : ""; }
    });
    document.querySelectorAll("button.toggle-watched").forEach(function (b) {
      b.setAttribute("aria-pressed", watched[b.dataset.clip] ? "true" : "false");
    });
    document.querySelectorAll("[data-watched-count]").forEach(function (el) {
      var ids = el.dataset.clips ? el.dataset.clips.split(" ") : [];
      var n = ids.filter(function (id) { return watched[id]; }).length;
      total += ids.length; seen += n;
      el.textContent = n + " of " + ids.length + " clip" + (ids.length === 1 ? "" : "s") + " watched";
      var bar = document.createElement("span");
      bar.className = "bar"; bar.setAttribute("aria-hidden", "true");
      var fill = document.createElement("i");
      fill.style.width = (ids.length ? 100 * n / ids.length : 0) + "%";  // a bar's length, for the eye only
      bar.appendChild(fill); el.appendChild(bar);
    });
    var all = document.querySelector("[data-progress-all]");
    if (all) {
      all.textContent = seen ? "You have watched " + seen + " of " + total + " clips." : "";
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
      b.textContent = "Copied";
    });
  });
})();
