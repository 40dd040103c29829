"""BatchNormalization: rescale each channel to zero mean and unit variance, then learn a scale and shift."""
from .. import functional as F
from .layer import Layer


class BatchNormalization(Layer):
    """``BatchNormalization(momentum=0.99, epsilon=1e-3)``, Keras' arguments and defaults.

    y = gamma * (x - mean) / sqrt(var + epsilon) + beta, per channel (axis 1).
    Training uses the batch's mean and var and updates the moving averages::

        moving = momentum * moving + (1 - momentum) * batch_statistic

    (Keras' momentum; PyTorch's is 1 - it). Inference uses the moving averages.
    Parameters: gamma and beta (trainable), moving_mean and moving_variance
    (non-trainable buffers): 4 * channels in all, as Keras' summary counts them.
    """

    def __init__(self, momentum=0.99, epsilon=1e-3, name=None):
        super().__init__(name)
        self.momentum = momentum
        self.epsilon = epsilon

    def build(self, input_shape):
        if len(input_shape) not in (1, 3):
            self.shape_error((None, "C", "H", "W"), (None,) + tuple(input_shape))
        channels = input_shape[0]
        self.add_weight("gamma", (channels,), "ones")
        self.add_weight("beta", (channels,), "zeros")
        self.add_weight("moving_mean", (channels,), "zeros", trainable=False)
        self.add_weight("moving_variance", (channels,), "ones", trainable=False)
        self.input_spec = (None, channels) + ("H", "W")[:len(input_shape) - 1]
        return tuple(input_shape)

    def shape_hint(self, expected, received):
        return ("BatchNormalization takes (N, C) vectors or (N, C, H, W) images and "
                "normalizes axis 1 (channels-first).")

    def forward(self, x):
        return F.batch_norm(x, self.moving_mean, self.moving_variance, self.gamma, self.beta,
                            training=self.training, momentum=1 - self.momentum, eps=self.epsilon)

    def extra_repr(self):
        return f"momentum={self.momentum}, epsilon={self.epsilon}, name={self.name!r}"
