/* Presenter mode: a clip, or a whole lesson, played one beat at a time.

   lesson.html#present          every clip of the lesson, in order
   lesson.html#present=Scene    one clip

   Each clip stops at the end of each of its beats (its chapters). Space, → or Page Down plays the
   next beat, ← or Page Up replays the previous one, N shows the speaker notes (the narration lines
   of the beat), F goes full screen, Esc leaves. The beats and notes were written into the page
   when it was built, so it works offline. */
(function () {
  "use strict";
  var dialog = document.getElementById("presenter");
  var data = document.getElementById("presenter-clips");
  if (!dialog || !data) { return; }
  var clips = JSON.parse(data.textContent);
  var T = window.calcvizText;  // the page's words (course.js)
  var video = document.getElementById("presenter-video");
  var notes = document.getElementById("presenter-notes");
  var notesBody = notes.querySelector(".p-notes-body");
  var beatLine = document.getElementById("presenter-beat");
  var status = document.getElementById("presenter-status");
  var title = document.getElementById("presenter-title");
  var EARLY = 0.02;   // stop this close before a beat's end: a frame at 60 fps lasts 0.017 s
  var HOLD = 0.01;    // and show the time just before it, inside the beat's last frame

  var beats = [], cur = 0, phase = "ready", loaded = -1, opener = null, wanted = null;

  function beatsOf(list) {
    var out = [];
    list.forEach(function (clip) {
      var ci = clips.indexOf(clip);
      clip.chapters.forEach(function (c, k) {
        out.push({ clip: ci, k: k, count: clip.chapters.length, name: c.name, start: c.start, end: c.end,
                   notes: c.notes || [] });
      });
    });
    return out;
  }

  function say(text) { status.textContent = text; }

  function describe() {
    var b = beats[cur], clip = clips[b.clip];
    var where = T.say("beat", { n: cur + 1, total: beats.length, name: b.name });
    beatLine.textContent = where;
    title.textContent = clip.title;
    dialog.dataset.beat = String(cur);
    dialog.dataset.phase = phase;
    notesBody.textContent = "";
    (b.notes.length ? b.notes : [T.say("no_narration")]).forEach(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      notesBody.appendChild(p);
    });
    var after = beats[cur + 1];
    if (after) {
      var next = document.createElement("p");
      next.className = "next";
      next.textContent = after.clip !== b.clip ? T.say("next_clip", { clip: clips[after.clip].title, name: after.name })
        : T.say("next", { name: after.name });
      notesBody.appendChild(next);
    }
    return where;
  }

  function loadClip(ci, then) {
    if (loaded === ci && video.readyState >= 1) { then(); return; }
    var clip = clips[ci];
    loaded = ci;
    video.textContent = "";
    if (clip.webm) { add("source", { src: clip.base + ".webm", type: "video/webm" }); }
    add("source", { src: clip.base + ".mp4", type: "video/mp4" });
    clip.tracks.forEach(function (t) {  // the page's captions: its language first (default), then any other
      var attrs = { kind: t.kind, srclang: t.srclang, label: t.label, src: t.src };
      if (t["default"]) { attrs["default"] = ""; }
      add("track", attrs);
    });
    video.poster = clip.base + ".poster.png";
    video.addEventListener("loadedmetadata", function once() {
      video.removeEventListener("loadedmetadata", once);
      if (loaded === ci) { then(); }
    });
    video.load();
  }

  function add(tag, attrs) {
    var el = document.createElement(tag);
    Object.keys(attrs).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    video.appendChild(el);
  }

  function ready(i) {
    cur = i; phase = "ready";
    var where = describe();
    loadClip(beats[i].clip, function () {
      video.pause();
      video.currentTime = beats[i].start;
      say(T.say("ready", { beat: where }));
    });
  }

  function play(i) {
    cur = i; phase = "playing";
    var where = describe(), b = beats[i];
    wanted = i;
    loadClip(b.clip, function () {
      if (wanted !== i) { return; }
      video.currentTime = b.start;
      var started = video.play();
      if (started && started.catch) {
        started.catch(function () { say(T.say("held", { beat: where })); });
      }
      say(T.say("playing", { beat: where }));
      watch();
    });
  }

  var chain = 0;  // one watcher at a time: a newer beat's watcher retires the older one
  function watch() {
    var mine = ++chain;
    (function frame() {
      if (mine === chain && !check()) { requestAnimationFrame(frame); }
    })();
  }

  function check() {  // stop at the beat's end; true once there is nothing left to watch
    if (phase !== "playing" || dialog.hidden) { return true; }
    var b = beats[cur];
    if (video.currentTime >= b.end - EARLY || video.ended) { stop(); return true; }
    return false;
  }

  function stop() {
    var b = beats[cur];
    video.pause();
    video.currentTime = Math.max(b.start, b.end - HOLD);
    phase = "done";
    var where = describe();
    if (b.k === b.count - 1 && window.calcvizWatched) { window.calcvizWatched.set(clips[b.clip].id, true); }
    say(T.say(cur + 1 < beats.length ? "done_next" : "done_last", { beat: where }));
  }

  function next() {
    if (phase === "ready") { play(cur); return; }
    if (cur + 1 < beats.length) { play(cur + 1); return; }
    say(T.say("last_beat"));
  }

  function prev() {
    play(Math.max(cur - 1, 0));
  }

  function toggleNotes() {
    notes.hidden = !notes.hidden;
    dialog.querySelector('[data-action="notes"]').setAttribute("aria-pressed", notes.hidden ? "false" : "true");
  }

  function fullScreen() {
    if (document.fullscreenElement) { document.exitFullscreen().catch(function () {}); return; }
    if (dialog.requestFullscreen) {
      dialog.requestFullscreen().catch(function () { say(T.say("no_full_screen")); });
    }
  }

  function open(scene) {
    var list = scene ? clips.filter(function (c) { return c.scene === scene; }) : clips;
    if (!list.length) { return; }
    opener = opener || document.activeElement;
    beats = beatsOf(list);
    dialog.hidden = false;
    document.body.classList.add("presenting");
    dialog.focus();
    ready(0);
  }

  function leave() {
    if (dialog.hidden) { return; }
    phase = "ready"; wanted = null;
    video.pause();
    if (document.fullscreenElement) { document.exitFullscreen().catch(function () {}); }
    dialog.hidden = true;
    document.body.classList.remove("presenting");
    if (/^#present/.test(location.hash)) { history.replaceState(null, "", location.pathname + location.search); }
    if (opener && opener.focus) { opener.focus(); }
    opener = null;
  }

  function route() {
    var m = /^#present(?:=(.+))?$/.exec(location.hash);
    if (m) { open(m[1] ? decodeURIComponent(m[1]) : null); } else { leave(); }
  }

  document.addEventListener("keydown", function (e) {
    if (dialog.hidden || e.ctrlKey || e.altKey || e.metaKey) { return; }
    var key = e.key;
    if (key === " " || key === "Spacebar" || key === "ArrowRight" || key === "PageDown") { next(); }
    else if (key === "ArrowLeft" || key === "PageUp") { prev(); }
    else if (key === "f" || key === "F") { fullScreen(); }
    else if (key === "n" || key === "N") { toggleNotes(); }
    else if (key === "Escape" || key === "Esc") { leave(); }
    else if (key === "Tab") { trap(e); return; }
    else { return; }
    e.preventDefault();
  });

  function trap(e) {  // keep the keyboard inside the dialog while it is open
    var items = Array.prototype.filter.call(dialog.querySelectorAll("button"), function (b) { return b.offsetParent; });
    var first = items[0], last = items[items.length - 1];
    if (e.shiftKey && (document.activeElement === first || document.activeElement === dialog)) { last.focus(); e.preventDefault(); }
    else if (!e.shiftKey && document.activeElement === last) { first.focus(); e.preventDefault(); }
  }

  dialog.querySelectorAll("button[data-action]").forEach(function (b) {
    b.addEventListener("click", function () {
      ({ prev: prev, next: next, notes: toggleNotes, full: fullScreen, leave: leave })[b.dataset.action]();
    });
  });
  video.addEventListener("ended", function () { if (phase === "playing") { stop(); } });
  video.addEventListener("timeupdate", check);  // where animation frames are held back (a hidden tab)
  document.querySelectorAll("button[data-present]").forEach(function (b) {
    b.addEventListener("click", function () {  // through the address, so it can be bookmarked and linked
      var hash = "#present" + (b.dataset.present ? "=" + encodeURIComponent(b.dataset.present) : "");
      opener = b;
      if (location.hash === hash) { route(); } else { location.hash = hash; }
    });
  });
  window.addEventListener("hashchange", route);
  route();
})();
