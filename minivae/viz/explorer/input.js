// input.js: your image as the data set's loader makes it. The stored pixels (uint8, as the data set
// keeps them) go through the loader's steps (minivae.data.preprocess, named by Python in
// DATA.input.pipeline); a dropped file is read and resized as load_image_folder does it.
"use strict";

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


// A soft round brush at the data's resolution, on the stored pixels `source` (size x size, grey):
// along the stroke from `from` to `at` (in pixels), every half pixel, a pixel within 1.5 px gets ink.
function paint(source, from, at) {
  const s = SOURCE.size;
  const steps = Math.max(1, Math.ceil(Math.hypot(at[0] - from[0], at[1] - from[1]) * 2));
  for (let k = 0; k <= steps; k++) {
    const [x, y] = [from[0] + (at[0] - from[0]) * k / steps, from[1] + (at[1] - from[1]) * k / steps];
    for (let r = Math.floor(y - 2); r <= y + 2; r++) {
      for (let c = Math.floor(x - 2); c <= x + 2; c++) {
        if (r < 0 || c < 0 || r >= s || c >= s) continue;
        const ink = 255 * Math.min(Math.max(1.6 - Math.hypot(c + 0.5 - x, r + 0.5 - y), 0), 1);
        source[r * s + c] = Math.max(source[r * s + c], ink);
      }
    }
  }
}
