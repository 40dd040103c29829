"""A sentence written under a figure that is already saved: the short-run warning.

The figures of a run that trained too briefly look broken (grey blobs); the
sentence under each one says why and how to fix it, so a figure copied out of
the run folder still carries it.
"""
import textwrap

from PIL import Image, ImageDraw, ImageFont

INK = (150, 60, 0)  # dark orange on white: a warning, not an error
PADDING = 8


def _font(size):
    try:
        return ImageFont.load_default(size=size)  # a scalable font (Pillow >= 10.1)
    except TypeError:
        return ImageFont.load_default()


def _size(font, text):
    """(width, height) of ``text`` in pixels: getbbox from Pillow 9.2, getsize before it (the
    bitmap default font of Pillow < 9.2 has no getbbox; Pillow 10 removed getsize)."""
    if hasattr(font, "getbbox"):
        return font.getbbox(text)[2:]
    return font.getsize(text)


def add_note(path, sentence, size=14):
    """Append a white band holding ``sentence`` (wrapped to the figure's width) under the PNG at
    ``path``, in place."""
    figure = Image.open(path).convert("RGB")
    font = _font(size)
    char_width = max(1, _size(font, "abcdefghij")[0] / 10)
    lines = textwrap.wrap(sentence, max(20, int((figure.width - 2 * PADDING) / char_width)))
    line_height = _size(font, "Ag")[1] + 4
    band = 2 * PADDING + line_height * len(lines)
    out = Image.new("RGB", (figure.width, figure.height + band), "white")
    out.paste(figure, (0, 0))
    draw = ImageDraw.Draw(out)
    for i, line in enumerate(lines):
        draw.text((PADDING, figure.height + PADDING + i * line_height), line, fill=INK, font=font)
    out.save(path, format="PNG")
    return path
