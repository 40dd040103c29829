// explorer.js: the page around the model. Your image x goes through the encoder to q(z|x), draws
// z = z_mean + sigma * eps go through the decoder, and the loss terms follow; the plane of
// embeddings, sliders, pins and morphing move a second point z through the decoder alone.
//
// The model runs in a Web Worker (worker.js), so the main thread only draws. Each kind of request
// (your image, the pointer, the morphing strip) keeps at most one in flight: a newer one replaces
// one still waiting, so the newest request wins and nothing piles up while the pointer moves.
"use strict";

const DATA = JSON.parse(document.getElementById("explorer-data").textContent);
const [C, H, W] = DATA.imageShape;
const D = DATA.latentDim;
const N_DRAWS = 4;  // draws z = z_mean + sigma * eps shown for your image

// ---------------------------------------------------------------- the model, in a worker

// The worker's script is decoder.js and worker.js, as they sit in this page, in a blob URL. Where no
// worker can start, the same model runs on the main thread (slower to the touch, same numbers).
const model = (() => {
  const pending = new Map();
  let next_id = 0, worker = null, local = null;
  const fields = ["latentDim", "imageShape", "steps", "encoderSteps", "tensors", "weights", "loss"];
  const init = Object.fromEntries(fields.map((k) => [k, DATA[k]]));
  const run_locally = () => {
    if (!local) local = make_model(init);
    for (const [id, { call, args, resolve, reject }] of pending) {
      pending.delete(id);
      try { resolve({ result: local[call](...args), ms: null }); } catch (error) { reject(error); }
    }
  };
  try {
    const source = ["decoder-js", "worker-js"].map((id) => document.getElementById(id).textContent).join("\n");
    worker = new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })));
    worker.onmessage = ({ data }) => {
      const call = pending.get(data.id);
      if (!call) return;
      pending.delete(data.id);
      if (data.error) call.reject(new Error(data.error)); else call.resolve({ result: data.result, ms: data.ms });
    };
    worker.onerror = (event) => {  // the worker could not start: run here instead
      event.preventDefault();
      worker = null;
      run_locally();
    };
    worker.postMessage({ id: next_id++, call: "init", args: [init] });
  } catch (error) {
    worker = null;
  }
  return {
    get where() { return worker ? "a Web Worker" : "the page's main thread"; },
    // call(name, args) -> Promise of {result, ms}: ms is the time the call took inside the worker
    call(call, args) {
      return new Promise((resolve, reject) => {
        const id = next_id++;
        pending.set(id, { call, args, resolve, reject });
        if (worker) worker.postMessage({ id, call, args }); else run_locally();
      });
    },
  };
})();

// A lane keeps at most one request in flight; a request made while one is in flight waits, and a
// newer one replaces it: the newest request wins.
function lane() {
  let busy = false, waiting = null;
  async function pump() {
    busy = true;
    while (waiting) {
      const { call, args, then } = waiting;
      waiting = null;
      try { then(await model.call(call, args)); } catch (error) { showError(error); }
    }
    busy = false;
  }
  return (call, args, then) => { waiting = { call, args, then }; if (!busy) pump(); };
}

const [LOW, HIGH] = DATA.outputRange, [IN_LOW, IN_HIGH] = DATA.inputRange;
const toUnit = (image) => image.map((v) => (v - LOW) / (HIGH - LOW));  // the decoder's range -> [0, 1]
const fromUnit = (image) => Float32Array.from(image, (v) => v * (IN_HIGH - IN_LOW) + IN_LOW);  // [0, 1] -> the input range

// The contract the tests use (every function returns a Promise):
//   decode(zs)          latent vectors -> images (C, H, W) in [0, 1]
//   encode(images)      images (C, H, W) in [0, 1] -> [{z_mean, z_log_var}]
//   loss(image, eps)    the model's loss terms for that image and the draw z = z_mean + sigma * eps
async function decode(zs) {
  const start = performance.now();
  const { result, ms } = await model.call("decode", [zs.map((z) => Float32Array.from(z))]);
  showDecodeTime(zs.length, performance.now() - start, ms);
  return result.map(toUnit);
}
async function encode(images) {
  const { result } = await model.call("encode", [images.map(fromUnit)]);
  return result.map((q) => ({ z_mean: Array.from(q.z_mean), z_log_var: q.z_log_var && Array.from(q.z_log_var) }));
}
async function loss(image, eps) {
  return (await model.call("loss", [fromUnit(image), eps && Float32Array.from(eps)])).result;
}
//   input()             your image as the model takes it: (C, H, W) in its input range
window.minivae = { latentDim: D, imageShape: [C, H, W], decode, encode, loss, lastDecodeMs: null, model: DATA.model,
                   input: () => Array.from(input) };

function showDecodeTime(n, ms, inside) {
  window.minivae.lastDecodeMs = ms;
  document.getElementById("decode-time").textContent = `${n} image${n > 1 ? "s" : ""} in ${ms.toFixed(1)} ms ` +
    `(${(ms / n).toFixed(1)} ms per image${inside === null ? "" : `; ${inside.toFixed(1)} ms of it decoding`}) ` +
    `in ${model.where}`;
}

function showError(error) {
  document.getElementById("error").textContent = `The model failed: ${error.message || error}`;
}

// ---------------------------------------------------------------- small helpers

const TAB10 = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
               "#7f7f7f", "#bcbd22", "#17becf"];
const DRAW_COLOURS = ["#e6007e", "#00a0b0", "#8a2be2", "#ff8c00"];
const clamp01 = (v) => Math.min(Math.max(v, 0), 1);
const dot = (a, b) => a.reduce((s, v, i) => s + v * b[i], 0);
const fmt = (v, digits = 2) => (Math.abs(v) >= 1000 ? v.toFixed(0) : v.toFixed(digits));
const zText = (z) => `(${Array.from(z.slice(0, 3), (v) => v.toFixed(2)).join(", ")}${z.length > 3 ? ", ..." : ""})`;

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

// ---------------------------------------------------------------- your image: the loader's steps

// The stored pixels of an input, as the data set keeps them: uint8 (channels, size, size).
const SOURCE = { channels: DATA.input.channels, size: DATA.input.size };
const SOURCE_SHAPE = [SOURCE.channels, SOURCE.size, SOURCE.size];

// minivae.data.preprocess, one function each, on {values, shape} (channels-first)
const PREPROCESS = {
  scale_to_unit: ({ values, shape }) => ({ values: Float32Array.from(values, (v) => v / 255), shape }),
  scale_to_symmetric: ({ values, shape }) =>
    ({ values: Float32Array.from(values, (v) => Math.fround(v / 255) * 2 - 1), shape }),
  binarize: ({ values, shape }) => ({ values: Float32Array.from(values, (v) => (v > 0.5 ? 1 : 0)), shape }),
  pad_to_32: ({ values, shape: [ch, h, w] }) => {  // 2 zeros on each side: 28x28 -> 32x32
    const out = new Float32Array(ch * (h + 4) * (w + 4));
    for (let k = 0; k < ch; k++) {
      for (let r = 0; r < h; r++) out.set(values.subarray((k * h + r) * w, (k * h + r + 1) * w), (k * (h + 4) + r + 2) * (w + 4) + 2);
    }
    return { values: out, shape: [ch, h + 4, w + 4] };
  },
};

// The model's input (C, H, W) in its own range, from the stored pixels.
function preprocess(source) {
  let x = { values: source, shape: SOURCE_SHAPE };
  for (const name of DATA.input.pipeline) x = PREPROCESS[name](x);
  return x.values;
}

// A test image (the model's input, in [0, 1]) back to its stored pixels: undo pad_to_32 and the scale.
function toSource(image) {
  const pad = DATA.input.pipeline.includes("pad_to_32") ? 2 : 0;
  const s = SOURCE.size, out = new Uint8ClampedArray(SOURCE.channels * s * s);
  for (let k = 0; k < SOURCE.channels; k++) {
    for (let r = 0; r < s; r++) {
      for (let c = 0; c < s; c++) out[(k * s + r) * s + c] = Math.round(255 * image[(k * H + r + pad) * W + c + pad]);
    }
  }
  return out;
}

// Pillow's Image.resize(size, Image.BILINEAR) for one 8-bit channel (Pillow's Resample.c): a
// triangle filter widened by the scale when shrinking (so every source pixel counts), weights
// rounded to 22-bit fixed point, one pass along the rows and one along the columns, each rounded
// to 8 bits. Which pass comes first changes a pixel by at most one grey level: older Pillows run
// the rows first; Pillow 13 chooses by cost, and the rule here (columns first when the rows-first
// cost, taps times pixels visited, is over 1.1 times the other) picks as it does in most shapes.
function pillowResize(values, inW, inH, outW, outH) {
  const PRECISION_BITS = 22;
  function coefficients(inSize, outSize) {
    const scale = inSize / outSize, filterScale = Math.max(scale, 1), support = filterScale;
    const bounds = [], weights = [];
    for (let o = 0; o < outSize; o++) {
      const center = (o + 0.5) * scale;
      const min = Math.max(Math.trunc(center - support + 0.5), 0);
      const count = Math.min(Math.trunc(center + support + 0.5), inSize) - min;
      const k = [];
      let sum = 0;
      for (let i = 0; i < count; i++) {
        const w = Math.max(1 - Math.abs((i + min - center + 0.5) / filterScale), 0);
        k.push(w);
        sum += w;
      }
      weights.push(k.map((w) => Math.floor(0.5 + (sum !== 0 ? w / sum : w) * (1 << PRECISION_BITS))));
      bounds.push(min);
    }
    return { bounds, weights, taps: weights.reduce((n, k) => n + k.length, 0) };
  }
  const clip8 = (v) => (v >= 255 * 2 ** PRECISION_BITS ? 255 : v <= 0 ? 0 : Math.floor(v / 2 ** PRECISION_BITS));
  // one pass: out[o] = sum of k[i] * line[bounds[o] + i], along rows (step 1) or columns (step w)
  function pass(image, w, h, alongRows, { bounds, weights }) {
    const [outW, outH] = alongRows ? [weights.length, h] : [w, weights.length];
    const out = new Uint8ClampedArray(outW * outH);
    for (let r = 0; r < outH; r++) {
      for (let c = 0; c < outW; c++) {
        const [o, start, step] = alongRows ? [c, r * w, 1] : [r, c, w];
        let s = 1 << (PRECISION_BITS - 1);
        weights[o].forEach((k, i) => { s += image[start + (bounds[o] + i) * step] * k; });
        out[r * outW + c] = clip8(s);
      }
    }
    return out;
  }
  const rows = outW !== inW && coefficients(inW, outW), columns = outH !== inH && coefficients(inH, outH);
  if (!rows) return columns ? pass(values, inW, inH, false, columns) : values.slice();
  if (!columns) return pass(values, inW, inH, true, rows);
  const rowsFirst = rows.taps * inH + columns.taps * outW, columnsFirst = columns.taps * inW + rows.taps * outH;
  if (rowsFirst > 1.1 * columnsFirst) return pass(pass(values, inW, inH, false, columns), inW, outH, true, rows);
  return pass(pass(values, inW, inH, true, rows), outW, inH, false, columns);
}

// An image file -> its stored pixels: Pillow's convert("L") (ITU-R 601 luma) for grey data, or
// convert("RGB"), then resized to the data's size with the bilinear filter, as load_image_folder does.
async function fileToSource(file) {
  const bitmap = await createImageBitmap(file, { colorSpaceConversion: "none", premultiplyAlpha: "none" });
  const canvas = document.createElement("canvas");
  [canvas.width, canvas.height] = [bitmap.width, bitmap.height];
  const ctx = canvas.getContext("2d");
  ctx.drawImage(bitmap, 0, 0);
  const rgba = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
  const n = bitmap.width * bitmap.height, s = SOURCE.size;
  const planes = SOURCE.channels === 1
    ? [Uint8ClampedArray.from({ length: n }, (_, p) =>
      (rgba[4 * p] * 19595 + rgba[4 * p + 1] * 38470 + rgba[4 * p + 2] * 7471 + 0x8000) >> 16)]
    : [0, 1, 2].map((k) => Uint8ClampedArray.from({ length: n }, (_, p) => rgba[4 * p + k]));
  const out = new Uint8ClampedArray(SOURCE.channels * s * s);
  planes.forEach((plane, k) => out.set(pillowResize(plane, bitmap.width, bitmap.height, s, s), k * s * s));
  return out;
}

// ---------------------------------------------------------------- your image: state and drawing

let source = new Uint8ClampedArray(SOURCE.channels * SOURCE.size * SOURCE.size);  // what you draw on
let input = preprocess(source);  // the model's input (C, H, W)
let inputName = "your drawing";
let epss = [];  // the eps of the draws, kept until "new draws"
let explained = null;  // the worker's answer for the current input
const inputCanvas = document.getElementById("input");
const explainLane = lane();

function newDraws() {
  epss = Array.from({ length: N_DRAWS }, () => Float32Array.from({ length: D }, randn));
}

function setInput(pixels, name) {
  source = pixels;
  inputName = name;
  input = preprocess(source);
  drawImage(inputCanvas, Float32Array.from(source, (v) => v / 255), 0, 0, inputCanvas.height, SOURCE_SHAPE);
  explainLane("explain", [input, epss], ({ result }) => { explained = result; showExplained(); });
}

// A soft round brush at the data's resolution: a pixel within 1.5 px of the stroke gets ink.
let lastBrush = null;
function brush(event) {
  const box = inputCanvas.getBoundingClientRect();
  const s = SOURCE.size;
  const at = [(event.clientX - box.left) / box.width * s, (event.clientY - box.top) / box.height * s];
  const from = lastBrush || at;
  const steps = Math.max(1, Math.ceil(Math.hypot(at[0] - from[0], at[1] - from[1]) * 2));
  for (let k = 0; k <= steps; k++) {  // along the segment since the last event, every half pixel
    const [x, y] = [from[0] + (at[0] - from[0]) * k / steps, from[1] + (at[1] - from[1]) * k / steps];
    for (let r = Math.floor(y - 2); r <= y + 2; r++) {
      for (let c = Math.floor(x - 2); c <= x + 2; c++) {
        if (r < 0 || c < 0 || r >= s || c >= s) continue;
        const ink = 255 * clamp01(1.6 - Math.hypot(c + 0.5 - x, r + 0.5 - y));
        source[r * s + c] = Math.max(source[r * s + c], ink);
      }
    }
  }
  lastBrush = at;
  setInput(source, "your drawing");
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

function drawScatter() {
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
  if (explained && explained.z_log_var) {  // q(z|x): its 1- and 2-sd ellipses, the mean and the draws
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

// ---------------------------------------------------------------- q(z|x), its draws, the loss

function showExplained() {
  const e = explained;
  const strip = document.getElementById("draws");
  const size = strip.height;
  const ctx = strip.getContext("2d");
  ctx.fillStyle = "white"; ctx.fillRect(0, 0, strip.width, strip.height);
  e.images.forEach((image, k) => {
    const x0 = k * (size + 8);
    drawImage(strip, toUnit(image), x0, 0, size);
    if (k > 0) { ctx.fillStyle = DRAW_COLOURS[(k - 1) % 4]; ctx.fillRect(x0, size - 5, size, 5); }
  });
  const sigma = e.z_log_var && Array.from(e.z_log_var, (v) => Math.exp(0.5 * v));
  document.getElementById("q-text").textContent = e.z_log_var
    ? `${inputName}: z_mean = ${zText(e.z_mean)}, sigma = exp(z_log_var / 2) = ${zText(sigma)}`
    : `${inputName}: z = ${zText(e.z_mean)} (an autoencoder gives one point, no distribution)`;
  const spec = DATA.loss;
  const rows = [["reconstruction_loss", spec.kind === "cvae" ? "-log p(x|z): sum of BCE over pixels"
    : spec.kind === "autoencoder" ? "mean BCE over pixels" : `beta x mean ${spec.reconstruction.toUpperCase()} over pixels`],
  ["kl_loss", spec.kind === "cvae" ? "log q(z|x) - log p(z) at z" : spec.kind === "autoencoder" ? "(none)"
    : "KL(q(z|x) || N(0, I)), closed form"],
  ["beta", ""], ["total_loss", "reconstruction_loss + kl_loss"]];
  const cell = (terms, key) => `<td class="num">${terms[key] === null ? "-" : fmt(terms[key], 3)}</td>`;
  const vae = Boolean(e.z_log_var);  // an autoencoder's one point: one column
  document.getElementById("loss").innerHTML = (vae ? "<tr><th></th><th>at draw 1<br>(as training)</th><th>at z =<br>z_mean</th><th></th></tr>" : "") +
    rows.filter(([key]) => vae || key !== "beta").map(([key, how]) => `<tr><td>${key}</td>${cell(e.loss, key)}` +
      `${vae ? cell(e.lossAtMean, key) : ""}<td class="small">${how}</td></tr>`).join("");
  drawDimensions();
  drawScatter();
}

// For a wider space: each dimension's q(z_d|x), mean +- 1 sd, against the prior N(0, 1)
function drawDimensions() {
  const canvas = document.getElementById("dims");
  if (plane.pca === false || !explained || !explained.z_log_var) return;
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
    const slider = row.querySelector("input");
    slider.addEventListener("input", () => {  // move z along direction k to the slider's value
      const now = dot(z.map((v, i) => v - DATA.mean[i]), direction);
      z = z.map((v, i) => v + (Number(slider.value) - now) * direction[i]);
      show();
    });
    sliders.push({ input: slider, output: row.querySelector("output"), direction });
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

let pins = [];  // {z, name}
const MORPH_STEPS = 10;
const morph = document.getElementById("morph");
const morphLane = lane();

function drawMorph() {
  const ctx = morph.getContext("2d");
  const [from, to] = [document.getElementById("morph-from"), document.getElementById("morph-to")];
  if (pins.length < 2) {
    ctx.fillStyle = "white"; ctx.fillRect(0, 0, morph.width, morph.height);
    from.textContent = pins.length ? `from pin 1: ${pins[0].name}` : "";
    to.textContent = "";
    return;
  }
  const [a, b] = pins.slice(-2);
  const zs = [];
  for (let k = 0; k < MORPH_STEPS; k++) {
    const t = k / (MORPH_STEPS - 1);  // z = (1 - t) a + t b
    zs.push(a.z.map((v, i) => (1 - t) * v + t * b.z[i]));
  }
  from.textContent = `pin ${pins.length - 1}: ${a.name}`;
  to.textContent = `pin ${pins.length}: ${b.name}`;
  morphLane("decode", [zs.map((v) => Float32Array.from(v))], ({ result }) => {
    ctx.fillStyle = "white"; ctx.fillRect(0, 0, morph.width, morph.height);
    result.forEach((image, k) => drawImage(morph, toUnit(image), k * morph.height, 0, morph.height));
  });
}

function pin(point, name) {
  pins.push({ z: Array.from(point), name: name || `z = ${zText(point)}` });
  drawMorph();
  drawScatter();
}

// ---------------------------------------------------------------- the point under the pointer

let z = plane.pca ? DATA.mean.slice() : [DATA.points.u[0] || 0, DATA.points.v[0] || 0];
const pointerLane = lane();

function show() {
  const start = performance.now();
  pointerLane("decode", [[Float32Array.from(z)]], ({ result, ms }) => {
    showDecodeTime(1, performance.now() - start, ms);
    drawImage(document.getElementById("decoded"), toUnit(result[0]));
  });
  document.getElementById("z-text").textContent = `z = ${zText(z)}` +
    (D > 2 ? `, |z| = ${Math.sqrt(dot(z, z)).toFixed(2)}` : "");
  updateSliders();
  drawScatter();
}

function pointerAt(event) {
  const box = scatter.getBoundingClientRect();
  return view.toPlane(event.clientX - box.left, event.clientY - box.top);
}

let pending = null;  // the latest pointer position, drawn once per animation frame
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

// ---------------------------------------------------------------- putting it together

function setup() {
  document.getElementById("title").textContent = `${DATA.model}: a ${D}-d latent space`;
  document.getElementById("about").textContent = `The encoder (${DATA.encoderParameters.toLocaleString()} weights) ` +
    `and the decoder (${DATA.parameters.toLocaleString()}) run in this page (decoder.js), in ${model.where}. ` +
    `The plane shows ${DATA.points.u.length.toLocaleString()} test images' z_mean` +
    (plane.pca ? " through their first two principal directions." : ".") +
    " Draw or pick an image to see q(z|x); move the pointer over the plane to decode the point under it.";
  if (DATA.shortRun) document.getElementById("short-run").textContent = DATA.shortRun;
  if (DATA.standIn) document.getElementById("stand-in").textContent = DATA.standIn;
  if (DATA.classNames) {
    document.getElementById("legend").innerHTML = DATA.classNames.map((name, k) =>
      `<span><i style="background:${TAB10[k % 10]}"></i>${name}</span>`).join("");
  }
  if (!DATA.isVae || plane.pca) document.getElementById("cdf-toggle").style.display = "none";
  if (plane.pca) makeSliders(); else document.getElementById("high-dim").style.display = "none";
  if (!plane.pca) document.getElementById("dims-box").style.display = "none";
  if (!DATA.isVae) {  // an autoencoder: one point per image, no distribution to draw from
    document.getElementById("new-draws").style.display = "none";
    document.getElementById("q-heading").textContent = "The encoder's point z for your image, its decoding and the loss";
    document.getElementById("plane-caption").textContent = "Black: your image's z; red cross: the pointer.";
    document.getElementById("draws-caption").firstChild.textContent = "Decoded from z. ";
  }
  document.getElementById("pipeline").textContent = `${SOURCE.channels === 1 ? "grey" : "RGB"} ` +
    `${SOURCE.size}x${SOURCE.size} pixels, then ${DATA.input.pipeline.join(", ")}`;

  const drawable = SOURCE.channels === 1 && C === 1;
  if (drawable) {
    inputCanvas.classList.add("drawable");
    inputCanvas.addEventListener("pointerdown", (event) => {
      inputCanvas.setPointerCapture(event.pointerId);
      lastBrush = null;
      brush(event);
    });
    inputCanvas.addEventListener("pointermove", (event) => { if (event.buttons) brush(event); });
    inputCanvas.addEventListener("pointerup", () => { lastBrush = null; });
    document.getElementById("clear-input").addEventListener("click", () => setInput(source.map(() => 0), "your drawing"));
  } else {
    document.getElementById("clear-input").style.display = "none";
    document.getElementById("draw-hint").style.display = "none";
  }
  document.getElementById("invert-input").addEventListener("click", () => setInput(source.map((v) => 255 - v), `${inputName}, inverted`));
  document.getElementById("new-draws").addEventListener("click", () => { newDraws(); setInput(source, inputName); });
  document.getElementById("pin-input").addEventListener("click", () => { if (explained) pin(explained.z_mean, `z_mean of ${inputName}`); });
  const useFile = async (file) => {
    try { setInput(await fileToSource(file), file.name); } catch (error) { showError(`${file.name}: ${error.message || error}`); }
  };
  document.getElementById("file").addEventListener("change", (event) => { if (event.target.files[0]) useFile(event.target.files[0]); });
  document.addEventListener("dragover", (event) => event.preventDefault());
  document.addEventListener("drop", (event) => {
    event.preventDefault();
    if (event.dataTransfer.files[0]) useFile(event.dataTransfer.files[0]);
  });

  const box = document.getElementById("examples");
  const bytes = atob(DATA.examples.images);
  const labels = DATA.examples.labels;
  DATA.examples.z.forEach((zExample, n) => {
    const image = new Float32Array(C * H * W);
    for (let p = 0; p < image.length; p++) image[p] = bytes.charCodeAt(n * image.length + p) / 255;
    const thumb = document.createElement("canvas");
    [thumb.width, thumb.height] = [40, 40];
    drawImage(thumb, image);
    const name = `test image ${n + 1}` + (labels && DATA.classNames ? ` (${DATA.classNames[labels[n]]})` : "");
    thumb.title = `${name}: click to use it as your image`;
    thumb.addEventListener("click", () => { setInput(toSource(image), name); z = zExample.slice(); show(); });
    box.appendChild(thumb);
  });
  document.getElementById("clear").addEventListener("click", () => { pins = []; drawMorph(); drawScatter(); });
  cdfBox.addEventListener("change", () => { view = makeView(cdfBox.checked); drawPoints(); drawScatter(); });

  view = makeView(false);
  drawPoints();
  drawMorph();
  newDraws();
  const first = new Float32Array(C * H * W);
  for (let p = 0; p < first.length; p++) first[p] = bytes.charCodeAt(p) / 255;
  setInput(toSource(first), `test image 1` + (labels && DATA.classNames ? ` (${DATA.classNames[labels[0]]})` : ""));
  show();
}
setup();
