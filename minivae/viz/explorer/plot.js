// plot.js: drawing. Images on canvases, and the plane of embeddings: its view (plain or through the
// normal CDF), axes, the prior's circles, q(z|x)'s ellipses, the pins and the pointer.
"use strict";

const TAB10 = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
               "#7f7f7f", "#bcbd22", "#17becf"];
const DRAW_COLOURS = ["#e6007e", "#00a0b0", "#8a2be2", "#ff8c00"];
const clamp01 = (v) => Math.min(Math.max(v, 0), 1);
const dot = (a, b) => a.reduce((s, v, i) => s + v * b[i], 0);
const fmt = (v, digits = 2) => (Math.abs(v) >= 1000 ? v.toFixed(0) : v.toFixed(digits));
const zText = (z) => `(${Array.from(z.slice(0, 3), (v) => v.toFixed(2)).join(", ")}${z.length > 3 ? ", ..." : ""})`;

// N(0, 1)'s CDF, Phi, as minivae.viz.normal.cdf tabulates it (DATA.normalCdf: from, step, values),
// read by linear interpolation both ways: Phi(u) for the CDF view, and its inverse (the quantile)
// for the pointer there.
function normalCdf(u) {
  const { from, step, values } = DATA.normalCdf, last = values.length - 1;
  const t = (u - from) / step, k = Math.floor(t);
  if (k < 0) return values[0];
  if (k >= last) return values[last];
  return values[k] + (t - k) * (values[k + 1] - values[k]);
}

function normalQuantile(p) {
  const { from, step, values } = DATA.normalCdf;
  let lo = 0, hi = values.length - 1;
  if (p <= values[lo]) return from;
  if (p >= values[hi]) return from + hi * step;
  while (hi - lo > 1) {  // values[lo] <= p < values[hi]
    const mid = (lo + hi) >> 1;
    if (values[mid] <= p) lo = mid; else hi = mid;
  }
  return from + (lo + (p - values[lo]) / (values[hi] - values[lo])) * step;
}

// Draw an image (channels, h, w) with values in [0, 1] into a size x size square of a canvas. Grey
// images use the report's "gray_r" (0 white, 1 black), so Fashion-MNIST items are dark on white.
function drawImage(canvas, image, x0 = 0, y0 = 0, size = canvas.height, [ch, h, w] = [C, H, W]) {
  const pixels = new ImageData(w, h);
  for (let p = 0; p < h * w; p++) {
    for (let k = 0; k < 3; k++) {
      const v = ch === 1 ? 1 - clamp01(image[p]) : clamp01(image[k * h * w + p]);
      pixels.data[4 * p + k] = Math.round(255 * v);
    }
    pixels.data[4 * p + 3] = 255;
  }
  const small = document.createElement("canvas");
  [small.width, small.height] = [w, h];
  small.getContext("2d").putImageData(pixels, 0, 0);
  const ctx = canvas.getContext("2d");
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(small, x0, y0, size, size);
}

// ---------------------------------------------------------------- the plane

// A 2-D space is drawn as it is (u, v) = (z[0], z[1]); a wider one through its first two
// principal directions: (u, v) = ((z - mean) . d1, (z - mean) . d2).
const plane = {
  pca: DATA.plane === "pca",
  project(z) {
    if (!this.pca) return [z[0], z[1]];
    const centred = Array.from(z, (v, i) => v - DATA.mean[i]);
    return [dot(centred, DATA.directions[0]), dot(centred, DATA.directions[1])];
  },
  moveTo(z, u, v) {  // z moved so that its projection is (u, v); the other directions stay
    if (!this.pca) return [u, v];
    const [u0, v0] = this.project(z);
    return z.map((x, i) => x + (u - u0) * DATA.directions[0][i] + (v - v0) * DATA.directions[1][i]);
  },
  // The covariance on the plane of N(m, diag(variance)): [[a, b], [b, c]] = P diag(variance) P^T
  covariance(variance) {
    if (!this.pca) return [variance[0], 0, variance[1]];
    const [d1, d2] = DATA.directions;
    let a = 0, b = 0, c = 0;
    for (let i = 0; i < D; i++) { a += d1[i] * d1[i] * variance[i]; b += d1[i] * d2[i] * variance[i]; c += d2[i] * d2[i] * variance[i]; }
    return [a, b, c];
  },
};

const scatter = document.getElementById("scatter");
const cdfBox = document.getElementById("cdf");
const MARGIN = { left: 48, right: 14, top: 14, bottom: 42 };
let view = null;  // the mapping between plane coordinates and canvas pixels

function makeView(cdf) {
  const toView = cdf ? normalCdf : (u) => u;  // the CDF view shows Phi(u), Phi(v) in [0, 1]
  let [uMin, uMax, vMin, vMax] = cdf ? [0, 1, 0, 1] : [Infinity, -Infinity, Infinity, -Infinity];
  if (!cdf) {
    if (DATA.isVae) {  // at least the prior's +-3 sd (on the PCA plane: around the prior's centre)
      const [u0, v0] = plane.project(new Array(D).fill(0));
      [uMin, uMax, vMin, vMax] = [u0 - 3, u0 + 3, v0 - 3, v0 + 3];
    }
    DATA.points.u.forEach((u) => { uMin = Math.min(uMin, u); uMax = Math.max(uMax, u); });
    DATA.points.v.forEach((v) => { vMin = Math.min(vMin, v); vMax = Math.max(vMax, v); });
    const du = (uMax - uMin) * 0.05 || 1, dv = (vMax - vMin) * 0.05 || 1;
    [uMin, uMax, vMin, vMax] = [uMin - du, uMax + du, vMin - dv, vMax + dv];
  }
  const width = scatter.width - MARGIN.left - MARGIN.right, height = scatter.height - MARGIN.top - MARGIN.bottom;
  return {
    cdf, uMin, uMax, vMin, vMax, toView,
    toPixel(u, v) {
      return [MARGIN.left + (toView(u) - uMin) / (uMax - uMin) * width,
              MARGIN.top + (vMax - toView(v)) / (vMax - vMin) * height];
    },
    toPlane(x, y) {
      let u = uMin + (x - MARGIN.left) / width * (uMax - uMin);
      let v = vMax - (y - MARGIN.top) / height * (vMax - vMin);
      if (cdf) [u, v] = [normalQuantile(Math.min(Math.max(u, 1e-4), 1 - 1e-4)),
                         normalQuantile(Math.min(Math.max(v, 1e-4), 1 - 1e-4))];
      return [u, v];
    },
  };
}

// Tick values from lo to hi, 1, 2 or 5 times a power of ten apart, about `count` of them
function ticks(lo, hi, count = 7) {
  const raw = (hi - lo) / count, power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) out.push(Math.abs(t) < step / 1e6 ? 0 : t);
  return { values: out, digits: Math.max(0, -Math.floor(Math.log10(step))) };
}

// A Gaussian's k-sd ellipse on the plane, as a closed path (drawn through the view, so the CDF view bends it)
function ellipsePath(ctx, centre, [a, b, c], k) {
  const l11 = Math.sqrt(a), l21 = b / l11, l22 = Math.sqrt(Math.max(c - l21 * l21, 0));  // cov = L L^T
  ctx.beginPath();
  for (let s = 0; s <= 64; s++) {
    const t = 2 * Math.PI * s / 64, [x, y] = [k * Math.cos(t), k * Math.sin(t)];
    const [px, py] = view.toPixel(centre[0] + l11 * x, centre[1] + l21 * x + l22 * y);
    if (s === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
  }
  ctx.closePath();
}

let pointsLayer = null;  // the embeddings and the axes, drawn once per view
function drawPoints() {
  pointsLayer = document.createElement("canvas");
  [pointsLayer.width, pointsLayer.height] = [scatter.width, scatter.height];
  const ctx = pointsLayer.getContext("2d");
  ctx.fillStyle = "white";
  ctx.fillRect(0, 0, scatter.width, scatter.height);
  if (DATA.isVae) {  // the prior N(0, I): its 1, 2 and 3 sd circles, dashed
    ctx.strokeStyle = "#aaa"; ctx.setLineDash([4, 4]);
    for (const k of [1, 2, 3]) { ellipsePath(ctx, plane.project(new Array(D).fill(0)), [1, 0, 1], k); ctx.stroke(); }
    ctx.setLineDash([]);
  }
  ctx.globalAlpha = 0.55;
  const { u, v, labels } = DATA.points;
  for (let i = 0; i < u.length; i++) {
    const [x, y] = view.toPixel(u[i], v[i]);
    ctx.fillStyle = labels ? TAB10[labels[i] % 10] : "#333";
    ctx.fillRect(x - 1.5, y - 1.5, 3, 3);
  }
  ctx.globalAlpha = 1;
  drawAxes(ctx);
}

function drawAxes(ctx) {
  const [x0, y1] = [MARGIN.left, scatter.height - MARGIN.bottom];
  const [x1, y0] = [scatter.width - MARGIN.right, MARGIN.top];
  ctx.strokeStyle = "#444"; ctx.fillStyle = "#444"; ctx.lineWidth = 1; ctx.font = "11px sans-serif";
  ctx.strokeRect(x0, y0, x1 - x0, y1 - y0);
  const uTicks = ticks(view.uMin, view.uMax), vTicks = ticks(view.vMin, view.vMax);
  ctx.textAlign = "center";
  for (const t of uTicks.values) {
    const x = view.cdf ? x0 + t * (x1 - x0) : view.toPixel(t, 0)[0];
    ctx.beginPath(); ctx.moveTo(x, y1); ctx.lineTo(x, y1 + 4); ctx.stroke();
    ctx.fillText(t.toFixed(uTicks.digits), x, y1 + 15);
  }
  ctx.textAlign = "right";
  for (const t of vTicks.values) {
    const y = view.cdf ? y1 - t * (y1 - y0) : view.toPixel(0, t)[1];
    ctx.beginPath(); ctx.moveTo(x0 - 4, y); ctx.lineTo(x0, y); ctx.stroke();
    ctx.fillText(t.toFixed(vTicks.digits), x0 - 6, y + 4);
  }
  const [uName, vName] = plane.pca ? ["PC 1 of z_mean", "PC 2 of z_mean"] : ["z[0]", "z[1]"];
  const wrap = (n) => (view.cdf ? `Phi(${n})` : n);
  ctx.textAlign = "center"; ctx.font = "12px sans-serif";
  ctx.fillText(wrap(uName), (x0 + x1) / 2, scatter.height - 8);
  ctx.save();
  ctx.translate(13, (y0 + y1) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(wrap(vName), 0, 0);
  ctx.restore();
  ctx.textAlign = "left";
}

function marker(ctx, [x, y], colour, size = 4) {
  ctx.fillStyle = colour; ctx.strokeStyle = "white"; ctx.lineWidth = 1.5;
  ctx.beginPath(); ctx.arc(x, y, size, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
}

// pins [{z, name}], explained (the worker's answer for your image, or null), z (the pointer's point)
function drawScatter(pins, explained, z) {
  const ctx = scatter.getContext("2d");
  ctx.drawImage(pointsLayer, 0, 0);
  ctx.save();
  ctx.beginPath();
  ctx.rect(MARGIN.left, MARGIN.top, scatter.width - MARGIN.left - MARGIN.right, scatter.height - MARGIN.top - MARGIN.bottom);
  ctx.clip();
  const projected = pins.map((p) => view.toPixel(...plane.project(p.z)));
  if (projected.length >= 2) {  // the morphing line between the last two pins
    const [a, b] = projected.slice(-2);
    ctx.strokeStyle = "black"; ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(...a); ctx.lineTo(...b); ctx.stroke();
  }
  ctx.font = "12px sans-serif";
  projected.forEach(([x, y], i) => {
    ctx.strokeStyle = "black"; ctx.lineWidth = 2;
    ctx.beginPath(); ctx.arc(x, y, 6, 0, 2 * Math.PI); ctx.stroke();
    ctx.fillStyle = "black"; ctx.fillText(String(i + 1), x + 8, y - 8);
  });
  if (explained && DATA.isVae) {  // q(z|x): its 1- and 2-sd ellipses, the mean and the draws
    const centre = plane.project(explained.z_mean);
    const cov = plane.covariance(Array.from(explained.z_log_var, Math.exp));
    ctx.lineWidth = 2; ctx.strokeStyle = "rgba(0, 0, 0, 0.85)"; ctx.fillStyle = "rgba(255, 215, 0, 0.25)";
    ellipsePath(ctx, centre, cov, 2); ctx.fill(); ctx.stroke();
    ctx.fillStyle = "rgba(255, 215, 0, 0.35)";
    ellipsePath(ctx, centre, cov, 1); ctx.fill(); ctx.stroke();
    explained.draws.forEach((z, k) => marker(ctx, view.toPixel(...plane.project(z)), DRAW_COLOURS[k % 4], 4));
    marker(ctx, view.toPixel(...centre), "black", 5);
  } else if (explained) {
    marker(ctx, view.toPixel(...plane.project(explained.z_mean)), "black", 5);
  }
  const [x, y] = view.toPixel(...plane.project(z));
  ctx.strokeStyle = "red"; ctx.lineWidth = 2;
  ctx.beginPath(); ctx.moveTo(x - 7, y); ctx.lineTo(x + 7, y); ctx.moveTo(x, y - 7); ctx.lineTo(x, y + 7);
  ctx.stroke();
  ctx.restore();
  ctx.lineWidth = 1;
}

// For a wider space: each dimension's q(z_d|x), mean +- 1 sd, against the prior N(0, 1)
function drawDimensions(explained) {
  const canvas = document.getElementById("dims");
  if (plane.pca === false || !explained || !DATA.isVae) return;
  const ctx = canvas.getContext("2d");
  const [w, h, left, bottom] = [canvas.width, canvas.height, 30, 16];
  const y = (v) => (h - bottom) / 2 - v / 4 * ((h - bottom) / 2 - 4);  // values -4 .. 4
  const x = (d) => left + (d + 0.5) / D * (w - left - 4);
  ctx.fillStyle = "white"; ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = "#eee"; ctx.fillRect(left, y(2), w - left - 4, y(-2) - y(2));
  ctx.fillStyle = "#ddd"; ctx.fillRect(left, y(1), w - left - 4, y(-1) - y(1));
  ctx.fillStyle = "#444"; ctx.font = "10px sans-serif"; ctx.textAlign = "right";
  for (const v of [-4, -2, 0, 2, 4]) ctx.fillText(String(v), left - 4, y(v) + 3);
  ctx.textAlign = "left";
  ctx.fillText(`dimension 1 ... ${D}`, left, h - 3);
  ctx.strokeStyle = "#1f77b4"; ctx.lineWidth = Math.max(1, (w - left) / D * 0.6);
  for (let d = 0; d < D; d++) {
    const m = explained.z_mean[d], s = Math.exp(0.5 * explained.z_log_var[d]);
    ctx.beginPath(); ctx.moveTo(x(d), y(Math.max(m - s, -4.2))); ctx.lineTo(x(d), y(Math.min(m + s, 4.2))); ctx.stroke();
  }
  ctx.fillStyle = "black";
  for (let d = 0; d < D; d++) ctx.fillRect(x(d) - 1, y(explained.z_mean[d]) - 1, 2, 2);
  ctx.lineWidth = 1;
}
