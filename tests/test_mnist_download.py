"""Downloading MNIST once, with progress, and finding it again (never from the internet here:
a local HTTP server serves the four canonical files, rebuilt from the local copy)."""
import contextlib
import gzip
import http.server
import struct
import threading

import numpy as np
import pytest

from core import DataUnavailable, load_mnist
from core.mnist_download import FILES, TOTAL_BYTES, download_mnist
from local_data import MNIST_SKIP_REASON, mnist_folder


def idx_bytes(array):
    """An array as the IDX file MNIST is distributed in (unsigned bytes, big-endian sizes)."""
    return struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(
        ">" + "I" * array.ndim, *array.shape) + np.ascontiguousarray(array, np.uint8).tobytes()


@contextlib.contextmanager
def serve_mnist(folder, corrupt=()):
    """A local HTTP server with the four gzipped IDX files (``corrupt`` ones with a byte
    changed); yields its base URL."""
    with np.load(folder / "mnist.npz") as f:
        arrays = {"train-images-idx3-ubyte": f["x_train"], "train-labels-idx1-ubyte": f["y_train"],
                  "t10k-images-idx3-ubyte": f["x_test"], "t10k-labels-idx1-ubyte": f["y_test"]}
    files = {}
    for name, array in arrays.items():
        raw = bytearray(idx_bytes(array))
        if name in corrupt:
            raw[-1] ^= 1
        files[f"/{name}.gz"] = gzip.compress(bytes(raw), compresslevel=1)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = files.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


needs_mnist = pytest.mark.skipif(mnist_folder() is None, reason=MNIST_SKIP_REASON)


@needs_mnist
def test_download_checks_reports_progress_and_is_found_by_load_mnist(tmp_path, monkeypatch):
    progress = []
    with serve_mnist(mnist_folder()) as url:
        folder = download_mnist(tmp_path / "mnist", progress=lambda d, t: progress.append((d, t)),
                                mirrors=["http://127.0.0.1:9/", url])  # the first is refused
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{n}.gz" for n in FILES)
    done = [d for d, _ in progress]
    assert done == sorted(done) and progress[-1] == (TOTAL_BYTES, TOTAL_BYTES)
    assert {t for _, t in progress} == {TOTAL_BYTES}  # the size is known before it starts
    # load_mnist looks in the download cache ($NEURAL_PLAYGROUND_CACHE/mnist)
    monkeypatch.setenv("NEURAL_PLAYGROUND_MNIST", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("NEURAL_PLAYGROUND_CACHE", str(tmp_path))
    d = load_mnist(download=False)
    assert d.images.shape == (60000, 28, 28) and "downloaded copy" in d.source
    # a second call finds the files and fetches nothing
    assert download_mnist(tmp_path / "mnist", mirrors=[]) == tmp_path / "mnist"


@needs_mnist
def test_a_corrupt_or_unreachable_download_is_refused_and_leaves_no_file(tmp_path):
    with serve_mnist(mnist_folder(), corrupt={"t10k-labels-idx1-ubyte"}) as url:
        with pytest.raises(DataUnavailable, match="checksum"):
            download_mnist(tmp_path, mirrors=[url])
    assert not (tmp_path / "t10k-labels-idx1-ubyte.gz").exists()
    assert not list(tmp_path.glob("*.part"))
    with pytest.raises(DataUnavailable, match="could not be downloaded.*NEURAL_PLAYGROUND_MNIST"):
        download_mnist(tmp_path / "other", mirrors=["http://127.0.0.1:9/"], timeout=2)
