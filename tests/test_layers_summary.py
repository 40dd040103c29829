"""summary(): the Keras table, with the book's numbers (tables 3-1 and 3-2)."""
from minivae.nn import Conv2D, Conv2DTranspose, Dense, Flatten, Reshape, Sequential


def book_encoder():
    return Sequential([
        Conv2D(32, (3, 3), strides=2, activation="relu", padding="same"),
        Conv2D(64, (3, 3), strides=2, activation="relu", padding="same"),
        Conv2D(128, (3, 3), strides=2, activation="relu", padding="same"),
        Flatten(),
        Dense(2, name="encoder_output"),
    ], input_shape=(1, 32, 32), name="encoder")


def test_summary_prints_the_table_once_and_returns_it_only_when_asked():
    printed = []
    assert book_encoder().summary(print_fn=printed.append) is None  # Jupyter shows no second copy
    text = book_encoder().summary(print_fn=None)
    assert printed == [text]
    lines = text.splitlines()
    assert lines[0] == 'Model: "encoder"'
    assert "Layer (type)" in lines[2] and "Output Shape" in lines[2] and "Param #" in lines[2]
    rows = {line.split()[0]: line for line in lines if line.startswith(" ") and "(" in line}
    assert "(None, 1, 32, 32)" in rows["encoder_input"]
    assert "(None, 32, 16, 16)" in rows["conv2d"] and rows["conv2d"].endswith("320")
    assert "(None, 64, 8, 8)" in rows["conv2d_1"] and rows["conv2d_1"].endswith("18,496")
    assert "(None, 128, 4, 4)" in rows["conv2d_2"] and rows["conv2d_2"].endswith("73,856")
    assert "(None, 2048)" in rows["flatten"]
    assert "encoder_output (Dense)" in rows["encoder_output"] and rows["encoder_output"].endswith("4,098")
    assert "Total params: 96,770" in lines
    assert "Trainable params: 96,770" in lines
    assert "Non-trainable params: 0" in lines


def test_decoder_summary_table_3_2():
    decoder = Sequential([
        Dense(2048), Reshape((128, 4, 4)),
        Conv2DTranspose(128, 3, strides=2, activation="relu", padding="same"),
        Conv2DTranspose(64, 3, strides=2, activation="relu", padding="same"),
        Conv2DTranspose(32, 3, strides=2, activation="relu", padding="same"),
        Conv2D(1, 3, strides=1, activation="sigmoid", padding="same", name="decoder_output"),
    ], input_shape=(2,), name="decoder")
    text = decoder.summary(print_fn=None)
    for number in ("6,144", "147,584", "73,792", "18,464", "289", "Total params: 246,273"):
        assert number in text
    assert "conv2d_transpose_2 (Conv2DTranspose)" in text
    assert "(None, 1, 32, 32)" in text


def test_summary_of_an_unbuilt_model_says_so():
    text = Sequential([Dense(3)]).summary(print_fn=None)
    assert "unbuilt" in text and "Total params: 0" in text
