// step.html: one training step's graph, drawn top to bottom as forward ran, from the data
// minivae.trace recorded (window.minivae.step). Plain JS and SVG; nothing is fetched.
"use strict";
(function () {
  const step = JSON.parse(document.getElementById("step-data").textContent);
  const nodes = step.nodes, params = step.params, order = step.backward_order;
  const NS = "http://www.w3.org/2000/svg";
  const $ = (id) => document.getElementById(id);

  // ------------------------------------------------------------ modules: which are open
  const modules = new Map(step.modules.map((m) => [m.path, m]));
  const open = new Set();
  function layersOnly() {  // every module open but the layers: a layer is one box
    open.clear();
    step.modules.forEach((m) => { if (!m.layer) open.add(m.path); });
  }
  function ancestors(path) {  // "encoder.body.conv2d_1" -> its modules, outermost first
    if (!path) return [];
    const parts = path.split("."), out = [];
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join(".");
      if (modules.has(p)) out.push(p);
    }
    return out;
  }
  function closedAncestor(path) {
    for (const p of ancestors(path)) if (!open.has(p)) return p;
    return null;
  }
  const consumers = nodes.map(() => []);  // node id -> ids of the nodes that take its output
  nodes.forEach((n) => n.inputs.forEach((j) => { if (!consumers[j].includes(n.id)) consumers[j].push(n.id); }));
  const paramUsers = new Map(params.map((p) => [p.name, []]));
  nodes.forEach((n) => n.args.forEach((a) => { if (a && paramUsers.has(a)) paramUsers.get(a).push(n.id); }));
  const opName = (n) => (n.called_as ? `${n.called_as} (as ${n.op})` : n.op);
  const moduleName = (path) => path || "loss";

  // ------------------------------------------------------------ numbers in words
  function ms(x) { return x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(2); }
  function bytes(n) {
    const units = ["B", "KB", "MB", "GB"];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i ? n.toFixed(1) : n.toFixed(0)) + " " + units[i];
  }
  function num(x) {
    if (x === 0) return "0";
    const a = Math.abs(x);
    return a >= 1e4 || a < 1e-3 ? x.toExponential(2) : x.toPrecision(3);
  }
  const shape = (s) => "(" + s.join(", ") + ")";
  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function svg(tag, attrs, parent) {
    const e = document.createElementNS(NS, tag);
    Object.entries(attrs).forEach(([k, v]) => e.setAttribute(k, v));
    if (parent) parent.appendChild(e);
    return e;
  }

  // ------------------------------------------------------------ layout: rows as forward ran
  const W = { op: 196, module: 200, param: 176 }, H = { op: 36, module: 46, param: 30 };
  const ROW = 66, GAP = 18, MARGIN = 24;

  function layout() {
    const units = new Map();
    const unitOfNode = nodes.map((n) => {
      const closed = closedAncestor(n.module);
      const key = closed ? "m:" + closed : "n:" + n.id;
      if (!units.has(key)) {
        units.set(key, closed ? { key, kind: "module", path: closed, nodes: [], first: n.id }
                              : { key, kind: "op", node: n, nodes: [], first: n.id });
      }
      units.get(key).nodes.push(n.id);
      return key;
    });
    const rank = new Map();
    nodes.forEach((n) => {
      const key = unitOfNode[n.id];
      let r = rank.has(key) ? rank.get(key) : 0;
      n.inputs.forEach((j) => { if (unitOfNode[j] !== key) r = Math.max(r, rank.get(unitOfNode[j]) + 1); });
      rank.set(key, r);
    });
    // ops on parameters alone (conv2d's kernel flip) sit just above the op that uses their result
    const fromData = [];
    nodes.forEach((n) => { fromData[n.id] = n.args.includes("data") || n.inputs.some((j) => fromData[j]); });
    const unitFromData = new Map();
    nodes.forEach((n) => { if (fromData[n.id]) unitFromData.set(unitOfNode[n.id], true); });
    for (let i = nodes.length - 1; i >= 0; i--) {
      const key = unitOfNode[i];
      if (unitFromData.get(key)) continue;
      const later = consumers[i].map((c) => unitOfNode[c]).filter((k) => k !== key).map((k) => rank.get(k));
      if (later.length) rank.set(key, Math.max(rank.get(key), Math.min(...later) - 1));
    }
    const edges = new Map();
    nodes.forEach((n) => n.inputs.forEach((j) => {
      const a = unitOfNode[j], b = unitOfNode[n.id];
      if (a !== b) edges.set(a + ">" + b, [a, b]);
    }));
    const shift = 0;
    params.forEach((p, i) => {
      if (closedAncestor(p.module)) return;  // inside a closed box
      const users = paramUsers.get(p.name).map((id) => unitOfNode[id]);
      if (!users.length) return;
      const key = "p:" + i;  // beside the first op that uses it, in its row
      const r = Math.min(...users.map((u) => rank.get(u)));
      units.set(key, { key, kind: "param", param: p, index: i, first: paramUsers.get(p.name)[0] + 0.5 + i / 1e3 });
      rank.set(key, r);
      users.forEach((u) => edges.set(key + ">" + u, [key, u]));
    });
    // two lanes: the model's modules on the left, the loss computed from them on the right
    const lane = (u) => (u.kind === "op" && !u.node.module ? 1 : 0);
    const rows = [[], []];
    units.forEach((u, key) => {
      const r = rank.get(key) + shift, l = lane(u);
      (rows[l][r] = rows[l][r] || []).push(u);
    });
    const widths = rows.map((laneRows) => {
      let widest = 0;
      laneRows.forEach((row) => {
        if (!row) return;
        row.sort((a, b) => a.first - b.first);
        row.width = row.reduce((s, u) => s + W[u.kind], 0) + GAP * (row.length - 1);
        widest = Math.max(widest, row.width);
      });
      return widest;
    });
    const left = [MARGIN + 20, MARGIN + 20 + widths[0] + (widths[0] ? 60 : 0)];
    const width = left[1] + widths[1] + MARGIN + 20;
    let count = 0;
    rows.forEach((laneRows, l) => laneRows.forEach((row, r) => {
      if (!row) return;
      count = Math.max(count, r + 1);
      let x = left[l] + (widths[l] - row.width) / 2;
      row.forEach((u) => {
        u.w = W[u.kind]; u.h = H[u.kind];
        u.x = x; u.y = MARGIN + 18 + r * ROW + (ROW - u.h) / 2;
        x += u.w + GAP;
      });
    }));
    const height = MARGIN * 2 + 18 + count * ROW;
    return { units, edges: [...edges.values()], width, height };
  }

  // ------------------------------------------------------------ drawing
  let current = null, selected = null, cursor = 0, last = null;
  const visited = new Set();

  function render() {
    const g = $("graph");
    const { units, edges, width, height } = layout();
    last = units;
    g.replaceChildren();
    g.setAttribute("width", width);
    g.setAttribute("height", height);
    g.setAttribute("viewBox", `0 0 ${width} ${height}`);
    drawFrames(g, units);
    const edgeLayer = svg("g", {}, g);
    edges.forEach(([a, b]) => {
      const u = units.get(a), v = units.get(b);
      const flow = current !== null && v.nodes && v.nodes.includes(current) && u.kind !== "param";
      let d;
      if (Math.abs(u.y + u.h / 2 - (v.y + v.h / 2)) < 1) {  // a parameter beside its op
        const [x1, x2] = u.x > v.x ? [u.x, v.x + v.w] : [u.x + u.w, v.x];
        d = `M${x1},${u.y + u.h / 2} L${x2},${v.y + v.h / 2}`;
      } else {
        const x1 = u.x + u.w / 2, y1 = u.y + u.h, x2 = v.x + v.w / 2, y2 = v.y;
        d = `M${x1},${y1} C${x1},${y1 + 24} ${x2},${y2 - 24} ${x2},${y2}`;
      }
      svg("path", { d, class: "edge" + (flow ? " flow" : "") }, edgeLayer);
    });
    units.forEach((u) => drawUnit(g, u));
  }

  function drawFrames(g, units) {
    const layer = svg("g", {}, g);
    [...open].sort((a, b) => a.split(".").length - b.split(".").length).forEach((path) => {
      const inside = [...units.values()].filter((u) => {
        const m = u.kind === "op" ? u.node.module : u.kind === "param" ? u.param.module : u.path;
        return m === path || (m || "").startsWith(path + ".");
      });
      if (!inside.length || closedAncestor(path)) return;
      const depth = path.split(".").length;
      const pad = 4 * (5 - Math.min(depth, 4));  // outer frames around inner ones
      const x0 = Math.min(...inside.map((u) => u.x)) - pad, y0 = Math.min(...inside.map((u) => u.y)) - 12 - pad / 2;
      const x1 = Math.max(...inside.map((u) => u.x + u.w)) + pad, y1 = Math.max(...inside.map((u) => u.y + u.h)) + pad / 2;
      const frame = svg("g", { class: "frame", "data-module": path }, layer);
      svg("rect", { x: x0, y: y0, width: x1 - x0, height: y1 - y0, rx: 6 }, frame);
      const label = svg("text", { x: x0 + 6, y: y0 + 12, class: "frame-label" }, frame);
      label.textContent = path + " \u25be";
      label.addEventListener("click", () => closeModule(path));
    });
  }

  function drawUnit(g, u) {
    const group = svg("g", { class: "unit", transform: `translate(${u.x},${u.y})` }, g);
    const lines = [];
    if (u.kind === "op") {
      const n = u.node;
      group.classList.add("op");
      if (n.called_as) group.classList.add("routed");
      group.setAttribute("data-node", n.id);
      if (n.id === selected) group.classList.add("selected");
      if (visited.has(n.id)) group.classList.add("visited");
      if (n.id === current) group.classList.add("current");
      svg("rect", { width: u.w, height: u.h, rx: 4 }, group);
      lines.push(`#${n.id} ${opName(n)}`, `${shape(n.shape)}  ${ms(n.forward_ms + n.backward_ms)} ms`);
      group.addEventListener("click", () => select(n.id));
    } else if (u.kind === "module") {
      const inside = u.nodes.map((id) => nodes[id]);
      const t = inside.reduce((s, n) => s + n.forward_ms + n.backward_ms, 0);
      group.classList.add("collapsed");
      group.setAttribute("data-module", u.path);
      if (u.nodes.includes(current)) group.classList.add("current");
      if (u.nodes.every((id) => visited.has(id))) group.classList.add("visited");
      svg("rect", { width: u.w, height: u.h, rx: 6 }, group);
      const m = modules.get(u.path);
      lines.push(`${u.path} \u25b8`, `${m ? m.kind : "module"}: ${inside.length} ops, ${ms(t)} ms`,
                 `out ${shape(inside[inside.length - 1].shape)}`);
      group.addEventListener("click", () => openModule(u.path));
    } else {
      const p = u.param;
      group.classList.add("param");
      group.setAttribute("data-param", u.index);
      svg("ellipse", { cx: u.w / 2, cy: u.h / 2, rx: u.w / 2, ry: u.h / 2 }, group);
      lines.push(p.name.split(".").pop() + " " + shape(p.shape), `|grad| ${num(p.grad_norm)}  upd/w ${num(p.update_ratio)}`);
      group.addEventListener("click", () => selectParam(u.index));
    }
    lines.forEach((line, i) => {
      const t = svg("text", { x: u.w / 2, y: 13 + i * 12, "text-anchor": "middle" }, group);
      t.textContent = line;
    });
  }

  function openModule(path) { open.add(path); ancestors(path).forEach((p) => open.add(p)); render(); }
  function closeModule(path) { open.delete(path); render(); }
  function expandAll() { step.modules.forEach((m) => open.add(m.path)); render(); }
  function collapseAll() { layersOnly(); render(); }

  // ------------------------------------------------------------ a node's details
  function histogram(stats, cls) {
    const box = document.createElementNS(NS, "svg");
    const w = 240, h = 44, bins = stats.hist, top = Math.max(...bins, 1);
    box.setAttribute("width", w); box.setAttribute("height", h); box.setAttribute("class", "hist " + cls);
    bins.forEach((c, i) => {
      const bh = (h - 2) * c / top;
      svg("rect", { x: i * w / bins.length, y: h - bh, width: w / bins.length - 1, height: bh }, box);
    });
    return box;
  }
  function statsBlock(parent, title, stats, cls) {
    parent.appendChild(el("h3", {}, title));
    if (!stats) { parent.appendChild(el("p", { class: "muted" }, "none")); return; }
    parent.appendChild(el("div", { class: "stats" },
      `mean ${num(stats.mean)}, std ${num(stats.std)}, min ${num(stats.min)}, max ${num(stats.max)}` +
      ` (histogram of ${stats.sampled.toLocaleString()} of ${stats.size.toLocaleString()} values)`));
    parent.appendChild(histogram(stats, cls));
  }
  const sourceOf = (n) => step.sources[n.called_as ? `${n.called_as} as ${n.op}` : n.op];
  function describeSource(s) {
    return typeof s === "number" ? `#${s} ${opName(nodes[s])}` : s === "data" ? "data (the batch)" :
      s === "constant" ? "a constant" : "parameter " + s;
  }

  function select(id) {
    selected = id;
    const n = nodes[id];
    ancestors(n.module).forEach((p) => open.add(p));
    render();
    const d = $("details");
    d.replaceChildren();
    d.appendChild(el("h2", {}, `#${n.id} ${opName(n)} in ${moduleName(n.module)}`));
    if (n.route) d.appendChild(el("p", { class: "muted", id: "route" }, n.route));
    const table = el("table");
    n.in_shapes.forEach((s, i) => {
      const from = n.args[i] === null ? n.inputs[n.args.slice(0, i).filter((a) => a === null).length] : n.args[i];
      const tr = el("tr");
      tr.append(el("td", {}, `input ${i + 1}`), el("td", {}, `${shape(s)} ${n.in_dtypes[i]}`),
                el("td", {}, describeSource(from)));
      table.appendChild(tr);
    });
    [["output", `${shape(n.shape)} ${n.dtype}`], ["forward", ms(n.forward_ms) + " ms"],
     ["backward", ms(n.backward_ms) + " ms"], ["kept for backward", bytes(n.saved_bytes)]].forEach(([k, v]) => {
      const tr = el("tr"); tr.append(el("td", {}, k), el("td", { colspan: 2 }, v)); table.appendChild(tr);
    });
    d.appendChild(table);
    statsBlock(d, "its output", n.value, "value");
    statsBlock(d, "the gradient that reached it (d loss / d output)", n.grad, "grad");
    const src = sourceOf(n);
    if (src) {
      d.appendChild(el("h3", {}, "the code that ran"));
      const where = el("p", { class: "muted" }, `${src.file}, lines ${src.forward_line} and ${src.backward_line}. `);
      if (step.book) {
        where.appendChild(el("a", { id: "api-link", href: step.book + src.api, target: "_blank" }, "its page in the book"));
      } else {
        where.appendChild(el("span", { id: "api-link" }, `its page in the book: ${src.api} (python3 dev.py docs builds it)`));
      }
      d.appendChild(where);
      d.appendChild(el("pre", { id: "source-forward" }, src.forward));
      d.appendChild(el("pre", { id: "source-backward" }, src.backward));
    }
  }

  function selectParam(i) {
    const p = params[i];
    const d = $("details");
    d.replaceChildren();
    d.appendChild(el("h2", {}, "parameter " + p.name));
    const table = el("table");
    [["shape", shape(p.shape)], ["gradient norm", num(p.grad_norm)],
     ["from the reconstruction term", p.reconstruction_norm === undefined ? "-" : num(p.reconstruction_norm)],
     ["from the KL term", p.kl_norm === undefined ? "-" : num(p.kl_norm)],
     ["weight norm", num(p.weight_norm)], ["update / weight (the optimizer's step)", num(p.update_ratio)],
     ["used by", paramUsers.get(p.name).map((id) => `#${id} ${opName(nodes[id])}`).join(", ")]].forEach(([k, v]) => {
      const tr = el("tr"); tr.append(el("td", {}, k), el("td", { class: "num" }, v)); table.appendChild(tr);
    });
    d.appendChild(table);
  }

  // ------------------------------------------------------------ play backward
  function norm(stats) { return stats ? Math.sqrt(stats.size * (stats.std * stats.std + stats.mean * stats.mean)) : 0; }

  function backStep() {
    if (cursor >= order.length) return false;
    const id = order[cursor++];
    visited.add(id);
    current = id;
    ancestors(nodes[id].module).forEach((p) => open.add(p));
    render();
    showBackward(id);
    const u = [...last.values()].find((v) => v.nodes && v.nodes.includes(id));
    if (u) {
      const wrap = $("graph-wrap");
      wrap.scrollTop = Math.max(0, u.y - wrap.clientHeight / 2);
      wrap.scrollLeft = Math.max(0, u.x + u.w / 2 - wrap.clientWidth / 2);
    }
    return cursor < order.length;
  }

  function showBackward(id) {
    const n = nodes[id];
    const b = $("backward");
    b.replaceChildren();
    b.appendChild(el("h2", {}, `backward, step ${cursor} of ${order.length}: #${id} ${opName(n)} in ${moduleName(n.module)}`));
    const arriving = [];
    consumers[id].forEach((c) => nodes[c].sent.forEach((s, i) => {
      if (s && s.to === id) arriving.push({ from: c, input: i, norm: s.norm });
    }));
    const list = el("ul", { id: "arriving" });
    if (!arriving.length) {
      list.appendChild(el("li", {}, "1: the walk starts here, d loss / d loss = 1"));
    }
    arriving.forEach((a) => list.appendChild(
      el("li", {}, `from #${a.from} ${opName(nodes[a.from])} (as its input ${a.input + 1}): norm ${num(a.norm)}`)));
    b.appendChild(el("h3", {}, "the gradient that arrives at its output"));
    b.appendChild(list);
    if (arriving.length > 1) {
      b.appendChild(el("p", { id: "accumulated" },
        `its output was used ${arriving.length} times: the ${arriving.length} gradients add up ` +
        `(the multivariable chain rule), to norm ${num(norm(n.grad))}.`));
    }
    if (n.grad) b.appendChild(histogram(n.grad, "grad"));
    b.appendChild(el("h3", {}, "what it sends to its inputs (its backward)"));
    const sent = el("ul", { id: "sent" });
    n.sent.forEach((s, i) => {
      const from = n.args[i] === null ? n.inputs[n.args.slice(0, i).filter((a) => a === null).length] : n.args[i];
      sent.appendChild(el("li", {}, s ? `to ${describeSource(s.to)}: norm ${num(s.norm)}`
                                        : `nothing to ${describeSource(from)} (it needs no gradient)`));
    });
    b.appendChild(sent);
    $("back-where").textContent = `${cursor} / ${order.length} nodes`;
  }

  let playing = null;
  function playBackward(delay) {
    if (delay === undefined) delay = 150;
    return new Promise((resolve) => {
      const tick = () => {
        if (!backStep()) { playing = null; $("back-play").classList.remove("on"); resolve(cursor); return; }
        playing = setTimeout(tick, delay);
      };
      $("back-play").classList.add("on");
      tick();
    });
  }
  function resetBackward() {
    if (playing) { clearTimeout(playing); playing = null; $("back-play").classList.remove("on"); }
    cursor = 0; current = null; visited.clear();
    $("backward").replaceChildren();
    $("back-where").textContent = "";
    render();
  }

  // ------------------------------------------------------------ the loss split, per layer
  function showSplit() {
    const view = $("split-view");
    view.hidden = !view.hidden;
    $("show-split").classList.toggle("on", !view.hidden);
    if (view.hidden || view.childElementCount) return;
    view.appendChild(el("h2", {}, "the loss split: which layers does each term pull on?"));
    if (params[0].kl_norm === undefined) {
      view.appendChild(el("p", {}, "this model's loss has no reconstruction and KL terms to split."));
      return;
    }
    const beta = step.beta === null ? "" : ` (beta = ${step.beta} weighs the reconstruction term)`;
    view.appendChild(el("p", { class: "muted" }, "gradient norms from one backward per loss term" + beta +
      "; they add up to the total gradient. Click a layer for its parameters."));
    const layers = new Map();
    params.forEach((p) => {
      const l = layers.get(p.module) || { recon: 0, kl: 0, params: [] };
      l.recon += p.reconstruction_norm ** 2; l.kl += p.kl_norm ** 2; l.params.push(p);
      layers.set(p.module, l);
    });
    const top = Math.max(...[...layers.values()].map((l) => Math.max(Math.sqrt(l.recon), Math.sqrt(l.kl))), 1e-30);
    const table = el("table", { id: "split" });
    const head = el("tr");
    ["layer", "|reconstruction grad|", "|KL grad|", "KL share"].forEach((h, i) => head.appendChild(el("th", i ? { class: "num" } : {}, h)));
    table.appendChild(head);
    const bar = (v, cls) => { const s = el("span", { class: "bar " + cls }); s.style.width = (80 * v / top) + "px"; return s; };
    layers.forEach((l, path) => {
      const r = Math.sqrt(l.recon), k = Math.sqrt(l.kl);
      const tr = el("tr", { class: "layer", "data-module": path });
      const c1 = el("td", { class: "num" }, num(r) + " "), c2 = el("td", { class: "num" }, num(k) + " ");
      c1.appendChild(bar(r, "")); c2.appendChild(bar(k, "kl"));
      tr.append(el("td", {}, path + " \u25b8"), c1, c2, el("td", { class: "num" }, (100 * k / (r + k || 1)).toFixed(1) + "%"));
      table.appendChild(tr);
      const rows = l.params.map((p) => {
        const row = el("tr", { class: "param", hidden: "" });
        row.append(el("td", {}, p.name.split(".").pop()), el("td", { class: "num" }, num(p.reconstruction_norm)),
                   el("td", { class: "num" }, num(p.kl_norm)), el("td", { class: "num" }, "update/w " + num(p.update_ratio)));
        table.appendChild(row);
        return row;
      });
      tr.addEventListener("click", () => rows.forEach((row) => { row.hidden = !row.hidden; }));
    });
    view.appendChild(table);
  }

  // ------------------------------------------------------------ the page
  const opsMs = nodes.reduce((s, n) => s + n.forward_ms + n.backward_ms, 0);
  const kept = nodes.reduce((s, n) => s + n.saved_bytes, 0);
  $("title").textContent = `One training step of the ${step.model}, inside`;
  const losses = Object.entries(step.losses).map(([k, v]) => `${k} ${num(v)}`).join(", ");
  $("summary").textContent = `${nodes.length} ops on ${step.batch} images (seed ${step.seed}): the step takes ` +
    `${ms(step.step_ms)} ms on its own (median of ${step.rounds}); its ops ${ms(opsMs)} ms, the optimizer's update ` +
    `${ms(step.optimizer_ms)} ms; ${bytes(kept)} kept for backward. ${losses}.`;
  $("expand-all").addEventListener("click", expandAll);
  $("collapse-all").addEventListener("click", collapseAll);
  $("back-step").addEventListener("click", backStep);
  $("back-play").addEventListener("click", () => { if (!playing) playBackward(); });
  $("back-reset").addEventListener("click", resetBackward);
  $("show-split").addEventListener("click", showSplit);
  layersOnly();
  render();
  window.minivae = { step, render, select, selectParam, openModule, closeModule, expandAll, collapseAll,
                     backStep, playBackward, resetBackward, showSplit, cursor: () => cursor };
})();
