// explorer.js: the page around the model. Your image x goes through the encoder to q(z|x), draws
// z = z_mean + sigma * eps go through the decoder, and the loss terms follow; the plane of
// embeddings, sliders, pins and morphing move a second point z through the decoder alone.
//
// The jobs live in their own files, loaded before this one: client.js (the worker and its lanes),
// plot.js (canvases and the plane), input.js (the loader's steps); this file holds the state and
// wires the page together.
"use strict";

const N_DRAWS = 4;  // draws z = z_mean + sigma * eps shown for your image

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
                   input: () => Array.from(yours.input) };

function showDecodeTime(n, ms, inside) {
  window.minivae.lastDecodeMs = ms;
  document.getElementById("decode-time").textContent = `${n} image${n > 1 ? "s" : ""} in ${ms.toFixed(1)} ms ` +
    `(${(ms / n).toFixed(1)} ms per image${inside === null ? "" : `; ${inside.toFixed(1)} ms of it decoding`}) ` +
    `in ${model.where}`;
}

function showError(error) {
  document.getElementById("error").textContent = `The model failed: ${error.message || error}`;
}

// Box-Muller: two uniforms -> one N(0, 1) draw
const randn = () => Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());

// ---------------------------------------------------------------- your image

// Your image: its stored pixels (what you draw on), the model's input made from them, its name,
// the eps of its draws (kept until "new draws") and the worker's answer for it
const yours = { source: new Uint8ClampedArray(SOURCE.channels * SOURCE.size * SOURCE.size), input: null,
                name: "your drawing", epss: [], explained: null };
yours.input = preprocess(yours.source);
const inputCanvas = document.getElementById("input");
const explainLane = lane();

function newDraws() {
  yours.epss = Array.from({ length: N_DRAWS }, () => Float32Array.from({ length: D }, randn));
}

function setInput(pixels, name) {
  Object.assign(yours, { source: pixels, name, input: preprocess(pixels) });
  drawImage(inputCanvas, Float32Array.from(pixels, (v) => v / 255), 0, 0, inputCanvas.height, SOURCE_SHAPE);
  explainLane("explain", [yours.input, yours.epss], ({ result }) => { yours.explained = result; showExplained(); });
}

// ---------------------------------------------------------------- q(z|x), its draws, the loss

function showExplained() {
  const e = yours.explained;
  const strip = document.getElementById("draws");
  const size = strip.height;
  const ctx = strip.getContext("2d");
  ctx.fillStyle = "white"; ctx.fillRect(0, 0, strip.width, strip.height);
  e.images.forEach((image, k) => {
    const x0 = k * (size + 8);
    drawImage(strip, toUnit(image), x0, 0, size);
    if (k > 0) { ctx.fillStyle = DRAW_COLOURS[(k - 1) % 4]; ctx.fillRect(x0, size - 5, size, 5); }
  });
  const sigma = DATA.isVae && Array.from(e.z_log_var, (v) => Math.exp(0.5 * v));
  document.getElementById("q-text").textContent = DATA.isVae
    ? `${yours.name}: z_mean = ${zText(e.z_mean)}, sigma = exp(z_log_var / 2) = ${zText(sigma)}`
    : `${yours.name}: z = ${zText(e.z_mean)} (an autoencoder gives one point, no distribution)`;
  const cell = (terms, key) => `<td class="num">${terms[key] === null ? "-" : fmt(terms[key], 3)}</td>`;
  const vae = DATA.isVae;  // an autoencoder's one point: one column
  document.getElementById("loss").innerHTML = (vae ? "<tr><th></th><th>at draw 1<br>(as training)</th><th>at z =<br>z_mean</th><th></th></tr>" : "") +
    Object.entries(DATA.loss.describe).map(([key, how]) => `<tr><td>${key}</td>${cell(e.loss, key)}` +
      `${vae ? cell(e.lossAtMean, key) : ""}<td class="small">${how}</td></tr>`).join("");
  drawDimensions(e);
  redrawPlane();
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

const pins = [];  // {z, name}
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
  redrawPlane();
}

// ---------------------------------------------------------------- the point under the pointer

let z = plane.pca ? DATA.mean.slice() : [DATA.points.u[0] || 0, DATA.points.v[0] || 0];
const pointerLane = lane();

// The plane with everything on it now: the pins, q(z|x) of your image and its draws, the point z
function redrawPlane() { drawScatter(pins, yours.explained, z); }

function show() {
  const start = performance.now();
  pointerLane("decode", [[Float32Array.from(z)]], ({ result, ms }) => {
    showDecodeTime(1, performance.now() - start, ms);
    drawImage(document.getElementById("decoded"), toUnit(result[0]));
  });
  document.getElementById("z-text").textContent = `z = ${zText(z)}` +
    (D > 2 ? `, |z| = ${Math.sqrt(dot(z, z)).toFixed(2)}` : "");
  updateSliders();
  redrawPlane();
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
    `and the decoder (${DATA.parameters.toLocaleString()}) run in this page (engine.js, vae.js), in ${model.where}. ` +
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
    let last = null;  // where the stroke was at the last pointer event
    const brush = (event) => {
      const box = inputCanvas.getBoundingClientRect();
      const at = [(event.clientX - box.left) / box.width * SOURCE.size, (event.clientY - box.top) / box.height * SOURCE.size];
      paint(yours.source, last || at, at);
      last = at;
      setInput(yours.source, "your drawing");
    };
    inputCanvas.classList.add("drawable");
    inputCanvas.addEventListener("pointerdown", (event) => {
      inputCanvas.setPointerCapture(event.pointerId);
      last = null;
      brush(event);
    });
    inputCanvas.addEventListener("pointermove", (event) => { if (event.buttons) brush(event); });
    inputCanvas.addEventListener("pointerup", () => { last = null; });
    document.getElementById("clear-input").addEventListener("click", () => setInput(yours.source.map(() => 0), "your drawing"));
  } else {
    document.getElementById("clear-input").style.display = "none";
    document.getElementById("draw-hint").style.display = "none";
  }
  document.getElementById("invert-input").addEventListener("click", () => setInput(yours.source.map((v) => 255 - v), `${yours.name}, inverted`));
  document.getElementById("new-draws").addEventListener("click", () => { newDraws(); setInput(yours.source, yours.name); });
  document.getElementById("pin-input").addEventListener("click", () => { if (yours.explained) pin(yours.explained.z_mean, `z_mean of ${yours.name}`); });
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
  document.getElementById("clear").addEventListener("click", () => { pins.length = 0; drawMorph(); redrawPlane(); });
  cdfBox.addEventListener("change", () => { view = makeView(cdfBox.checked); drawPoints(); redrawPlane(); });

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
