"""The gradient check: backpropagation against central finite differences, and what each costs.

The numerical way differentiates by nudging one parameter at a time,

    dJ/dtheta_k ~ [J(theta + eps e_k) - J(theta - eps e_k)] / (2 eps),

which needs no calculus and is correct to O(eps^2), but costs two forward passes *per
parameter*: 2P passes for P parameters. Backpropagation gets all P derivatives from one forward
and one backward pass. The lectures' verdict: the numerical approach is correct but
inefficient; it is how one checks a backpropagation, not how one trains.

The analytic side is ``core.mlp.backprop``. The objective is core.mlp's
J = -LL/n + (l2/2) sum ||W||^2 (the loss every page shows); the lectures ascend LL, so
dLL/dtheta = -n dJ/dtheta.
"""
import time
from dataclasses import dataclass

import numpy as np

from .activations import DERIVATIVES
from .losses import cross_entropy
from .mlp import backprop as mlp_backprop
from .mlp import feedforward, forward, init_weights

EPS = 1e-6


def objective(X, Y, coefs, intercepts, activation, l2=0.0, l1=0.0):
    """J = -LL/n + (l2/2) sum ||W||^2 + l1 sum |W|, from the logits (exact logs)."""
    Z = forward(X, coefs, intercepts, activation, output="logits")[-1]
    J = cross_entropy(Y, Z)
    if l2:
        J += 0.5 * l2 * sum(float((W ** 2).sum()) for W in coefs)
    if l1:
        J += l1 * sum(float(np.abs(W).sum()) for W in coefs)
    return J


def numerical_gradient(f, params, eps=EPS):
    """Central differences of the scalar f() with respect to every entry of every array.

    Each entry is nudged in place to +eps and -eps and put back, so f must read ``params``.
    Two calls of f per entry.
    """
    grads = []
    for p in params:
        g = np.zeros_like(p, dtype=np.float64)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + eps
            f_plus = f()
            p[idx] = old - eps
            f_minus = f()
            p[idx] = old
            g[idx] = (f_plus - f_minus) / (2 * eps)
        grads.append(g)
    return grads


def relative_error(analytic, numeric, floor=1e-12):
    """|a - n| / max(|a| + |n|, floor): about 1e-9 or less for a right gradient in float64.

    Scale-free, so a small gradient is judged like a large one; the floor only avoids 0/0 where
    both are exactly zero.
    """
    a, n = np.asarray(analytic, float), np.asarray(numeric, float)
    return np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n), floor)


def parameter_names(coefs):
    """Lecture names for the parameters in ``flatten`` order.

    For the lectures' network (one hidden layer, one output): "θ(h)[i,j]" (i = 0 is the bias,
    the weight on x_0 = 1) then "θ(y)[j]" (j = 0 on h_0 = 1). Otherwise "W1[i,j]", "b1[j]", ...
    """
    if len(coefs) == 2 and coefs[1].shape[1] == 1:
        m_x, m_h = coefs[0].shape
        return ([f"θ(h)[{i},{j}]" for i in range(m_x + 1) for j in range(1, m_h + 1)]
                + [f"θ(y)[{j}]" for j in range(m_h + 1)])
    names = []
    for l, W in enumerate(coefs, start=1):
        names += [f"b{l}[{j}]" for j in range(W.shape[1])]
        names += [f"W{l}[{i},{j}]" for i in range(W.shape[0]) for j in range(W.shape[1])]
    return names


def flatten(coefs, intercepts):
    """One vector in ``parameter_names`` order: per layer, the bias row first, then the weights."""
    parts = []
    if len(coefs) == 2 and coefs[1].shape[1] == 1:
        parts = [np.vstack([intercepts[0][None, :], coefs[0]]).ravel(),
                 np.r_[intercepts[1], coefs[1][:, 0]]]
    else:
        for W, b in zip(coefs, intercepts):
            parts += [np.ravel(b), np.ravel(W)]
    return np.concatenate(parts).astype(np.float64)


@dataclass(frozen=True)
class GradCheck:
    """Analytic and numerical dJ/dtheta for every parameter, in ``parameter_names`` order."""
    names: tuple
    analytic: np.ndarray
    numeric: np.ndarray
    relative_error: np.ndarray
    eps: float

    @property
    def absolute_error(self):
        return np.abs(self.analytic - self.numeric)

    @property
    def worst(self):
        """Index of the largest relative error."""
        return int(np.argmax(self.relative_error))

    @property
    def max_relative_error(self):
        return float(self.relative_error.max())

    def passed(self, rtol=1e-6, atol=1e-8):
        """Every |analytic - numeric| <= atol + rtol (|analytic| + |numeric|).

        The absolute floor is for tiny gradients: central differences carry a rounding error of
        about machine-eps |J| / eps (~1e-10 here) whatever the gradient, so a gradient of 1e-7
        can show a relative error of 1e-4 although backprop is exact. A real bug (a missing
        g'(z), a flipped sign) is off by a good part of the gradient itself.
        """
        a, n = np.abs(self.analytic), np.abs(self.numeric)
        return bool(np.all(self.absolute_error <= atol + rtol * (a + n)))


def check_gradients(X, Y, coefs, intercepts, activation="sigmoid", l2=0.0, eps=EPS,
                    backprop=mlp_backprop):
    """Compare ``backprop``'s gradients with central differences of J for every parameter.

    Parameters
    ----------
    X : ndarray (n, m_x); Y : ndarray (n, 1) of 0/1 (or (n, K) one-hot).
    coefs, intercepts : the network in core.mlp's layout (copied; never changed).
    activation : hidden units' g.
    l2 : weight decay in J.
    eps : the finite-difference step.
    backprop : a function with core.mlp.backprop's signature,
        ``backprop(X, Y, coefs, intercepts, activation, l2) -> (coef_grads, intercept_grads)``;
        pass a broken one (``BUGGY_BACKPROPS``) to see the check catch it.

    Returns
    -------
    GradCheck
    """
    X = np.asarray(X, np.float64)
    Y = np.asarray(Y, np.float64).reshape(len(X), -1)
    coefs = [np.array(W, np.float64) for W in coefs]
    intercepts = [np.array(b, np.float64) for b in intercepts]
    gW, gb = backprop(X, Y, coefs, intercepts, activation, l2)
    analytic = flatten(gW, gb)
    params = [*coefs, *intercepts]
    num = numerical_gradient(lambda: objective(X, Y, coefs, intercepts, activation, l2),
                             params, eps)
    numeric = flatten(num[:len(coefs)], num[len(coefs):])
    return GradCheck(tuple(parameter_names(coefs)), analytic, numeric,
                     relative_error(analytic, numeric), eps)


# ---- deliberately wrong backpropagations, for the check to catch --------------------------
# Each is core.mlp.backprop written out again with one line broken, the way hand-written
# backprops break; the broken line is marked BUG.
def _forgot_slope(X, Y, coefs, intercepts, activation, l2=0.0):
    """backprop with the hidden layers' g'(z) factor forgotten."""
    n, n_layers = len(X), len(coefs)
    coef_grads, intercept_grads = [None] * n_layers, [None] * n_layers
    # feedforward
    zs, hs = feedforward(X, coefs, intercepts, activation)
    # backward pass
    delta = (hs[-1] - Y) / n
    for l in range(n_layers - 1, -1, -1):
        h_prev = X if l == 0 else hs[l - 1]
        coef_grads[l] = h_prev.T @ delta + l2 * coefs[l]
        intercept_grads[l] = delta.sum(axis=0)
        if l > 0:
            delta = delta @ coefs[l].T  # BUG: should be times g'(z_(l-1))
    return coef_grads, intercept_grads


def _flipped_delta(X, Y, coefs, intercepts, activation, l2=0.0):
    """backprop with the output delta written y - y_hat (LL's ascent direction) in a descent
    on J."""
    n, n_layers = len(X), len(coefs)
    g_prime = DERIVATIVES[activation]
    coef_grads, intercept_grads = [None] * n_layers, [None] * n_layers
    # feedforward
    zs, hs = feedforward(X, coefs, intercepts, activation)
    # backward pass
    delta = (Y - hs[-1]) / n  # BUG: dJ/dz_L is y_hat - y
    for l in range(n_layers - 1, -1, -1):
        h_prev = X if l == 0 else hs[l - 1]
        coef_grads[l] = h_prev.T @ delta + l2 * coefs[l]
        intercept_grads[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ coefs[l].T) * g_prime(hs[l - 1])
    return coef_grads, intercept_grads


BUGGY_BACKPROPS = {
    "forgot g′(z) in the hidden layer": _forgot_slope,
    "output delta y − ŷ instead of ŷ − y": _flipped_delta,
}


# ---- the cost of each way ---------------------------------------------------------------------
@dataclass(frozen=True)
class Timing:
    """Seconds for one full gradient each way, for one network size."""
    hidden: int
    n_params: int
    backprop_seconds: float
    numerical_seconds: float
    forward_passes: int

    @property
    def ratio(self):
        return self.numerical_seconds / self.backprop_seconds


def _best_time(fn, min_seconds=0.01, repeats=7):
    """Best-of-``repeats`` seconds per call of fn, each measured over enough calls to last."""
    calls, best = 1, np.inf
    while True:
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        elapsed = time.perf_counter() - t0
        if elapsed >= min_seconds or calls >= 1 << 16:
            break
        calls *= 2
    best = elapsed / calls
    for _ in range(repeats - 1):
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        best = min(best, (time.perf_counter() - t0) / calls)
    return best


def time_gradients(n_inputs=40, hidden_sizes=(2, 8, 20, 32, 128), n_samples=32,
                   activation="sigmoid", random_state=0):
    """Time one gradient by backpropagation and by central differences, per hidden size.

    A one-hidden-layer network with ``n_inputs`` inputs and one output (by default the quiz's
    |x| = 40; |h| = 20 is its network), on ``n_samples`` random examples. The numerical
    gradient is timed in full (2P forward passes; the best of up to 5 runs while a run takes
    under 50 ms); backpropagation (one forward and one backward pass) as the best of several.

    Returns
    -------
    list of Timing, one per hidden size.
    """
    rng = np.random.default_rng(random_state)
    X = rng.normal(size=(n_samples, n_inputs))
    Y = rng.integers(0, 2, (n_samples, 1)).astype(np.float64)
    rows = []
    for m_h in hidden_sizes:
        coefs, intercepts = init_weights([n_inputs, m_h, 1], activation, rng)
        n_params = sum(W.size + b.size for W, b in zip(coefs, intercepts))

        def by_backprop():
            return mlp_backprop(X, Y, coefs, intercepts, activation)

        t_backprop = _best_time(by_backprop)
        t_numeric = np.inf
        for _ in range(5):  # the best of a few runs while they are cheap; big ones run once
            t0 = time.perf_counter()
            numerical_gradient(lambda: objective(X, Y, coefs, intercepts, activation),
                               [*coefs, *intercepts])
            elapsed = time.perf_counter() - t0
            t_numeric = min(t_numeric, elapsed)
            if elapsed > 0.05:
                break
        rows.append(Timing(int(m_h), int(n_params), t_backprop, t_numeric, 2 * n_params))
    return rows


def time_network(X, Y, coefs, intercepts, activation):
    """The same timing as ``time_gradients`` for one given network on the given data: one
    gradient by backpropagation (best of several) and by central differences (best of up to 5
    while they are cheap). Returns a Timing (``hidden`` is the first hidden layer's width)."""
    X = np.asarray(X, np.float64)
    Y = np.asarray(Y, np.float64).reshape(len(X), -1)
    coefs = [np.array(W, np.float64) for W in coefs]
    intercepts = [np.array(b, np.float64) for b in intercepts]
    n_params = sum(W.size + b.size for W, b in zip(coefs, intercepts))
    t_backprop = _best_time(lambda: mlp_backprop(X, Y, coefs, intercepts, activation))
    t_numeric = np.inf
    for _ in range(5):
        t0 = time.perf_counter()
        numerical_gradient(lambda: objective(X, Y, coefs, intercepts, activation),
                           [*coefs, *intercepts])
        elapsed = time.perf_counter() - t0
        t_numeric = min(t_numeric, elapsed)
        if elapsed > 0.05:
            break
    return Timing(int(coefs[0].shape[1]), int(n_params), t_backprop, t_numeric, 2 * n_params)
