"""The log-likelihood of a Bernoulli or categorical model, and its negative (cross-entropy).

The lectures *maximise* the log-likelihood LL(theta) by gradient ascent. Everything shown to the
user as a "loss" is the negative mean log-likelihood, -LL(theta) / n, also called the
cross-entropy. It is the same number on every page.

Computed from the logits z (never from probabilities) wherever possible: log sigma(z) and
log softmax(z) are then exact, so a confident model never produces log(0).
"""
import numpy as np

from .activations import log_sigmoid, log_softmax

# Probabilities are clipped to [EPS, 1 - EPS] before a log when only probabilities are known.
EPS = 1e-12


def mean_log_likelihood(Y, Z):
    """Mean log-likelihood (1/n) LL(theta) of one-hot or 0/1 targets given logits.

    Parameters
    ----------
    Y : ndarray of shape (n, 1) with 0/1 entries (one sigmoid output) or (n, K) one-hot (softmax).
    Z : ndarray of the same shape, the logits theta^T x.

    Returns
    -------
    float
        (1/n) sum_i [ y_i log sigma(z_i) + (1 - y_i) log(1 - sigma(z_i)) ] for one output,
        (1/n) sum_i sum_k y_ik log softmax(z_i)_k for K outputs.
    """
    Y = np.asarray(Y)
    Z = np.asarray(Z)
    n = max(len(Y), 1)
    if Z.shape[1] == 1:
        # log(1 - sigma(z)) = log sigma(-z)
        ll = Y * log_sigmoid(Z) + (1.0 - Y) * log_sigmoid(-Z)
    else:
        ll = Y * log_softmax(Z)
    return float(ll.sum() / n)


def cross_entropy(Y, Z):
    """Negative mean log-likelihood -LL(theta) / n: the loss every page shows."""
    return -mean_log_likelihood(Y, Z)


def softmax_cross_entropy_inplace(Z, Y):
    """Overwrite the logits Z (n, K) with softmax(Z) and return the mean cross-entropy.

    The loss comes from the same pass, in the log domain, so it is exact and needs no clipping:

        -log softmax(z)_y = log sum_k exp(z_k - m) - (z_y - m)

    for any shift m. One shift for the whole batch, m = max Z, is several times cheaper than
    each row's maximum and as exact while every exp(z_k - m) stays a normal number; when the
    batch's logits span more than that, each row is shifted by its own maximum.
    Logits that are not finite (a diverged step) give a NaN loss and leave Z as it was.
    """
    m, lo = float(Z.max()), float(Z.min())
    if not (np.isfinite(m) and np.isfinite(lo)):
        return float("nan")
    if not m - lo < _EXP_RANGE[Z.dtype]:
        m = Z.max(axis=1, keepdims=True)
    Z -= m
    z_true = float(np.vdot(Z, Y))  # sum_i (z_iy - m_i): Y is one-hot
    np.exp(Z, out=Z)
    s = Z @ np.ones(Z.shape[1], Z.dtype)  # row sums; as a product, 3x faster than sum(axis=1)
    Z /= s[:, None]
    return (float(np.log(s).sum()) - z_true) / len(Z)


# how far below the shift a logit may lie with exp() still a normal float: 78 in float32
_EXP_RANGE = {np.dtype(t): float(0.9 * -np.log(np.finfo(t).tiny)) for t in (np.float32, np.float64)}
