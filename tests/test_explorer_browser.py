"""explorer.html in real headless Chromium: the page's encoder, decoder and loss against minivae's,
the input a learner gives it, and the pointer.

Driven by Selenium through Debian's chromium-driver (`.ci/run` installs it). One browser
serves the whole module. Every case opens the page from file://, as a learner would.
Screenshots are kept in the test's tmp folder (its path is printed; pytest -s shows it).
"""
import os
import shutil
import tempfile
import time

import numpy
import pytest

from minivae import backend, cli, data, models, nn, run_folder, viz
from minivae.autograd import Tensor
from minivae.viz.explorer import EXPLORER, write_explorer
from minivae.run_settings import SavedRun

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--window-size=1300,1100"]
TOLERANCE = 1e-4


def skip(reason):
    """Skip, except in CI (.ci/run sets MINIVAE_REQUIRE_BROWSER=1), where a missing browser fails."""
    (pytest.fail if os.environ.get("MINIVAE_REQUIRE_BROWSER") == "1" else pytest.skip)(reason)


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module, or a skip that says what is missing."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        skip("selenium is not installed (pip install -e '.[dev]')")
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.path.exists(path):
            skip(f"no {path} for the real-browser tests (apt-get install {package})")
    profile = tempfile.mkdtemp(prefix="minivae-chromium-")
    options = webdriver.ChromeOptions()
    for flag in FLAGS + [f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.binary_location = CHROMIUM
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_script_timeout(120)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def open_page(browser, path):
    browser.get("file://" + os.path.abspath(path))
    assert browser.execute_script("return typeof window.minivae") == "object", \
        f"{path} did not define window.minivae; browser log: {browser.get_log('browser')}"


def page_call(browser, script, *args):
    """Await a Promise made by ``script`` (a JavaScript expression of args[0], args[1], ...) in the page."""
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1]; const args = arguments;"
        f"Promise.resolve().then(() => {script})"
        "  .then((value) => done({value}), (error) => done({error: String(error)}));", *args)
    assert "error" not in result, f"{script} failed in the page: {result['error']}"
    return result["value"]


def page_decode(browser, zs):
    """window.minivae.decode(zs) in the page, awaited (it may return a Promise), as NumPy."""
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "Promise.resolve(window.minivae.decode(arguments[0]))"
        "  .then((images) => done(images.map((image) => Array.from(image))))"
        "  .catch((error) => done(String(error)));", [list(map(float, z)) for z in zs])
    assert not isinstance(result, str), f"decode() failed in the page: {result}"
    return numpy.array(result, dtype=numpy.float64)


def minivae_decode(model, zs):
    """minivae's own decoder on the same points, in [0, 1] as the page promises."""
    images = viz.decode(model, numpy.asarray(zs, numpy.float32)).astype(numpy.float64)
    low, high = model.value_range  # the CIFAR decoder ends in tanh: (-1, 1)
    return (images - low) / (high - low)


def assert_page_matches(browser, model, zs):
    shape = browser.execute_script("return window.minivae.imageShape")
    assert browser.execute_script("return window.minivae.latentDim") == len(zs[0])
    assert shape == list(model.decoder.output_shape)
    got = page_decode(browser, zs).reshape((len(zs),) + tuple(shape))
    expected = minivae_decode(model, zs)
    assert numpy.abs(got - expected).max() <= TOLERANCE, f"max |page - minivae| = {numpy.abs(got - expected).max()}"
    assert expected.std() > 0  # not a trivially constant image


def latent_points(model, n=3, seed=0):
    dim = model.config["latent_dim"]
    return numpy.random.default_rng(seed).normal(size=(n, dim)).astype(numpy.float32) * 1.5


def scramble_batch_norms(model, seed=0, part="decoder"):
    """Moving statistics and scales far from the fresh 0 / 1, so the page must really use them."""
    rng = numpy.random.default_rng(seed)
    for _, layer in getattr(model, part).named_modules():
        if isinstance(layer, nn.BatchNormalization):
            c = layer.gamma.shape[0]
            layer.gamma.data[...] = rng.uniform(0.5, 1.5, c)
            layer.beta.data[...] = rng.normal(0, 0.2, c)
            layer.moving_mean[...] = rng.normal(0, 0.1, c)
            layer.moving_variance[...] = rng.uniform(0.05, 2.0, c)


def decoded_picture(browser):
    return browser.execute_script("return document.getElementById('decoded').toDataURL()")


def wait_for_new_picture(browser, before, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        now = decoded_picture(browser)
        if now != before:
            return now
        time.sleep(0.05)
    return before


@pytest.mark.parametrize("name", list(models.MODELS))
def test_fresh_decoders_match_minivae_in_the_browser(browser, tmp_path, name):
    backend.manual_seed(1)
    model = models.build(name)
    scramble_batch_norms(model)
    shape = model.input_shape
    x = numpy.random.default_rng(0).random((20,) + tuple(shape), dtype=numpy.float32)
    path = write_explorer(model, str(tmp_path), x, numpy.arange(20) % 10, SavedRun.from_meta({"model": name}))
    open_page(browser, path)
    assert_page_matches(browser, model, latent_points(model))


def fashion_or_skip():
    try:
        return data.find_fashion_mnist()
    except FileNotFoundError:
        pytest.skip("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)")


@pytest.fixture(scope="module")
def trained_book_vae(tmp_path_factory):
    """`minivae train` on 300 Fashion-MNIST images, one epoch: its run folder, explorer.html included."""
    fashion_or_skip()
    out = tmp_path_factory.mktemp("fashion-vae")
    args = ["train", "--model", "fashion-vae", "--limit", "300", "--epochs", "1", "--batch-size", "50",
            "--quiet", "--out", str(out)]
    assert cli.main(args) == 0
    return out


def test_the_trained_book_vae_page_follows_the_pointer(browser, trained_book_vae, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    model, _ = run_folder.load_run(str(trained_book_vae))
    open_page(browser, trained_book_vae / EXPLORER)
    assert_page_matches(browser, model, latent_points(model, n=4, seed=2))

    scatter = browser.find_element(By.ID, "scatter")
    first = decoded_picture(browser)
    ActionChains(browser).move_to_element_with_offset(scatter, -150, 120).perform()
    second = wait_for_new_picture(browser, first)
    assert second != first, "moving the pointer over the plane did not change the decoded image"
    ActionChains(browser).move_to_element_with_offset(scatter, 150, -120).perform()
    assert wait_for_new_picture(browser, second) != second
    assert "ms per image" in browser.find_element(By.ID, "decode-time").text

    blank = browser.execute_script("return document.getElementById('morph').toDataURL()")
    ActionChains(browser).move_to_element_with_offset(scatter, -150, 120).click() \
        .move_to_element_with_offset(scatter, 150, -120).click().perform()
    morph = wait_for(lambda: browser.execute_script("return document.getElementById('morph').toDataURL()"),
                     lambda picture: picture != blank)  # the strip is decoded in the worker
    assert morph != blank, "two pins did not draw the morphing strip"
    plane = browser.execute_script("return document.getElementById('scatter').toDataURL()")
    browser.find_element(By.ID, "cdf").click()  # the CDF view redraws the plane in [0, 1]^2
    assert browser.execute_script("return document.getElementById('scatter').toDataURL()") != plane
    shot = tmp_path / "fashion-vae-explorer.png"
    browser.save_screenshot(str(shot))
    print(f"screenshot: {shot}")
    assert shot.stat().st_size > 0


def test_the_report_of_a_trained_run_links_its_explorer(trained_book_vae):
    assert f'href="{EXPLORER}"' in (trained_book_vae / "report.html").read_text(encoding="utf-8")


def write_faces(folder, n=40, seed=3):
    """A CelebA-like folder: n random 32x32 JPEGs and list_attr_celeba.csv with Smiling."""
    from PIL import Image
    images = folder / "img_align_celeba"
    images.mkdir(parents=True)
    rng = numpy.random.default_rng(seed)
    lines = ["image_id,Smiling"]
    for i in range(n):
        name = f"{i + 1:06d}.jpg"
        Image.fromarray(rng.integers(0, 256, (32, 32, 3), dtype=numpy.uint8)).save(images / name)
        lines.append(f"{name},{1 if i % 2 else -1}")
    (folder / "list_attr_celeba.csv").write_text("\n".join(lines) + "\n")
    return folder


def test_the_trained_faces_vae_page_matches_and_has_its_sliders(browser, tmp_path):
    from selenium.webdriver.common.by import By
    faces = write_faces(tmp_path / "celeba")
    out = tmp_path / "run"
    assert cli.main(["train", "--model", "faces-vae", "--data", str(faces), "--limit", "20", "--epochs", "1",
                     "--batch-size", "8", "--quiet", "--no-figures", "--out", str(out)]) == 0
    assert cli.main(["explore", str(out), "--data", str(faces)]) == 0
    model, _ = run_folder.load_run(str(out))
    open_page(browser, out / EXPLORER)
    assert_page_matches(browser, model, latent_points(model, n=2, seed=4))

    sliders = browser.find_elements(By.CSS_SELECTOR, "#sliders input[type=range]")
    assert len(sliders) == 4  # 4 validation faces: 4 principal directions
    options = browser.execute_script("return Array.from(document.getElementById('attribute').options)"
                                     ".map((o) => o.text)")
    assert options == ["towards Smiling"]
    before = decoded_picture(browser)
    browser.execute_script("const s = arguments[0]; s.value = s.max; s.dispatchEvent(new Event('input'));",
                           sliders[0])
    after = wait_for_new_picture(browser, before)
    assert after != before, "the first principal slider did not change the decoded face"
    browser.find_element(By.ID, "sample").click()
    assert wait_for_new_picture(browser, after) != after
    shot = tmp_path / "faces-vae-explorer.png"
    browser.save_screenshot(str(shot))
    print(f"screenshot: {shot}")


# ---------------------------------------------------------------- the encoder and the loss

def input_range(model):
    return model.value_range  # CIFAR's inputs are [-1, 1]: the model says so


def random_images(model, n, seed=0):
    """n random images in the model's input range, and the same in [0, 1] as the page takes them."""
    low, high = input_range(model)
    unit = numpy.random.default_rng(seed).random((n,) + tuple(model.input_shape), dtype=numpy.float32)
    return (unit * (high - low) + low).astype(numpy.float32), unit


def minivae_encode(model, x):
    """(z_mean, z_log_var or None) of minivae's own encoder, in inference mode."""
    with model.inference():
        code = model.encoder(Tensor(x))
    if isinstance(code, tuple):
        return code[0].numpy(), code[1].numpy()
    return code.numpy(), None


def scramble_all_batch_norms(model, seed=0):
    scramble_batch_norms(model, seed)
    scramble_batch_norms(model, seed + 1, part="encoder")


def fresh_page(tmp_path, name, n=20):
    backend.manual_seed(1)
    model = models.build(name)
    scramble_all_batch_norms(model)
    x, _ = random_images(model, n, seed=5)
    path = write_explorer(model, str(tmp_path), x, numpy.arange(n) % 10, SavedRun.from_meta({"model": name}))
    return model, path


@pytest.mark.parametrize("name", list(models.MODELS))
def test_fresh_encoders_match_minivae_in_the_browser(browser, tmp_path, name):
    model, path = fresh_page(tmp_path, name)
    open_page(browser, path)
    x, unit = random_images(model, 3, seed=6)
    got = page_call(browser, "window.minivae.encode(args[0])", unit.reshape(3, -1).tolist())
    z_mean, z_log_var = minivae_encode(model, x)
    page_mean = numpy.array([q["z_mean"] for q in got])
    gap = numpy.abs(page_mean - z_mean).max()
    assert gap <= TOLERANCE, f"z_mean: max |page - minivae| = {gap}"
    if z_log_var is None:  # the autoencoder: one point, no distribution
        assert all(q["z_log_var"] is None for q in got)
    else:
        page_log_var = numpy.array([q["z_log_var"] for q in got])
        assert numpy.abs(page_log_var - z_log_var).max() <= TOLERANCE
    assert z_mean.std() > 0


def python_losses(model, x, eps, monkeypatch):
    """model.test_step on the one image x, with its Sampling layer drawing ``eps``."""
    monkeypatch.setattr(backend, "randn", lambda shape, dtype, xp: xp.asarray(eps, dtype=dtype).reshape(shape))
    return model.test_step(x[None])


@pytest.mark.parametrize("name", [n for n in models.MODELS if n != "fashion-autoencoder"])
def test_the_pages_loss_terms_are_the_models_training_loss(browser, tmp_path, name, monkeypatch):
    model, path = fresh_page(tmp_path, name)
    open_page(browser, path)
    x, unit = random_images(model, 1, seed=7)
    if model.likelihood.family == "bernoulli":  # their data: pixels in [0, 1], binarized for cvae
        x = unit = (unit > 0.6).astype(numpy.float32)
    dim = model.config["latent_dim"]
    for eps in (numpy.random.default_rng(8).normal(size=dim).astype(numpy.float32), numpy.zeros(dim, numpy.float32)):
        expected = python_losses(model, x[0], eps, monkeypatch)
        got = page_call(browser, "window.minivae.loss(args[0], args[1])", unit[0].ravel().tolist(), eps.tolist())
        for key in ("reconstruction_loss", "kl_loss", "total_loss"):
            assert got[key] == pytest.approx(expected[key], rel=1e-4, abs=1e-4), key
        assert got["beta"] == getattr(model, "beta", None)  # the CVAE has none


def test_the_autoencoders_loss_is_its_reconstruction_alone(browser, tmp_path):
    model, path = fresh_page(tmp_path, "fashion-autoencoder")
    open_page(browser, path)
    x, unit = random_images(model, 1, seed=7)
    got = page_call(browser, "window.minivae.loss(args[0], null)", unit[0].ravel().tolist())
    expected = model.test_step(x)
    assert got["reconstruction_loss"] == pytest.approx(expected["reconstruction_loss"], rel=1e-4)
    assert got["kl_loss"] == 0 and got["total_loss"] == got["reconstruction_loss"] and got["beta"] is None


# ---------------------------------------------------------------- the learner's image

def write_png(path, shape, seed):
    from PIL import Image
    pixels = numpy.random.default_rng(seed).integers(0, 256, shape, dtype=numpy.uint8)
    Image.fromarray(pixels).save(path)
    return path


def choose_file(browser, path):
    from selenium.webdriver.common.by import By
    before = page_call(browser, "window.minivae.input()")
    browser.find_element(By.ID, "file").send_keys(str(path))
    deadline = time.time() + 20
    while time.time() < deadline:
        now = page_call(browser, "window.minivae.input()")
        if now != before:
            return numpy.array(now, dtype=numpy.float32)
        time.sleep(0.05)
    raise AssertionError(f"choosing {path} did not change the page's input")


# Pillow resizes in two passes, rows and columns, each rounded to 8 bits; which comes first
# depends on its version (and, in Pillow 13, on the shape), and moves a pixel by one grey level.
GREY_LEVEL = 1 / 255 + 1e-6


@pytest.mark.parametrize("shape, tolerance", [((32, 80, 3), 1e-6), ((75, 32, 3), 1e-6),  # one pass: exact
                                              ((53, 41, 3), GREY_LEVEL), ((100, 70, 3), GREY_LEVEL)])
def test_a_dropped_photo_is_preprocessed_as_load_image_folder_does(browser, tmp_path, shape, tolerance):
    model, path = fresh_page(tmp_path / "page", "faces-vae")
    open_page(browser, path)
    folder = tmp_path / "photos"
    folder.mkdir()
    photo = write_png(folder / "face.png", shape, seed=9)  # (height, width, RGB), resized to 32x32
    got = choose_file(browser, photo).reshape(3, 32, 32)
    expected = data.load_image_folder(str(folder), image_size=32).images[0]
    assert numpy.abs(got - expected).max() <= tolerance, "the page's bilinear resize differs from Pillow's"
    shown = wait_for(lambda: explained_text(browser), lambda text: "face.png" in text)
    assert "face.png" in shown, "the page did not show q(z|x) of the chosen file"


def test_a_dropped_picture_becomes_a_fashion_mnist_input(browser, tmp_path):
    from PIL import Image
    model, path = fresh_page(tmp_path / "page", "fashion-vae")
    open_page(browser, path)
    photo = write_png(tmp_path / "shirt.png", (70, 90, 3), seed=10)
    got = choose_file(browser, photo).reshape(1, 32, 32)
    with Image.open(photo) as img:  # grey as Pillow's convert("L"), 28x28 as the data, then the book's steps
        grey = numpy.asarray(img.convert("L").resize((28, 28), Image.BILINEAR), dtype=numpy.uint8)
    expected = data.book_preprocess(grey[None])[0]
    assert numpy.abs(got - expected).max() <= GREY_LEVEL


# ---------------------------------------------------------------- the trained book VAE, live

def explained_text(browser):
    return browser.execute_script("return document.getElementById('q-text').textContent + "
                                  "document.getElementById('loss').textContent")


def test_drawing_on_the_canvas_updates_q_and_the_loss(browser, trained_book_vae, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    model, _ = run_folder.load_run(str(trained_book_vae))
    open_page(browser, trained_book_vae / EXPLORER)
    note = browser.find_element(By.ID, "short-run").text  # 300 images, batch 50: 6 steps
    assert "6 training steps" in note and note.endswith(".")
    canvas = browser.find_element(By.ID, "input")
    browser.find_element(By.ID, "clear-input").click()
    blank = wait_for(lambda: explained_text(browser), lambda text: "your drawing" in text)
    ActionChains(browser).move_to_element_with_offset(canvas, -60, -70).click_and_hold() \
        .move_by_offset(40, 60).move_by_offset(40, 60).move_by_offset(20, -80).release().perform()
    drawn = wait_for(lambda: explained_text(browser), lambda text: text != blank)
    assert drawn != blank, "drawing did not change q(z|x) or the loss"
    x = numpy.array(page_call(browser, "window.minivae.input()"), numpy.float32).reshape(1, 1, 32, 32)
    assert x.sum() > 10 and x[0, 0, :2].sum() == 0  # ink, inside the book's 2-pixel zero padding
    z_mean, z_log_var = minivae_encode(model, x)
    got = page_call(browser, "window.minivae.encode([args[0]])", x.ravel().tolist())[0]
    assert numpy.abs(numpy.array(got["z_mean"]) - z_mean[0]).max() <= TOLERANCE
    shown = browser.execute_script("return document.getElementById('q-text').textContent")
    assert f"{z_mean[0, 0]:.2f}" in shown  # the page shows this image's z_mean
    browser.find_element(By.ID, "invert-input").click()
    assert wait_for(lambda: explained_text(browser), lambda text: text != drawn) != drawn
    shot = tmp_path / "fashion-vae-drawn.png"
    browser.save_screenshot(str(shot))
    print(f"screenshot: {shot}")


def wait_for(read, done, timeout=20):
    deadline = time.time() + timeout
    value = read()
    while not done(value) and time.time() < deadline:
        time.sleep(0.05)
        value = read()
    return value


SWEEP = """
const [seconds, done] = [arguments[0], arguments[arguments.length - 1]];
const long = [];
const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => long.push(e.duration)));
observer.observe({entryTypes: ["longtask"]});
const scatter = document.getElementById("scatter"), box = scatter.getBoundingClientRect();
const before = window.minivae.lastDecodeMs;
let moves = 0;
const start = performance.now();
function step(now) {
  const t = (now - start) / (seconds * 1000);
  if (t >= 1) {
    setTimeout(() => { observer.disconnect(); done({long, moves, last: window.minivae.lastDecodeMs, before}); }, 300);
    return;
  }
  const x = box.left + 50 + 420 * t, y = box.top + 260 + 200 * Math.sin(6 * Math.PI * t);
  scatter.dispatchEvent(new MouseEvent("mousemove", {clientX: x, clientY: y, bubbles: true}));
  moves++;
  requestAnimationFrame(step);
}
requestAnimationFrame(step);
"""


def test_moving_across_the_plane_never_blocks_the_page(browser, trained_book_vae):
    open_page(browser, trained_book_vae / EXPLORER)
    page_call(browser, "window.minivae.decode([[0, 0]])")  # the worker is up
    first = decoded_picture(browser)
    result = browser.execute_async_script(SWEEP, 2)
    assert result["moves"] > 30, f"only {result['moves']} animation frames in 2 s"
    assert not [d for d in result["long"] if d > 100], f"main-thread tasks over 100 ms: {result['long']}"
    assert decoded_picture(browser) != first


def test_the_pages_normal_cdf_and_quantile_are_minivaes(browser, tmp_path):
    """The CDF view reads minivae.viz.normal's table (DATA.normalCdf), both ways."""
    from minivae.viz import normal
    model, path = fresh_page(tmp_path, "fashion-vae")
    open_page(browser, path)
    u = numpy.linspace(-4.5, 4.5, 37)
    p = numpy.linspace(1e-4, 1 - 1e-4, 41)
    got = browser.execute_script("return [arguments[0].map(normalCdf), arguments[1].map(normalQuantile)]",
                                 u.tolist(), p.tolist())
    assert numpy.abs(numpy.array(got[0]) - normal.cdf(u)).max() < 1e-5
    assert numpy.abs(numpy.array(got[1]) - normal.quantile(p)).max() < 1e-3
