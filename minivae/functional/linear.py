"""linear: the dense layer's x @ W + b, composed from matmul and add (no backward of its own)."""


def linear(x, weight, bias=None):
    """x (N, in_features) @ weight (in_features, out_features) + bias (out_features,).

    The weight is laid out as Keras stores it (in, out), so ``x @ weight`` reads
    like the formula; the engine sums the bias gradient over the batch for us.
    """
    if x.shape[-1] != weight.shape[0]:
        raise ValueError(f"linear: input has {x.shape[-1]} features (shape {x.shape}) but the "
                         f"weight (shape {weight.shape}) expects {weight.shape[0]}")
    y = x @ weight
    return y if bias is None else y + bias
