"""A multilayer perceptron: logistic-regression-like units stacked in layers.

This module favours clarity: ``feedforward`` and ``backprop`` are written to be read next to the
lectures. The fast version of the same training step (buffers, in-place updates, column
compaction) lives in core/fast_step.py, and a test proves the two agree.

Notation follows the lectures and scikit-learn's layout: samples are rows, and layer l maps its
input h_(l-1) (with h_0 = x) to

    z_l = h_(l-1) W_l + b_l,    h_l = g(z_l)            (W_l has shape (fan_in, fan_out))

with g = sigmoid, tanh or relu for hidden layers, and y_hat = sigma(z_L) (one output, two
classes) or softmax(z_L) (K classes) at the output layer L. In the code, lists start at 0: the
lectures' layer l is ``coefs[l - 1]``, ``zs[l - 1]``, ``hs[l - 1]``.

Training minimises the cross-entropy, the negative mean log-likelihood -LL(theta)/n, plus
(l2/2) sum ||W_l||^2 (biases are not penalised). Stepping *down* this loss is the lectures'
gradient *ascent* on LL: theta += eta dLL/dtheta is theta -= eta dJ/dtheta.
"""
import numbers

import numpy as np

from ._estimator import GradientClassifier, _real
from .activations import ACTIVATIONS, DERIVATIVES, sigmoid, softmax
from .errors import excerpt
from .fast_step import FastStep, forward_into

MAX_HIDDEN_LAYERS = 100
# What training one network may take (weights, gradients, one batch's activations): beyond it
# a setting is refused with a message instead of ending in numpy's MemoryError.
MAX_TRAINING_BYTES = 2**30


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


def weights_dict(coefs, intercepts):
    """The network's arrays by name, as ``MLPClassifier.get_weights`` names them (no copies):
    {"coef_0": W_1, ..., "intercept_0": b_1, ...}."""
    return {**{f"coef_{l}": W for l, W in enumerate(coefs)},
            **{f"intercept_{l}": b for l, b in enumerate(intercepts)}}


def output_activation(z):
    """y_hat from the last layer's z: sigma for one output column, softmax for several."""
    return sigmoid(z) if z.shape[1] == 1 else softmax(z)


def feedforward(X, coefs, intercepts, activation):
    """Every layer's pre-activation z and output h for the inputs X.

    Parameters
    ----------
    X : ndarray (n, n_features)
    coefs, intercepts : lists of (fan_in, fan_out) and (fan_out,) arrays, one per layer.
    activation : "sigmoid", "tanh" or "relu", the hidden layers' g.

    Returns
    -------
    zs : list of ndarrays (n, fan_out); zs[l] = h @ coefs[l] + intercepts[l], with h = X for
        l = 0 and hs[l - 1] after: the pre-activation z of the lectures' layer l + 1.
    hs : list of ndarrays (n, fan_out); hs[l] = g(zs[l]) for hidden layers, and
        y_hat = sigma(z_L) or softmax(z_L) at the output.
    """
    g = ACTIVATIONS[activation]
    n_layers = len(coefs)
    zs, hs = [], []
    h = X
    for l, (W, b) in enumerate(zip(coefs, intercepts)):
        z = h @ W + b
        h = g(z) if l < n_layers - 1 else output_activation(z)
        zs.append(z)
        hs.append(h)
    return zs, hs


def forward(X, coefs, intercepts, activation, output="proba"):
    """Every layer's output for the inputs X: [h_1, ..., h_(L-1), y_hat or z_L].

    Parameters
    ----------
    X : ndarray (n, n_features)
    coefs, intercepts : lists of (fan_in, fan_out) and (fan_out,) arrays.
    activation : "sigmoid", "tanh" or "relu", for the hidden layers.
    output : "proba" ends with y_hat (sigma or softmax); "logits" ends with z_L.

    Returns
    -------
    list of ndarrays, each (n, fan_out).
    """
    if output not in ("proba", "logits"):
        raise ValueError(f"output must be 'proba' or 'logits', got {output!r}.")
    g = ACTIVATIONS[activation]
    outputs = []
    h = X
    for W, b in zip(coefs[:-1], intercepts[:-1]):
        h = g(h @ W + b)
        outputs.append(h)
    z = h @ coefs[-1] + intercepts[-1]
    outputs.append(output_activation(z) if output == "proba" else z)
    return outputs


def backprop(X, Y, coefs, intercepts, activation, l2=0.0, l1=0.0):
    """Gradients of J = -LL/n + (l2/2) sum_l ||W_l||^2 + l1 sum_l |W_l| by backpropagation.

    The chain rule, applied layer by layer from the output (h_0 = X, n examples):

        delta_L     = dJ/dz_L = (y_hat - y) / n
        dJ/dW_l     = h_(l-1)^T delta_l + l2 W_l + l1 sign(W_l)
        dJ/db_l     = sum_i delta_l[i]
        delta_(l-1) = (delta_l W_l^T) * g'(z_(l-1))

    Parameters
    ----------
    X : ndarray (n, n_features)
    Y : ndarray (n, 1) of 0/1 (one sigmoid output) or (n, K) one-hot (softmax).
    coefs, intercepts : lists of (fan_in, fan_out) and (fan_out,) arrays, one per layer.
    activation : "sigmoid", "tanh" or "relu", the hidden layers' g.
    l2 : weight decay; biases are not penalised.

    Returns
    -------
    coef_grads : list of dJ/dW_l, shaped like coefs.
    intercept_grads : list of dJ/db_l, shaped like intercepts.
    """
    n = len(X)
    n_layers = len(coefs)
    g_prime = DERIVATIVES[activation]
    coef_grads = [None] * n_layers
    intercept_grads = [None] * n_layers

    # feedforward (the zs are not needed below: g'(z) is written with h = g(z))
    zs, hs = feedforward(X, coefs, intercepts, activation)

    # backward pass
    # The output delta is simply y_hat - y (over n, as J is a mean): for a sigmoid output with
    # the binary cross-entropy, and for softmax with the categorical one, the derivative of the
    # log-likelihood and the derivative of the link cancel each other.
    delta = (hs[-1] - Y) / n
    for l in range(n_layers - 1, -1, -1):  # coefs[l] is the lectures' W_(l+1)
        h_prev = X if l == 0 else hs[l - 1]
        coef_grads[l] = h_prev.T @ delta + l2 * coefs[l]
        if l1:  # the L1 penalty's (sub)gradient: it pulls each weight towards 0 at one speed
            coef_grads[l] = coef_grads[l] + l1 * np.sign(coefs[l])
        intercept_grads[l] = delta.sum(axis=0)
        if l > 0:
            # one layer down: dJ/dh = delta W^T, times g'(z), which DERIVATIVES writes with h
            delta = (delta @ coefs[l].T) * g_prime(hs[l - 1])
    return coef_grads, intercept_grads


def input_gradient(X, coefs, intercepts, activation, k):
    """Saliency: d log P(class k | x) / dx for each row of X, backpropagated to the pixels.

    ``backprop``'s chain rule with two changes: the quantity is log y_hat_k rather than the
    log-likelihood, and it is carried one layer further, to the input instead of the weights:

        delta_L = d log y_hat_k / dz_L = e_k - y_hat      (softmax; for one sigmoid output,
                                                           1 - y_hat for k = 1 and -y_hat for k = 0)
        delta_(l-1) = (delta_l W_l^T) * g'(z_(l-1))
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
    zs, hs = feedforward(X, coefs, intercepts, activation)
    y_hat = hs[-1]
    k = np.broadcast_to(np.asarray(k, dtype=int), (len(X),))
    # backward pass: the derivative of log softmax_k (or log sigma) cancels the link, as in
    # backprop's output delta, leaving indicator minus probability
    if y_hat.shape[1] == 1:
        delta = np.where(k == 1, 1.0 - y_hat[:, 0], -y_hat[:, 0])[:, None]
    else:
        delta = -y_hat
        delta[np.arange(len(X)), k] += 1.0
    for l in range(len(coefs) - 1, 0, -1):
        delta = (delta @ coefs[l].T) * DERIVATIVES[activation](hs[l - 1])
    return delta @ coefs[0].T


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


def xor_by_sign(steepness=5.0):
    """The lectures' own XOR network: two separators, then AND and OR perceptrons, with sign
    units (+1 true, -1 false) made smooth as tanh(k z) (k = ``steepness``; k -> infinity is
    sign). On the corners (+-1, +-1):

        h1 = sign(x1),  h2 = sign(x2)                               the two separators
        a = AND(h1, not h2) = sign(h1 - h2 - 1.5)                   a 2-input perceptron
        b = AND(not h1, h2) = sign(-h1 + h2 - 1.5)
        f = OR(a, b) = sign(a + b + 1.5) = h1 h2' + h1' h2          XOR: the output's z

    Returns (coefs, intercepts) for a 2-2-2-1 tanh network whose output P = sigma(k f).
    """
    k = float(steepness)
    coefs = [np.array([[k, 0.0], [0.0, k]]), np.array([[k, -k], [-k, k]]), np.array([[k], [k]])]
    intercepts = [np.zeros(2), np.array([-1.5 * k, -1.5 * k]), np.array([1.5 * k])]
    return coefs, intercepts


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
    l1 : float, default=0.0
        Adds l1 sum |W| to the loss: its pull towards 0 is the same for every weight, so small
        weights end at exactly 0 (sparse networks, as TF Playground shows). Applied after each
        step as a proximal step (soft thresholding), beside the momentum.
    max_iter : int, default=200
        Passes (epochs) over the data in ``fit``.
    tol : float, default=1e-4
        ``fit`` stops when the loss has not improved by tol for 10 epochs.
    random_state : int, Generator or None
        Seeds the initial weights and the shuffling.
    dtype : numpy float type, default=np.float64
        np.float32 halves memory traffic and is about twice as fast.

    A training step is ``backprop``'s arithmetic done fast, in place (core/fast_step.py).

    Every setting is checked before anything is allocated (a ValueError names the bad one): at
    most ``MAX_HIDDEN_LAYERS`` hidden layers, and no network or batch size whose training would
    take more than ``MAX_TRAINING_BYTES`` (see ``training_bytes``).

    Attributes
    ----------
    coefs_ : list of ndarrays (fan_in, fan_out); intercepts_ : list of (fan_out,).
        ``get_weights`` / ``set_weights`` read and replace them by name ("coef_0", ...,
        "intercept_0", ...). Arrays assigned directly (e.g. a fitted scikit-learn
        MLPClassifier's) are used by later calls too.
    classes_, n_iter_, t_ (steps taken), n_seen_ (examples processed), loss_curve_ (mean batch
    loss of each epoch).
    """

    def __init__(self, hidden_layer_sizes=(100,), activation="relu", learning_rate=0.1,
                 batch_size=200, momentum=0.0, l2=0.0, max_iter=200, tol=1e-4,
                 random_state=None, dtype=np.float64, l1=0.0):
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
        self.l1 = l1

    # ---- configuration -----------------------------------------------------------------
    def _dtype(self):
        try:
            dt = np.dtype(self.dtype)
        except (TypeError, ValueError):
            dt = None
        if dt not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64, got {excerpt(self.dtype)}.")
        return dt

    def _hidden_sizes(self):
        sizes = self.hidden_layer_sizes
        if isinstance(sizes, numbers.Integral) and not isinstance(sizes, bool):
            sizes = (sizes,)
        elif isinstance(sizes, (list, tuple, np.ndarray)) and len(sizes) <= MAX_HIDDEN_LAYERS:
            sizes = tuple(sizes)
        else:
            sizes = None
        if sizes is None or not all(isinstance(s, numbers.Integral) and not isinstance(s, bool)
                                    and s >= 1 for s in sizes):
            raise ValueError(f"hidden_layer_sizes must be up to {MAX_HIDDEN_LAYERS} positive "
                             f"integers, got {excerpt(self.hidden_layer_sizes)}.")
        return sizes

    def _check_hyperparameters(self):
        super()._check_hyperparameters()
        self._dtype()
        activation = self.activation
        if not isinstance(activation, str) or activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, "
                             f"got {excerpt(activation)}.")
        m = self.momentum
        if not _real(m) or not 0 <= m < 1:
            raise ValueError(f"momentum must be in [0, 1), got {excerpt(m)}.")
        if not _real(self.l1) or self.l1 < 0:
            raise ValueError(f"l1 must be a non-negative number, got {excerpt(self.l1)}.")
        self._check_size(1, 0, remember=False)  # the hidden layers alone, before the data

    def training_bytes(self, n_features, n_outputs, batch_rows):
        """Memory that training this network takes, in bytes, estimated before allocating:
        the weights, their gradients, velocities and a copy, plus one batch's inputs,
        activations and deltas for ``batch_rows`` rows (see core/fast_step.py's Workspace)."""
        sizes = [n_features, *self._hidden_sizes(), n_outputs]
        n_params = sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))
        per_row = 2 * sum(sizes[1:]) + 2 * n_features + n_outputs + 1
        return self._dtype().itemsize * (4 * n_params + batch_rows * per_row)

    def _check_size(self, n_features, n_rows, remember=True):
        """Refuse a network (and batch size) whose training would take more than
        ``MAX_TRAINING_BYTES``; a full batch is ``n_rows`` rows. Remembers the largest batch
        size that fits, so that a batch size changed during training is checked too."""
        bs = self._check_batch_size()
        n_outputs = self._n_outputs() if hasattr(self, "classes_") else 1
        rows = max(bs or n_rows, 1)
        need = self.training_bytes(n_features, n_outputs, rows)
        if need > MAX_TRAINING_BYTES:
            raise ValueError(
                f"This network would need {need / 2**30:,.3g} GB to train"
                f"{f' with batch size {bs:,}' if bs else ''} (its weights and one batch's "
                f"activations); the limit is {MAX_TRAINING_BYTES / 2**30:g} GB: use fewer or "
                "smaller hidden layers or a smaller batch size.")
        if remember:
            fixed = self.training_bytes(n_features, n_outputs, 0)
            per_row = self.training_bytes(n_features, n_outputs, 1) - fixed
            self._max_batch = (MAX_TRAINING_BYTES - fixed) // per_row

    def begin(self, X, y, classes=None):
        self.__dict__.pop("_max_batch", None)  # a new network, perhaps: sized again
        return super().begin(X, y, classes)

    begin.__doc__ = GradientClassifier.begin.__doc__

    def _check_batch_size(self):
        # called before every step: a batch size changed since ``begin`` must still fit
        bs = super()._check_batch_size()
        if bs is not None and bs > self.__dict__.get("_max_batch", bs):
            raise ValueError(f"batch_size {bs:,} would need more than "
                             f"{MAX_TRAINING_BYTES / 2**30:g} GB for this network; the largest "
                             f"that fits is {self._max_batch:,}.")
        return bs

    # ---- parameters ----------------------------------------------------------------------
    def _layer_sizes(self):
        return [self.n_features_in_, *self._hidden_sizes(), self._n_outputs()]

    def _init_params(self, n_features, n_outputs, rng):
        sizes = [n_features, *self._hidden_sizes(), n_outputs]
        self.coefs_, self.intercepts_ = init_weights(sizes, self.activation, rng, self._dtype())
        self._reset_optimizer()

    def _reset_optimizer(self):
        self._fast = FastStep()

    def _weight_shapes(self):
        sizes = self._layer_sizes()
        pairs = list(zip(sizes[:-1], sizes[1:]))
        return {**{f"coef_{l}": (a, b) for l, (a, b) in enumerate(pairs)},
                **{f"intercept_{l}": (b,) for l, (a, b) in enumerate(pairs)}}

    def _shape_message(self, name, shape, expected):
        l = int(name.rsplit("_", 1)[1])
        fan_in, fan_out = self._layer_sizes()[l:l + 2]
        return (f"{name} has shape {shape}, but layer {l} expects {fan_in} inputs and has "
                f"{fan_out} units, so {name} needs shape {expected}.")

    def _live_weights(self):
        return weights_dict(self.coefs_, self.intercepts_)

    def _put_weights(self, weights):
        n_layers = len(self._hidden_sizes()) + 1
        self.coefs_ = [weights[f"coef_{l}"] for l in range(n_layers)]
        self.intercepts_ = [weights[f"intercept_{l}"] for l in range(n_layers)]

    def _layers(self):
        """(coefs, intercepts) checked and in our dtype, without copies where they already are."""
        w = self._usable_weights()
        n_layers = len(self._hidden_sizes()) + 1
        return ([w[f"coef_{l}"] for l in range(n_layers)],
                [w[f"intercept_{l}"] for l in range(n_layers)])

    # ---- training ----------------------------------------------------------------------
    def _step(self, X, Y):
        loss = self._fast.step(X, Y, self.coefs_, self.intercepts_, self.activation,
                               self.learning_rate, self.l2, self.momentum,
                               capacity=self.batch_size)
        if self.l1:
            # L1 as a proximal step (soft thresholding): every weight moves eta l1 towards 0,
            # and one that would cross 0 stops at exactly 0. Away from 0 this is the gradient
            # step of l1 |W| (backprop's l1 sign(W)); at 0 it is what makes weights vanish.
            shrink = self.learning_rate * self.l1
            for W in self.coefs_:
                np.copyto(W, np.sign(W) * np.maximum(np.abs(W) - shrink, 0.0))
        return loss

    # ---- prediction ----------------------------------------------------------------------
    # Prediction runs ``forward`` in place (fast_step.forward_into): the same numbers, without
    # the temporaries that cost page faults on large inputs such as a page's 100 x 100 grid.
    def logits(self, X):
        """The network's last pre-activation z_L for validated X, shape (n, n_outputs)."""
        coefs, intercepts = self._layers()
        return forward_into(X, coefs, intercepts, self.activation)[-1]

    def layer_outputs(self, X):
        """[h_1, ..., h_(L-1), z_L] for X: each hidden layer's output, then the logits."""
        X = self.check_X(X)
        coefs, intercepts = self._layers()
        return forward_into(X, coefs, intercepts, self.activation)

    def input_gradient(self, X, k=None):
        """d log P(classes_[k] | x) / dx for each row of X (see ``input_gradient``); k defaults
        to each row's predicted class index."""
        X = self.check_X(X)
        coefs, intercepts = self._layers()
        if k is None:
            Z = forward_into(X, coefs, intercepts, self.activation)[-1]
            k = (Z[:, 0] > 0).astype(int) if Z.shape[1] == 1 else Z.argmax(axis=1)
        return input_gradient(X, coefs, intercepts, self.activation, k)

    def hidden_activations(self, X):
        """Each hidden layer's output h_l for X: a list of (n, units) arrays."""
        return self.layer_outputs(X)[:-1]
