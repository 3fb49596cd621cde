"""scikit-learn's models fitted on the same data and split as ours, with matching settings."""
import time
import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import log_loss


@dataclass(frozen=True)
class Baseline:
    """A fitted scikit-learn model and its figures on the test set."""
    name: str
    model: object
    train_accuracy: float
    test_accuracy: float
    test_log_loss: float
    fit_seconds: float
    converged: bool


def _evaluate(name, model, fit, X_train, y_train, X_test, y_test):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        start = time.perf_counter()
        fit()
        seconds = time.perf_counter() - start
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    X_eval, y_eval = (X_test, y_test) if X_test is not None and len(X_test) else (X_train, y_train)
    return Baseline(name, model, float(model.score(X_train, y_train)),
                    float(model.score(X_eval, y_eval)),
                    float(log_loss(y_eval, model.predict_proba(X_eval), labels=model.classes_)),
                    seconds, converged)


def sklearn_logistic(X_train, y_train, X_test=None, y_test=None, l2=0.0, max_iter=10000):
    """sklearn's LogisticRegression matching ours: C = inf for l2 = 0, else C = 1 / (n * l2).

    Ours ascends LL/n - (l2/2)||w||^2; sklearn minimises ||w||^2 / 2 + C * sum of log-losses,
    which is the same objective times n * C when C = 1 / (n * l2).
    """
    from sklearn.linear_model import LogisticRegression
    C = np.inf if l2 == 0 else 1.0 / (len(X_train) * l2)
    model = LogisticRegression(C=C, tol=1e-10, max_iter=max_iter)
    return _evaluate("scikit-learn LogisticRegression", model, lambda: model.fit(X_train, y_train),
                     X_train, y_train, X_test, y_test)


SK_ACTIVATION = {"sigmoid": "logistic", "tanh": "tanh", "relu": "relu"}


def sklearn_mlp(X_train, y_train, X_test=None, y_test=None, hidden_layer_sizes=(8,),
                activation="relu", learning_rate=0.1, batch_size=32, l2=0.0, momentum=0.0,
                max_iter=200, random_state=0):
    """sklearn's MLPClassifier with the same architecture, solver="sgd", constant learning rate.

    sklearn adds (alpha / 2 n_batch)||W||^2 to a batch's *mean* loss, ours (l2 / 2)||W||^2,
    so alpha = l2 * n_batch gives the same gradient step.
    """
    from sklearn.neural_network import MLPClassifier
    n_batch = min(batch_size or len(X_train), len(X_train))
    model = MLPClassifier(hidden_layer_sizes=tuple(hidden_layer_sizes),
                          activation=SK_ACTIVATION[activation], solver="sgd",
                          learning_rate_init=learning_rate, learning_rate="constant",
                          batch_size=n_batch, alpha=l2 * n_batch,
                          momentum=momentum, nesterovs_momentum=False, max_iter=max_iter,
                          random_state=random_state)
    return _evaluate("scikit-learn MLPClassifier", model, lambda: model.fit(X_train, y_train),
                     X_train, y_train, X_test, y_test)


def sklearn_naive_bayes(X_train, y_train, X_test=None, y_test=None):
    """scikit-learn's GaussianNB (one variance per class and input), on the same split."""
    from sklearn.naive_bayes import GaussianNB
    model = GaussianNB()
    return _evaluate("scikit-learn GaussianNB", model, lambda: model.fit(X_train, y_train),
                     X_train, y_train, X_test, y_test)
