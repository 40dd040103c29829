"""What the page holds: the encoder's and decoder's steps and weights, and the test set's embeddings.

Everything goes into one JSON object, ``explorer_data``:

    latentDim, imageShape [C, H, W], outputRange    what decode() takes and gives
    inputRange                                      the model's input range: encode() maps [0, 1] to it
    steps, encoderSteps, tensors, weights           the decoder and encoder (steps.py), weights as base64
                                                    float32 (one buffer for both)
    isVae                                           does the encoder give q(z|x) (model.is_vae)
    loss                                            how the model's training loss is made, the kernels
                                                    the page runs and their constants (model.loss_terms())
    input {channels, size, pipeline}                how the loader makes a model input from stored pixels
    plane, points {u, v, labels}, classNames        the scatter: up to 5,000 test embeddings (z_mean),
                                                    named by the data set's record
    standIn                                         when the data's files stand in for another
                                                    set's (Fashion-MNIST for MNIST): that sentence
    mean, directions, spread                        principal directions of the embeddings
    attributes [{name, vector}]                     mean z with the label minus mean z without it
    normalCdf {from, step, values}                  N(0, 1)'s CDF on a grid, for the plane's CDF view
    shortRun                                        the report's sentence when the run was too short
                                                    for its images to mean much (short_run), or None
    examples {z, images, labels}                    some test images (model inputs, shown in [0, 1]) and
                                                    their z_mean, to encode, pin and morph between

In a 2-D latent space the scatter shows z_mean itself ("plane": "latent"). A wider space
is shown through its first two principal directions ("plane": "pca"): 5,000 faces' 200-d
embeddings would take 4 MB on their own, so the page keeps their projections (u, v) and
the full z_mean of the examples only.
"""
import base64

import numpy

from ...data import data_set as data_set_named
from ...recipes import RECIPES
from ...short_run import short_run_warning
from .. import normal
from ..inference import encode
from .steps import decoder_steps, network_steps

MAX_POINTS = 5000  # embeddings in the scatter, as in the run's scatter figure
CDF_GRID = (-6.0, 0.01, 1201)  # from, step, count: where the page reads N(0, 1)'s CDF
MAX_DIRECTIONS = 8  # principal directions given a slider
N_EXAMPLES = 24  # test images offered as input and for morphing


def input_pipeline(model, data_set):
    """{channels, size, pipeline} for the page: how a drawn or dropped image becomes a model input,
    as the data set's record says its loader does it (the steps of minivae.data.preprocess, run on
    the stored pixels, resized first to the stored size: Pillow's bilinear filter, as
    load_image_folder does it). No record: the model's own input size, scaled to [0, 1]."""
    if data_set is None:
        return {"channels": int(model.input_shape[0]), "size": int(model.input_shape[-1]),
                "pipeline": ["scale_to_unit"]}
    return {"channels": data_set.channels, "size": int(data_set.stored_size or model.input_shape[-1]),
            "pipeline": list(data_set.pipeline)}


def _spread_over_labels(labels, n):
    """Indices of n examples that take each label in turn (0, 1, 2, ..., 0, 1, ...), in data order."""
    if labels is None:
        return numpy.arange(n)
    by_label = [list(numpy.flatnonzero(labels == k)) for k in numpy.unique(labels)]
    order = []
    while len(order) < n and any(by_label):
        order += [indices.pop(0) for indices in by_label if indices][:n - len(order)]
    return numpy.array(order, dtype=int)


def _rounded(a, digits=5):
    """A float array as nested lists with ``digits`` decimals: short JSON, plenty for a picture."""
    return numpy.round(numpy.asarray(a, dtype=numpy.float64), digits).tolist()


def pack_weights(arrays):
    """{key: float32 array} -> (base64 of all of them end to end, {key: {offset, shape}})."""
    tensors, offset = {}, 0
    for key, a in arrays.items():
        tensors[key] = {"offset": offset, "shape": list(a.shape)}
        offset += a.size
    buffer = numpy.concatenate([a.ravel() for a in arrays.values()]).astype("<f4")
    return base64.b64encode(buffer.tobytes()).decode("ascii"), tensors


def normal_cdf_table():
    """{from, step, values}: Phi(u) = minivae.viz.normal.cdf on CDF_GRID, which the page interpolates
    (both ways: its quantile too) instead of restating an approximation of erf."""
    start, step, count = CDF_GRID
    values = normal.cdf(start + step * numpy.arange(count))  # (count,)
    return {"from": start, "step": step, "values": _rounded(values, 8)}


def principal_directions(z, k=MAX_DIRECTIONS):
    """(mean (D,), directions (k, D) orthonormal, spread (k,)): the PCA of the embeddings z (N, D).

    Centre, then the SVD z - mean = U S V^T: the rows of V^T are the directions of largest
    variance first, and S / sqrt(N - 1) is the standard deviation along each.
    """
    mean = z.mean(axis=0)
    _, s, vt = numpy.linalg.svd(z - mean, full_matrices=False)  # vt (min(N, D), D)
    k = min(k, vt.shape[0])
    return mean, vt[:k], s[:k] / numpy.sqrt(max(len(z) - 1, 1))


def _labels(labels, attribute):
    """(integer labels, class names, {name: bool mask} for attribute vectors), or Nones."""
    if labels is None:
        return None, None, {}
    labels = numpy.asarray(labels)
    if labels.dtype == bool:  # one attribute (CelebA's Smiling): two classes
        name = attribute or "attribute"
        return labels.astype(int), [f"not {name}", name], {name: labels}
    return labels.astype(int), None, {}


def explorer_data(model, val_x, val_labels=None, run=None, seed=0, history=None, data_set=None):
    """The page's JSON object (a dict) for ``model`` and its test images ``val_x`` (N, C, H, W).

    run: the checkpoint's record (minivae.run_settings.SavedRun), or None (the model's own name).
    history: the run's per-epoch records; with them the page says when the run was too short.
    data_set: the record of the data actually used (default: the model's recipe's data set):
    its class names, attribute and preprocessing.
    """
    name = run.settings.model if run is not None else getattr(model, "name", "model")
    if data_set is None and name in RECIPES:
        data_set = data_set_named(RECIPES[name].dataset)
    steps, arrays = decoder_steps(model.decoder, logits=model.likelihood.logits)
    encoder, encoder_arrays = network_steps(model.encoder)
    weights, tensors = pack_weights({**arrays, **encoder_arrays})
    rng = numpy.random.default_rng(seed)
    chosen = numpy.arange(len(val_x))
    if len(val_x) > MAX_POINTS:
        chosen = numpy.sort(rng.choice(len(val_x), MAX_POINTS, replace=False))
    z = encode(model, val_x[chosen]).astype(numpy.float64)  # (N, latent_dim)
    labels, names, attributes = _labels(None if val_labels is None else
                                        numpy.asarray(val_labels)[chosen],
                                        data_set.attribute if data_set is not None else None)
    if names is None and labels is not None:
        names = list(data_set.class_names) if data_set is not None and data_set.class_names else \
            [str(k) for k in range(labels.max() + 1)]
        if z.shape[1] > 2:  # towards each class: its mean z minus the others'
            attributes = {names[k] if k < len(names) else str(k): labels == k for k in numpy.unique(labels)}
    mean, directions, spread = principal_directions(z)
    if z.shape[1] == 2:
        plane, uv = "latent", z
    else:
        plane, uv = "pca", (z - mean) @ directions[:2].T  # (N, 2): the coordinates along PC 1 and 2
    examples = _spread_over_labels(labels, min(N_EXAMPLES, len(chosen)))
    images = numpy.asarray(val_x[chosen[examples]], dtype=numpy.float32)  # (n, C, H, W)
    low, high = (float(v) for v in model.value_range)  # the model says its images' range
    pixels = numpy.clip((images - low) / (high - low), 0, 1)
    data = {
        "model": name,
        "dataset": None if data_set is None else data_set.name,
        "standIn": (data_set.stand_in_note or None) if data_set is not None else None,
        "isVae": bool(model.is_vae),
        "latentDim": int(z.shape[1]),
        "imageShape": [int(n) for n in model.decoder.output_shape],
        "outputRange": [low, high],
        "inputRange": list(data_set.input_range) if data_set is not None else [0.0, 1.0],
        "parameters": int(sum(a.size for a in arrays.values())),
        "encoderParameters": int(sum(a.size for a in encoder_arrays.values())),
        "steps": steps, "encoderSteps": encoder, "tensors": tensors, "weights": weights,
        "loss": model.loss_terms(),
        "normalCdf": normal_cdf_table(),
        "shortRun": None if history is None else short_run_warning(run, history),
        "input": input_pipeline(model, data_set),
        "plane": plane,
        "points": {"u": _rounded(uv[:, 0]), "v": _rounded(uv[:, 1]),
                   "labels": None if labels is None else labels.tolist()},
        "classNames": names,
        "mean": _rounded(mean), "directions": _rounded(directions), "spread": _rounded(spread),
        "attributes": [{"name": str(name), "vector": _rounded(z[mask].mean(axis=0) - z[~mask].mean(axis=0))}
                       for name, mask in attributes.items() if mask.any() and not mask.all()],
        "examples": {"z": _rounded(z[examples], 6),
                     "labels": None if labels is None else labels[examples].tolist(),
                     "images": base64.b64encode(numpy.round(pixels * 255).astype(numpy.uint8).tobytes())
                     .decode("ascii")},
    }
    return data
