"""MLPClassifier's training step, made fast: ``core.mlp.backprop``'s arithmetic, in place.

Read ``core.mlp.feedforward`` and ``core.mlp.backprop`` for *what* a step computes; this module is
*how* it is computed quickly. tests/test_fast_step.py proves the two give the same gradients (to
1e-12 in float64) and the same weights after a step. The tricks, each for a measured reason:

- buffers (``Workspace``): activations, deltas and gradients are allocated once per shape and
  batch size, because a fresh array every step costs page faults;
- activations, the output delta and the update are computed in place, in those buffers (and
  prediction uses the same in-place forward pass, ``forward_into``);
- the learning rate is folded into the output delta, so the gradients come back as eta dJ/dtheta
  and the update is one subtraction per array;
- the bias gradients sum_i delta_i run as one BLAS product ``ones @ delta`` (about 3x faster than
  ``delta.sum(axis=0)`` on a minibatch), and relu' as ``np.multiply(delta, h > 0)``;
- the softmax and its cross-entropy in one pass (``losses.softmax_cross_entropy_inplace``);
- column compaction: the first layer runs on the input columns that are non-zero somewhere in the
  batch (see ``Workspace``), which is exact and saves a third of the work on MNIST.
"""
import numpy as np

from .activations import ACTIVATIONS_INPLACE, DERIVATIVES, sigmoid_inplace
from .losses import EPS, softmax_cross_entropy_inplace


def nonzero_columns(X):
    """Indices of the columns of X that hold a non-zero value in some row."""
    return np.flatnonzero((X != 0).any(axis=0))


class Workspace:
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
        self.grads = ([np.empty(W.shape, dt) for W in coefs],
                      [np.empty(W.shape[1], dt) for W in coefs])
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


def forward_into(X, coefs, intercepts, activation, out=None):
    """``core.mlp.forward(..., output="logits")``, with the bias and g applied in place.

    ``out`` holds one (>= n, fan_out) buffer per layer; without it each layer gets one fresh
    array (the readable version allocates three per layer, which made predicting a 10,000-point
    grid 3x slower). Returns [h_1, ..., h_(L-1), z_L], each (n, fan_out).
    """
    outputs = []
    h = X
    n_layers = len(coefs)
    for l, (W, b) in enumerate(zip(coefs, intercepts)):
        z = np.matmul(h, W, out=None if out is None else out[l][:len(X)])
        z += b
        if l < n_layers - 1:
            ACTIVATIONS_INPLACE[activation](z)
        outputs.append(z)
        h = z
    return outputs


def output_and_loss_inplace(z, Y):
    """Overwrite the logits z with y_hat (sigma or softmax); return the batch's cross-entropy.

    NaN (and z left as it is) for logits that overflowed.
    """
    if z.shape[1] > 1:
        return softmax_cross_entropy_inplace(z, Y)
    if not np.isfinite(z.sum()):
        # sigma(+-inf) is a clean 0 or 1 and the clipped loss would stay finite, hiding the
        # divergence
        return float("nan")
    sigmoid_inplace(z)
    return batch_cross_entropy(Y, z)


def batch_cross_entropy(Y, P):
    """Negative mean log-likelihood of a batch from probabilities P (n, 1), with clipped logs."""
    # in float64: 1 - EPS rounds to 1.0 in float32 and log1p(-1) is -inf
    p = np.clip(P.astype(np.float64), EPS, 1 - EPS)
    ll = Y * np.log(p) + (1 - Y) * np.log1p(-p)
    return float(-ll.sum(dtype=np.float64) / len(P))


def backward_into(X, Y, outputs, coefs, activation, l2, grads, deltas, scale, ones):
    """``core.mlp.backprop``'s backward pass, every gradient times ``scale``, into buffers.

    ``outputs`` is ``forward_into``'s with y_hat at the end; it is consumed (the last buffer is
    overwritten by the output delta). ``grads`` is (coef_grads, intercept_grads) to fill,
    ``deltas`` one (>= n, fan_out) buffer per hidden layer, ``ones`` at least n ones.
    """
    n = len(X)
    n_layers = len(coefs)
    coef_grads, intercept_grads = grads
    # delta_L = (y_hat - y) / n, times eta: see core.mlp.backprop for why
    delta = outputs[-1]
    delta -= Y
    delta *= scale / n
    for l in range(n_layers - 1, -1, -1):
        h_prev = X if l == 0 else outputs[l - 1]
        np.matmul(h_prev.T, delta, out=coef_grads[l])
        if l2:
            coef_grads[l] += (scale * l2) * coefs[l]
        np.matmul(ones[:n], delta, out=intercept_grads[l])
        if l > 0:
            delta = np.matmul(delta, coefs[l].T, out=deltas[l - 1][:n])
            h = outputs[l - 1]
            if activation == "relu":
                np.multiply(delta, h > 0, out=delta)  # 15x faster than copyto(where=)
            else:
                delta *= DERIVATIVES[activation](h)
    return coef_grads, intercept_grads


class FastStep:
    """What one network's training keeps between steps: a ``Workspace`` and the momentum.

    ``step`` takes one SGD step in place; ``gradients`` gives the gradients alone, the same way,
    so that a test can hold them against ``core.mlp.backprop``.
    """

    def __init__(self):
        self.workspace = None
        self.velocity = None

    def __getstate__(self):
        # the buffers are scratch space, rebuilt on demand; the velocity is training state
        return {"workspace": None, "velocity": self.velocity}

    def _forward_backward(self, X, Y, coefs, intercepts, activation, l2, scale, capacity):
        """The batch loss, and scale * dJ/dtheta in the workspace (unless the loss is NaN).

        Returns (loss, workspace, cols, coefs_used, grads): with compaction ``cols`` are the
        active input columns, and coefs_used[0] and grads[0][0] are W_1[cols] and its gradient.
        """
        ws = self.workspace
        if ws is None or not ws.fits(coefs, len(X)):
            ws = self.workspace = Workspace(coefs, max(len(X), capacity or len(X)))
        cols = ws.active_columns(X)
        if cols is None:
            X_in, coefs_in, grads = X, coefs, ws.grads
        else:
            X_in, coefs_in, grads = ws.compact(X, coefs, cols)
        outputs = forward_into(X_in, coefs_in, intercepts, activation, out=ws.acts)
        loss = output_and_loss_inplace(outputs[-1], Y)
        if np.isfinite(loss):
            backward_into(X_in, Y, outputs, coefs_in, activation, l2, grads, ws.deltas, scale,
                          ws.ones)
        return loss, ws, cols, coefs_in, grads

    def gradients(self, X, Y, coefs, intercepts, activation, l2=0.0):
        """The batch's loss and gradients, computed as ``step`` computes them.

        Returns
        -------
        loss : float, the batch's cross-entropy -LL/n.
        coef_grads, intercept_grads : lists of copies, shaped like coefs and intercepts (None
            when the loss is not finite).
        """
        loss, ws, cols, _, _ = self._forward_backward(X, Y, coefs, intercepts, activation, l2,
                                                      1.0, None)
        if not np.isfinite(loss):
            return loss, None, None
        if cols is not None:
            ws.expand(cols, coefs[0], l2)
        return loss, [g.copy() for g in ws.grads[0]], [g.copy() for g in ws.grads[1]]

    def step(self, X, Y, coefs, intercepts, activation, learning_rate, l2=0.0, momentum=0.0,
             capacity=None):
        """One SGD step on the batch (X, Y), in place on the arrays of coefs and intercepts.

        W -= eta dJ/dW, or with momentum v = momentum v - eta dJ/dW; W += v. ``capacity`` is the
        batch size to allocate buffers for (a pass's last batch is smaller). Returns the batch's
        loss before the step; NaN, and no step, when the logits overflowed.
        """
        loss, ws, cols, coefs_in, grads = self._forward_backward(
            X, Y, coefs, intercepts, activation, l2, learning_rate, capacity)
        if not np.isfinite(loss):
            return loss
        params = [*coefs, *intercepts]
        steps = [*ws.grads[0], *ws.grads[1]]
        if cols is not None:
            if momentum or l2:
                ws.expand(cols, coefs[0], learning_rate * l2)
            else:
                # Plain SGD moves only the active rows of W_1. Step them in the compact copy and
                # write them back: no full gradient that is mostly zeros.
                coefs_in[0] -= grads[0][0]
                coefs[0][cols] = coefs_in[0]
                params, steps = params[1:], steps[1:]
        self._descend(params, steps, momentum)
        return loss

    def _descend(self, params, steps, momentum):
        """p -= eta g for each parameter, or v = mu v - eta g; p += v. ``steps`` hold eta g."""
        if not momentum:
            for p, g in zip(params, steps):
                p -= g
            return
        velocity = self.velocity
        if (velocity is None or [v.shape for v in velocity] != [p.shape for p in params]
                or velocity[0].dtype != params[0].dtype):
            velocity = self.velocity = [np.zeros_like(p) for p in params]
        for p, g, v in zip(params, steps, velocity):
            v *= momentum
            v -= g
            p += v
