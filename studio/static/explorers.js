/* The explorers: the sandpit and "How big a step?".

   Everything they show was computed by calcviz when the site was built (calcviz/explorers.py) and
   written beside the page as data/<lesson>-<explorer>.json. This script only looks values up in
   those tables and draws them: it evaluates no function, no gradient, no step. The one piece of
   arithmetic is placing a point of the landscape on the picture (a linear map to pixels) and back. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var WIDTH = 600;
  var css = getComputedStyle(document.documentElement);
  var T = window.calcvizText;  // the page's words and number symbols (course.js)
  function color(name) { return css.getPropertyValue("--" + name).trim(); }

  // --- loading: fetch the JSON; a page opened from the disk may not fetch, so load the .js twin -------
  function load(config, then) {
    function viaScript() {
      var s = document.createElement("script");
      s.src = config.fallback;
      s.onload = function () { then(window.calcvizData[config.key]); };
      document.head.appendChild(s);
    }
    if (location.protocol === "file:") { viaScript(); return; }
    fetch(config.src).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    }).then(then, viaScript);
  }

  // --- drawing helpers ------------------------------------------------------------------------------
  function el(tag, attrs, parent) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(e); }
    return e;
  }

  function frame(svg, domain) {  // the landscape's domain on a WIDTH-wide picture, y up
    var x0 = domain[0][0], x1 = domain[0][1], y0 = domain[1][0], y1 = domain[1][1];
    var H = Math.round(WIDTH * (y1 - y0) / (x1 - x0));
    svg.setAttribute("viewBox", "0 0 " + WIDTH + " " + H);
    var id = svg.closest("section").id + "-clip";
    el("rect", { x: 0, y: 0, width: WIDTH, height: H }, el("clipPath", { id: id }, el("defs", {}, svg)));
    return {
      W: WIDTH, H: H, clip: "url(#" + id + ")",
      sx: function (x) { return (x - x0) / (x1 - x0) * WIDTH; },
      sy: function (y) { return (y1 - y) / (y1 - y0) * H; },
    };
  }

  function polyline(flat, f) {  // [x0, y0, x1, y1, …] → "px,py px,py …"
    var out = [];
    for (var k = 0; k + 1 < flat.length; k += 2) {
      out.push(f.sx(flat[k]).toFixed(2) + "," + f.sy(flat[k + 1]).toFixed(2));
    }
    return out.join(" ");
  }

  function contours(data, f, parent, stroke, width, opacity) {
    data.lines.forEach(function (pieces, k) {
      pieces.forEach(function (piece) {
        el("polyline", { points: polyline(piece, f), fill: "none", stroke: typeof stroke === "function" ? stroke(k) : stroke,
                         "stroke-width": width, "stroke-opacity": opacity, "stroke-linejoin": "round" }, parent);
      });
    });
  }

  var SUP = { "-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹" };
  function num(v, digits) {  // a number as the page prints it: fixed decimals, a true minus sign, 4.3 × 10⁵ when huge
    var s;
    if (Math.abs(v) >= 1e5) {
      var parts = v.toExponential(1).split("e");
      s = parts[0] + " × 10" + parts[1].replace("+", "").replace(/./g, function (c) { return SUP[c]; });
    } else {
      s = v.toFixed(digits);
      if (/^-0\.?0*$/.test(s)) { s = s.slice(1); }
    }
    return T.digits(s);
  }

  function at(x, y) { return T.say("point", { x: num(x, 2), y: num(y, 2) }); }
  function plain(v) { return T.digits(String(v)); }  // a setting as given (a learning rate), the page's way

  function dot(parent, x, y, r, fill, stroke, extra) {
    var c = el("circle", { cx: x.toFixed(2), cy: y.toFixed(2), r: r, fill: fill, stroke: stroke || "none",
                           "stroke-width": 1.5 }, parent);
    Object.keys(extra || {}).forEach(function (k) { c.setAttribute(k, extra[k]); });
    return c;
  }

  function label(parent, x, y, text, anchor) {
    var t = el("text", { x: x.toFixed(1), y: y.toFixed(1), "text-anchor": anchor || "start" }, parent);
    t.textContent = text;
    return t;
  }

  // --- the sandpit ------------------------------------------------------------------------------------
  function sandpit(section, config, d) {
    var svg = section.querySelector("svg.map");
    var readout = section.querySelector("[data-readout]");
    var counter = section.querySelector("[data-counter]");
    var list = section.querySelector("[data-probes]");
    var reveal = section.querySelector("[data-reveal]");
    var legend = section.querySelector("[data-legend]");
    var n = d.x.length, N = d.probes, f = frame(svg, d.domain);
    var probes = [], cursor = { i: (n - 1) >> 1, j: (n - 1) >> 1 }, revealed = false;
    var node = function (i, j) { return { x: f.sx(d.x[j]), y: f.sy(d.y[i]) }; };

    // layers, bottom to top: the heights (hidden), the sand, the contours, the path, the probes, the cross
    var heights = el("g", { "clip-path": f.clip, visibility: "hidden" }, svg);
    var canvas = document.createElement("canvas");
    canvas.width = n; canvas.height = n;
    var ctx = canvas.getContext("2d");
    for (var i = 0; i < n; i++) {
      for (var j = 0; j < n; j++) {
        ctx.fillStyle = config.bands[d.bands[i][j]];
        ctx.fillRect(j, n - 1 - i, 1, 1);
      }
    }
    var cw = f.W / (n - 1), ch = f.H / (n - 1);  // pixel centres on the grid's nodes
    el("image", { href: canvas.toDataURL(), x: -cw / 2, y: -ch / 2, width: f.W + cw, height: f.H + ch,
                  preserveAspectRatio: "none" }, heights);
    var pattern = el("pattern", { id: section.id + "-sand", width: 14, height: 14, patternUnits: "userSpaceOnUse" },
                     svg.querySelector("defs"));
    el("rect", { width: 14, height: 14, fill: "#8a7654" }, pattern);
    [[2, 3, 1.1], [9, 5, 0.9], [5, 11, 1.2], [12, 12, 0.8], [7, 7, 0.6]].forEach(function (g) {
      el("circle", { cx: g[0], cy: g[1], r: g[2], fill: "#a8916a" }, pattern);
    });
    var sand = el("rect", { x: 0, y: 0, width: f.W, height: f.H, fill: "url(#" + section.id + "-sand)" }, svg);
    var lines = el("g", { "clip-path": f.clip, visibility: "hidden" }, svg);
    contours(d, f, lines, color("background"), 1, 0.55);
    var path = el("g", { "clip-path": f.clip }, svg);
    var marks = el("g", {}, svg);
    var cross = el("g", { "pointer-events": "none" }, svg);
    el("circle", { r: 9, fill: "none", stroke: color("ink"), "stroke-width": 2 }, cross);
    el("path", { d: "M-16 0H-6M6 0H16M0 -16V-6M0 6V16", stroke: color("ink"), "stroke-width": 2 }, cross);

    function place() {
      var p = node(cursor.i, cursor.j);
      cross.setAttribute("transform", "translate(" + p.x.toFixed(1) + " " + p.y.toFixed(1) + ")");
    }

    function probeAt(i, j) {
      if (revealed) { readout.textContent = T.say("map_out"); return; }
      if (probes.some(function (p) { return p.i === i && p.j === j; })) {
        readout.textContent = T.say("probed_already", { pos: at(d.x[j], d.y[i]), depth: num(d.depth[i][j], 3) });
        return;
      }
      probes.push({ i: i, j: j });
      var k = probes.length, depth = d.depth[i][j], p = node(i, j);
      var li = document.createElement("li");
      li.dataset.depth = String(depth);
      li.dataset.node = i + "," + j;
      li.textContent = T.say("probe_item", { pos: at(d.x[j], d.y[i]), depth: num(depth, 3) });
      list.appendChild(li);
      dot(marks, p.x, p.y, 7, config.bands[d.bands[i][j]], color("data"), { "data-probe": k });
      label(marks, p.x + 10, p.y - 8, k + ": " + num(depth, 2));
      var deepest = 0;
      probes.forEach(function (q, m) { if (d.depth[q.i][q.j] < d.depth[probes[deepest].i][probes[deepest].j]) { deepest = m; } });
      Array.prototype.forEach.call(list.children, function (item, m) { item.classList.toggle("deepest", m === deepest); });
      readout.textContent = T.say("probe_readout", { k: k, n: N, pos: at(d.x[j], d.y[i]), depth: num(depth, 3) });
      counter.textContent = k < N ? T.count("probes_left", N - k, { n: N - k }) : T.say("all_used", { n: N });
      if (k === N) { show(deepest); }
    }

    function show(deepest) {
      revealed = true;
      heights.setAttribute("visibility", "visible");
      lines.setAttribute("visibility", "visible");
      sand.setAttribute("visibility", "hidden");
      legend.hidden = false;
      marks.querySelectorAll("circle").forEach(function (c) { c.setAttribute("fill", color("data")); c.setAttribute("stroke", color("background")); });
      var first = probes[0], idx = first.i * n + first.j, runs = d.runs, trail = runs.path[idx];
      el("polyline", { points: polyline(trail, f), fill: "none", stroke: color("step"), "stroke-width": 3,
                       "stroke-linejoin": "round", "data-path": idx }, path);
      for (var k = 2; k < trail.length; k += 2) { dot(path, f.sx(trail[k]), f.sy(trail[k + 1]), 2.5, color("step")); }
      var m = d.minimum.point, end = [trail[trail.length - 2], trail[trail.length - 1]];
      dot(path, f.sx(m[0]), f.sy(m[1]), 7, color("fit"), color("background"), { "data-minimum": "" });
      label(path, f.sx(m[0]) + 10, f.sy(m[1]) + 18, T.say("deepest_label", { depth: num(d.minimum.value, 2) }));
      var best = probes[deepest];
      reveal.textContent = "";
      [[T.say("reveal_land", { description: config.text.description, pos: at(m[0], m[1]), depth: num(d.minimum.value, 3) }), ""],
       [T.say("reveal_best", { k: deepest + 1, pos: at(d.x[best.j], d.y[best.i]), depth: num(d.depth[best.i][best.j], 3) }), ""],
       [T.say("reveal_descent", { pos: at(d.x[first.j], d.y[first.i]), lr: plain(d.descent.lr),
                                  verdict: config.text.verdicts[runs.verdict[idx]], endpoint: at(end[0], end[1]),
                                  depth: num(runs.value[idx], 3) }) + " " +
        T.say(runs.deepest[idx] ? "found_deepest" : "not_deepest"),
        "path-words"]].forEach(function (line) {
        var p = document.createElement("p");
        p.textContent = line[0];
        if (line[1]) { p.className = line[1]; }
        reveal.appendChild(p);
      });
      readout.textContent = T.say("revealed_readout", { k: N, n: N, pos: at(d.x[probes[N - 1].j], d.y[probes[N - 1].i]),
                                                         depth: num(d.depth[probes[N - 1].i][probes[N - 1].j], 3) });
    }

    function reset() {
      probes = []; revealed = false;
      list.textContent = ""; reveal.textContent = ""; marks.textContent = ""; path.textContent = "";
      heights.setAttribute("visibility", "hidden");
      lines.setAttribute("visibility", "hidden");
      sand.setAttribute("visibility", "visible");
      legend.hidden = true;
      counter.textContent = T.count("probes_left", N, { n: N });
      readout.textContent = T.say("covered", { n: N });
    }

    svg.addEventListener("click", function (e) {
      var box = svg.getBoundingClientRect();
      cursor.j = Math.min(n - 1, Math.max(0, Math.round((e.clientX - box.left) / box.width * (n - 1))));
      cursor.i = Math.min(n - 1, Math.max(0, Math.round((1 - (e.clientY - box.top) / box.height) * (n - 1))));
      place();
      probeAt(cursor.i, cursor.j);
    });
    svg.addEventListener("keydown", function (e) {
      var step = e.shiftKey ? 5 : 1, moves = { ArrowLeft: [0, -step], ArrowRight: [0, step],
                                               ArrowUp: [step, 0], ArrowDown: [-step, 0] };
      if (moves[e.key]) {
        cursor.i = Math.min(n - 1, Math.max(0, cursor.i + moves[e.key][0]));
        cursor.j = Math.min(n - 1, Math.max(0, cursor.j + moves[e.key][1]));
        place();
        readout.textContent = T.say("cross", { pos: at(d.x[cursor.j], d.y[cursor.i]) });
      } else if (e.key === "Enter" || e.key === " ") {
        probeAt(cursor.i, cursor.j);
      } else { return; }
      e.preventDefault();
    });
    section.querySelector('[data-action="probe"]').addEventListener("click", function () { probeAt(cursor.i, cursor.j); });
    section.querySelector('[data-action="reset"]').addEventListener("click", reset);
    place();
    readout.textContent = T.say("first_readout", { n: N, pos: at(d.x[cursor.j], d.y[cursor.i]) });
    section.dataset.ready = "true";
  }

  // --- how big a step? -------------------------------------------------------------------------------------
  function stepSize(section, config, d) {
    var svg = section.querySelector("svg.map"), slider = section.querySelector("input.rate");
    var eta = section.querySelector("[data-eta]"), verdict = section.querySelector("[data-verdict]");
    var words = section.querySelector("[data-words]"), strip = section.querySelectorAll(".strip span");
    var f = frame(svg, d.domain);
    contours(d, f, el("g", { "clip-path": f.clip }, svg), function (k) { return config.levels[k]; }, 1.6, 0.9);
    var m = d.minimum.point;
    dot(svg, f.sx(m[0]), f.sy(m[1]), 6, color("fit"), color("background"));
    var path = el("g", { "clip-path": f.clip }, svg);
    dot(svg, f.sx(d.start[0]), f.sy(d.start[1]), 6, color("ink"), color("background"));
    label(svg, f.sx(d.start[0]) + 10, f.sy(d.start[1]) - 10, T.say("start_label"));

    function update() {
      var k = +slider.value, run = d.runs[k], said = config.text.runs[k];
      path.textContent = "";
      // the steps on the map, and the one that leaves it (clipped at the edge): a run that ran away
      // goes on far beyond the picture
      var shown = run.path.slice(0, 2 * Math.min(run.on_map + 1, run.nit + 1));
      el("polyline", { points: polyline(shown, f), fill: "none", stroke: color("step"), "stroke-width": 2.5,
                       "stroke-linejoin": "round" }, path);
      for (var q = 2; q < 2 * run.on_map; q += 2) { dot(path, f.sx(run.path[q]), f.sy(run.path[q + 1]), 2.5, color("step")); }
      eta.textContent = "η = " + plain(run.lr);
      verdict.textContent = said.verdict;
      verdict.className = "verdict status-" + run.status;
      verdict.dataset.status = run.status;
      verdict.dataset.nit = String(run.nit);
      var end = run.end;
      words.textContent = [
        T.say("run_head", { lr: plain(run.lr), verdict: said.verdict, status: said.status,
                            count: T.count("steps", run.nit, { n: run.nit }),
                            runaway: run.stopped_at ? T.say("ran_away", { k: run.stopped_at }) : "" }),
        run.on_map <= run.nit ? T.say("left_map", { k: run.on_map }) : "",
        T.say("run_end", { pos: at(end[0], end[1]), fx: num(run.value, 3), outcome: said.outcome, minimum: at(m[0], m[1]) })
      ].filter(Boolean).join(" ");
      slider.setAttribute("aria-valuetext", "η = " + plain(run.lr) + ": " + said.verdict);
      strip.forEach(function (s, q) { s.classList.toggle("current", q === k); });
    }
    slider.addEventListener("input", update);
    update();
    section.dataset.ready = "true";
  }

  document.querySelectorAll("section.explorer").forEach(function (section) {
    var config = JSON.parse(section.querySelector("script.explorer-config").textContent);
    load(config, function (data) {
      (data.kind === "sandpit" ? sandpit : stepSize)(section, config, data);
    });
  });
})();
