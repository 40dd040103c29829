"""The built book (docs/_build/html) read in real headless Chromium, from file://, page by page.

`python3 dev.py docs` (or `MINIVAE_QUICK=1 python3 dev.py docs`) builds the site; these
tests skip when it is not there, except where MINIVAE_REQUIRE_DOCS=1 (`.ci/run` builds the
site first and sets it), and fail where a browser is missing only under
MINIVAE_REQUIRE_BROWSER=1, as the explorer's tests do. Every HTML page of the site is opened
as a learner opens it from disk, and fails on:

- a SEVERE console message (a script error, a file that did not load);
- anything loaded from outside the site (the network: a CDN, web fonts);
- an <img> that did not load (naturalWidth 0);
- a link to a file of the site that does not exist, or to an anchor its page lacks;
- math that MathJax did not render (a page with math and no, or too few, rendered formulas).

The search page must find the VAE chapter for "reparameterization". What each page gave,
and screenshots of three pages, are written to docs/_build/browser-check/ (or
$MINIVAE_DOCS_CHECK_DIR), whose path the report prints.
"""
import json
import os
import shutil
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("MINIVAE_DOCS_SITE", ROOT / "docs" / "_build" / "html"))
CHECK_DIR = Path(os.environ.get("MINIVAE_DOCS_CHECK_DIR", SITE.parent / "browser-check"))
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--window-size=1280,1000"]
SCREENSHOTS = {"landing.png": "index.html", "chapter-04-vae.png": "tutorials/04_vae.html",
               "exercise-04-conv2d.png": "_generated/exercises/04_conv2d.html"}
MATH_TIMEOUT = 30  # seconds for MathJax to typeset one page


def _skip(reason, env):
    (pytest.fail if os.environ.get(env) == "1" else pytest.skip)(reason)


def pages():
    """Every HTML page of the site; _static/ holds the theme's Jinja macro files, not pages."""
    return sorted(p.relative_to(SITE).as_posix() for p in SITE.rglob("*.html")
                  if not p.relative_to(SITE).as_posix().startswith("_static/"))


@pytest.fixture(scope="module")
def site():
    if not (SITE / "index.html").exists():
        _skip(f"the book is not built ({SITE}/index.html is missing): run "
              "`MINIVAE_QUICK=1 python3 dev.py docs`", "MINIVAE_REQUIRE_DOCS")
    return SITE


@pytest.fixture(scope="module")
def browser(site):
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _skip("selenium is not installed (pip install -e '.[dev]')", "MINIVAE_REQUIRE_BROWSER")
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.path.exists(path):
            _skip(f"no {path} for the real-browser tests (apt-get install {package})", "MINIVAE_REQUIRE_BROWSER")
    profile = tempfile.mkdtemp(prefix="minivae-docs-chromium-")
    options = webdriver.ChromeOptions()
    for flag in FLAGS + [f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_script_timeout(MATH_TIMEOUT + 10)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def check_dir(site):
    shutil.rmtree(CHECK_DIR, ignore_errors=True)
    CHECK_DIR.mkdir(parents=True)
    return CHECK_DIR


class _Anchors(HTMLParser):
    """The id and name attributes of one HTML file: the anchors a link may point to."""

    def __init__(self):
        super().__init__()
        self.anchors = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("id", "name") and value:
                self.anchors.add(value)


_anchor_cache = {}


def anchors_of(path):
    if path not in _anchor_cache:
        parser = _Anchors()
        parser.feed(path.read_text(encoding="utf-8", errors="replace"))
        _anchor_cache[path] = parser.anchors
    return _anchor_cache[path]


def broken_link(href):
    """Why a file:// link of the site is broken, or None when its file (and anchor) exist."""
    url = urlsplit(href)
    if url.scheme != "file":
        return None
    target = Path(unquote(url.path))
    if target.is_dir():
        target = target / "index.html"
    if not target.exists():
        return f"{href}: no such file"
    if url.fragment and target.suffix == ".html" and unquote(url.fragment) not in anchors_of(target):
        return f"{href}: {target.name} has no anchor #{unquote(url.fragment)}"
    return None


# In the page: wait for MathJax when the page has math, make lazy images load, then report.
INSPECT = """
const done = arguments[arguments.length - 1];
const mathNodes = document.querySelectorAll('.math, div.math, span.math');
const typeset = (window.MathJax && MathJax.startup && MathJax.startup.promise)
    ? MathJax.startup.promise.then(() => MathJax.typesetPromise ? MathJax.typesetPromise() : null)
    : Promise.resolve();
const images = Array.from(document.images);
images.forEach((img) => { img.loading = 'eager'; });
Promise.all([typeset.catch((e) => 'typeset failed: ' + e),
             ...images.map((img) => img.decode().catch(() => null))]).then(() => {
  done({
    title: document.title,
    math: mathNodes.length,
    mathjax: !!window.MathJax,
    rendered: document.querySelectorAll('mjx-container').length,
    mathErrors: document.querySelectorAll('mjx-merror').length,
    badImages: images.filter((img) => !img.complete || img.naturalWidth === 0)
                     .map((img) => img.getAttribute('src')),
    images: images.length,
    links: Array.from(document.querySelectorAll('a[href]')).map((a) => a.href),
    remote: performance.getEntriesByType('resource').map((r) => r.name)
                       .filter((name) => !/^(file|data|blob):/.test(name)),
  });
});
"""


def inspect(browser, relative):
    browser.get((SITE / relative).resolve().as_uri())
    deadline = time.time() + 20
    while browser.execute_script("return document.readyState") != "complete" and time.time() < deadline:
        time.sleep(0.05)
    found = browser.execute_async_script(INSPECT)
    found["console"] = [entry for entry in browser.get_log("browser")]
    return found


def problems_of(relative, found):
    problems = [f"console {e['level']}: {e['message']}" for e in found["console"] if e["level"] == "SEVERE"]
    problems += [f"image did not load: {src}" for src in found["badImages"]]
    problems += [f"loaded from outside the site: {url}" for url in found["remote"]]
    problems += [why for why in map(broken_link, sorted(set(found["links"]))) if why]
    if found["math"]:
        if not found["mathjax"]:
            problems.append(f"{found['math']} math elements but MathJax is not on the page")
        elif found["rendered"] < found["math"]:
            problems.append(f"math not rendered: {found['rendered']} of {found['math']} formulas typeset")
        if found["mathErrors"]:
            problems.append(f"{found['mathErrors']} formulas did not parse (mjx-merror)")
    return problems


def test_the_site_has_every_part(site):
    names = set(pages())
    chapters = [n for n in names if n.startswith("tutorials/0")]
    exercises = [n for n in names if n.startswith("_generated/exercises/0")]
    assert len(chapters) == 8, chapters
    assert len(exercises) == 8, exercises
    for page in ("index.html", "api/index.html", "api/functional.html", "api/nn.html", "results.html",
                 "_generated/trained-model/index.html", "_generated/trained-model/explorer.html", "search.html"):
        assert page in names, f"{page} is missing from the built site"
    assert (site / "_static" / "mathjax" / "tex-svg.js").exists(), "no local MathJax copy"


def test_every_page_loads_cleanly_from_disk(browser, site, check_dir):
    report, failures = {}, {}
    for relative in pages():
        found = inspect(browser, relative)
        problems = problems_of(relative, found)
        report[relative] = {"title": found["title"], "images": found["images"], "links": len(found["links"]),
                            "math": found["math"], "math_rendered": found["rendered"],
                            "console": [f"{e['level']}: {e['message']}" for e in found["console"]],
                            "problems": problems}
        if problems:
            failures[relative] = problems
        shot = next((name for name, page in SCREENSHOTS.items() if page == relative), None)
        if shot:  # a chapter's screenshot shows its first figure
            browser.execute_script("const img = document.querySelector('.cell_output img');"
                                   "if (img) img.scrollIntoView({block: 'center'});")
            browser.save_screenshot(str(check_dir / shot))
    (check_dir / "pages.json").write_text(json.dumps(report, indent=1))
    print(f"\n{len(report)} pages checked; report and screenshots in {check_dir}")
    assert not failures, "pages with problems (see %s/pages.json):\n%s" % (check_dir, "\n".join(
        f"{page}:\n  " + "\n  ".join(problems) for page, problems in failures.items()))
    chapters_with_figures = [p for p, r in report.items() if p.startswith("tutorials/0") and r["images"]]
    assert len(chapters_with_figures) >= 5, f"chapters that show figures: {chapters_with_figures}"
    assert report["tutorials/04_vae.html"]["math_rendered"] > 0


WIDE_CODE = """
return Array.from(document.querySelectorAll('div.cell_input pre'))
    .filter((pre) => pre.scrollWidth > pre.clientWidth + 1)
    .map((pre) => pre.textContent.split('\\n')[0].slice(0, 60));
"""


def test_no_code_cell_is_wider_than_the_page(browser, site):
    """Every chapter's code cells fit the page's width: no sideways scroll bar to find a line's end."""
    wide = {}
    for relative in [p for p in pages() if p.startswith("tutorials/0")]:
        browser.get((site / relative).resolve().as_uri())
        cells = browser.execute_script(WIDE_CODE)
        if cells:
            wide[relative] = cells
    assert not wide, "code cells wider than the page (first line of each):\n" + "\n".join(
        f"{page}: {cells}" for page, cells in wide.items())


def test_search_finds_the_vae_chapter(browser, site):
    browser.get((site / "search.html").resolve().as_uri() + "?q=reparameterization")
    deadline, hits = time.time() + 30, []
    while time.time() < deadline and not hits:
        hits = browser.execute_script(
            "return Array.from(document.querySelectorAll('#search-results a')).map((a) => a.href)")
        time.sleep(0.2)
    assert any(href.split("#")[0].endswith("tutorials/04_vae.html") for href in hits), \
        f"search for 'reparameterization' found: {hits}; console: {browser.get_log('browser')}"
