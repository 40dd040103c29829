#!/usr/bin/env bash
# The GPU check: one command for a machine with an NVIDIA GPU, well under 8 minutes.
#
#   benchmarks/gpu_check.sh            # on a GPU machine
#   benchmarks/gpu_check.sh --dry-run  # anywhere: the same steps on the CPU with the CuPy stand-in
#
# 1. makes a virtual environment (.venv-gpu, seeing system packages such as a
#    CUDA PyTorch) and installs minivae[gpu,dev] into it (cupy-cuda12x for a
#    CUDA 12 driver; the CUDA libraries from pip when the system has none);
# 2. runs the suite's cupy cases (`pytest -k cupy`) on real CuPy (at most 5 minutes);
# 3. times a training step of the book's models on numpy and cupy (PyTorch CPU
#    and CUDA alongside when installed) with benchmarks/bench_models.py, whose
#    timer synchronizes the GPU before it stops the clock;
# 4. times `minivae evaluate`'s inner loop (decode, then log p(x|z)) per latent
#    point on numpy and cupy with benchmarks/bench_evaluate.py: the GPU is how
#    the default, 10^7 decoder passes for the book's VAE, fits in minutes;
# 5. writes benchmarks/out/gpu/ (or $GPU_CHECK_OUT): tests.txt, models-cpu.json, models-gpu.json,
#    models.json (both, one row per backend), models.png, evaluate-cpu.json,
#    evaluate-gpu.json; prints the markdown tables with the device's name.
#
# --dry-run skips the install (it uses $PYTHON, else .venv/bin/python, which
# must have minivae[dev]), runs a few cupy cases on tests/cupy_standin and a
# tiny benchmark: it checks the script, not a GPU. tests/test_gpu_check.py runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${GPU_CHECK_OUT:-benchmarks/out/gpu}
started=$(date +%s)

if [ "${1:-}" = "--dry-run" ]; then
  echo "no GPU: dry run (CuPy stand-in: NumPy on the CPU, not a GPU; no number here is a GPU's)"
  PY=${PYTHON:-.venv/bin/python}
  export MINIVAE_CUPY_STANDIN=1 PYTHONPATH="$PWD/tests/cupy_standin${PYTHONPATH:+:$PYTHONPATH}"
  TESTS=(tests/test_functional_linear.py -k cupy)
  BENCH=(--models fashion-vae --batches 4 --rounds 1 --steps 2 --no-torch --allocators same)
  EVAL=(--models fashion-vae --rows 16 --rounds 1 --points 32)
else
  if ! command -v nvidia-smi >/dev/null || ! nvidia-smi -L; then
    echo "gpu_check: no NVIDIA GPU visible (nvidia-smi); run with --dry-run to check the script" >&2
    exit 2
  fi
  VENV=${GPU_CHECK_VENV:-.venv-gpu}
  [ -x "$VENV/bin/python" ] || python3 -m venv --system-site-packages "$VENV"
  PY=$VENV/bin/python
  driver_cuda=$(nvidia-smi | grep -o "CUDA Version: [0-9]*" | grep -o "[0-9]*$" || echo 13)
  if [ "$driver_cuda" -lt 13 ]; then  # minivae[gpu] is the CUDA 13 wheel; a CUDA 12 driver needs 12x
    "$PY" -m pip install -q -e '.[dev]' cupy-cuda12x
    CUPY=cupy-cuda12x
  else
    "$PY" -m pip install -q -e '.[gpu,dev]'
    CUPY=cupy-cuda13x
  fi
  "$PY" -c "from minivae import backend; backend.load_cupy()"  # CuPy's clear error if it sees no GPU
  probe='import cupy; x = cupy.arange(4, dtype=cupy.float32); assert float(x @ x) == 14.0'
  if ! "$PY" -c "$probe" 2>/dev/null; then  # no CUDA toolkit libraries (nvrtc, cuBLAS) on the system
    echo "CuPy cannot compile or run kernels here: installing the CUDA libraries from pip ($CUPY[ctk])"
    "$PY" -m pip install -q "$CUPY[ctk]"
    "$PY" -c "$probe"
  fi
  TESTS=(-k cupy)
  BENCH=(--models fashion-vae faces-vae --batches 100 --rounds 3 --steps 10 --allocators same)
  EVAL=(--models fashion-vae cvae --rows 32 2048 --rounds 3)
fi

mkdir -p "$OUT"
echo "== the cupy cases"
timeout 300 "$PY" -m pytest -p no:cacheprovider -rs "${TESTS[@]}" 2>&1 | tee "$OUT/tests.txt"

echo "== a training step on every backend (each framework and backend in its own process)"
for dev in cpu gpu; do
  timeout 240 "$PY" benchmarks/bench_models.py "${BENCH[@]}" --device "$dev" --json "$OUT/models-$dev.json"
done

echo "== evaluate's decoder passes, ms per latent point, on every backend"
for dev in cpu gpu; do
  timeout 120 "$PY" benchmarks/bench_evaluate.py "${EVAL[@]}" --device "$dev" --json "$OUT/evaluate-$dev.json"
done

echo
"$PY" - "$OUT" <<'EOF'
import json, os, sys
from matplotlib.figure import Figure
from minivae import backend
from minivae.bench.report import markdown
out = sys.argv[1]
cupy = backend.load_cupy()
gpu_name = cupy.cuda.runtime.getDeviceProperties(0)["name"]
gpu_name = gpu_name.decode() if isinstance(gpu_name, bytes) else gpu_name
devices = {"numpy": {"device": "CPU"}, "cupy": {"device": gpu_name}}
rows = []
for dev, name in (("cpu", "numpy"), ("gpu", "cupy")):
    result = json.load(open(os.path.join(out, f"models-{dev}.json")))
    for s in result["summary"]:
        rows.append({"model": s["model"], "backend": name, "batch": s["batch"],
                     "step_ms": s["minivae_ms"], "ms_per_image": s["minivae_ms_per_image"],
                     "torch_ms": s["torch_ms"]})
with open(os.path.join(out, "models.json"), "w") as f:
    json.dump({"date": result["date"], "devices": devices, "rows": rows}, f, indent=1)
fig = Figure(figsize=(6, 3))
ax = fig.add_subplot()
ax.barh([f"{r['model']} b{r['batch']} {r['backend']}" for r in rows], [r["step_ms"] for r in rows])
ax.set_xlabel("training step (ms), median")
fig.tight_layout()
fig.savefig(os.path.join(out, "models.png"))
names = "; ".join(f"{b}: {d['device']}" for b, d in devices.items())
print(f"## GPU check {result['date']}, {names}\n")
print(markdown(rows, ["model", "backend", "batch", "step_ms", "ms_per_image", "torch_ms"],
               {"step_ms": "{:.1f}", "ms_per_image": "{:.3f}", "torch_ms": "{:.1f}"}))
EOF
echo
echo "gpu_check: done in $(( $(date +%s) - started )) s; results in $OUT"
