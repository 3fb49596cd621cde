"""Logistic regression trained the lectures' way: gradient ascent on the log-likelihood.

With x_0 = 1 prepended to every example, theta = (theta_0, ..., theta_m) and

    P(Y = 1 | x) = sigma(theta^T x),
    LL(theta)    = sum_i y_i log sigma(theta^T x_i) + (1 - y_i) log(1 - sigma(theta^T x_i)),
    dLL/dtheta_j = sum_i (y_i - sigma(theta^T x_i)) x_ij.

We ascend the *mean* log-likelihood LL(theta) / n, so one learning rate works whatever the data
size (the lecture's eta = 0.0001 on a sum over n examples is eta * n here). For K > 2 classes
sigma becomes softmax and theta gets one column per class; the gradient keeps the same form,
X^T (Y - P) / n.
"""
import numpy as np

from ._estimator import GradientClassifier
from .activations import sigmoid, softmax
from .losses import mean_log_likelihood


def add_intercept(X):
    """Prepend the column x_0 = 1, so theta_0 is the intercept."""
    X = np.asarray(X)
    return np.hstack([np.ones((len(X), 1), dtype=X.dtype), X])


def predict_theta(theta, X1):
    """P for each example: sigma(X1 theta) for one output column, softmax for several."""
    Z = X1 @ theta
    return sigmoid(Z) if theta.shape[1] == 1 else softmax(Z)


def log_likelihood(theta, X1, Y):
    """Mean log-likelihood LL(theta) / n.

    Parameters
    ----------
    theta : ndarray (m + 1, n_outputs); row 0 is the intercept.
    X1 : ndarray (n, m + 1) with the column of ones first (see ``add_intercept``).
    Y : ndarray (n, n_outputs): 0/1 for one output, one-hot for softmax.
    """
    return mean_log_likelihood(Y, X1 @ theta)


def gradient_contributions(theta, X1, Y):
    """Each example's term of dLL/dtheta: (y_i - sigma(theta^T x_i)) x_i, shape (n, m + 1, n_outputs).

    Summing over the examples and dividing by n gives ``log_likelihood_gradient``.
    """
    return (Y - predict_theta(theta, X1))[:, None, :] * X1[:, :, None]


def log_likelihood_gradient(theta, X1, Y, l2=0.0):
    """d(LL / n)/dtheta = X1^T (Y - P) / n, minus l2 * theta for every weight but the intercept."""
    grad = X1.T @ (Y - predict_theta(theta, X1)) / len(X1)
    if l2:
        grad[1:] -= l2 * theta[1:]
    return grad


class LogisticRegression(GradientClassifier):
    """Logistic regression by gradient ascent on the mean log-likelihood.

    Each step computes the whole gradient first, then moves uphill:
    ``theta += learning_rate * d(LL/n)/dtheta``, starting from theta = 0.

    Parameters
    ----------
    learning_rate : float, default=0.5
        eta, the step size on the *mean* log-likelihood (the lecture's sum divided by n).
    max_iter : int, default=1000
        Passes over the training data; with ``batch_size=None`` a pass is one step.
    batch_size : int or None, default=None
        None for full batch (the lectures' algorithm); k for minibatches of k; 1 for SGD.
    l2 : float, default=0.0
        Penalty (l2 / 2) ||theta_1..m||^2 subtracted from the mean LL; the intercept is not
        penalised. The matching scikit-learn setting is ``C = 1 / (n_samples * l2)``.
    tol : float, default=1e-6
        Full batch: stop once every |d(LL/n)/dtheta_j| < tol. Minibatches: stop when the loss has
        not improved by tol for 10 passes.
    random_state : int, Generator or None
        Seeds the shuffling of minibatches (theta always starts at zero).

    Attributes
    ----------
    coef_ : ndarray (n_outputs, n_features), with n_outputs = 1 for two classes, else K.
    intercept_ : ndarray (n_outputs,)
    theta_ : ndarray (n_features + 1, n_outputs), intercept first: the lectures' theta.
    classes_, n_iter_, loss_curve_ (negative mean log-likelihood of each pass), t_ (steps),
    n_seen_ (examples processed). ``get_weights`` / ``set_weights`` name theta "theta".
    """

    def __init__(self, learning_rate=0.5, max_iter=1000, batch_size=None, l2=0.0, tol=1e-6,
                 random_state=None):
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.batch_size = batch_size
        self.l2 = l2
        self.tol = tol
        self.random_state = random_state

    @property
    def coef_(self):
        return self.theta_[1:].T

    @property
    def intercept_(self):
        return self.theta_[0]

    def _init_params(self, n_features, n_outputs, rng):
        # The lectures: "Initialize theta_j = 0 for all 0 <= j <= m".
        self.theta_ = np.zeros((n_features + 1, n_outputs))
        self._reset_optimizer()

    def _reset_optimizer(self):
        self._grad_max = np.inf

    def _weight_shapes(self):
        return {"theta": (self.n_features_in_ + 1, self._n_outputs())}

    def _shape_message(self, name, shape, expected):
        return (f"theta has shape {shape}, but {self.n_features_in_} features and "
                f"{len(self.classes_)} classes need shape {expected}: the intercept row first, "
                "one column per output (one for two classes).")

    def _live_weights(self):
        return {"theta": self.theta_}

    def _put_weights(self, weights):
        self.theta_ = weights["theta"]

    def _step(self, X, Y):
        X1 = add_intercept(X)
        Z = X1 @ self.theta_
        P = sigmoid(Z) if Z.shape[1] == 1 else softmax(Z)
        # gradient[j] = sum_i (y_i - sigma(theta^T x_i)) x_ij, finished before theta moves
        grad = X1.T @ (Y - P) / len(X1)
        if self.l2:
            grad[1:] -= self.l2 * self.theta_[1:]
        self._grad_max = float(np.abs(grad).max())
        loss = -mean_log_likelihood(Y, Z)
        # the step as it was taken, for a page to show: theta before it, and the gradient used
        self.last_step_ = (self.theta_.copy(), grad)
        self.theta_ += self.learning_rate * grad
        return loss

    def logits(self, X):
        """theta^T x for each row of validated X (x_0 = 1 prepended): shape (n, n_outputs)."""
        theta = self._usable_weights()["theta"]
        return add_intercept(X) @ theta

    def _converged(self):
        if self.batch_size is None:
            return self.tol is not None and self._grad_max < self.tol
        return super()._converged()


def log_likelihood_grid(theta, X1, y, i, j, a_values, b_values, l2=0.0):
    """The ascended objective LL(theta)/n - (l2/2)||theta_1..m||^2 over a grid of two weights.

    theta_i takes the values ``a_values`` and theta_j the values ``b_values``; the other weights
    stay as in ``theta`` (shape (m + 1,) or (m + 1, 1), two classes). Returns an array of shape
    (len(b_values), len(a_values)), row r at theta_j = b_values[r]: the "hill" that gradient
    ascent climbs. For logistic regression it is concave, so the climb has one top (if any).
    """
    theta = np.asarray(theta, dtype=float).reshape(-1)
    y = np.asarray(y, dtype=float).reshape(-1)
    a = np.asarray(a_values, dtype=float)
    b = np.asarray(b_values, dtype=float)
    z_rest = X1 @ theta - X1[:, i] * theta[i] - X1[:, j] * theta[j]
    Z = z_rest[None, None, :] + a[None, :, None] * X1[:, i] + b[:, None, None] * X1[:, j]
    from .activations import log_sigmoid
    ll = (y * log_sigmoid(Z) + (1 - y) * log_sigmoid(-Z)).mean(axis=2)
    if l2:
        rest = (theta[1:] ** 2).sum() - sum(theta[k] ** 2 for k in (i, j) if k > 0)
        penalty = rest + (a[None, :] ** 2 if i > 0 else 0) + (b[:, None] ** 2 if j > 0 else 0)
        ll = ll - 0.5 * l2 * penalty
    return ll
