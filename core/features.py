"""Input features made from the two coordinates, as TF Playground offers them.

Logistic regression draws a straight line in the space of its inputs. Give it x1², x2² and a
circle becomes a line in that space (x1² + x2² = r²), so Circles become separable; x1·x2 does
the same for XOR. The model, the surface, the math and scikit-learn's baseline all use the
same expanded inputs.
"""
import numpy as np

from .surface import Grid

# name -> (the feature as a function of X (n, 2), how the lectures would write it in LaTeX)
FEATURES = {
    "x₁²": (lambda X: X[:, 0] ** 2, "x_1^2"),
    "x₂²": (lambda X: X[:, 1] ** 2, "x_2^2"),
    "x₁x₂": (lambda X: X[:, 0] * X[:, 1], "x_1 x_2"),
    "sin x₁": (lambda X: np.sin(X[:, 0]), r"\sin x_1"),
    "sin x₂": (lambda X: np.sin(X[:, 1]), r"\sin x_2"),
}
BASE = ("x₁", "x₂")
BASE_TEX = ("x_1", "x_2")


def check_features(extra):
    """The extra features in FEATURES' order; ValueError for an unknown name."""
    unknown = [name for name in extra if name not in FEATURES]
    if unknown:
        raise ValueError(f"Unknown input feature {str(unknown[0])[:40]!r}; choose from "
                         f"{', '.join(FEATURES)}.")
    return tuple(name for name in FEATURES if name in extra)


def expand(X, extra=()):
    """The inputs x1, x2 followed by each extra feature: shape (n, 2 + len(extra)).

    Parameters
    ----------
    X : array (n, 2), the points' coordinates.
    extra : names from FEATURES.
    """
    X = np.asarray(X, dtype=np.float64)
    extra = check_features(extra)
    if not extra:
        return X
    return np.column_stack([X, *(FEATURES[name][0](X) for name in extra)])


def names(extra=()):
    """Every input's name, the coordinates first: ("x₁", "x₂", "x₁²", ...)."""
    return BASE + check_features(extra)


def tex_names(extra=()):
    return BASE_TEX + tuple(FEATURES[name][1] for name in check_features(extra))


def expanded_grid(grid, extra=()):
    """The same grid, its points carrying the extra features (for a model trained on them)."""
    return Grid(grid.xs, grid.ys, expand(grid.points, extra)) if extra else grid


def standardise(X, threshold=10.0):
    """Each input column shifted to mean 0 and scaled to standard deviation 1, if any value is
    larger than ``threshold`` (or the columns' scales differ by more than that factor): gradient
    steps then suit every input. Returns (X', mean, sd), with mean 0 and sd 1 when nothing was
    changed."""
    X = np.asarray(X, dtype=np.float64)
    mean, sd = X.mean(axis=0), X.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)
    if np.abs(X).max() <= threshold and sd.max() <= threshold * sd.min():
        return X, np.zeros(X.shape[1]), np.ones(X.shape[1])
    return (X - mean) / sd, mean, sd
