"""download_fashion_mnist against a local HTTP server: verified, atomic, and nothing partial left behind."""
import functools
import gzip
import hashlib
import http.server
import threading

import numpy
import pytest

from minivae.data import CONTENT_SHA256, DataFileError, download_fashion_mnist, load_fashion_mnist
from minivae.data import fashion_mnist
from minivae.data.download import content_sha256

NAMES = tuple(CONTENT_SHA256)


def idx_bytes(array):
    header = bytes([0, 0, 8, array.ndim]) + b"".join(int(s).to_bytes(4, "big") for s in array.shape)
    return header + array.tobytes()


def small_contents():
    """File name -> uncompressed IDX bytes of a 4-image Fashion-MNIST look-alike."""
    images = numpy.arange(4 * 28 * 28, dtype=numpy.uint32).reshape(4, 28, 28).astype(numpy.uint8)
    labels = numpy.array([3, 1, 4, 1], numpy.uint8)
    return {n: idx_bytes(images if "images" in n else labels) for n in NAMES}


class Server:
    """Serves the files of one folder on 127.0.0.1 and counts the requests."""

    def __init__(self, folder):
        self.folder, self.requests, self.cut = folder, [], None
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def do_GET(self):
                if self.path != "/" + str(server.cut):
                    return super().do_GET()
                self.send_response(200)  # promise 100000 bytes, send 10, hang up: a dropped connection
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(gzip.compress(b"x")[:10])
                self.close_connection = True

            def log_message(self, *args):
                server.requests.append(self.path)

        handler = functools.partial(Handler, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def served(tmp_path):
    """A server with the four good files, and their content hashes."""
    folder = tmp_path / "served"
    folder.mkdir()
    contents = small_contents()
    for name, data in contents.items():
        (folder / name).write_bytes(gzip.compress(data))
    server = Server(folder)
    server.contents = contents
    server.checksums = {n: hashlib.sha256(d).hexdigest() for n, d in contents.items()}
    yield server
    server.close()


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part") or p.name.startswith("."))


def test_downloads_verifies_and_loads(served, tmp_path):
    dest = tmp_path / "dest"
    got = download_fashion_mnist(dest, base_url=served.url, checksums=served.checksums, progress=False)
    assert got == dest
    assert sorted(p.name for p in dest.iterdir()) == sorted(NAMES)
    for name in NAMES:
        assert gzip.decompress((dest / name).read_bytes()) == served.contents[name]
    images, labels = load_fashion_mnist(dest)
    assert images.shape == (4, 28, 28) and labels.tolist() == [3, 1, 4, 1]


def test_default_destination_is_the_cache_the_search_looks_in(served, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("MINIVAE_DATA", raising=False)
    monkeypatch.setattr(fashion_mnist, "SYSTEM_DIR", tmp_path / "no-system")
    dest = download_fashion_mnist(base_url=served.url.rstrip("/"), checksums=served.checksums, progress=False)
    assert dest == tmp_path / "xdg" / "minivae" / "fashion-mnist"
    assert fashion_mnist.find_fashion_mnist() == dest


def test_files_already_there_and_good_are_not_fetched_again(served, tmp_path):
    dest = tmp_path / "dest"
    download_fashion_mnist(dest, base_url=served.url, checksums=served.checksums, progress=False)
    assert len(served.requests) == 4
    (dest / NAMES[1]).write_bytes(b"damaged")  # a bad file is replaced
    download_fashion_mnist(dest, base_url=served.url, checksums=served.checksums, progress=False)
    assert served.requests[4:] == ["/" + NAMES[1]]
    assert gzip.decompress((dest / NAMES[1]).read_bytes()) == served.contents[NAMES[1]]


def test_hash_mismatch_is_refused_and_leaves_no_file(served, tmp_path):
    bad = NAMES[2]
    (served.folder / bad).write_bytes(gzip.compress(b"\x00\x00\x08\x01" + b"tampered"))
    actual = hashlib.sha256(b"\x00\x00\x08\x01" + b"tampered").hexdigest()
    dest = tmp_path / "dest"
    with pytest.raises(DataFileError) as info:
        download_fashion_mnist(dest, base_url=served.url, checksums=served.checksums, progress=False)
    message = str(info.value)
    assert bad in message and served.checksums[bad] in message and actual in message
    assert "SHA-256" in message and "deleted" in message
    assert not (dest / bad).exists()
    assert leftovers(dest) == []
    assert sorted(p.name for p in dest.iterdir()) == sorted(NAMES[:2])  # the good ones before it are kept


def test_not_gzip_is_refused_and_leaves_no_file(served, tmp_path):
    (served.folder / NAMES[0]).write_bytes(b"<html>Service Unavailable</html>")
    dest = tmp_path / "dest"
    with pytest.raises(DataFileError, match=f"{NAMES[0]} from .* is not a valid gzip file"):
        download_fashion_mnist(dest, base_url=served.url, checksums=served.checksums, progress=False)
    assert list(dest.iterdir()) == []


def test_missing_on_server_is_a_connection_error_naming_the_url(served, tmp_path):
    (served.folder / NAMES[3]).unlink()
    dest = tmp_path / "dest"
    with pytest.raises(ConnectionError, match=f"could not download {served.url}{NAMES[3]} .*404"):
        download_fashion_mnist(dest, base_url=served.url, checksums=served.checksums, progress=False)
    assert not (dest / NAMES[3]).exists() and leftovers(dest) == []


def test_dropped_connection_leaves_no_partial_file(served, tmp_path):
    served.cut = NAMES[1]
    dest = tmp_path / "dest"
    with pytest.raises(ConnectionError, match=f"download .*{NAMES[1]} .*dropped after 10 of 100000 bytes"):
        download_fashion_mnist(dest, base_url=served.url, checksums=served.checksums, progress=False)
    assert sorted(p.name for p in dest.iterdir()) == [NAMES[0]]


def test_official_hashes_match_the_installed_files():
    folder = fashion_mnist.SYSTEM_DIR
    if not all((folder / n).is_file() for n in NAMES):
        pytest.skip(f"real Fashion-MNIST not installed in {folder} (apt-get install dataset-fashion-mnist)")
    for name in NAMES:
        assert content_sha256(folder / name) == CONTENT_SHA256[name], name
