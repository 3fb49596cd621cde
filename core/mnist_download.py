"""Download MNIST once, with progress, into a cache folder that ``load_mnist`` looks in.

The four canonical files (LeCun, Cortes and Burges; CC BY-SA 3.0) are fetched gzipped, about
11.6 MB in all, from public mirrors in turn; each is checked against the SHA-256 of the
canonical uncompressed IDX file before it is kept, so a truncated or altered download is never
used. ``progress(done_bytes, total_bytes)`` is called as the bytes arrive, for a progress bar.
"""
import gzip
import hashlib
import os
import urllib.request
from pathlib import Path

from .errors import DataUnavailable

CACHE_ENV = "NEURAL_PLAYGROUND_CACHE"
MIRRORS = ["https://ossci-datasets.s3.amazonaws.com/mnist/",
           "https://storage.googleapis.com/cvdf-datasets/mnist/"]
# file -> (gzipped size in bytes, SHA-256 of the canonical uncompressed IDX file)
FILES = {
    "train-images-idx3-ubyte": (9_912_422, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
    "train-labels-idx1-ubyte": (28_881, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
    "t10k-images-idx3-ubyte": (1_648_877, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
    "t10k-labels-idx1-ubyte": (4_542, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
}
TOTAL_BYTES = sum(size for size, _ in FILES.values())


def cache_dir():
    """Where a downloaded MNIST is kept: $NEURAL_PLAYGROUND_CACHE/mnist, else the user's cache
    folder ($XDG_CACHE_HOME or ~/.cache)/neural_playground/mnist."""
    base = os.environ.get(CACHE_ENV)
    if base:
        return Path(base) / "mnist"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "neural_playground" / "mnist"


def _fetch(url, timeout, progress, done, total):
    """The bytes at ``url``, reporting progress as they arrive."""
    opener = urllib.request.build_opener()
    with opener.open(url, timeout=timeout) as response:
        chunks = []
        while True:
            chunk = response.read(256 * 1024)
            if not chunk:
                break
            chunks.append(chunk)
            done += len(chunk)
            if progress:
                progress(min(done, total), total)
    return b"".join(chunks), done


def download_mnist(folder=None, progress=None, mirrors=None, timeout=20):
    """Download the four MNIST files into ``folder`` (default ``cache_dir()``) unless there.

    Parameters
    ----------
    folder : where to keep the gzipped IDX files (created if needed).
    progress : optional callable(done_bytes, total_bytes).
    mirrors : base URLs tried in turn (default ``MIRRORS``).
    timeout : seconds to wait for a mirror to answer.

    Returns
    -------
    Path of the folder holding the files.

    Raises
    ------
    DataUnavailable saying what failed (no network, a bad file) and how to get MNIST otherwise.
    """
    folder = Path(folder) if folder else cache_dir()
    mirrors = MIRRORS if mirrors is None else mirrors
    done = 0
    problems = []
    for name, (size, sha256) in FILES.items():
        target = folder / f"{name}.gz"
        if target.is_file():
            done += size
            continue
        for base in mirrors:
            try:
                data, done_now = _fetch(base + name + ".gz", timeout, progress, done, TOTAL_BYTES)
                if hashlib.sha256(gzip.decompress(data)).hexdigest() != sha256:
                    raise ValueError("its content is not MNIST's (checksum mismatch)")
            except (OSError, ValueError, EOFError) as err:  # URLError is an OSError
                problems.append(f"{base}: {err}")
                continue
            folder.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".gz.part")
            partial.write_bytes(data)
            partial.replace(target)  # whole files only: an interrupted download leaves no file
            done = done_now
            break
        else:
            summary = f"MNIST could not be downloaded ({problems[-1]})."
            raise DataUnavailable(f"{summary} Check the internet connection, or put mnist.npz "
                                  f"or the four IDX files in a folder and set "
                                  f"NEURAL_PLAYGROUND_MNIST to it.", summary)
    if progress:
        progress(TOTAL_BYTES, TOTAL_BYTES)
    return folder
