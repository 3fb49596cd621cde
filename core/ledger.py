"""The chain-rule ledger of one training example in the lectures' network: every number.

The lectures' network has one hidden layer and one sigmoid output. With a constant x_0 = 1
prepended to the input and h_0 = 1 to the hidden layer, the biases are ordinary weights on
those constant inputs, and the forward pass reads

    h_j   = g( sum_i x_i theta_ij^(h) )          i = 0..m_x, j = 1..m_h  (g = sigma in the lectures)
    y_hat = sigma( sum_j h_j theta_j^(y) )       j = 0..m_h
    LL    = y log y_hat + (1 - y) log(1 - y_hat)

for one example (x, y). Its derivatives, by the chain rule (gradient *ascent* on LL):

    dLL/dtheta_j^(y)  = dLL/dy_hat * dy_hat/dz * dz/dtheta_j^(y)
                      = [y / y_hat - (1 - y)/(1 - y_hat)] * y_hat (1 - y_hat) * h_j
                      = (y - y_hat) h_j
    dLL/dtheta_ij^(h) = dLL/dy_hat * dy_hat/dh_j * dh_j/dtheta_ij^(h)
                      = (y - y_hat) theta_j^(y) h_j (1 - h_j) x_i          (sigmoid hidden units)

Index conventions differ from ``core.mlp``, which keeps sklearn's layout: there,
``coefs[0][i - 1, j - 1]`` is theta_ij^(h) and ``intercepts[0][j - 1]`` is theta_0j^(h);
``coefs[1][j - 1, 0]`` is theta_j^(y) and ``intercepts[1][0]`` is theta_0^(y). ``core.mlp``
also descends J = -LL/n rather than ascending LL, so for one example dLL/dtheta = -dJ/dtheta.
"""
from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS, DERIVATIVES, log_sigmoid, sigmoid
from .losses import EPS


@dataclass(frozen=True)
class Ledger:
    """Every intermediate value of one forward and backward pass for one example.

    Shapes use m_x inputs and m_h hidden units; index 0 is the constant 1 (the bias input).

    Forward: ``x`` (m_x + 1,) with x[0] = 1; ``y`` in {0, 1}; ``theta_h`` (m_x + 1, m_h);
    ``theta_y`` (m_h + 1,); ``z_h`` (m_h,) = x @ theta_h; ``h`` (m_h + 1,) with h[0] = 1;
    ``z_y`` = h @ theta_y; ``y_hat`` = sigma(z_y); ``LL`` = y log y_hat + (1 - y) log(1 - y_hat).

    Backward (all derivatives of LL): ``dLL_dyhat``; ``dyhat_dz`` = y_hat (1 - y_hat);
    ``dLL_dz`` = y - y_hat, their product; ``dz_dh`` (m_h,) = theta_j^(y) for j >= 1;
    ``dLL_dh`` (m_h,); ``dh_dz`` (m_h,) = g'(z_j), h_j (1 - h_j) for sigmoid units;
    ``delta_h`` (m_h,) = dLL/dz_j = (y - y_hat) theta_j^(y) g'(z_j);
    ``grad_theta_y`` (m_h + 1,) = (y - y_hat) h_j; ``grad_theta_h`` (m_x + 1, m_h) = x_i delta_j.
    """
    activation: str
    x: np.ndarray
    y: int
    theta_h: np.ndarray
    theta_y: np.ndarray
    z_h: np.ndarray
    h: np.ndarray
    z_y: float
    y_hat: float
    LL: float
    dLL_dyhat: float
    dyhat_dz: float
    dLL_dz: float
    dz_dh: np.ndarray
    dLL_dh: np.ndarray
    dh_dz: np.ndarray
    delta_h: np.ndarray
    grad_theta_y: np.ndarray
    grad_theta_h: np.ndarray

    @property
    def loss(self):
        """-LL for this example: the loss the pages show (cross-entropy)."""
        return -self.LL

    def coef_grads(self):
        """dLL/dtheta in ``core.mlp``'s layout: (coef_grads, intercept_grads)."""
        return ([self.grad_theta_h[1:].copy(), self.grad_theta_y[1:, None].copy()],
                [self.grad_theta_h[0].copy(), self.grad_theta_y[:1].copy()])


def to_thetas(coefs, intercepts):
    """sklearn-layout weights -> (theta_h (m_x + 1, m_h), theta_y (m_h + 1,)), biases in row 0."""
    if len(coefs) != 2 or coefs[1].shape[1] != 1:
        raise ValueError("The ledger is for the lectures' network: one hidden layer and one "
                         f"output unit; got layer shapes {[W.shape for W in coefs]}.")
    theta_h = np.vstack([np.asarray(intercepts[0], float)[None, :], np.asarray(coefs[0], float)])
    theta_y = np.r_[np.asarray(intercepts[1], float).reshape(1), np.asarray(coefs[1], float)[:, 0]]
    return theta_h, theta_y


def from_thetas(theta_h, theta_y):
    """(theta_h, theta_y) -> sklearn-layout (coefs, intercepts), as new arrays."""
    coefs = [np.array(theta_h[1:], float), np.array(theta_y[1:, None], float)]
    intercepts = [np.array(theta_h[0], float), np.array(theta_y[:1], float)]
    return coefs, intercepts


def ledger(x, y, coefs, intercepts, activation="sigmoid"):
    """One example's forward values and every derivative of its log-likelihood.

    Parameters
    ----------
    x : array (m_x,), the example's features (x_0 = 1 is prepended here).
    y : 0 or 1, its label.
    coefs, intercepts : the network in ``core.mlp``'s layout, one hidden layer, one output.
    activation : g for the hidden units ("sigmoid" in the lectures; "tanh" or "relu" also work).

    Returns
    -------
    Ledger
    """
    theta_h, theta_y = to_thetas(coefs, intercepts)
    x1 = np.r_[1.0, np.asarray(x, float).ravel()]
    if len(x1) != theta_h.shape[0]:
        raise ValueError(f"x has {len(x1) - 1} features; the network expects "
                         f"{theta_h.shape[0] - 1}.")
    y = int(y)
    # forward
    z_h = x1 @ theta_h
    h1 = np.r_[1.0, ACTIVATIONS[activation](z_h)]
    z_y = float(h1 @ theta_y)
    y_hat = float(sigmoid(z_y))
    # log sigma(z) and log(1 - sigma(z)) = log sigma(-z), exact even when y_hat rounds to 0 or 1
    LL = float(y * log_sigmoid(z_y) + (1 - y) * log_sigmoid(-z_y))
    # backward
    p = min(max(y_hat, EPS), 1 - EPS)  # only for showing dLL/dy_hat; the product below is exact
    dLL_dyhat = y / p - (1 - y) / (1 - p)
    dyhat_dz = y_hat * (1 - y_hat)
    # [y/y_hat - (1-y)/(1-y_hat)] * y_hat (1 - y_hat) simplifies to y - y_hat: the sigmoid's
    # slope cancels the log's, so compute it directly rather than as a product of big numbers
    dLL_dz = y - y_hat
    dz_dh = theta_y[1:].copy()
    dLL_dh = dLL_dz * dz_dh
    dh_dz = DERIVATIVES[activation](h1[1:])
    delta_h = dLL_dh * dh_dz
    grad_theta_y = dLL_dz * h1
    grad_theta_h = np.outer(x1, delta_h)
    return Ledger(activation, x1, y, theta_h, theta_y, z_h, h1, z_y, y_hat, LL,
                  dLL_dyhat, dyhat_dz, dLL_dz, dz_dh, dLL_dh, dh_dz, delta_h,
                  grad_theta_y, grad_theta_h)


def ascent_step(coefs, intercepts, x, y, eta, activation="sigmoid"):
    """One gradient-ascent update on one example, theta += eta dLL/dtheta.

    Returns
    -------
    (new_coefs, new_intercepts, before, after) : new arrays (the inputs are not changed) and the
    example's Ledger before and after the step. For a small enough eta, after.LL > before.LL.
    """
    before = ledger(x, y, coefs, intercepts, activation)
    theta_h = before.theta_h + eta * before.grad_theta_h
    theta_y = before.theta_y + eta * before.grad_theta_y
    new_coefs, new_intercepts = from_thetas(theta_h, theta_y)
    after = ledger(x, y, new_coefs, new_intercepts, activation)
    return new_coefs, new_intercepts, before, after


def parameter_counts(n_x, n_h, n_y=1, bias=False):
    """How many parameters the lectures' network has: the quiz with |x| = 40 and |h| = 20.

    theta^(h) has |x| |h| weights, theta^(y) has |h| |y|; with bias terms (x_0 = 1 and h_0 = 1)
    each layer has one more input: (|x| + 1) |h| and (|h| + 1) |y|.

    Returns
    -------
    dict with "theta_h", "theta_y" and "total".
    """
    extra = 1 if bias else 0
    theta_h = (int(n_x) + extra) * int(n_h)
    theta_y = (int(n_h) + extra) * int(n_y)
    return {"theta_h": theta_h, "theta_y": theta_y, "total": theta_h + theta_y}


# ---- any depth: the lectures' sensitivities ------------------------------------------------------
@dataclass(frozen=True)
class Trace:
    """One example through a network of any depth, forward and backward, in the form of the
    lectures' backpropagation algorithm (signals, outputs, sensitivities):

        s(l) = W(l)^T x(l-1) + b(l),   x(l) = g(s(l))          (x(0) = x; sigma at the output)
        delta(L) = de/ds(L) = y_hat - y
        delta(l) = g'(s(l)) * (W(l+1) delta(l+1))              (the recursion, right to left)
        de/dW(l) = x(l-1) delta(l)^T,   de/db(l) = delta(l)

    for the example's loss e = -LL = -[y log y_hat + (1 - y) log(1 - y_hat)]. Lists hold one
    array per layer, layer 1 first: ``signals`` (s), ``outputs`` (x(l), the output layer's is
    y_hat), ``deltas``, ``coef_grads`` (fan_in, fan_out) and ``intercept_grads``. The ascent on
    LL steps against these: theta <- theta - eta de/dtheta = theta + eta dLL/dtheta.
    """
    x: np.ndarray
    y: int
    signals: list
    outputs: list
    deltas: list
    coef_grads: list
    intercept_grads: list
    y_hat: float
    loss: float


def trace(x, y, coefs, intercepts, activation="sigmoid"):
    """Forward and backward for one example (x, y) through ``coefs``/``intercepts`` (any
    number of hidden layers, one sigmoid output): see ``Trace``."""
    x = np.asarray(x, float).ravel()
    coefs = [np.asarray(W, float) for W in coefs]
    intercepts = [np.asarray(b, float).ravel() for b in intercepts]
    if coefs[-1].shape[1] != 1:
        raise ValueError("The trace is for one sigmoid output unit (two classes).")
    # forward
    signals, outputs, h = [], [], x
    for l, (W, b) in enumerate(zip(coefs, intercepts)):
        s = h @ W + b
        h = sigmoid(s) if l == len(coefs) - 1 else ACTIVATIONS[activation](s)
        signals.append(s)
        outputs.append(h)
    y, y_hat = int(y), float(outputs[-1][0])
    z = float(signals[-1][0])
    loss = -float(y * log_sigmoid(z) + (1 - y) * log_sigmoid(-z))
    # backward: the sensitivities, right to left
    deltas = [None] * len(coefs)
    deltas[-1] = outputs[-1] - y  # the sigmoid's slope cancels the log's: y_hat - y
    for l in range(len(coefs) - 2, -1, -1):
        deltas[l] = DERIVATIVES[activation](outputs[l]) * (coefs[l + 1] @ deltas[l + 1])
    inputs = [x, *outputs[:-1]]
    coef_grads = [np.outer(inputs[l], deltas[l]) for l in range(len(coefs))]
    return Trace(x, y, signals, outputs, deltas, coef_grads, [d.copy() for d in deltas],
                 y_hat, loss)
