"""Which pixels of a drawing made the network answer k: integrated gradients.

The plain gradient d log P(k | x) / dx (``MLPClassifier.input_gradient``, the saliency map)
says how P(k) would change if a pixel got a little more ink. On MNIST it looks like noise: it
is large on blank pixels the digit never touches, and it describes the network only near x.

Integrated gradients (Sundararajan, Taly and Yan, 2017) follow the straight path from a blank
pad (the baseline x' = 0) to the drawing and add up the gradient along it:

    IG_i(x) = x_i * integral_0^1 d log P(k | a x) / dx_i da
            ~ x_i * mean over a = (m - 1/2)/M, m = 1..M, of the gradient at a x

Every pixel without ink gets exactly 0, and the attributions add up to how much the drawing
raised log P(k) over the blank pad ("completeness"): sum_i IG_i = log P(k | x) - log P(k | 0),
up to the error of the M-point midpoint rule. Blue pixels of the drawing spoke for k, red ones
against it.
"""
import numpy as np


def integrated_gradients(model, X, k, steps=32):
    """IG of log P(classes_[k] | x) for each row of X against a blank baseline.

    Parameters
    ----------
    model : a fitted core MLPClassifier (anything with ``input_gradient(X, k)``).
    X : (n, n_features) inputs; k : int or (n,) class indices.
    steps : M, the points of the midpoint rule along the path.

    Returns
    -------
    (n, n_features) float64 attributions; each row sums to about
    log P(k | x) - log P(k | 0).
    """
    X = np.asarray(X, dtype=np.float64)
    n = len(X)
    alphas = (np.arange(steps) + 0.5) / steps
    path = (alphas[:, None, None] * X[None]).reshape(steps * n, -1)
    k = np.broadcast_to(np.asarray(k, dtype=int), (n,))
    grads = model.input_gradient(path, k=np.tile(k, steps)).reshape(steps, n, -1)
    return X * grads.mean(axis=0)
