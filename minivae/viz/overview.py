"""One small picture of a finished run, for README: reconstructions, samples and the latent map.

    python3 -m minivae.viz.overview runs/fashion-vae tutorials/figures/fashion_vae_full_run.png

It is cut from the run's own figures (no model is loaded), so it shows exactly what
`minivae train` wrote.
"""
import os
import sys

from PIL import Image

PANELS = (("reconstructions.png", "samples.png"), ("latent_scatter.png", "latent_grid.png"))


def _fit_width(image, width):
    return image.resize((width, round(image.height * width / image.width)), Image.LANCZOS)


def overview(run_dir, path, width=900):
    """Write the run's overview PNG at ``path`` (``width`` pixels wide); return the path.

    Top: the reconstructions and the random samples, full width; below: the latent
    scatter and the decoded latent grid side by side.
    """
    missing = [n for row in PANELS for n in row if not os.path.exists(os.path.join(run_dir, n))]
    if missing:
        raise FileNotFoundError(f"overview: {run_dir} lacks {', '.join(missing)}; "
                                "run `minivae report RUN_DIR` to draw the figures first")
    open_ = lambda name: Image.open(os.path.join(run_dir, name)).convert("RGB")  # noqa: E731
    rows = [_fit_width(open_(name), width) for name in PANELS[0]]
    left, right = (_fit_width(open_(name), width // 2) for name in PANELS[1])
    pair = Image.new("RGB", (width, max(left.height, right.height)), "white")
    pair.paste(left, (0, 0))
    pair.paste(right, (width // 2, 0))
    rows.append(pair)
    out = Image.new("RGB", (width, sum(r.height for r in rows)), "white")
    y = 0
    for row in rows:
        out.paste(row, (0, y))
        y += row.height
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    # small for README; method 2 is FASTOCTREE (Image.Quantize.FASTOCTREE from Pillow 9.1)
    out.quantize(colors=256, method=2).save(path, format="PNG", optimize=True)
    return path


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    print(overview(sys.argv[1], sys.argv[2]))
