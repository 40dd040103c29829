"""Sequential: layers applied one after another, each built from the previous one's output shape."""
from .layer import Layer


class Sequential(Layer):
    """``Sequential([Conv2D(32, 3, strides=2, padding="same"), ...], input_shape=(1, 32, 32))``.

    With ``input_shape`` (no batch axis, channels-first) every layer is built at
    once, so ``summary()`` and ``count_params()`` work before any data is seen;
    without it the layers are built at the first call. Unnamed layers are
    numbered as Keras numbers them: dense, dense_1, dense_2, ...
    """

    def __init__(self, layers=(), input_shape=None, name=None):
        super().__init__(name)
        self.layers = list(layers)
        for i, layer in enumerate(self.layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"Sequential '{self.name}': item {i} is a {type(layer).__name__}, "
                                "not a layer (Dense, Conv2D, ...).")
        self._number_layers()
        if input_shape is not None:
            self.ensure_built(tuple(input_shape))

    def _number_layers(self):
        taken = {layer.name for layer in self.layers if layer.named}
        counts = {}
        for layer in self.layers:
            if layer.named:
                continue
            base = layer.base_name
            n = counts.get(base, 0)
            name = base if n == 0 else f"{base}_{n}"
            while name in taken:
                n += 1
                name = f"{base}_{n}"
            counts[base] = n + 1
            taken.add(name)
            layer.name = name

    def add(self, layer):
        """Append a layer (built at once when the model already is)."""
        self.layers.append(layer)
        self._number_layers()
        layer.place(self._build_device, self._dtype)
        if self.built:
            self.output_shape = layer.ensure_built(self.output_shape)

    def build(self, input_shape):
        shape = tuple(input_shape)
        for layer in self.layers:
            shape = layer.ensure_built(shape)
        return shape

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def __getitem__(self, index):
        return self.layers[index]

    def __len__(self):
        return len(self.layers)

    def get_layer(self, name):
        """The layer called ``name`` (Keras' model.get_layer)."""
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise KeyError(f"Sequential '{self.name}' has no layer {name!r}; it has: "
                       + ", ".join(layer.name for layer in self.layers))
