"""The benchmark code runs (tiny sizes, no timing asserted: speed is for benchmarks/, not tests)."""
import json
import os
import sys

import numpy
import pytest

from minivae.bench import models as model_bench
from minivae.bench import ops as op_bench
from minivae.bench.report import markdown, save_json
from minivae.bench.timing import measure


def test_op_table_has_a_row_per_op_with_times():
    rows = op_bench.run(numpy, n=2, repeat=1, faces_n=2)
    cases = op_bench.book_vae_cases(2) + op_bench.faces_vae_cases(2)
    assert [r["op"] for r in rows] == [c[0] for c in cases]
    assert any(r["op"].startswith("faces: batch_norm") for r in rows)
    assert all(r["forward_ms"] > 0 and r["forward_backward_ms"] > 0 for r in rows)
    assert all((r["gflops"] is None) == (flops == 0) for r, (*_, flops) in zip(rows, cases))


def test_model_step_benchmark_runs_each_book_model():
    for name in ("fashion-autoencoder", "fashion-vae", "faces-vae"):
        assert model_bench.step_seconds(name, 2, numpy, repeat=1, warmup=0) > 0


def test_measure_takes_the_median_after_warmup():
    calls = []
    measure(lambda: calls.append(1), numpy, warmup=2, repeat=3)
    assert len(calls) == 5


def test_markdown_and_json(tmp_path):
    table = markdown([{"a": 1.234, "b": None}], ["a", "b"], {"a": "{:.1f}"})
    assert table.splitlines()[2] == "| 1.2 | — |"
    path = save_json(str(tmp_path / "x" / "r.json"), {"rows": [1]})
    assert json.load(open(path)) == {"rows": [1]}


def test_torch_reference_matches_the_book_models_when_torch_is_there():
    torch = pytest.importorskip("torch")
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "benchmarks"))
    import torch_reference
    from minivae import models
    for name, build in torch_reference.BUILDERS.items():
        ours = models.build(name)
        trainable = ours.count_params(trainable=True)
        assert sum(p.numel() for p in build().parameters()) == trainable, name
    assert torch_reference.step_seconds("fashion-vae", 2, repeat=1, warmup=0) > 0
    del torch


def _bench_models():
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "benchmarks"))
    import bench_models
    return bench_models


def test_process_separated_benchmark_times_one_round_in_a_worker_process():
    bench_models = _bench_models()
    per_round, summary = bench_models.compare("fashion-vae", 2, rounds=1, steps=1, device="cpu",
                                              threads=1, with_torch=False)
    assert per_round[0]["minivae_ms"] > 0 and per_round[0]["torch_ms"] is None
    assert summary["minivae_ms"] == per_round[0]["minivae_ms"] and summary["ratio"] is None
    r = bench_models.worker("minivae", "faces-vae", 2, steps=2, device="cpu", threads=1, warmup=0)
    assert len(r["times_ms"]) == 2 and r["step_ms"] > 0 and r["peak_mib"] > 0


def test_evaluate_benchmark_counts_the_book_decoders_multiply_adds_and_times_chunks():
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "benchmarks"))
    import bench_evaluate
    from minivae import models
    vae = models.build("fashion-vae")
    # Dense 2x2048, transposed convs on 4x4, 8x8 and 16x16 inputs, the 3x3 conv on 32x32 outputs
    by_hand = 2 * 2048 + 16 * 128 * 128 * 9 + 64 * 128 * 64 * 9 + 256 * 64 * 32 * 9 + 1024 * 32 * 9
    assert bench_evaluate.decoder_macs(vae.decoder, 2) == by_hand == 12_095_488
    rows = bench_evaluate.bench("mlp-vae", [3, 8], rounds=1, points=16)
    assert [r["rows"] for r in rows] == [3, 8]
    assert all(r["ms_per_point"] > 0 and r["decoder_macs"] == 2 * 256 + 256 * 784 for r in rows)
