// engine.js: the kernels the trained encoder and decoder are made of, in plain JavaScript.
//
// Each network is a list of steps (viz/explorer/steps.py); each step is the function of
// minivae.functional with the same name: linear, conv2d, conv_transpose2d, batch_norm (eval mode),
// relu, leaky_relu, sigmoid, tanh, softplus, reshape. Python has worked out everything a step's
// geometry needs (its pads and output shape, from minivae's conv_geometry); this file restates no
// formula and runs the kernels only. make_network() reads the steps once and prepares everything a
// pass needs, so that a pass allocates nothing:
//
//   - activations are channels-last, (N, H, W, C): the C values of one pixel sit side by side, so
//     the innermost loop of a convolution walks both the input and the packed weights with unit stride;
//   - the weights are packed once in that order: a filter as (C_out, kh, kw, C_in), a linear layer's
//     weight as (out_features, in_features);
//   - each step that changes the shape writes into its own buffer, made once and reused; batch norm
//     and the activations work in place;
//   - a batch of N examples goes through in one pass (the morphing strip: 10 points).
//
// Sums are taken in float64 (a JavaScript number) and rounded to float32 once per step, so the page
// agrees with minivae's float32 networks to about 1e-6. Inputs and outputs are channels-first
// (C, H, W) as NumPy keeps them; the page converts at the two ends only. The model built from two
// such networks (encode, sample, decode, the loss) is vae.js.
"use strict";

// ---------------------------------------------------------------- the weights

// base64 text -> {key: Float32Array}: one little-endian float32 buffer (NumPy's "<f4"),
// cut into the arrays that `tensors` lists by offset (in floats) and shape.
function read_weights(base64, tensors) {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  const all = new Float32Array(bytes.buffer);
  const arrays = {};
  for (const [key, t] of Object.entries(tensors)) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    arrays[key] = all.subarray(t.offset, t.offset + size);
  }
  return arrays;
}

// ---------------------------------------------------------------- convolution taps

// A convolution, seen from one output pixel, is a short list of taps: (input pixel, kernel offset)
// pairs. conv2d and conv_transpose2d differ only in which input pixel each kernel offset reads:
//
//   conv2d            output (r, c) reads input (r*sh + i - top, c*sw + j - left) with weight[.., i, j]
//   conv_transpose2d  grid value (a, b) is spread onto image (a*sh + i - top, b*sw + j - left), so
//                     output (r, c) reads every (a, b) with a*sh + i = r + top, b*sw + j = c + left
//
// Taps that land in the zero padding (or are cropped away) are simply not listed. The lists are
// flat: the taps of output pixel p are start[p] .. start[p + 1] - 1, each an offset into one input
// image (channels-last, so the C_in values start there) and one into one packed filter.
function conv_taps(out_h, out_w, in_w, c_in, kh, kw, input_pixel) {
  const start = new Int32Array(out_h * out_w + 1);
  const x_offset = [], w_offset = [];
  for (let r = 0; r < out_h; r++) {
    for (let c = 0; c < out_w; c++) {
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const at = input_pixel(r, c, i, j);  // [row, column] of the input, or null
          if (at === null) continue;
          x_offset.push((at[0] * in_w + at[1]) * c_in);
          w_offset.push((i * kw + j) * c_in);
        }
      }
      start[r * out_w + c + 1] = x_offset.length;
    }
  }
  // Pixels that read the same kernel offsets, from input pixels a fixed step apart (neighbours in
  // a row for conv2d, every other pixel for conv_transpose2d), are computed as a pair: each weight
  // read serves both. pairs: [p, q, q's input offset minus p's], or [p, -1, 0] alone.
  const pairs = [], paired = new Uint8Array(out_h * out_w);
  const same = (p, q) => {
    const n = start[p + 1] - start[p];
    if (start[q + 1] - start[q] !== n || n === 0) return null;
    const delta = x_offset[start[q]] - x_offset[start[p]];
    for (let t = 0; t < n; t++) {
      if (w_offset[start[q] + t] !== w_offset[start[p] + t] || x_offset[start[q] + t] - x_offset[start[p] + t] !== delta) return null;
    }
    return delta;
  };
  for (let r = 0; r < out_h; r++) {
    for (let c = 0; c < out_w; c++) {
      const p = r * out_w + c;
      if (paired[p]) continue;
      let partner = -1, delta = 0;
      for (const d of [1, 2]) {
        const q = p + d;
        if (c + d >= out_w || paired[q]) continue;
        const found = same(p, q);
        if (found !== null) { [partner, delta] = [q, found]; break; }
      }
      paired[p] = 1;
      if (partner >= 0) paired[partner] = 1;
      pairs.push(p, partner, delta);
    }
  }
  return { start, x_offset: Int32Array.from(x_offset), w_offset: Int32Array.from(w_offset), pairs: Int32Array.from(pairs) };
}

// Where a step's windows sit comes from Python: step.pads = [top, bottom, left, right] zeros around
// the image, step.out_shape = [C_out, H_out, W_out] (minivae's conv_geometry, as the layer's forward).

// conv2d: (C_in, H, W) -> step.out_shape; output (r, c) reads input (r*sh + i - top, c*sw + j - left)
function conv2d_geometry(shape, step) {
  const [c_in, h, w] = shape;
  const [c_out, , kh, kw] = step.weight_shape;  // (C_out, C_in, kh, kw)
  const [sh, sw] = step.stride;
  const [top, , left] = step.pads;
  const [, out_h, out_w] = step.out_shape;
  const taps = conv_taps(out_h, out_w, w, c_in, kh, kw, (r, c, i, j) => {
    const [y, x] = [r * sh + i - top, c * sw + j - left];
    return y >= 0 && y < h && x >= 0 && x < w ? [y, x] : null;
  });
  return { c_in, c_out, kh, kw, out_shape: step.out_shape, taps };
}

// conv_transpose2d: the grid (C_in, gh, gw) -> the image step.out_shape; grid value (a, b) is spread
// onto image (a*sh + i - top, b*sw + j - left)
function conv_transpose2d_geometry(shape, step) {
  const [c_in, gh, gw] = shape;
  const [, c_out, kh, kw] = step.weight_shape;  // (C_in, C_out, kh, kw)
  const [sh, sw] = step.stride;
  const [top, , left] = step.pads;
  const [, h, w] = step.out_shape;
  const grid = (position, stride, count) => {  // position = a * stride exactly, 0 <= a < count
    const a = position / stride;
    return position >= 0 && position % stride === 0 && a < count ? a : null;
  };
  const taps = conv_taps(h, w, gw, c_in, kh, kw, (r, c, i, j) => {
    const [a, b] = [grid(r + top - i, sh, gh), grid(c + left - j, sw, gw)];
    return a === null || b === null ? null : [a, b];
  });
  return { c_in, c_out, kh, kw, out_shape: step.out_shape, taps };
}

// A filter bank packed as (C_out, kh, kw, C_in), the order the innermost loop walks, in float64
// (the float32 values exactly): the products are then taken without a conversion per weight.
// weight is (C_out, C_in, kh, kw) for conv2d and (C_in, C_out, kh, kw) for conv_transpose2d.
function pack_filters(weight, g, transposed) {
  const { c_in, c_out, kh, kw } = g;
  const packed = new Float64Array(weight.length);
  for (let co = 0; co < c_out; co++) {
    for (let ci = 0; ci < c_in; ci++) {
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const from = transposed ? ((ci * c_out + co) * kh + i) * kw + j : ((co * c_in + ci) * kh + i) * kw + j;
          packed[((co * kh + i) * kw + j) * c_in + ci] = weight[from];
        }
      }
    }
  }
  return packed;
}

// ---------------------------------------------------------------- the layers, on a batch of n

// The convolution both conv2d and conv_transpose2d run, on n channels-last images:
//   y[p, co] = bias[co] + sum over the taps t of pixel p, sum over ci of x[x_offset[t] + ci] * filter[co][w_offset[t] + ci]
// A pair of pixels with the same kernel offsets (conv_taps) is computed four output channels at a
// time: eight sums that do not wait on each other, each weight read once for two products. A
// pixel alone goes eight channels at a time, each input value read once for eight products.
function convolve(x, in_size, y, out_size, n, taps, filters, bias, c_in, c_out) {
  const { start, x_offset, w_offset, pairs } = taps;
  const filter = filters.length / c_out;  // kh * kw * C_in
  for (let e = 0; e < n; e++) {
    const xe = e * in_size;
    for (let g = 0; g < pairs.length; g += 3) {
      const p = pairs[g], q = pairs[g + 1], delta = pairs[g + 2];
      const t0 = start[p], t1 = start[p + 1], yp = e * out_size + p * c_out;
      let co = 0;
      if (q >= 0) {  // two pixels, four channels: eight sums, each weight read once for two
        const yq = e * out_size + q * c_out;
        for (; co + 4 <= c_out; co += 4) {
          let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
          const f0 = co * filter;
          for (let t = t0; t < t1; t++) {
            const xp = xe + x_offset[t], xq = xp + delta, w0 = f0 + w_offset[t];
            for (let ci = 0; ci < c_in; ci++) {
              const u = x[xp + ci], v = x[xq + ci], w = w0 + ci;
              const k0 = filters[w], k1 = filters[w + filter], k2 = filters[w + 2 * filter], k3 = filters[w + 3 * filter];
              a0 += u * k0; a1 += u * k1; a2 += u * k2; a3 += u * k3;
              b0 += v * k0; b1 += v * k1; b2 += v * k2; b3 += v * k3;
            }
          }
          if (bias) {
            a0 += bias[co]; a1 += bias[co + 1]; a2 += bias[co + 2]; a3 += bias[co + 3];
            b0 += bias[co]; b1 += bias[co + 1]; b2 += bias[co + 2]; b3 += bias[co + 3];
          }
          y[yp + co] = a0; y[yp + co + 1] = a1; y[yp + co + 2] = a2; y[yp + co + 3] = a3;
          y[yq + co] = b0; y[yq + co + 1] = b1; y[yq + co + 2] = b2; y[yq + co + 3] = b3;
        }
        for (let c = co; c < c_out; c++) {  // the last C_out % 4 channels of both
          let a = bias ? bias[c] : 0, b = a;
          const f = c * filter;
          for (let t = t0; t < t1; t++) {
            const xp = xe + x_offset[t], xq = xp + delta, wo = f + w_offset[t];
            for (let ci = 0; ci < c_in; ci++) { a += x[xp + ci] * filters[wo + ci]; b += x[xq + ci] * filters[wo + ci]; }
          }
          y[yp + c] = a; y[yq + c] = b;
        }
        continue;
      }
      for (; co + 8 <= c_out; co += 8) {  // one pixel, eight channels
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        const f0 = co * filter;
        for (let t = t0; t < t1; t++) {
          const xo = xe + x_offset[t], w0 = f0 + w_offset[t];
          for (let ci = 0; ci < c_in; ci++) {
            const v = x[xo + ci], w = w0 + ci;
            s0 += v * filters[w];
            s1 += v * filters[w + filter];
            s2 += v * filters[w + 2 * filter];
            s3 += v * filters[w + 3 * filter];
            s4 += v * filters[w + 4 * filter];
            s5 += v * filters[w + 5 * filter];
            s6 += v * filters[w + 6 * filter];
            s7 += v * filters[w + 7 * filter];
          }
        }
        if (bias) { s0 += bias[co]; s1 += bias[co + 1]; s2 += bias[co + 2]; s3 += bias[co + 3]; s4 += bias[co + 4]; s5 += bias[co + 5]; s6 += bias[co + 6]; s7 += bias[co + 7]; }
        y[yp + co] = s0; y[yp + co + 1] = s1; y[yp + co + 2] = s2; y[yp + co + 3] = s3;
        y[yp + co + 4] = s4; y[yp + co + 5] = s5; y[yp + co + 6] = s6; y[yp + co + 7] = s7;
      }
      for (; co < c_out; co++) {  // the last C_out % 8 channels (1 for a grey image, 3 for colour)
        let s = bias ? bias[co] : 0;
        const f = co * filter;
        for (let t = t0; t < t1; t++) {
          const xo = xe + x_offset[t], wo = f + w_offset[t];
          for (let ci = 0; ci < c_in; ci++) s += x[xo + ci] * filters[wo + ci];
        }
        y[yp + co] = s;
      }
    }
  }
}

// linear: y = x @ weight + bias for n vectors; weight_t is the weight transposed, (out, in), so
// each output is one unit-stride dot product.
function linear(x, y, n, weight_t, bias, in_features, out_features) {
  for (let e = 0; e < n; e++) {
    const xe = e * in_features, ye = e * out_features;
    for (let j = 0; j < out_features; j++) {
      const row = j * in_features;  // weight[:, j]
      let s0 = bias ? bias[j] : 0, s1 = 0;
      let i = 0;
      for (; i + 2 <= in_features; i += 2) {
        s0 += x[xe + i] * weight_t[row + i];
        s1 += x[xe + i + 1] * weight_t[row + i + 1];
      }
      if (i < in_features) s0 += x[xe + i] * weight_t[row + i];
      y[ye + j] = s0 + s1;
    }
  }
}

// (in, out) -> (out, in)
function transpose(weight, rows, cols) {
  const t = new Float32Array(weight.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = weight[i * cols + j];
  return t;
}

// batch_norm in eval mode, in place: each channel c (the last axis) is
//   y = (x - running_mean[c]) * (weight[c] / sqrt(running_var[c] + eps)) + bias[c]
function batch_norm(x, count, channels, running_mean, scale, bias) {
  for (let p = 0; p < count; p += channels) {
    for (let c = 0; c < channels; c++) x[p + c] = (x[p + c] - running_mean[c]) * scale[c] + bias[c];
  }
}

// The activations, in place on the first `count` values.
function relu(x, count) { for (let i = 0; i < count; i++) if (x[i] < 0) x[i] = 0; }
function leaky_relu(x, count, slope) { for (let i = 0; i < count; i++) if (x[i] < 0) x[i] *= slope; }
function sigmoid(x, count) {  // 1 / (1 + exp(-v)) as 0.5 tanh(v / 2) + 0.5: never overflows
  for (let i = 0; i < count; i++) x[i] = 0.5 * Math.tanh(0.5 * x[i]) + 0.5;
}
function tanh(x, count) { for (let i = 0; i < count; i++) x[i] = Math.tanh(x[i]); }
function softplus(x, count) {  // log(1 + exp(v)) = max(v, 0) + log1p(exp(-|v|))
  for (let i = 0; i < count; i++) x[i] = Math.max(x[i], 0) + Math.log1p(Math.exp(-Math.abs(x[i])));
}

// Channels-first (C, H, W) <-> channels-last (H, W, C), for n images.
function to_channels_last(x, y, n, [c, h, w]) {
  const size = c * h * w;
  for (let e = 0; e < n; e++) {
    const o = e * size;
    for (let ch = 0; ch < c; ch++) for (let p = 0; p < h * w; p++) y[o + p * c + ch] = x[o + ch * h * w + p];
  }
}
function to_channels_first(x, y, n, [c, h, w]) {
  const size = c * h * w;
  for (let e = 0; e < n; e++) {
    const o = e * size;
    for (let ch = 0; ch < c; ch++) for (let p = 0; p < h * w; p++) y[o + ch * h * w + p] = x[o + p * c + ch];
  }
}

const size_of = (shape) => shape.reduce((a, b) => a * b, 1);

// ---------------------------------------------------------------- a network

// The steps made ready to run: each becomes {out_shape, out_size, apply(x, n) -> y}, where y is
// the step's own buffer (or x itself for the steps that work in place). Buffers hold `capacity`
// examples and are remade, larger, only when a bigger batch comes.
function make_network(steps, arrays, input_shape) {
  const body = [];  // one layer per step
  let shape = input_shape.slice();  // channels-first, as minivae.functional has it
  const in_place = (apply) => {
    const out_shape = shape;
    return { out_shape, apply: (x, n) => { apply(x, n * size_of(out_shape)); return x; } };
  };
  const buffered = (out_shape, apply) => {
    const layer = { out_shape, buffer: null, apply: (x, n) => { apply(x, layer.buffer, n); return layer.buffer; } };
    return layer;
  };
  for (const step of steps) {
    const a = (key) => (key ? arrays[key] : null);
    const in_shape = shape, in_size = size_of(shape);
    let layer;
    switch (step.op) {
      case "linear": {  // (in_features,) -> (out_features,)
        if (in_size !== step.in_features) {
          throw new Error(`linear '${step.layer}': input has ${in_size} features, the weight expects ${step.in_features}`);
        }
        const weight_t = transpose(a(step.weight), step.in_features, step.out_features);
        const bias = a(step.bias);
        layer = buffered([step.out_features], (x, y, n) =>
          linear(x, y, n, weight_t, bias, step.in_features, step.out_features));
        break;
      }
      case "conv2d":  // (C_in, H, W) -> step.out_shape
      case "conv_transpose2d": {
        const transposed = step.op === "conv_transpose2d";
        const g = (transposed ? conv_transpose2d_geometry : conv2d_geometry)(in_shape, step);
        const filters = pack_filters(a(step.weight), g, transposed);
        const bias = a(step.bias), out_size = size_of(g.out_shape);
        layer = buffered(g.out_shape, (x, y, n) =>
          convolve(x, in_size, y, out_size, n, g.taps, filters, bias, g.c_in, g.c_out));
        break;
      }
      case "reshape": {  // e.g. (2048,) -> (128, 4, 4): the values keep their channels-first order
        const target = step.shape;
        if (size_of(target) !== in_size) {
          throw new Error(`reshape: cannot reshape ${in_size} values of shape (${in_shape}) into (${target})`);
        }
        if (in_shape.length === 3 && target.length === 3) {
          throw new Error(`reshape: (${in_shape}) into (${target}): engine.js reshapes images to vectors and back only`);
        }
        if (in_shape.length === 3) {  // Flatten: channels-last -> the channels-first vector
          layer = buffered(target, (x, y, n) => to_channels_first(x, y, n, in_shape));
        } else if (target.length === 3) {  // an image from a vector: channels-last from here on
          layer = buffered(target, (x, y, n) => to_channels_last(x, y, n, target));
        } else {
          shape = target;
          layer = in_place(() => {});
        }
        break;
      }
      case "batch_norm": {  // per channel: the last axis of (H, W, C), or each feature of a vector
        const weight = a(step.weight), variance = a(step.running_var);
        const scale = Float64Array.from(weight, (g, c) => g / Math.sqrt(variance[c] + step.eps));
        const mean = a(step.running_mean), bias = a(step.bias), channels = in_shape[0];
        layer = in_place((x, count) => batch_norm(x, count, channels, mean, scale, bias));
        break;
      }
      case "relu": layer = in_place(relu); break;
      case "leaky_relu": layer = in_place((x, count) => leaky_relu(x, count, step.negative_slope)); break;
      case "sigmoid": layer = in_place(sigmoid); break;
      case "tanh": layer = in_place(tanh); break;
      case "softplus": layer = in_place(softplus); break;
      default: throw new Error(`engine.js: unknown step ${step.op}`);
    }
    body.push(layer);
    shape = layer.out_shape;
  }
  const output_shape = shape;
  // an image comes in channels-first and goes out channels-first: one conversion at each end
  const entry = input_shape.length === 3 ? buffered(input_shape, (x, y, n) => to_channels_last(x, y, n, input_shape)) : null;
  const exit = output_shape.length === 3 ? buffered(output_shape, (x, y, n) => to_channels_first(x, y, n, output_shape)) : null;
  const buffers = [entry, ...body, exit].filter((layer) => layer && "buffer" in layer);
  let capacity = 0;
  return {
    input_shape, output_shape,
    // Run n examples, (n, ...input_shape) end to end in `input`. Returns the output buffer: its
    // first n * size_of(output_shape) values are the outputs, overwritten by the next call.
    // without_last_step: stop before the last step (the CVAE's logits, before its sigmoid).
    run(input, n, without_last_step = false) {
      if (n > capacity) {  // buffers for a bigger batch
        capacity = Math.max(n, 2 * capacity);
        for (const layer of buffers) layer.buffer = new Float32Array(capacity * size_of(layer.out_shape));
      }
      let x = entry ? entry.apply(input, n) : input;
      const count = body.length - (without_last_step ? 1 : 0);
      for (let k = 0; k < count; k++) x = body[k].apply(x, n);
      return exit ? exit.apply(x, n) : x;
    },
  };
}
