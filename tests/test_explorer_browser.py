"""explorer.html in real headless Chromium: the page's decoder against minivae's, and the pointer.

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
from minivae.viz.explorer import EXPLORER, write_explorer

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
    steps_low = -1.0 if model.name == "cifar-vae" else 0.0  # the CIFAR decoder ends in tanh
    return (images - steps_low) / (1.0 - steps_low)


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


def scramble_batch_norms(model, seed=0):
    """Moving statistics and scales far from the fresh 0 / 1, so the page must really use them."""
    rng = numpy.random.default_rng(seed)
    for _, layer in model.decoder.named_modules():
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
    path = write_explorer(model, str(tmp_path), x, numpy.arange(20) % 10, {"model": name})
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
    morph = browser.execute_script("return document.getElementById('morph').toDataURL()")
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
