// The backward stepper (viz.steps): one SVG and the data of every step; a step switches classes and
// texts of that one picture (the node visited, the gradients known so far, the edges of its sum).
// `standalone`: keys act anywhere on the page; otherwise (inline in Jupyter) only while the stepper
// has the focus, so typing in a notebook cell never steps it.
function vizStepper(root, standalone) {
  "use strict";
  var data = JSON.parse(root.querySelector("script.steps-data").textContent);
  var steps = data.steps;
  var svg = root.querySelector(".picture svg");
  var counter = root.querySelector(".counter");
  var caption = root.querySelector(".caption");
  var prefix = root.id + "-";
  var byId = {};  // the picture's elements by their id in the diagram (without the page's prefix)
  Array.prototype.forEach.call(svg.querySelectorAll("[id]"), function (el) {
    byId[el.id.slice(0, prefix.length) === prefix ? el.id.slice(prefix.length) : el.id] = el;
  });
  // Each step's node, its "grad" text and the edges its sum uses (an edge's label may be a node
  // of its own, "<edge id>_label"), looked up once.
  var nodes = steps.map(function (s) { return byId[s.node]; });
  var grads = nodes.map(function (el) { return el ? el.querySelector("text.grad") : null; });
  var edges = steps.map(function (s) {
    var found = [];
    s.edges.forEach(function (id) {
      [id, id + "_label"].forEach(function (k) { if (byId[k]) { found.push(byId[k]); } });
    });
    return found;
  });
  var current = -1;
  var zoom = null;  // null: fit to the window; else a scale of the picture's natural size

  function size() {
    var box = svg.viewBox.baseVal;
    if (zoom === null) {
      // measured without the picture, whose overflow (a scroll bar) would narrow the room it fits
      svg.style.width = "0px";
      var top = svg.parentNode.getBoundingClientRect().top + (standalone ? window.scrollY : 0);
      var room = standalone ? window.innerHeight - top - 16 : Math.max(300, window.innerHeight * 0.8);
      var scale = Math.min(root.clientWidth / box.width, Math.max(room, 100) / box.height);
      svg.style.width = (box.width * scale) + "px";
    } else {
      svg.style.width = (box.width * zoom) + "px";
    }
    svg.style.height = "auto";
  }
  function show(k) {
    k = Math.max(0, Math.min(steps.length - 1, k));
    if (current >= 0) {
      edges[current].forEach(function (el) { el.classList.remove("current-edge"); });
    }
    for (var i = 0; i < steps.length; i++) {
      if (!nodes[i]) { continue; }
      nodes[i].classList.toggle("unknown", i > k);
      nodes[i].classList.toggle("current", i === k);
      if (grads[i]) { grads[i].textContent = "grad " + (i <= k ? steps[i].grad : "?"); }
    }
    edges[k].forEach(function (el) { el.classList.add("current-edge"); });
    current = k;
    counter.textContent = (k + 1) + " / " + steps.length;
    caption.textContent = steps[k].caption;
    size();
  }
  function scaleBy(f) {
    var now = zoom === null ? svg.getBoundingClientRect().width / svg.viewBox.baseVal.width : zoom;
    zoom = Math.max(0.1, Math.min(8, now * f));
    size();
  }
  function fit() { zoom = null; size(); }
  function click(name, f) { root.querySelector("." + name).addEventListener("click", f); }
  click("prev", function () { show(current - 1); });
  click("next", function () { show(current + 1); });
  click("zoom-in", function () { scaleBy(1.25); });
  click("zoom-out", function () { scaleBy(0.8); });
  click("fit", fit);
  root.addEventListener("click", function () { root.focus({preventScroll: true}); });
  function typing(el) {
    if (!el || el === root) { return false; }
    var tag = (el.tagName || "").toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || el.isContentEditable;
  }
  var actions = {
    ArrowRight: function () { show(current + 1); }, ArrowDown: function () { show(current + 1); },
    PageDown: function () { show(current + 1); }, " ": function () { show(current + 1); },
    ArrowLeft: function () { show(current - 1); }, ArrowUp: function () { show(current - 1); },
    PageUp: function () { show(current - 1); },
    Home: function () { show(0); }, End: function () { show(steps.length - 1); },
    "+": function () { scaleBy(1.25); }, "=": function () { scaleBy(1.25); },
    "-": function () { scaleBy(0.8); }, "0": fit, f: fit
  };
  (standalone ? document : root).addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev.target)) { return; }
    var act = actions[ev.key];
    if (!act) { return; }
    act();
    ev.preventDefault();
    ev.stopPropagation();  // inline in Jupyter: the notebook must not also act on the key
  });
  window.addEventListener("resize", function () { if (zoom === null) { size(); } });
  show(0);
}
