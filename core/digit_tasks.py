"""The lectures' binary digit task: is this a 1 or a 0? Logistic regression against a network.

The lectures make a feature vector from a digitised picture, x = [0, 0, 1, 1, ..., 0, 1, 0]
(one 0/1 value per pixel), and train logistic regression, P(y = 1 | x) = sigma(theta^T x),
to tell a 1 (y = 1) from a 0 (y = 0): "not so good", so neurons are fed into other neurons.

``pair_task`` builds that data from a digits split (binarised pixels, y = 1 for the first
digit), for any pair, or for one digit against all the others; ``compare_on_pair`` trains our
``LogisticRegression`` and an ``MLPClassifier`` (one sigmoid output: two classes) on it, the
same minibatches and epochs for both, and says what each gets wrong.
"""
import time
from dataclasses import dataclass

import numpy as np

from .logistic import LogisticRegression
from .mlp import MLPClassifier

PAIRS = {"1 vs 0": (1, 0), "9 vs 4": (9, 4), "5 vs 3": (5, 3), "7 vs 9": (7, 9),
         "8 vs the rest": (8, None)}


@dataclass(frozen=True)
class PairTask:
    """0/1 data for one binary question. ``positive`` is the digit with y = 1; ``negative``
    the digit with y = 0, or None for every other digit. Images are (n, h, w) in [0, 1]."""
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    test_images: np.ndarray
    test_digits: np.ndarray
    positive: int
    negative: int | None
    binarised: bool


def pair_task(X_train, y_train, X_test, y_test, shape, positive, negative=None, binarise=True):
    """The examples of ``positive`` (y = 1) and ``negative`` (y = 0; None: every other digit),
    with pixels binarised at 1/2 as in the lectures' x = [0, 0, 1, ...] when ``binarise``."""
    def pick(X, y):
        keep = (y == positive) | ((y == negative) if negative is not None else True)
        X = np.asarray(X)[keep]
        if binarise:
            X = (X > 0.5).astype(np.float32)
        return X, (np.asarray(y)[keep] == positive).astype(int), np.asarray(y)[keep]
    Xtr, ytr, _ = pick(X_train, y_train)
    Xte, yte, digits = pick(X_test, y_test)
    return PairTask(Xtr, ytr, Xte, yte, Xte.reshape(-1, *shape), digits, positive, negative,
                    binarise)


@dataclass(frozen=True)
class PairResult:
    """One model on a PairTask: its test accuracy, the test examples it gets wrong, its
    number of parameters, training time, and the weights (theta for logistic regression)."""
    name: str
    accuracy: float
    wrong: np.ndarray
    n_params: int
    seconds: float
    weights: dict


def compare_on_pair(task, hidden=16, activation="tanh", epochs=10, batch_size=32,
                    learning_rate=0.1, random_state=0):
    """Logistic regression and a one-hidden-layer MLP trained on the same task, the same way.

    Returns
    -------
    [PairResult for logistic regression, PairResult for the MLP].
    """
    models = [("logistic regression", LogisticRegression(
                   learning_rate=learning_rate, batch_size=batch_size, max_iter=epochs, tol=0,
                   random_state=random_state)),
              (f"MLP, {hidden} hidden units", MLPClassifier(
                   (hidden,), activation=activation, learning_rate=learning_rate,
                   batch_size=batch_size, max_iter=epochs, tol=0, random_state=random_state,
                   dtype=np.float32))]
    results = []
    for name, model in models:
        start = time.perf_counter()
        model.fit(task.X_train, task.y_train)
        seconds = time.perf_counter() - start
        guess = model.predict(task.X_test)
        weights = model.get_weights()
        results.append(PairResult(name, float(np.mean(guess == task.y_test)),
                                  np.flatnonzero(guess != task.y_test),
                                  int(sum(w.size for w in weights.values())), seconds, weights))
    return results
