"""step.html in real headless Chromium: `minivae trace` on a trained run, checked against the step
run on its own, and the page's graph, details, play backward and loss split driven by a learner's clicks.

The browser fixture is the explorer tests' (Debian's chromium-driver; `.ci/run` installs it).
"""
import json
import os
import re
import subprocess
import sys
import time

import numpy
import pytest

from minivae import backend, cli, models, optim
from minivae.autograd.graph import topological_order
from minivae.tracing import STEP_PAGE
from minivae.tracing.run import first_training_images, run_optimizer
from minivae.run_folder import load_run
from test_explorer_browser import browser, fashion_or_skip  # noqa: F401  (browser is a fixture)

BATCH = 32
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@pytest.fixture(scope="module")
def traced_run(tmp_path_factory):
    """A 1-epoch run of the book's VAE on 300 images, then `minivae trace RUN --batch 32` in a
    process of its own with one BLAS thread (see test_tracing's timing test for why)."""
    fashion_or_skip()
    out = tmp_path_factory.mktemp("fashion-vae")
    assert cli.main(["train", "--model", "fashion-vae", "--limit", "300", "--epochs", "1",
                     "--batch-size", "50", "--quiet", "--no-figures", "--seed", "4", "--out", str(out)]) == 0
    done = subprocess.run([sys.executable, "-m", "minivae.cli", "trace", str(out), "--batch", str(BATCH),
                           "--rounds", "7"], env=dict(os.environ, **ONE_THREAD), capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return out, done.stdout


def page_data(path):
    """window.minivae.step as the page holds it, read from its JSON block."""
    text = path.read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="step-data">(.*?)</script>', text, re.S).group(1)
    return json.loads(block.replace("<\\/", "</"))


def the_step_on_its_own(run):
    """The run's model and optimizer, the first BATCH images and the run's seed: one plain train_step."""
    model, saved = load_run(str(run))
    optimizer = run_optimizer(model, str(run), saved.settings)
    images = first_training_images(saved.settings, BATCH)
    return model, optimizer, images, saved.settings.seed


def test_the_command_prints_the_per_op_table_and_writes_the_page(traced_run):
    run, printed = traced_run
    assert "op" in printed and "calls" in printed and "% of step" in printed
    assert "conv2d as ConvTranspose2d" in printed and printed.strip().endswith(str(run / STEP_PAGE))
    assert (run / STEP_PAGE).stat().st_size > 10_000


def test_one_page_node_per_function_application(traced_run):
    run, _ = traced_run
    data = page_data(run / STEP_PAGE)
    model, _, images, seed = the_step_on_its_own(run)
    backend.manual_seed(seed)
    model.train()
    total = model.compute_losses(model.as_batch(images))["total_loss"]
    applications = {id(t.creator) for t in topological_order(total) if t.creator is not None}
    assert len(data["nodes"]) == len(applications)


REFERENCE = """
import sys
import numpy
sys.path.insert(0, {tests!r})
from minivae import backend
from test_tracing_browser import the_step_on_its_own
model, optimizer, images, seed = the_step_on_its_own({run!r})
backend.manual_seed(seed)
model.train_step(images, optimizer)
numpy.savez({out!r}, **{{name: p.grad for name, p in model.named_parameters()}})
"""


def test_the_page_gradients_are_the_parameters_grads_after_the_step(traced_run, tmp_path):
    """The step run on its own, in a process with the same single BLAS thread as the traced one
    (two threads add in another order: the last digits of a float32 gradient differ)."""
    run, _ = traced_run
    data = page_data(run / STEP_PAGE)
    out = tmp_path / "grads.npz"
    script = REFERENCE.format(tests=os.path.dirname(os.path.abspath(__file__)), run=str(run), out=str(out))
    done = subprocess.run([sys.executable, "-c", script], env=dict(os.environ, **ONE_THREAD),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with numpy.load(out) as saved:
        grads = {name: saved[name].astype(numpy.float64) for name in saved.files}
    assert sorted(p["key"] for p in data["params"]) == sorted(grads)
    for p in data["params"]:
        grad = grads[p["key"]]
        assert p["grad_norm"] == pytest.approx(numpy.linalg.norm(grad), rel=1e-6), p["name"]
        numpy.testing.assert_allclose(p["grad_sample"], grad.reshape(-1)[p["positions"]], rtol=1e-6,
                                      atol=1e-6 * numpy.linalg.norm(grad) / grad.size ** 0.5)


def test_the_page_loss_split_adds_up_to_the_total(traced_run):
    data = page_data(traced_run[0] / STEP_PAGE)
    for p in data["params"]:
        parts = numpy.add(p["reconstruction_sample"], p["kl_sample"])
        assert numpy.abs(parts - p["grad_sample"]).max() <= 1e-5 * max(p["grad_norm"], 1e-12), p["name"]
        assert abs(p["reconstruction_sum"] + p["kl_sum"] - p["grad_sum"]) <= 1e-5 * max(p["grad_norm"], 1e-12)


def test_the_page_backward_order_visits_consumers_first(traced_run):
    data = page_data(traced_run[0] / STEP_PAGE)
    position = {n: i for i, n in enumerate(data["backward_order"])}
    assert sorted(position) == [n["id"] for n in data["nodes"]]
    for node in data["nodes"]:
        assert all(position[j] > position[node["id"]] for j in node["inputs"]), node


def test_the_page_node_times_add_up_to_the_step_on_its_own(traced_run):
    data = page_data(traced_run[0] / STEP_PAGE)
    nodes = sum(n["forward_ms"] + n["backward_ms"] for n in data["nodes"])
    assert abs(nodes - data["step_ms"]) <= 0.15 * data["step_ms"], \
        (nodes, data["step_ms"], data["plain_ms"], data["timed_ms"])


def open_step_page(browser, path):
    browser.get("file://" + os.path.abspath(path))
    assert browser.execute_script("return typeof window.minivae") == "object", browser.get_log("browser")


def test_the_page_loads_offline_without_console_errors(browser, traced_run):
    open_step_page(browser, traced_run[0] / STEP_PAGE)
    step = browser.execute_script("return window.minivae.step")
    assert set(step) >= {"nodes", "params", "backward_order", "step_ms"}
    remote = browser.execute_script("return performance.getEntriesByType('resource').map((r) => r.name)")
    assert [r for r in remote if not r.startswith("file:")] == []
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_open_a_module_click_a_node_and_play_backward_to_the_end(browser, traced_run, tmp_path):
    from selenium.webdriver.common.by import By
    open_step_page(browser, traced_run[0] / STEP_PAGE)
    box = browser.find_element(By.CSS_SELECTOR, '.collapsed[data-module="encoder.body.conv2d_1"]')
    box.click()
    assert not browser.find_elements(By.CSS_SELECTOR, '.collapsed[data-module="encoder.body.conv2d_1"]')
    browser.find_element(By.CSS_SELECTOR, '.unit.op[data-node="0"]').click()
    forward = browser.find_element(By.ID, "source-forward").text
    backward = browser.find_element(By.ID, "source-backward").text
    assert "def forward" in forward and "def backward" in backward
    link = browser.find_element(By.ID, "api-link")  # a link where the book is built here, else its name
    href = link.get_attribute("href")
    assert "api/functional.html#minivae.functional.conv2d" in (href or link.text)
    if href:  # the book's page is there and holds the anchor
        page, anchor = href[len("file://"):].split("#")
        assert f'id="{anchor}"' in open(page, encoding="utf-8").read()
    assert "encoder.body.conv2d_1" in browser.find_element(By.ID, "details").text
    browser.find_element(By.CSS_SELECTOR, '.frame[data-module="encoder.body.conv2d_1"] text').click()
    assert browser.find_elements(By.CSS_SELECTOR, '.collapsed[data-module="encoder.body.conv2d_1"]')

    steps = len(browser.execute_script("return window.minivae.step.backward_order"))
    browser.find_element(By.ID, "back-step").click()
    assert "the walk starts here" in browser.find_element(By.ID, "arriving").text
    done = browser.execute_async_script(
        "const finish = arguments[arguments.length - 1];"
        "window.minivae.playBackward(0).then(finish);")
    assert done == steps and "%d / %d" % (steps, steps) in browser.find_element(By.ID, "back-where").text
    # the last node visited is the first conv; somewhere on the way a tensor used twice added up
    assert "#0 Conv2d" in browser.find_element(By.ID, "backward").text
    data = browser.execute_script("return window.minivae.step")
    used_twice = [n["id"] for n in data["nodes"]
                  if sum(j == n["id"] for m in data["nodes"] for j in m["inputs"]) > 1]
    assert used_twice
    browser.execute_script("window.minivae.resetBackward()")
    order = data["backward_order"]
    for _ in range(order.index(used_twice[0]) + 1):
        browser.execute_script("window.minivae.backStep()")
    accumulated = browser.find_element(By.ID, "accumulated").text
    arrived = browser.find_elements(By.CSS_SELECTOR, "#arriving li")
    uses = sum(j == used_twice[0] for m in data["nodes"] for j in m["inputs"])
    assert f"used {uses} times" in accumulated and "add up" in accumulated and len(arrived) == uses

    browser.find_element(By.ID, "show-split").click()
    rows = browser.find_elements(By.CSS_SELECTOR, "#split tr.layer")
    assert {r.get_attribute("data-module") for r in rows} >= {"encoder.body.conv2d_1", "decoder.decoder_output"}
    kl_share = {r.get_attribute("data-module"): r.find_elements(By.TAG_NAME, "td")[3].text for r in rows}
    assert kl_share["decoder.decoder_output"] == "0.0%"  # the KL term never reaches the decoder
    shot = tmp_path / "step-page.png"
    browser.save_screenshot(str(shot))
    print(f"screenshot: {shot}")


LONGTASKS = """
const done = arguments[arguments.length - 1];
const long = [];
const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => long.push(e.duration)));
observer.observe({entryTypes: ["longtask"]});
document.getElementById("expand-all").click();
const ids = window.minivae.step.nodes.map((n) => n.id);
let i = 0;
function next() {
  if (i >= ids.length) { setTimeout(() => { observer.disconnect(); done(long); }, 200); return; }
  window.minivae.select(ids[i]); i += 7;
  requestAnimationFrame(next);
}
requestAnimationFrame(next);
"""


def test_no_long_task_with_every_module_of_the_book_vae_open(browser, traced_run):
    open_step_page(browser, traced_run[0] / STEP_PAGE)
    long = browser.execute_async_script(LONGTASKS)
    assert not [d for d in long if d > 100], f"main-thread tasks over 100 ms: {long}"
    assert not browser.find_elements("css selector", ".collapsed")


def test_the_faces_vae_page_loads_in_under_2_seconds(browser, tmp_path):
    import minivae
    backend.manual_seed(0)
    model = models.build("faces-vae")
    optimizer = optim.Adam(model.parameters(), lr=5e-4)
    x = numpy.random.default_rng(0).random((4,) + tuple(model.input_shape), dtype=numpy.float32)
    path = minivae.trace(model, optimizer, x, rounds=1).write(str(tmp_path))
    started = time.perf_counter()
    open_step_page(browser, path)
    browser.execute_script("window.minivae.expandAll()")
    seconds = time.perf_counter() - started
    loaded = browser.execute_script(
        "const t = performance.getEntriesByType('navigation')[0]; return t.loadEventEnd - t.startTime")
    assert loaded < 2000 and seconds < 2, (loaded, seconds)
    assert browser.execute_script("return window.minivae.step.nodes.length") > 50


def test_the_command_refuses_a_batch_larger_than_the_training_set(traced_run, capsys):
    assert cli.main(["trace", str(traced_run[0]), "--batch", "301"]) == 2
    assert "--batch 301: the run's training set has only 300 images" in capsys.readouterr().err


def test_the_command_refuses_a_folder_without_a_run(tmp_path, capsys):
    assert cli.main(["trace", str(tmp_path)]) == 2
    assert "checkpoint" in capsys.readouterr().err
