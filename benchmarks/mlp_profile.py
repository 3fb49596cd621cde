#!/usr/bin/env python
"""Where one epoch of the 784-128-10 MNIST network spends its time: ours vs scikit-learn.

Companion to ``mlp_speed.py`` (same network, data, batch 128, plain SGD). For one epoch of 469
steps it times, with perf_counter around each piece:

- per call: input validation (ours: ``_validate_Xy`` incl. ``_check_finite``; sklearn:
  ``check_array`` with its finite check) and label encoding;
- per step, ours: the fast step (core/fast_step.py ``FastStep.step``) split at its calls, with
  core's own functions and buffers: batch gather ``X[idx], Y[idx]``, finding the batch's active
  (non-zero) input columns, restricting the first layer to them, ``forward_into``, the fused
  softmax + cross-entropy, ``backward_into`` and the SGD update; then the same step line by line
  (each matmul, bias add, ReLU, softmax, mask) to see which lines cost;
- per step, sklearn: ``_safe_indexing``, ``_backprop`` (forward + loss + gradients) and
  ``_optimizer.update_params``;
- the floor both share: the five matmuls of a step alone, on the same shapes; and ours, the same
  with the first layer on the median number of active columns of this data's batches.

    python benchmarks/mlp_profile.py [--threads 1] [--dtype float32] [--repeats 3]

Times are the median over ``--repeats`` epochs, in ms per epoch. Timer calls add about
0.1 us each, so the per-piece sums run slightly above an untimed epoch.
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sklearn.neural_network import MLPClassifier as SkMLPClassifier  # noqa: E402
from sklearn.utils import shuffle as sk_shuffle  # noqa: E402
from sklearn.utils import gen_batches  # noqa: E402
from sklearn.utils._indexing import _safe_indexing  # noqa: E402
from sklearn.utils.validation import check_array  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from core import MLPClassifier  # noqa: E402
from core._estimator import _check_finite  # noqa: E402
from core.fast_step import backward_into, forward_into, nonzero_columns  # noqa: E402
from core.losses import softmax_cross_entropy_inplace  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mlp_speed import BATCH, CLASSES, HIDDEN, load_data, median_active_columns  # noqa: E402

pc = time.perf_counter


class Clock:
    def __init__(self):
        self.t = {}
        self.info = {}  # shown, not added to the total (already inside another piece)

    def add(self, name, dt):
        self.t[name] = self.t.get(name, 0.0) + dt


def shuffled_batches(m, n):
    """One pass's minibatches, drawn as the model's own pass draws them."""
    order = m._rng.permutation(n)
    return [order[start:start + m.batch_size] for start in range(0, n, m.batch_size)]


def ours_epoch(m, X, y, clock):
    """One partial_fit call, timed at the calls the fast step (``FastStep.step``) makes."""
    t0 = pc()
    _check_finite(X)
    clock.info["  _check_finite alone (its own call; runs inside the above)"] = pc() - t0
    t0 = pc()
    Xv, yv = m._validate_Xy(X, y, reset=False)
    clock.add("call: _validate_Xy (sklearn validate_data + _check_finite)", pc() - t0)
    t0 = pc()
    Y = m.encode(yv)
    clock.add("call: encode", pc() - t0)
    t0 = pc()
    batches = shuffled_batches(m, len(Xv))
    clock.add("epoch: permutation", pc() - t0)
    ws = m._fast.workspace
    lr = m.learning_rate
    compacted = 0
    for idx in batches:
        t0 = pc()
        Xb, Yb = m._gather(Xv, idx, "X"), m._gather(Y, idx, "Y")
        t1 = pc()
        cols = ws.active_columns(Xb)
        t2 = pc()
        if cols is None:
            X_in, coefs, grads = Xb, m.coefs_, ws.grads
        else:
            X_in, coefs, grads = ws.compact(Xb, m.coefs_, cols)
            compacted += 1
        t3 = pc()
        acts = forward_into(X_in, coefs, m.intercepts_, m.activation, ws.acts)
        t4 = pc()
        loss = softmax_cross_entropy_inplace(acts[-1], Yb)
        t5 = pc()
        backward_into(X_in, Yb, acts, coefs, m.activation, m.l2, grads, ws.deltas, lr, ws.ones)
        t6 = pc()
        params, steps = [*m.coefs_, *m.intercepts_], [*ws.grads[0], *ws.grads[1]]
        if cols is not None:
            coefs[0] -= grads[0][0]
            m.coefs_[0][cols] = coefs[0]
            params, steps = params[1:], steps[1:]
        for p, g in zip(params, steps):
            p -= g
        t7 = pc()
        np.isfinite(loss)
        clock.add("step: gather X[idx], Y[idx]", t1 - t0)
        clock.add("step: find the active input columns", t2 - t1)
        clock.add("step: X[:, cols], W1[cols]", t3 - t2)
        clock.add("step: forward_into (logits)", t4 - t3)
        clock.add("step: softmax + cross-entropy", t5 - t4)
        clock.add("step: backward_into", t6 - t5)
        clock.add("step: update (W1[cols] back, p -= g)", t7 - t6)
    t0 = pc()
    all(np.isfinite(p).all() for p in [*m.coefs_, *m.intercepts_])
    clock.add("epoch: isfinite(params)", pc() - t0)
    clock.info["steps on the active columns only"] = compacted


def ours_lines(m, X, Y, clock):
    """The same step, line by line, for 1 hidden ReLU layer (what forward_into, backward_into
    and the update in core/fast_step.py do with preallocated buffers)."""
    W1, W2 = m.coefs_
    b1, b2 = m.intercepts_
    ws = m._fast.workspace
    H, O = ws.acts
    D1 = ws.deltas[0]
    gW2 = ws.grads[0][1]
    gb1, gb2 = ws.grads[1]
    ones = ws.ones
    onesK = np.ones(O.shape[1], O.dtype)
    lr = m.learning_rate
    for idx in shuffled_batches(m, len(X)):
        n = len(idx)
        h, o, d1 = H[:n], O[:n], D1[:n]
        ts = [pc()]
        Xb = m._gather(X, idx, "X"); ts.append(pc())                # noqa: E702
        Yb = m._gather(Y, idx, "Y"); ts.append(pc())                # noqa: E702
        cols = nonzero_columns(Xb); ts.append(pc())                 # noqa: E702
        k = len(cols)
        Xa = np.take(Xb, cols, axis=1, out=ws.X_active[:n * k].reshape(n, k), mode="clip")
        ts.append(pc())
        Wa = np.take(W1, cols, axis=0, out=ws.W_active[:k * HIDDEN].reshape(k, HIDDEN),
                     mode="clip")
        ts.append(pc())
        ga = ws.g_active[:k * HIDDEN].reshape(k, HIDDEN)
        np.matmul(Xa, Wa, out=h); ts.append(pc())                   # noqa: E702
        h += b1; ts.append(pc())                                    # noqa: E702
        np.maximum(h, 0.0, out=h); ts.append(pc())                  # noqa: E702
        np.matmul(h, W2, out=o); ts.append(pc())                    # noqa: E702
        o += b2; ts.append(pc())                                    # noqa: E702
        np.isfinite(o.sum()); ts.append(pc())                       # noqa: E702
        o -= o.max()
        np.vdot(o, Yb)
        np.exp(o, out=o)
        sums = o @ onesK
        o /= sums[:, None]
        float(np.log(sums).sum()); ts.append(pc())                  # noqa: E702
        o -= Yb
        o *= lr / n; ts.append(pc())                                # noqa: E702
        np.matmul(h.T, o, out=gW2); ts.append(pc())                 # noqa: E702
        np.matmul(ones[:n], o, out=gb2); ts.append(pc())            # noqa: E702
        np.matmul(o, W2.T, out=d1); ts.append(pc())                 # noqa: E702
        np.multiply(d1, h > 0, out=d1); ts.append(pc())             # noqa: E702
        np.matmul(Xa.T, d1, out=ga); ts.append(pc())                # noqa: E702
        np.matmul(ones[:n], d1, out=gb1); ts.append(pc())           # noqa: E702
        Wa -= ga; ts.append(pc())                                   # noqa: E702
        W1[cols] = Wa; ts.append(pc())                              # noqa: E702
        for p, g in ((W2, gW2), (b1, gb1), (b2, gb2)):
            p -= g
        ts.append(pc())
        names = ["X[idx]", "Y[idx]", "active columns (X != 0).any(0)", "X[:, cols]",
                 "W1[cols]", "X @ W1 (128xk . kx128)", "+ b1", "relu", "h @ W2", "+ b2",
                 "isfinite(logits)", "softmax + cross-entropy", "delta = eta (P - Y) / n",
                 "gW2 = h.T @ delta", "gb2 = 1 @ delta", "delta @ W2.T", "d *= (h > 0)",
                 "gW1 = X.T @ d (kx128 . 128x128)", "gb1 = 1 @ d", "W1[cols] -= gW1 (compact)",
                 "W1[cols] = ... (write back)", "update W2, b1, b2"]
        for name, a, b in zip(names, ts[:-1], ts[1:]):
            clock.add(name, b - a)


def matmul_floor(X, W1, W2, clock, n_steps, k=None):
    """The five products of a step alone; with k, the first layer's on k of the input columns."""
    rng = np.random.default_rng(0)
    k = k or W1.shape[0]
    Xb = np.ascontiguousarray(X[:BATCH, :k])
    W1 = np.ascontiguousarray(W1[:k])
    D2 = rng.random((BATCH, W2.shape[1])).astype(X.dtype)
    h = np.empty((BATCH, HIDDEN), X.dtype)
    o = np.empty((BATCH, W2.shape[1]), X.dtype)
    g1, g2 = np.empty_like(W1), np.empty_like(W2)
    d1 = np.empty_like(h)
    t0 = pc()
    for _ in range(n_steps):
        np.matmul(Xb, W1, out=h)
        np.matmul(h, W2, out=o)
        np.matmul(h.T, D2, out=g2)
        np.matmul(D2, W2.T, out=d1)
        np.matmul(Xb.T, d1, out=g1)
    clock.add(f"5 matmuls per step, nothing else ({k} input columns)", pc() - t0)


def sklearn_epoch(s, X, y, clock):
    t0 = pc()
    Xv = check_array(X, dtype=[np.float64, np.float32])
    clock.add("call: check_array (incl. its finite check)", pc() - t0)
    t0 = pc()
    Yv = s._label_binarizer.transform(y).astype(bool)
    clock.add("call: label binarizer", pc() - t0)
    n = len(Xv)
    layer_units = [Xv.shape[1], HIDDEN, len(CLASSES)]
    activations = [None] + [np.empty((BATCH, k), Xv.dtype) for k in layer_units[1:]]
    deltas = [np.empty_like(a) for a in activations[1:]]
    coef_grads = [np.empty((a, b), Xv.dtype) for a, b in zip(layer_units[:-1], layer_units[1:])]
    intercept_grads = [np.empty(b, Xv.dtype) for b in layer_units[1:]]
    t0 = pc()
    sample_idx = sk_shuffle(np.arange(n), random_state=s._random_state)
    clock.add("epoch: shuffle indices", pc() - t0)
    for batch_slice in gen_batches(n, BATCH):
        t0 = pc()
        idx = sample_idx[batch_slice]
        Xb = _safe_indexing(Xv, idx)
        yb = Yv[idx]
        t1 = pc()
        activations[0] = Xb
        loss, cg, ig = s._backprop(Xb, yb, None, activations, deltas, coef_grads, intercept_grads)
        t2 = pc()
        s._optimizer.update_params(s.coefs_ + s.intercepts_, cg + ig)
        t3 = pc()
        clock.add("step: _safe_indexing + y[idx]", t1 - t0)
        clock.add("step: _backprop (forward, loss, gradients)", t2 - t1)
        clock.add("step: optimizer.update_params", t3 - t2)


def report(title, clocks, n_steps):
    names = list(clocks[0].t)
    med = {k: statistics.median(c.t[k] for c in clocks) for k in names}
    total = sum(med.values())
    print(f"\n{title}: {total * 1e3:.1f} ms per epoch (sum of pieces, median of {len(clocks)})")
    for k in names:
        print(f"  {k:55s}{med[k] * 1e3:9.1f} ms  {med[k] / n_steps * 1e6:8.1f} us/step"
              f"  {100 * med[k] / total:5.1f}%")
        if k.startswith("call: _validate_Xy"):
            name = "  _check_finite alone (its own call; runs inside the above)"
            v = statistics.median(c.info[name] for c in clocks)
            print(f"  {name:55s}{v * 1e3:9.1f} ms  (inside the line above)")
    compacted = clocks[0].info.get("steps on the active columns only")
    if compacted is not None:
        print(f"  steps on the active columns only: {compacted} of {n_steps}")
    return total


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--dtype", choices=["float32", "float64", "both"], default="both")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--n-train", type=int, default=60000)
    p.add_argument("--mnist-dir", default=None)
    args = p.parse_args(argv)
    X, y, _, _, source = load_data(args.n_train, args.mnist_dir)
    n_steps = int(np.ceil(len(X) / BATCH))
    print(f"data: {source}; {len(X)} rows, {n_steps} steps per epoch; {args.threads} thread(s)")
    dtypes = ["float32", "float64"] if args.dtype == "both" else [args.dtype]
    with threadpool_limits(limits=args.threads):
        for dt in dtypes:
            Xd = np.ascontiguousarray(X, dt)
            m = MLPClassifier(hidden_layer_sizes=(HIDDEN,), learning_rate=0.1, batch_size=BATCH,
                              tol=0.0, random_state=0, dtype=dt)
            m.partial_fit(Xd[:10 * BATCH], y[:10 * BATCH], classes=CLASSES)
            s = SkMLPClassifier(hidden_layer_sizes=(HIDDEN,), solver="sgd", learning_rate_init=0.1,
                                batch_size=BATCH, momentum=0.0, nesterovs_momentum=False,
                                alpha=0.0, shuffle=True, random_state=0)
            s.partial_fit(Xd[:10 * BATCH], y[:10 * BATCH], classes=CLASSES)
            Y = m.encode(y)
            c_ours, c_lines, c_sk, c_floor, c_active, t_ours, t_sk = [], [], [], [], [], [], []
            k = median_active_columns(Xd)
            for _ in range(args.repeats):
                t0 = pc(); m.partial_fit(Xd, y); t_ours.append(pc() - t0)   # noqa: E702
                t0 = pc(); s.partial_fit(Xd, y); t_sk.append(pc() - t0)     # noqa: E702
                c = Clock(); ours_epoch(m, Xd, y, c); c_ours.append(c)      # noqa: E702
                c = Clock(); ours_lines(m, Xd, Y, c); c_lines.append(c)     # noqa: E702
                c = Clock(); sklearn_epoch(s, Xd, y, c); c_sk.append(c)     # noqa: E702
                c = Clock(); matmul_floor(Xd, *m.coefs_, c, n_steps); c_floor.append(c)  # noqa: E702
                c = Clock(); matmul_floor(Xd, *m.coefs_, c, n_steps, k); c_active.append(c)  # noqa: E702
            print(f"\n===== {dt}: untimed-inside partial_fit, median of {args.repeats}: ours "
                  f"{statistics.median(t_ours) * 1e3:.0f} ms, scikit-learn "
                  f"{statistics.median(t_sk) * 1e3:.0f} ms per epoch")
            report(f"ours {dt}, by call", c_ours, n_steps)
            report(f"ours {dt}, the step line by line (no validation)", c_lines, n_steps)
            report(f"scikit-learn {dt}", c_sk, n_steps)
            report(f"floor {dt}", c_floor, n_steps)
            report(f"floor {dt} on the active columns (median of this data's batches)", c_active,
                   n_steps)
    return 0


if __name__ == "__main__":
    sys.exit(main())
