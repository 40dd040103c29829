// explorer.js: the page around the decoder: the plane of embeddings, sliders, pins and morphing.
//
// The state is one latent vector z (latent_dim,). The pointer, the sliders, a click on a test
// image or "sample from N(0, I)" move z; every move decodes z with decoder.js and draws it.
"use strict";

const DATA = JSON.parse(document.getElementById("explorer-data").textContent);
const [C, H, W] = DATA.imageShape;
const D = DATA.latentDim;
const decodeImages = make_decoder(DATA);

// The contract the tests use: decode(zs) -> [Float32Array (C, H, W) in [0, 1], ...].
function decode(zs) {
  const start = performance.now();
  const images = decodeImages(zs);
  const ms = performance.now() - start;
  window.minivae.lastDecodeMs = ms;
  document.getElementById("decode-time").textContent = `${zs.length} image${zs.length > 1 ? "s" : ""} ` +
    `in ${ms.toFixed(1)} ms (${(ms / zs.length).toFixed(1)} ms per image)`;
  return images;
}
window.minivae = { latentDim: D, imageShape: [C, H, W], decode, lastDecodeMs: null, model: DATA.model };

// ---------------------------------------------------------------- small helpers

const TAB10 = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
               "#7f7f7f", "#bcbd22", "#17becf"];
const clamp01 = (v) => Math.min(Math.max(v, 0), 1);
const dot = (a, b) => a.reduce((s, v, i) => s + v * b[i], 0);

// N(0, 1) CDF, Phi(x) = (1 + erf(x / sqrt 2)) / 2, with erf from Abramowitz & Stegun 7.1.26 (error < 1.5e-7)
function normalCdf(x) {
  const t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

// Its inverse (the normal quantile), Acklam's rational approximation (relative error < 1.2e-9)
function normalQuantile(p) {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690,
             -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
             4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q) => (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
                      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

// Box-Muller: two uniforms -> one N(0, 1) draw
const randn = () => Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());

// Draw one image (C, H, W) in [0, 1] into a size x size square of a canvas. Gray images use the
// report's "gray_r" (0 white, 1 black), so Fashion-MNIST items are dark on white.
function drawImage(canvas, image, x0 = 0, y0 = 0, size = canvas.height) {
  const pixels = new ImageData(W, H);
  for (let p = 0; p < H * W; p++) {
    for (let ch = 0; ch < 3; ch++) {
      const v = C === 1 ? 1 - clamp01(image[p]) : clamp01(image[ch * H * W + p]);
      pixels.data[4 * p + ch] = Math.round(255 * v);
    }
    pixels.data[4 * p + 3] = 255;
  }
  const small = document.createElement("canvas");
  [small.width, small.height] = [W, H];
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
    const centred = z.map((v, i) => v - DATA.mean[i]);
    return [dot(centred, DATA.directions[0]), dot(centred, DATA.directions[1])];
  },
  moveTo(z, u, v) {  // z moved so that its projection is (u, v); the other directions stay
    if (!this.pca) return [u, v];
    const [u0, v0] = this.project(z);
    return z.map((x, i) => x + (u - u0) * DATA.directions[0][i] + (v - v0) * DATA.directions[1][i]);
  },
};

const scatter = document.getElementById("scatter");
const cdfBox = document.getElementById("cdf");
const MARGIN = 30;
let view = null;  // the mapping between plane coordinates and canvas pixels

function makeView(cdf) {
  const toView = cdf ? normalCdf : (u) => u;  // the CDF view shows Phi(u), Phi(v) in [0, 1]
  let [uMin, uMax, vMin, vMax] = cdf ? [0, 1, 0, 1] : [Infinity, -Infinity, Infinity, -Infinity];
  if (!cdf) {
    if (DATA.isVae) [uMin, uMax, vMin, vMax] = [-3, 3, -3, 3];  // at least the prior's +-3 sd
    DATA.points.u.forEach((u) => { uMin = Math.min(uMin, u); uMax = Math.max(uMax, u); });
    DATA.points.v.forEach((v) => { vMin = Math.min(vMin, v); vMax = Math.max(vMax, v); });
    const du = (uMax - uMin) * 0.08 || 1, dv = (vMax - vMin) * 0.08 || 1;
    [uMin, uMax, vMin, vMax] = [uMin - du, uMax + du, vMin - dv, vMax + dv];
  }
  const size = scatter.width - 2 * MARGIN;
  return {
    cdf, uMin, uMax, vMin, vMax,
    toPixel(u, v) {
      return [MARGIN + (toView(u) - uMin) / (uMax - uMin) * size,
              MARGIN + (vMax - toView(v)) / (vMax - vMin) * size];
    },
    toPlane(x, y) {
      let u = uMin + (x - MARGIN) / size * (uMax - uMin);
      let v = vMax - (y - MARGIN) / size * (vMax - vMin);
      if (cdf) [u, v] = [normalQuantile(Math.min(Math.max(u, 1e-4), 1 - 1e-4)),
                         normalQuantile(Math.min(Math.max(v, 1e-4), 1 - 1e-4))];
      return [u, v];
    },
  };
}

let pointsLayer = null;  // the embeddings, drawn once per view
function drawPoints() {
  pointsLayer = document.createElement("canvas");
  [pointsLayer.width, pointsLayer.height] = [scatter.width, scatter.height];
  const ctx = pointsLayer.getContext("2d");
  ctx.fillStyle = "white";
  ctx.fillRect(0, 0, scatter.width, scatter.height);
  ctx.globalAlpha = 0.6;
  const { u, v, labels } = DATA.points;
  for (let i = 0; i < u.length; i++) {
    const [x, y] = view.toPixel(u[i], v[i]);
    ctx.fillStyle = labels ? TAB10[labels[i] % 10] : "#333";
    ctx.fillRect(x - 1.5, y - 1.5, 3, 3);
  }
  ctx.globalAlpha = 1;
  ctx.fillStyle = "#444";
  ctx.font = "12px sans-serif";
  const [uName, vName] = plane.pca ? ["PC 1", "PC 2"] : ["z[0]", "z[1]"];
  const wrap = (n) => (view.cdf ? `Phi(${n})` : n);
  const f = (x) => x.toFixed(2);
  ctx.fillText(`${wrap(uName)}: ${f(view.uMin)} ... ${f(view.uMax)}`, MARGIN, scatter.height - 8);
  ctx.save();
  ctx.translate(14, scatter.height - MARGIN);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(`${wrap(vName)}: ${f(view.vMin)} ... ${f(view.vMax)}`, 0, 0);
  ctx.restore();
}

function drawScatter() {
  const ctx = scatter.getContext("2d");
  ctx.drawImage(pointsLayer, 0, 0);
  const projected = pins.map((p) => view.toPixel(...plane.project(p)));
  if (projected.length >= 2) {  // the morphing line between the last two pins
    const [a, b] = projected.slice(-2);
    ctx.strokeStyle = "black";
    ctx.beginPath(); ctx.moveTo(...a); ctx.lineTo(...b); ctx.stroke();
  }
  projected.forEach(([x, y], i) => {
    ctx.strokeStyle = "black"; ctx.lineWidth = 2;
    ctx.beginPath(); ctx.arc(x, y, 6, 0, 2 * Math.PI); ctx.stroke();
    ctx.fillStyle = "black"; ctx.fillText(String(i + 1), x + 8, y - 8);
  });
  const [x, y] = view.toPixel(...plane.project(z));
  ctx.strokeStyle = "red"; ctx.lineWidth = 2;
  ctx.beginPath(); ctx.moveTo(x - 7, y); ctx.lineTo(x + 7, y); ctx.moveTo(x, y - 7); ctx.lineTo(x, y + 7);
  ctx.stroke();
  ctx.lineWidth = 1;
}

// ---------------------------------------------------------------- sliders (latent_dim > 2)

const sliders = [];
function makeSliders() {
  const box = document.getElementById("sliders");
  DATA.directions.forEach((direction, k) => {
    // +-3 sd of the embeddings along the direction; a VAE's at least +-3, the prior's N(0, 1)
    const spread = DATA.isVae ? Math.max(DATA.spread[k], 1) : DATA.spread[k] || 1;
    const row = document.createElement("div");
    row.className = "slider";
    row.innerHTML = `<label>PC ${k + 1} (sd ${DATA.spread[k].toFixed(2)})</label>` +
      `<input type="range" min="${-3 * spread}" max="${3 * spread}" step="${spread / 50}" value="0">` +
      "<output>0</output>";
    const input = row.querySelector("input");
    input.addEventListener("input", () => {  // move z along direction k to the slider's value
      const now = dot(z.map((v, i) => v - DATA.mean[i]), direction);
      z = z.map((v, i) => v + (Number(input.value) - now) * direction[i]);
      show();
    });
    sliders.push({ input, output: row.querySelector("output"), direction });
    box.appendChild(row);
  });
  const select = document.getElementById("attribute");
  DATA.attributes.forEach((a, i) => select.add(new Option(`towards ${a.name}`, i)));
  const amount = document.getElementById("attribute-amount");
  let applied = 0;  // how much of the vector is in z now, by this slider
  select.addEventListener("change", () => { amount.value = 0; applied = 0; show(); });
  amount.addEventListener("input", () => {
    const vector = DATA.attributes[Number(select.value)].vector;
    z = z.map((v, i) => v + (Number(amount.value) - applied) * vector[i]);
    applied = Number(amount.value);
    document.getElementById("attribute-value").textContent = applied.toFixed(2);
    show();
  });
  if (!DATA.attributes.length) document.getElementById("attribute-box").style.display = "none";
  document.getElementById("sample").addEventListener("click", () => {
    z = Array.from({ length: D }, randn);
    show();
  });
}

function updateSliders() {
  for (const s of sliders) {
    const value = dot(z.map((v, i) => v - DATA.mean[i]), s.direction);
    s.input.value = value;
    s.output.textContent = value.toFixed(2);
  }
}

// ---------------------------------------------------------------- pins and morphing

let pins = [];
const MORPH_STEPS = 10;
const morph = document.getElementById("morph");

function drawMorph() {
  const ctx = morph.getContext("2d");
  ctx.fillStyle = "white";
  ctx.fillRect(0, 0, morph.width, morph.height);
  if (pins.length < 2) return;
  const [a, b] = pins.slice(-2);
  const zs = [];
  for (let k = 0; k < MORPH_STEPS; k++) {
    const t = k / (MORPH_STEPS - 1);  // z = (1 - t) a + t b
    zs.push(a.map((v, i) => (1 - t) * v + t * b[i]));
  }
  decode(zs).forEach((image, k) => drawImage(morph, image, k * morph.height, 0, morph.height));
}

function pin(point) {
  pins.push(point.slice());
  drawMorph();
  drawScatter();
}

// ---------------------------------------------------------------- putting it together

let z = plane.pca ? DATA.mean.slice() : [DATA.points.u[0] || 0, DATA.points.v[0] || 0];

function show() {
  drawImage(document.getElementById("decoded"), decode([z])[0]);
  const shown = z.slice(0, 4).map((v) => v.toFixed(3)).join(", ");
  document.getElementById("z-text").textContent = `z = (${shown}${D > 4 ? ", ..." : ""})` +
    (D > 2 ? `, |z| = ${Math.sqrt(dot(z, z)).toFixed(2)}` : "");
  updateSliders();
  drawScatter();
}

function pointerAt(event) {
  const box = scatter.getBoundingClientRect();
  return view.toPlane(event.clientX - box.left, event.clientY - box.top);
}

let pending = null;  // the latest pointer position, decoded once per animation frame
scatter.addEventListener("mousemove", (event) => {
  const waiting = pending !== null;
  pending = pointerAt(event);
  if (waiting) return;
  requestAnimationFrame(() => {
    z = plane.moveTo(z, ...pending);
    pending = null;
    show();
  });
});
scatter.addEventListener("click", (event) => {
  z = plane.moveTo(z, ...pointerAt(event));
  show();
  pin(z);
});
document.getElementById("clear").addEventListener("click", () => { pins = []; drawMorph(); drawScatter(); });
cdfBox.addEventListener("change", () => { view = makeView(cdfBox.checked); drawPoints(); drawScatter(); });

function setup() {
  document.getElementById("title").textContent = `${DATA.model}: a ${D}-d latent space`;
  document.getElementById("about").textContent = `The decoder (${DATA.parameters.toLocaleString()} weights) ` +
    `runs in this page (decoder.js). The plane shows ${DATA.points.u.length.toLocaleString()} test images' ` +
    (plane.pca ? "z_mean through their first two principal directions." : "z_mean.") +
    " Move the pointer over it to decode the point under it.";
  if (DATA.classNames) {
    document.getElementById("legend").innerHTML = DATA.classNames.map((name, k) =>
      `<span><i style="background:${TAB10[k % 10]}"></i>${name}</span>`).join("");
  }
  if (!DATA.isVae || plane.pca) document.getElementById("cdf-toggle").style.display = "none";
  if (plane.pca) makeSliders(); else document.getElementById("high-dim").style.display = "none";
  const box = document.getElementById("examples");
  const bytes = atob(DATA.examples.images);
  DATA.examples.z.forEach((zExample, n) => {
    const image = new Float32Array(C * H * W);
    for (let p = 0; p < image.length; p++) image[p] = bytes.charCodeAt(n * image.length + p) / 255;
    const thumb = document.createElement("canvas");
    [thumb.width, thumb.height] = [48, 48];
    drawImage(thumb, image);
    thumb.title = "pin this test image's z_mean";
    thumb.addEventListener("click", () => { z = zExample.slice(); show(); pin(z); });
    box.appendChild(thumb);
  });
  view = makeView(false);
  drawPoints();
  drawMorph();
  show();
}
setup();
