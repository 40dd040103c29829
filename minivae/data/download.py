"""Opt-in download of Fashion-MNIST into the per-user cache, checked by SHA-256.

Nothing in minivae downloads on its own: a training script that finds no
data stops and says how to get it. This is the "when online" way.

Each file is written to a temporary name in the destination folder, checked,
then renamed with ``os.replace``, which is atomic on one file system: a file
with the final name is always a complete, verified file, even if the
download is interrupted. A file that fails the check is deleted.

The SHA-256 is taken over the *uncompressed* IDX bytes, not over the .gz
file. The Debian package's .gz files are the official ones re-compressed
without the gzip header's stored file name (shorter by exactly that name:
different bytes, same data), so hashing the contents checks the images
themselves, whichever copy you have.
"""
import gzip
import hashlib
import http.client
import os
import tempfile
import urllib.error
import urllib.request
import zlib
from pathlib import Path

from .errors import DataFileError
from .paths import cache_dir

OFFICIAL_URL = "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"
MIRROR_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"  # the README's link (plain http)

CONTENT_SHA256 = {  # file -> SHA-256 of its gunzipped contents (from the Debian dataset-fashion-mnist files)
    "train-images-idx3-ubyte.gz": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "train-labels-idx1-ubyte.gz": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "t10k-images-idx3-ubyte.gz": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "t10k-labels-idx1-ubyte.gz": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
}

_CHUNK = 1 << 20
_NETWORK_ERRORS = (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError)


def content_sha256(path):
    """SHA-256 hex digest of a .gz file's uncompressed contents (streamed, so memory stays small)."""
    digest = hashlib.sha256()
    with gzip.open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _is_good(path, expected):
    try:
        return path.is_file() and content_sha256(path) == expected
    except (OSError, EOFError, zlib.error):
        return False


def _progress_bar(total, name, enabled):
    if not enabled:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit="B", unit_scale=True, desc=name, leave=False)


def _stream(url, out, timeout, progress, name):
    """Copy the body of ``url`` into the open file ``out``; any network failure is a ConnectionError."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            length = int(length) if length else None
            bar = _progress_bar(length, name, progress)
            received = 0
            for chunk in iter(lambda: response.read(_CHUNK), b""):
                out.write(chunk)
                received += len(chunk)
                if bar is not None:
                    bar.update(len(chunk))
            if bar is not None:
                bar.close()
        # read(n) returns b"" when the server hangs up early; it does not raise, so count.
        if length is not None and received != length:
            raise ConnectionError(f"the connection dropped after {received} of {length} bytes")
    except _NETWORK_ERRORS as exc:
        raise ConnectionError(
            f"download_fashion_mnist: could not download {url} ({type(exc).__name__}: {exc}). "
            "Check the connection, try base_url=minivae.data.MIRROR_URL, or install the data "
            "offline (as root: apt-get install dataset-fashion-mnist).") from exc


def _fetch(url, final, expected, timeout, progress):
    """Download ``url`` to ``final`` through a temp file in the same folder; verify, then rename."""
    fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            _stream(url, out, timeout, progress, final.name)
            out.flush()
            os.fsync(out.fileno())
        try:
            actual = content_sha256(tmp)
        except (OSError, EOFError, zlib.error) as exc:
            raise DataFileError(
                f"download_fashion_mnist: {final.name} from {url} is not a valid gzip file "
                f"({type(exc).__name__}: {exc}); it was deleted. The server may have sent an error "
                "page; try again or use another base_url.") from None
        if actual != expected:
            raise DataFileError(
                f"download_fashion_mnist: {final.name} from {url} failed the SHA-256 check: "
                f"expected {expected}, got {actual}. The download is corrupt or not the official "
                "file, so it was deleted. Try again, or use another base_url.")
        os.replace(tmp, final)  # atomic: the final name only ever holds a verified file
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def download_fashion_mnist(dest=None, base_url=OFFICIAL_URL, checksums=None, timeout=60, progress=True):
    """Download the four Fashion-MNIST .gz files into ``dest`` and return its path.

    ``dest`` defaults to the cache folder :func:`find_fashion_mnist` searches
    (``~/.cache/minivae/fashion-mnist``). Files already there and correct are kept.
    ``checksums`` maps file name -> SHA-256 of the uncompressed contents; the default,
    :data:`CONTENT_SHA256`, is the official data. A file that fails it raises
    :class:`DataFileError` (naming the file, expected and actual hash) and is not kept.
    """
    dest = Path(dest).expanduser() if dest is not None else cache_dir("fashion-mnist")
    checksums = CONTENT_SHA256 if checksums is None else checksums
    dest.mkdir(parents=True, exist_ok=True)
    if not base_url.endswith("/"):
        base_url += "/"
    for name, expected in checksums.items():
        final = dest / name
        if _is_good(final, expected):
            continue
        _fetch(base_url + name, final, expected, timeout, progress)
    return dest
