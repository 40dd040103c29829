// decoder.js: the trained decoder's forward pass, in plain JavaScript.
//
// Each function below is the function of minivae.functional (or im2col.py) with the same name, for one
// example at a time (no batch axis): a vector (features,) or an image (C, H, W), stored
// row-major in a Float32Array exactly as NumPy stores it. Sums are taken in float64 (a
// JavaScript number) and rounded to float32 once per step, so the page agrees with
// minivae's float32 decoder to about 1e-6.
//
//   linear            y = x @ weight + bias, weight (in_features, out_features) as Keras keeps it
//   conv2d            slide a (C_out, C_in, kh, kw) filter bank over the image
//   conv_transpose2d  spread each grid value over a kh x kw window of a larger image
//   batch_norm        eval mode: y = (x - running_mean) / sqrt(running_var + eps) * weight + bias
//   relu, leaky_relu, sigmoid, tanh, softplus, reshape
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

// ---------------------------------------------------------------- the layers

// linear: x (in_features,) @ weight (in_features, out_features) + bias (out_features,)
function linear(x, weight, bias, in_features, out_features) {
  if (x.length !== in_features) {
    throw new Error(`linear: input has ${x.length} features, the weight expects ${in_features}`);
  }
  const y = new Float64Array(out_features);  // (out_features,)
  if (bias) y.set(bias);
  for (let i = 0; i < in_features; i++) {
    const xi = x[i];
    if (xi === 0) continue;  // after a relu, many inputs are 0
    const row = i * out_features;  // weight[i, :]
    for (let j = 0; j < out_features; j++) y[j] += xi * weight[row + j];
  }
  return Float32Array.from(y);
}

// TensorFlow's "same": output ceil(size / stride); an odd total pad puts the extra at the end.
function same_padding(size, kernel, stride) {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

// out = floor((size + pads - kernel) / stride) + 1
function conv_output_size(size, kernel, stride, pad_before, pad_after) {
  return Math.floor((size + pad_before + pad_after - kernel) / stride) + 1;
}

// "valid" -> no zeros; [ph, pw] -> that many zeros on each side: [top, bottom, left, right]
function explicit_pads(padding) {
  return padding === "valid" ? [0, 0, 0, 0] : [padding[0], padding[0], padding[1], padding[1]];
}

// The k in [0, count) whose position k * stride + offset falls inside [0, size): the windows
// that reach a given kernel offset without landing in the padding.
function inside_range(count, stride, offset, size) {
  return [Math.max(0, Math.ceil(-offset / stride)),
          Math.min(count, Math.floor((size - 1 - offset) / stride) + 1)];
}

// conv2d: x (C_in, H, W), weight (C_out, C_in, kh, kw) -> (C_out, out_h, out_w).
//   y[co, r, c] = bias[co] + sum over ci, i, j of x[ci, r*sh + i - top, c*sw + j - left] * weight[co, ci, i, j]
// where x is 0 outside the image (the zero padding). As im2col + one matrix product does, but
// loop by kernel offset (i, j): each adds weight[co, ci, i, j] times a strided slice of x.
function conv2d(x, shape, weight, weight_shape, bias, stride, padding) {
  const [c_in, h, w] = shape;
  const [c_out, , kh, kw] = weight_shape;
  const [sh, sw] = stride;
  const [top, bottom, left, right] = padding === "same"
    ? [...same_padding(h, kh, sh), ...same_padding(w, kw, sw)] : explicit_pads(padding);
  const out_h = conv_output_size(h, kh, sh, top, bottom);
  const out_w = conv_output_size(w, kw, sw, left, right);
  const rows = [...Array(kh).keys()].map((i) => inside_range(out_h, sh, i - top, h));  // per kernel row i
  const cols = [...Array(kw).keys()].map((j) => inside_range(out_w, sw, j - left, w));
  const y = new Float64Array(c_out * out_h * out_w);  // (C_out, out_h, out_w)
  for (let co = 0; co < c_out; co++) {
    y.fill(bias ? bias[co] : 0, co * out_h * out_w, (co + 1) * out_h * out_w);
    for (let ci = 0; ci < c_in; ci++) {
      for (let i = 0; i < kh; i++) {
        const [r0, r1] = rows[i];  // the output rows r whose input row r*sh + i - top is not padding
        for (let j = 0; j < kw; j++) {
          const [c0, c1] = cols[j];
          const k = weight[((co * c_in + ci) * kh + i) * kw + j];  // weight[co, ci, i, j]
          for (let r = r0; r < r1; r++) {
            const y_row = (co * out_h + r) * out_w;  // y[co, r, :]
            const x_row = (ci * h + r * sh + i - top) * w + j - left;  // x[ci, r*sh + i - top, j - left + ...]
            for (let c = c0; c < c1; c++) y[y_row + c] += k * x[x_row + c * sw];
          }
        }
      }
    }
  }
  return [Float32Array.from(y), [c_out, out_h, out_w]];
}

// conv_transpose2d: x (C_in, H, W) grid, weight (C_in, C_out, kh, kw) -> (C_out, H_out, W_out).
// The gradient of conv2d: every grid value x[ci, a, b] adds x * weight[ci, co, :, :] onto the
// window of the (padded) image at rows a*sh ..., columns b*sw ...; overlapping windows add up.
// Then the padding is cropped: what lands on a padding row or column is dropped.
//   "same":  H_out = H * stride, pads as a "same" conv2d of that image would have them
//   else:    H_out = (H - 1) * stride - pad_top - pad_bottom + kh + output_padding
// As col2im does, loop by kernel offset (i, j): each adds weight[ci, co, i, j] times the whole
// grid onto a strided slice of the image, (a, b) -> (a*sh + i - top, b*sw + j - left).
function conv_transpose2d(x, shape, weight, weight_shape, bias, stride, padding, output_padding) {
  const [c_in, gh, gw] = shape;
  const [, c_out, kh, kw] = weight_shape;
  const [sh, sw] = stride;
  let h, w, top, left;
  if (padding === "same") {
    [h, w] = [gh * sh, gw * sw];
    [top] = same_padding(h, kh, sh);
    [left] = same_padding(w, kw, sw);
  } else {
    const [t, b, l, r] = explicit_pads(padding);
    [top, left] = [t, l];
    h = (gh - 1) * sh + kh - t - b + output_padding[0];
    w = (gw - 1) * sw + kw - l - r + output_padding[1];
  }
  const rows = [...Array(kh).keys()].map((i) => inside_range(gh, sh, i - top, h));  // per kernel row i
  const cols = [...Array(kw).keys()].map((j) => inside_range(gw, sw, j - left, w));
  const y = new Float64Array(c_out * h * w);  // (C_out, H_out, W_out)
  for (let co = 0; co < c_out; co++) {
    y.fill(bias ? bias[co] : 0, co * h * w, (co + 1) * h * w);
    for (let ci = 0; ci < c_in; ci++) {
      for (let i = 0; i < kh; i++) {
        const [a0, a1] = rows[i];  // the grid rows a whose image row a*sh + i - top is not cropped
        for (let j = 0; j < kw; j++) {
          const [b0, b1] = cols[j];
          const k = weight[((ci * c_out + co) * kh + i) * kw + j];  // weight[ci, co, i, j]
          for (let a = a0; a < a1; a++) {
            const x_row = (ci * gh + a) * gw;  // x[ci, a, :]
            const y_row = (co * h + a * sh + i - top) * w + j - left;  // y[co, a*sh + i - top, j - left + ...]
            for (let b = b0; b < b1; b++) y[y_row + b * sw] += k * x[x_row + b];
          }
        }
      }
    }
  }
  return [Float32Array.from(y), [c_out, h, w]];
}

// batch_norm in eval mode: each channel c of x (C,) or (C, H, W) is
//   y = (x - running_mean[c]) * (weight[c] / sqrt(running_var[c] + eps)) + bias[c]
function batch_norm(x, shape, running_mean, running_var, weight, bias, eps) {
  const channels = shape[0];
  const size = x.length / channels;  // H * W values per channel (1 for a vector)
  const y = new Float32Array(x.length);
  for (let c = 0; c < channels; c++) {
    const scale = weight[c] / Math.sqrt(running_var[c] + eps);
    for (let p = c * size; p < (c + 1) * size; p++) y[p] = (x[p] - running_mean[c]) * scale + bias[c];
  }
  return y;
}

const relu = (x) => x.map((v) => Math.max(v, 0));
const leaky_relu = (x, slope) => x.map((v) => (v > 0 ? v : slope * v));
const sigmoid = (x) => x.map((v) => 0.5 * Math.tanh(0.5 * v) + 0.5);  // 1 / (1 + exp(-v)), never overflows
const tanh = (x) => x.map(Math.tanh);
const softplus = (x) => x.map((v) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))));

// reshape: the values stay where they are (row-major); only the shape changes.
function reshape(x, shape, target) {
  const size = target.reduce((a, b) => a * b, 1);
  if (size !== x.length) {
    throw new Error(`reshape: cannot reshape ${x.length} values of shape (${shape}) into (${target})`);
  }
  return [x, target];
}

// ---------------------------------------------------------------- the decoder

// Run the steps on one latent vector z (latent_dim,): returns the image (C, H, W) and its shape.
function decode_one(z, steps, arrays) {
  let x = Float32Array.from(z);
  let shape = [x.length];
  for (const s of steps) {
    switch (s.op) {
      case "linear":  // (in_features,) -> (out_features,)
        x = linear(x, arrays[s.weight], s.bias && arrays[s.bias], s.in_features, s.out_features);
        shape = [s.out_features];
        break;
      case "reshape":  // e.g. (2048,) -> (128, 4, 4)
        [x, shape] = reshape(x, shape, s.shape);
        break;
      case "conv2d":  // (C_in, H, W) -> (C_out, out_h, out_w)
        [x, shape] = conv2d(x, shape, arrays[s.weight], s.weight_shape, s.bias && arrays[s.bias],
                            s.stride, s.padding);
        break;
      case "conv_transpose2d":  // (C_in, H, W) -> (C_out, H * stride, W * stride) for "same"
        [x, shape] = conv_transpose2d(x, shape, arrays[s.weight], s.weight_shape,
                                     s.bias && arrays[s.bias], s.stride, s.padding, s.output_padding);
        break;
      case "batch_norm":  // shape unchanged
        x = batch_norm(x, shape, arrays[s.running_mean], arrays[s.running_var], arrays[s.weight],
                      arrays[s.bias], s.eps);
        break;
      case "relu": x = relu(x); break;
      case "leaky_relu": x = leaky_relu(x, s.negative_slope); break;
      case "sigmoid": x = sigmoid(x); break;
      case "tanh": x = tanh(x); break;
      case "softplus": x = softplus(x); break;
      default: throw new Error(`decoder.js: unknown step ${s.op}`);
    }
  }
  return [x, shape];
}

// The contract: an array of latent vectors in, an array of images (C, H, W) in [0, 1] out.
// A decoder ending in tanh gives [-1, 1]: its values are mapped to (y + 1) / 2.
function make_decoder(data) {
  const arrays = read_weights(data.weights, data.tensors);
  const [low, high] = data.outputRange;
  return function decode(zs) {
    return zs.map((z) => {
      if (z.length !== data.latentDim) {
        throw new Error(`decode: a latent vector has ${z.length} numbers, the decoder takes ${data.latentDim}`);
      }
      const [image] = decode_one(z, data.steps, arrays);
      return image.map((v) => (v - low) / (high - low));
    });
  };
}
