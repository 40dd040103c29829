"""A strided transposed convolution as s*s small stride-1 convolutions: its sub-pixel phases.

The transposed convolution spreads grid value a over image rows s*a + i
(kernel tap i), overlapping windows add up. Read from the image's side, along
one axis: padded image row P = y + pad_before receives tap i from grid row
a = (P - i) / s, only where that is a whole number. So output row y = s*u + r
(its *phase* r = y mod s) meets only the taps

    i = i0 + s*q,   i0 = (r + pad_before) mod s,   q = 0, 1, ...  (i < k)

and takes tap i0 + s*q from grid row a = u + d - q, d = (r + pad_before - i0) / s.
With the taps in reverse order (j = nq - 1 - q) that is a stride-1 correlation:

    out[s*u + r] = sum_j grid[u + start + j] . weight[i0 + s*(nq - 1 - j)],  start = d - nq + 1

In 2-D each of the s*s phases (r_h, r_w) is one im2col of the grid and one
matrix product with that phase's taps, written into the strided view
image[:, r_h::s, r_w::s]. Every output value is written once: no col2im, no
overlapping adds, and the same multiply-adds as before (the 9 taps of a 3x3
kernel at stride 2 split 4 + 2 + 2 + 1 over the four phases). At stride 1 the
one phase is the "full" correlation with the flipped kernel.
"""
from dataclasses import dataclass

from ..backend import get_array_module
from .im2col import im2col


@dataclass(frozen=True)
class Phase:
    """One axis of one phase: output rows r, r + s, ...; grid rows from ``start``; taps (reversed)."""
    r: int
    count: int     # how many output rows the phase has
    taps: tuple    # kernel taps it meets, in correlation order
    start: int     # grid row under window position 0 of output row 0 (may be < 0: zero padding)


def phases(image_size, k, s, pad_before):
    """The s phases of one axis of a transposed conv with kernel k, stride s."""
    out = []
    for r in range(s):
        i0 = (r + pad_before) % s
        taps = tuple(range(i0, k, s))[::-1]
        d = (r + pad_before - i0) // s
        out.append(Phase(r, len(range(r, image_size, s)), taps, d - len(taps) + 1))
    return out


def grid_to_image_by_phases(grid_h, weight, g):
    """Transposed conv of a channels-last grid (N, out_h, out_w, C_grid) -> image (N, H, W, C_image).

    weight is (C_grid, C_image, kh, kw); g is conv.Geometry (its pads are around the image).
    """
    xp = get_array_module(grid_h)
    n, gh, gw, c_grid = grid_h.shape
    c_image = weight.shape[1]
    rows = phases(g.image_hw[0], g.kh, g.sh, g.pads[0])
    cols = phases(g.image_hw[1], g.kw, g.sw, g.pads[2])
    lo_h, hi_h = _grid_pads(rows, gh)
    lo_w, hi_w = _grid_pads(cols, gw)
    padded = grid_h
    if lo_h or hi_h or lo_w or hi_w:
        padded = xp.zeros((n, gh + lo_h + hi_h, gw + lo_w + hi_w, c_grid), dtype=grid_h.dtype)
        padded[:, lo_h:lo_h + gh, lo_w:lo_w + gw, :] = grid_h
    empty = any(not p.taps for p in rows + cols)  # a phase no tap reaches stays zero
    image = (xp.zeros if empty else xp.empty)((n, *g.image_hw, c_image), dtype=grid_h.dtype)
    for ph in rows:
        for pw in cols:
            if not (ph.count and pw.count and ph.taps and pw.taps):
                continue
            window = padded[:, lo_h + ph.start:, lo_w + pw.start:, :]  # a view from the phase's corner
            phase_cols = im2col(window, len(ph.taps), len(pw.taps), 1, 1, ph.count, pw.count)
            taps = weight[:, :, list(ph.taps)][:, :, :, list(pw.taps)]  # (C_grid, C_image, nq_h, nq_w)
            w_mat = taps.transpose(2, 3, 0, 1).reshape(-1, c_image)  # (nq_h*nq_w*C_grid, C_image)
            out = phase_cols @ w_mat  # (N*count_h*count_w, C_image)
            image[:, ph.r::g.sh, pw.r::g.sw, :] = out.reshape(n, ph.count, pw.count, c_image)
    return image


def _grid_pads(axis_phases, grid_size):
    """Zero rows the grid needs before and after so every phase's windows stay inside."""
    used = [p for p in axis_phases if p.count and p.taps]
    lo = max([0] + [-p.start for p in used])
    hi = max([0] + [p.start + p.count + len(p.taps) - 1 - grid_size for p in used])
    return lo, hi
