"""A multilayer perceptron: logistic-regression-like units stacked in layers.

Notation follows the lectures and scikit-learn's layout: samples are rows, layer l maps its input
a_(l-1) to

    z_l = a_(l-1) W_l + b_l,    h_l = g(z_l)            (W_l has shape (fan_in, fan_out))

with g = sigmoid, tanh or relu for hidden layers, and y_hat = sigma(z_L) (one output, two classes)
or softmax(z_L) (K classes) at the output.

Training minimises the cross-entropy, the negative mean log-likelihood -LL(theta)/n, plus
(l2/2) sum ||W_l||^2 (biases are not penalised). Stepping *down* this loss is the lectures'
gradient *ascent* on LL: theta += eta dLL/dtheta is theta -= eta dJ/dtheta.

Backpropagation is the chain rule applied layer by layer from the output:

    delta_L = (y_hat - y) / n                         (dJ/dz_L, the same for sigmoid and softmax)
    dJ/dW_l = a_(l-1)^T delta_l + l2 W_l,   dJ/db_l = sum_i delta_l
    delta_(l-1) = (delta_l W_l^T) * g'(z_(l-1))       (g' written with the output h, see activations)
"""
import numbers

import numpy as np

from ._estimator import GradientClassifier
from .activations import (ACTIVATIONS_INPLACE, DERIVATIVES, sigmoid_inplace, softmax_inplace)
from .losses import EPS, softmax_cross_entropy_inplace


def init_weights(layer_sizes, activation, rng, dtype=np.float64):
    """Glorot-uniform weights and biases for ``layer_sizes = [n_in, h_1, ..., n_out]``.

    The bound sqrt(6 / (fan_in + fan_out)) keeps each layer's output variance close to its input's;
    sigmoid units use sqrt(2 / ...) as scikit-learn does, because sigma'(0) = 1/4.
    """
    factor = 2.0 if activation == "sigmoid" else 6.0
    coefs, intercepts = [], []
    for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        bound = np.sqrt(factor / (fan_in + fan_out))
        coefs.append(rng.uniform(-bound, bound, (fan_in, fan_out)).astype(dtype))
        intercepts.append(rng.uniform(-bound, bound, fan_out).astype(dtype))
    return coefs, intercepts


def forward(X, coefs, intercepts, activation, output="proba", out=None):
    """Every layer's output for the inputs X.

    Parameters
    ----------
    X : ndarray (n, n_features)
    coefs, intercepts : lists of (fan_in, fan_out) and (fan_out,) arrays.
    activation : "sigmoid", "tanh" or "relu", for the hidden layers.
    output : "proba" applies sigma / softmax at the last layer; "logits" leaves z_L.
    out : optional list of preallocated buffers, one per layer, with at least n rows.

    Returns
    -------
    list of ndarrays [h_1, ..., h_(L-1), y_hat or z_L], each (n, fan_out).
    """
    # feedforward
    acts = []
    a = X
    last = len(coefs) - 1
    for l, (W, b) in enumerate(zip(coefs, intercepts)):
        z = np.matmul(a, W, out=None if out is None else out[l][:len(X)])
        z += b
        if l < last:
            ACTIVATIONS_INPLACE[activation](z)
        elif output == "proba":
            sigmoid_inplace(z) if z.shape[1] == 1 else softmax_inplace(z)
        acts.append(z)
        a = z
    return acts


def backward(X, Y, acts, coefs, activation, l2=0.0, grads=None, deltas=None, scale=1.0,
             ones=None):
    """Gradients of J = -LL/n + (l2/2) sum ||W||^2 by the chain rule.

    ``acts`` is ``forward(X, ...)``'s output with probabilities at the end. It is consumed: the
    output buffer is overwritten with the output delta to save an allocation. ``scale``
    multiplies every gradient; training passes the learning rate, so the step is a subtraction.
    ``ones``, a vector of at least n ones, lets the bias gradients sum_i delta_i run as one BLAS
    product (about 3x faster than ``np.sum(axis=0)`` on a minibatch).

    Returns
    -------
    coef_grads, intercept_grads : lists shaped like coefs and intercepts.
    """
    # backward pass
    n = len(X)
    L = len(coefs)
    if grads is None:
        grads = ([np.empty_like(W) for W in coefs], [np.empty(W.shape[1], W.dtype) for W in coefs])
    coef_grads, intercept_grads = grads
    # Output delta dJ/dz_L = (y_hat - y) / n for sigmoid + binary cross-entropy and for
    # softmax + categorical cross-entropy alike: the derivative of the link cancels the log's.
    delta = acts[-1]
    delta -= Y
    delta *= scale / n
    for l in range(L - 1, -1, -1):
        a_prev = X if l == 0 else acts[l - 1]
        g = coef_grads[l]
        if g.flags.f_contiguous and not g.flags.c_contiguous:
            np.matmul(delta.T, a_prev, out=g.T)  # the same product, written row-major into g.T
        else:
            np.matmul(a_prev.T, delta, out=g)
        if l2:
            coef_grads[l] += (scale * l2) * coefs[l]
        if ones is None:
            np.sum(delta, axis=0, out=intercept_grads[l])
        else:
            np.matmul(ones[:n], delta, out=intercept_grads[l])
        if l > 0:
            # chain rule one layer down: dJ/dh = delta W^T, then times g'(z) = g'(h)
            buf = None if deltas is None else deltas[l - 1][:n]
            delta = np.matmul(delta, coefs[l].T, out=buf)
            h = acts[l - 1]
            if activation == "relu":
                np.multiply(delta, h > 0, out=delta)  # 15x faster than copyto(where=)
            else:
                delta *= DERIVATIVES[activation](h)
    return coef_grads, intercept_grads


def input_gradient(X, coefs, intercepts, activation, k):
    """Saliency: d log P(class k | x) / dx for each row of X, backpropagated to the pixels.

    ``backward``'s chain rule with two changes: the quantity is log y_hat_k rather than the
    log-likelihood, and it is carried one layer further, to the input instead of the weights:

        delta_L = d log y_hat_k / dz_L = e_k - y_hat      (softmax; for one sigmoid output,
                                                           1 - y_hat for k = 1 and -y_hat for k = 0)
        delta_(l-1) = (delta_l W_l^T) * g'(h_(l-1))
        d log y_hat_k / dx = delta_1 W_1^T

    Parameters
    ----------
    X : ndarray (n, n_features)
    coefs, intercepts : the network's weights, as for ``forward``.
    activation : "sigmoid", "tanh" or "relu".
    k : int or (n,) ints, the class index (a column of the output, i.e. an index into classes_).

    Returns
    -------
    ndarray (n, n_features), float64: positive where more input raises P(class k).
    """
    X = np.asarray(X, dtype=np.float64)
    coefs = [np.asarray(W, dtype=np.float64) for W in coefs]
    intercepts = [np.asarray(b, dtype=np.float64) for b in intercepts]
    # feedforward
    acts = forward(X, coefs, intercepts, activation)
    y_hat = acts[-1]
    k = np.broadcast_to(np.asarray(k, dtype=int), (len(X),))
    # backward pass: the derivative of log softmax_k (or log sigma) cancels the link, as in
    # backward's output delta, leaving indicator minus probability
    if y_hat.shape[1] == 1:
        delta = np.where(k == 1, 1.0 - y_hat[:, 0], -y_hat[:, 0])[:, None]
    else:
        delta = -y_hat
        delta[np.arange(len(X)), k] += 1.0
    for l in range(len(coefs) - 1, 0, -1):
        delta = (delta @ coefs[l].T) * DERIVATIVES[activation](acts[l - 1])
    return delta @ coefs[0].T


def batch_cross_entropy(Y, P):
    """Negative mean log-likelihood of a batch from probabilities, with clipped logs."""
    if P.shape[1] == 1:
        # in float64: 1 - EPS rounds to 1.0 in float32 and log1p(-1) is -inf
        p = np.clip(P.astype(np.float64), EPS, 1 - EPS)
        ll = Y * np.log(p) + (1 - Y) * np.log1p(-p)
        return float(-ll.sum(dtype=np.float64) / len(P))
    p_true = np.einsum("ij,ij->i", P, Y)
    return float(-np.log(np.clip(p_true, EPS, 1.0)).sum(dtype=np.float64) / len(P))


def xor_by_hand(steepness=5.0):
    """The lectures' XOR network, weights set by hand: an OR unit and an AND unit, combined.

    On the corners (+-1, +-1), with sigmoid units (0 = false, 1 = true):

        h_OR  = sigma(k (x1 + x2 + 1))     true unless both inputs are -1
        h_AND = sigma(k (x1 + x2 - 1))     true only when both are +1
        y_hat = sigma(2k (h_OR - h_AND - 1/2))   OR and not AND: XOR

    The lectures write the same with sign units, OR = sign(x1 + x2 + 1.5) and
    AND = sign(x1 + x2 - 1.5). Returns (coefs, intercepts) for a 2-2-1 sigmoid network.
    """
    k = float(steepness)
    coefs = [np.array([[k, k], [k, k]]), np.array([[2 * k], [-2 * k]])]
    intercepts = [np.array([k, -k]), np.array([-k])]
    return coefs, intercepts


def nonzero_columns(X):
    """Indices of the columns of X that hold a non-zero value in some row."""
    return np.flatnonzero((X != 0).any(axis=0))


class _Workspace:
    """Preallocated activations, deltas and gradients for one set of shapes and batch size.

    It also runs the first layer on the *active* inputs only. Columns of a minibatch that are zero
    in every example (an image's blank border: about a third of MNIST's 784 pixels in a batch of
    128) add nothing to z_1 = X W_1, and the rows of W_1 they meet get no gradient from the data,
    X^T delta_1. Dropping them shrinks the step's two largest products by the same fraction and
    changes no result beyond rounding.
    """

    MIN_UNITS = 64       # first layers narrower than this gain less than the compaction costs
    MAX_ROWS = 4096      # larger (full) batches are not copied: that would double X's memory
    MAX_ACTIVE = 0.8     # compact only batches with at most this fraction of columns active
    BACKOFF = 16         # dense batches in a row make it look again after 1, 3, 7, 15, 16 steps

    def __init__(self, coefs, batch_size):
        dt = coefs[0].dtype
        self.shapes = [W.shape for W in coefs]
        self.batch_size = batch_size
        self.acts = [np.empty((batch_size, W.shape[1]), dt) for W in coefs]
        self.deltas = [np.empty((batch_size, W.shape[1]), dt) for W in coefs[:-1]]
        self.grads = ([np.empty_like(W) for W in coefs], [np.empty(W.shape[1], dt) for W in coefs])
        self.ones = np.ones(batch_size, dt)
        n_in, n_h = coefs[0].shape
        self.compacts = (n_in >= self.MIN_UNITS and n_h >= self.MIN_UNITS
                         and batch_size <= self.MAX_ROWS)
        if self.compacts:
            # flat, viewed at each batch's width k: X[:, cols] (n, k), W_1[cols] and its gradient
            self.X_active = np.empty(batch_size * n_in, dt)
            self.W_active = np.empty(n_in * n_h, dt)
            self.g_active = np.empty(n_in * n_h, dt)
        self.wait = self.backoff = 0

    def fits(self, coefs, n):
        return self.shapes == [W.shape for W in coefs] and n <= self.batch_size \
            and self.acts[0].dtype == coefs[0].dtype

    def active_columns(self, X):
        """Indices of the columns of X holding a non-zero, or None when compacting would not pay."""
        if not self.compacts:
            return None
        if self.wait:
            self.wait -= 1
            return None
        cols = nonzero_columns(X)
        if len(cols) > self.MAX_ACTIVE * X.shape[1]:
            self.wait = self.backoff = min(2 * self.backoff + 1, self.BACKOFF)
            return None
        self.backoff = 0
        return cols

    def compact(self, X, coefs, cols):
        """X[:, cols], the network with W_1[cols] as its first layer, and gradient buffers for it."""
        (n, k), n_h = (len(X), len(cols)), coefs[0].shape[1]
        X_a = np.take(X, cols, axis=1, out=self.X_active[:n * k].reshape(n, k), mode="clip")
        W_a = np.take(coefs[0], cols, axis=0, out=self.W_active[:k * n_h].reshape(k, n_h),
                      mode="clip")
        g_a = self.g_active[:k * n_h].reshape(k, n_h)
        return X_a, [W_a, *coefs[1:]], ([g_a, *self.grads[0][1:]], self.grads[1])

    def expand(self, cols, W1, decay):
        """Scatter the active rows' gradient into the full dJ/dW_1. The other rows get only the
        weight decay term ``decay * W1`` (zero without l2)."""
        g = self.grads[0][0]
        if decay:
            np.multiply(W1, decay, out=g)
        else:
            g.fill(0)
        g[cols] = self.g_active[:len(cols) * g.shape[1]].reshape(len(cols), g.shape[1])


class MLPClassifier(GradientClassifier):
    """A multilayer perceptron trained by minibatch SGD with hand-written backpropagation.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(100,)
        Units in each hidden layer.
    activation : {"sigmoid", "tanh", "relu"}, default="relu"
        g for the hidden units. The output is one sigmoid unit for two classes, softmax for more.
    learning_rate : float, default=0.1
        eta in W -= eta * dJ/dW (with momentum, in v = momentum * v - eta * dJ/dW; W += v).
    batch_size : int or None, default=200
        Examples per step (capped at n); None for full batch, 1 for plain SGD.
    momentum : float in [0, 1), default=0.0
    l2 : float, default=0.0
        Weight decay: adds (l2 / 2) sum ||W||^2 to the loss; biases are not penalised.
    max_iter : int, default=200
        Passes (epochs) over the data in ``fit``.
    tol : float, default=1e-4
        ``fit`` stops when the loss has not improved by tol for 10 epochs.
    random_state : int, Generator or None
        Seeds the initial weights and the shuffling.
    dtype : numpy float type, default=np.float64
        np.float32 halves memory traffic and is about twice as fast.

    Speed: a training step works in preallocated buffers and updates in place. Its first layer
    runs on the input columns that are non-zero somewhere in the batch (see ``_Workspace``):
    exact, and a third fewer multiply-adds on MNIST, whose digits leave their borders blank.

    Attributes
    ----------
    coefs_ : list of ndarrays (fan_in, fan_out); intercepts_ : list of (fan_out,).
        Assigning new arrays (e.g. a fitted scikit-learn MLPClassifier's) is allowed: later calls
        use them.
    classes_, n_iter_, t_ (steps taken), loss_curve_ (mean batch loss of each epoch).
    """

    def __init__(self, hidden_layer_sizes=(100,), activation="relu", learning_rate=0.1,
                 batch_size=200, momentum=0.0, l2=0.0, max_iter=200, tol=1e-4,
                 random_state=None, dtype=np.float64):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.momentum = momentum
        self.l2 = l2
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state
        self.dtype = dtype

    # ---- configuration -----------------------------------------------------------------
    def _dtype(self):
        dt = np.dtype(self.dtype)
        if dt not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64, got {self.dtype!r}.")
        return dt

    def _hidden_sizes(self):
        sizes = self.hidden_layer_sizes
        sizes = (sizes,) if isinstance(sizes, numbers.Integral) else tuple(sizes)
        if not all(isinstance(s, numbers.Integral) and s >= 1 for s in sizes):
            raise ValueError(f"hidden_layer_sizes must be positive integers, got {sizes!r}.")
        return sizes

    def _check_hyperparameters(self):
        super()._check_hyperparameters()
        self._hidden_sizes()
        self._dtype()
        if self.activation not in ACTIVATIONS_INPLACE:
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS_INPLACE)}, "
                             f"got {self.activation!r}.")
        m = self.momentum
        if not isinstance(m, numbers.Real) or not 0 <= m < 1:
            raise ValueError(f"momentum must be in [0, 1), got {m!r}.")

    # ---- parameters ----------------------------------------------------------------------
    def _init_params(self, n_features, n_outputs, rng):
        sizes = [n_features, *self._hidden_sizes(), n_outputs]
        self.coefs_, self.intercepts_ = init_weights(sizes, self.activation, rng, self._dtype())
        self._ws = None
        self._velocity = None

    def _params(self):
        return [*self.coefs_, *self.intercepts_]

    def _weights(self):
        """coefs_ and intercepts_ as arrays of our dtype (no copy when they already are)."""
        dt = self._dtype()
        # keep each array's layout (C or Fortran) when it is contiguous already
        coefs = [W if isinstance(W, np.ndarray) and W.dtype == dt and
                 (W.flags.c_contiguous or W.flags.f_contiguous) else np.ascontiguousarray(W, dt)
                 for W in self.coefs_]
        intercepts = [np.ascontiguousarray(b, dtype=dt).reshape(-1) for b in self.intercepts_]
        n_in = getattr(self, "n_features_in_", coefs[0].shape[0])
        expected_out = 1 if len(self.classes_) == 2 else len(self.classes_)
        prev = n_in
        for l, (W, b) in enumerate(zip(coefs, intercepts)):
            if W.ndim != 2 or W.shape[0] != prev or b.shape != (W.shape[1],):
                raise ValueError(f"coefs_[{l}] / intercepts_[{l}] have shapes {W.shape} / {b.shape}; "
                                 f"layer {l} expects {prev} inputs and matching biases.")
            prev = W.shape[1]
        if prev != expected_out:
            raise ValueError(f"The last layer has {prev} outputs but {len(self.classes_)} classes "
                             f"need {expected_out}.")
        return coefs, intercepts

    def _sync_params(self):
        self.coefs_, self.intercepts_ = (list(p) for p in self._weights())

    # ---- training ----------------------------------------------------------------------
    def _step(self, X, Y):
        """One SGD step on a batch, in preallocated buffers; returns the batch loss."""
        n = len(X)
        ws = getattr(self, "_ws", None)
        if ws is None or not ws.fits(self.coefs_, n):
            ws = self._ws = _Workspace(self.coefs_, max(n, self.batch_size or n))
        cols = ws.active_columns(X)
        if cols is None:
            X_in, coefs, grads = X, self.coefs_, ws.grads
        else:
            X_in, coefs, grads = ws.compact(X, self.coefs_, cols)
        acts = forward(X_in, coefs, self.intercepts_, self.activation, output="logits",
                       out=ws.acts)
        z = acts[-1]
        if z.shape[1] > 1:
            loss = softmax_cross_entropy_inplace(z, Y)
            if not np.isfinite(loss):
                return loss
        elif not np.isfinite(z.sum()):
            # logits that overflowed: sigma(+-inf) is a clean 0 or 1 and the clipped loss would
            # stay finite, hiding the divergence
            return float("nan")
        else:
            sigmoid_inplace(z)
            loss = batch_cross_entropy(Y, z)
        # gradients come back already times eta: the update is then one subtraction per array
        backward(X_in, Y, acts, coefs, self.activation, self.l2, grads=grads, deltas=ws.deltas,
                 scale=self.learning_rate, ones=ws.ones)
        params = [*self.coefs_, *self.intercepts_]
        steps = [*ws.grads[0], *ws.grads[1]]
        if cols is not None:
            if self.momentum or self.l2:
                ws.expand(cols, self.coefs_[0], self.learning_rate * self.l2)
            else:
                # Plain SGD moves only the active rows of W_1. Step them in the compact copy and
                # write them back: no full gradient that is mostly zeros.
                coefs[0] -= grads[0][0]
                self.coefs_[0][cols] = coefs[0]
                params, steps = params[1:], steps[1:]
        self._descend(params, steps)
        return loss

    def _descend(self, params, steps):
        """p -= eta g for each parameter, or with momentum v = mu v - eta g; p += v.
        ``steps`` hold eta g already."""
        mu = self.momentum
        if not mu:
            for p, g in zip(params, steps):
                p -= g
            return
        velocity = getattr(self, "_velocity", None)
        if (velocity is None or [v.shape for v in velocity] != [p.shape for p in params]
                or velocity[0].dtype != params[0].dtype):
            velocity = self._velocity = [np.zeros_like(p) for p in params]
        for p, g, v in zip(params, steps, velocity):
            v *= mu
            v -= g
            p += v

    # ---- prediction ----------------------------------------------------------------------
    def _logits(self, X):
        coefs, intercepts = self._weights()
        return forward(X, coefs, intercepts, self.activation, output="logits")[-1]

    def input_gradient(self, X, k=None):
        """d log P(classes_[k] | x) / dx for each row of X (see ``input_gradient``); k defaults
        to each row's predicted class index."""
        X = self._validate_X(X, reset=False)
        coefs, intercepts = self._weights()
        if k is None:
            Z = forward(X, coefs, intercepts, self.activation, output="logits")[-1]
            k = (Z[:, 0] > 0).astype(int) if Z.shape[1] == 1 else Z.argmax(axis=1)
        return input_gradient(X, coefs, intercepts, self.activation, k)

    def hidden_activations(self, X):
        """Each hidden layer's output h_l for X: a list of (n, units) arrays."""
        X = self._validate_X(X, reset=False)
        coefs, intercepts = self._weights()
        return forward(X, coefs, intercepts, self.activation)[:-1]
