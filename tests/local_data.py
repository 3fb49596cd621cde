"""Where tests and benchmarks find the local MNIST copy (they never download it).

In order: the folder named by ``$NEURAL_PLAYGROUND_MNIST`` (what README tells users to set),
then ``../shared/data`` beside the checkout (the team's copy). Data is never committed.
"""
import os
from pathlib import Path

from core.datasets import MNIST_ENV

ROOT = Path(__file__).resolve().parents[1]
BESIDE_CHECKOUT = ROOT.parent / "shared" / "data"
IDX_NAMES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
             "t10k-labels-idx1-ubyte")


def holds_mnist(folder):
    """True if ``folder`` has an ``mnist.npz`` or the four IDX files (gzipped or not)."""
    folder = Path(folder)
    if (folder / "mnist.npz").is_file():
        return True
    return all((folder / n).is_file() or (folder / f"{n}.gz").is_file() for n in IDX_NAMES)


def mnist_folder():
    """The first folder holding MNIST: $NEURAL_PLAYGROUND_MNIST, then ../shared/data; or None."""
    for candidate in (os.environ.get(MNIST_ENV), BESIDE_CHECKOUT):
        if candidate and holds_mnist(candidate):
            return Path(candidate)
    return None


MNIST_SKIP_REASON = (f"no local MNIST copy: set {MNIST_ENV} to a folder holding mnist.npz "
                     f"(looked in ${MNIST_ENV}={os.environ.get(MNIST_ENV, '')!r} and "
                     f"{BESIDE_CHECKOUT})")
