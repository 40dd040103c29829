// vae.js: the page's model, an encoder and a decoder (engine.js) and the loss they are trained on.
//
// What the model is comes from Python, never from a guess here: data.isVae (does the encoder give
// q(z|x)?), and data.loss (model.loss_terms()): which reconstruction kernel the loss runs, over the
// pixels' mean or sum, its scale (beta), BCE's clip epsilon, how the KL is estimated, and whether
// the decoder's last step is the sigmoid of the likelihood's logits.
"use strict";

// ---------------------------------------------------------------- the loss kernels

// Each reconstruction kernel sums over the n pixels of one image x; `out` is the decoder's output
// at z (its logits for "bce_with_logits").
const RECONSTRUCTION = {
  bce(out, x, n, epsilon) {  // BCE of probabilities, clipped to [epsilon, 1 - epsilon] first
    let s = 0;
    for (let p = 0; p < n; p++) {
      const y = Math.min(Math.max(out[p], epsilon), 1 - epsilon);
      s -= x[p] * Math.log(y) + (1 - x[p]) * Math.log(1 - y);
    }
    return s;
  },
  bce_with_logits(out, x, n) {  // softplus(l) - l * x, with softplus(l) = max(l, 0) + log1p(exp(-|l|))
    let s = 0;
    for (let p = 0; p < n; p++) {
      const l = out[p];
      s += Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l))) - l * x[p];
    }
    return s;
  },
  mse(out, x, n) {
    let s = 0;
    for (let p = 0; p < n; p++) s += (out[p] - x[p]) * (out[p] - x[p]);
    return s;
  },
};

// KL(q(z|x) || N(0, I)) for q = N(z_mean, exp(z_log_var)), estimated as the model's kl_estimate says
const KL = {
  "closed form": (q) => {  // -0.5 * sum(1 + z_log_var - z_mean^2 - exp(z_log_var))
    let kl = 0;
    for (let i = 0; i < q.z_mean.length; i++) {
      kl += -0.5 * (1 + q.z_log_var[i] - q.z_mean[i] * q.z_mean[i] - Math.exp(q.z_log_var[i]));
    }
    return kl;
  },
  "one sample": (q, z) => {  // log q(z|x) - log p(z) at the one drawn z (log_normal_pdf of each)
    const log2pi = Math.log(2 * Math.PI);
    let kl = 0;
    for (let i = 0; i < z.length; i++) {
      const d = z[i] - q.z_mean[i];
      const log_q = -0.5 * (d * d * Math.exp(-q.z_log_var[i]) + q.z_log_var[i] + log2pi);
      const log_p = -0.5 * (z[i] * z[i] + log2pi);
      kl += log_q - log_p;
    }
    return kl;
  },
};

// ---------------------------------------------------------------- the model

// The page's model, made from its JSON data. Images are (C, H, W) Float32Arrays in the model's own
// range (inputRange, outputRange); the page maps them to and from [0, 1] for drawing.
//   decode(zs)                    latent vectors -> images
//   encode(images)                -> [{z_mean, z_log_var}] (an autoencoder: z_log_var null)
//   loss(image, eps)              the loss terms of model.compute_losses for this one image, with the
//                                 draw z = z_mean + exp(0.5 * z_log_var) * eps (eps null: z = z_mean)
//   explain(image, epss)          all the page shows for one input: q(z|x), the draws, their images
//                                 and the loss terms at the first draw and at z_mean, in one pass each
function make_model(data) {
  const arrays = read_weights(data.weights, data.tensors);
  const D = data.latentDim;
  const decoder = make_network(data.steps, arrays, [D]);
  const encoder = make_network(data.encoderSteps, arrays, data.imageShape);
  const image_size = size_of(data.imageShape);
  const vae = data.isVae;  // the encoder gives z_mean and z_log_var, or the autoencoder's z
  const spec = data.loss;

  function decode(zs) {
    const flat = new Float32Array(zs.length * D);
    zs.forEach((z, k) => {
      if (z.length !== D) throw new Error(`decode: a latent vector has ${z.length} numbers, the decoder takes ${D}`);
      flat.set(z, k * D);
    });
    const out = decoder.run(flat, zs.length);
    return zs.map((_, k) => out.slice(k * image_size, (k + 1) * image_size));
  }

  function encode(images) {
    const flat = new Float32Array(images.length * image_size);
    images.forEach((image, k) => {
      if (image.length !== image_size) {
        throw new Error(`encode: an image has ${image.length} values, the encoder takes (${data.imageShape}) = ${image_size}`);
      }
      flat.set(image, k * image_size);
    });
    const out = encoder.run(flat, images.length), width = encoder.output_shape[0];
    return images.map((_, k) => ({
      z_mean: out.slice(k * width, k * width + D),
      z_log_var: vae ? out.slice(k * width + D, (k + 1) * width) : null,
    }));
  }

  // z = z_mean + exp(0.5 * z_log_var) * eps: the reparameterization trick (minivae.functional.reparameterize)
  const sample = (q, eps) => (eps && vae
    ? Float32Array.from(q.z_mean, (m, i) => m + Math.exp(0.5 * q.z_log_var[i]) * eps[i]) : q.z_mean.slice());

  // The terms for one image x and its draw z, with `out` the decoder's output at z (its logits where
  // the likelihood takes logits): means over the batch of one image are that image's own values.
  function terms(x, q, z, out) {
    const r = spec.reconstruction;
    let reconstruction = RECONSTRUCTION[r.kernel](out, x, image_size, r.epsilon);
    if (r.over_pixels === "mean") reconstruction /= image_size;
    reconstruction *= r.scale;
    const kl = spec.kl ? KL[spec.kl](q, z) : 0;
    return { reconstruction_loss: reconstruction, kl_loss: kl, beta: spec.beta, total_loss: reconstruction + kl };
  }

  // The decoder's outputs for zs, and for the loss (logits: every step but the last, its sigmoid)
  function decode_for_loss(zs) {
    const images = decode(zs);
    if (!spec.likelihood.logits) return [images, images];
    const flat = new Float32Array(zs.length * D);
    zs.forEach((z, k) => flat.set(z, k * D));
    const out = decoder.run(flat, zs.length, true);
    return [images, zs.map((_, k) => out.slice(k * image_size, (k + 1) * image_size))];
  }

  function loss(image, eps) {
    const [q] = encode([image]);
    const z = sample(q, eps);
    const [, [out]] = decode_for_loss([z]);
    return { ...terms(image, q, z, out), z: Array.from(z) };
  }

  function explain(image, epss) {
    const [q] = encode([image]);
    const zs = [q.z_mean.slice(), ...(vae ? epss.map((eps) => sample(q, eps)) : [])];
    const [images, outs] = decode_for_loss(zs);
    return {
      z_mean: q.z_mean, z_log_var: q.z_log_var, draws: zs.slice(1), images,
      loss: terms(image, q, zs[vae ? 1 : 0], outs[vae ? 1 : 0]),  // as training sees it: at one draw
      lossAtMean: terms(image, q, zs[0], outs[0]),
    };
  }

  return { decode, encode, loss, explain, vae };
}
