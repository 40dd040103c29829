"""benchmarks/gpu_check.sh --dry-run: the GPU check's every step, on the CPU with the CuPy stand-in."""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_gpu_check_dry_run(tmp_path):
    env = dict(os.environ, PYTHON=sys.executable, GPU_CHECK_OUT=str(tmp_path))
    run = subprocess.run(["bash", os.path.join(ROOT, "benchmarks", "gpu_check.sh"), "--dry-run"],
                         capture_output=True, text=True, env=env, timeout=300, cwd=ROOT)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert run.stdout.startswith("no GPU: dry run")
    tests = (tmp_path / "tests.txt").read_text()
    assert "the cupy cases (tests of the CuPy backend, counted in the total below too) ran on the CuPy " \
        "stand-in" in tests, tests
    last = tests.strip().splitlines()[-1]
    assert " passed" in last and "failed" not in last and "error" not in last, tests
    result = json.loads((tmp_path / "models.json").read_text())
    assert {r["backend"] for r in result["rows"]} == {"numpy", "cupy"}
    assert "stand-in" in result["devices"]["cupy"]["device"]
    assert "## GPU check" in run.stdout and "CuPy stand-in (NumPy on the CPU, not a GPU)" in run.stdout
    assert (tmp_path / "models.png").stat().st_size > 0
    for dev in ("cpu", "gpu"):
        timed = json.loads((tmp_path / f"evaluate-{dev}.json").read_text())["rows"]
        assert [(r["model"], r["device"], r["rows"]) for r in timed] == [("fashion-vae", dev, 16)]
        assert timed[0]["ms_per_point"] > 0
