#!/usr/bin/env python
"""Seconds per epoch of a 784-128-10 ReLU network on MNIST: ours vs scikit-learn vs PyTorch CPU.

Every contestant trains the same network the same way: ReLU hidden layer, softmax output with
cross-entropy, minibatches of 128 drawn from a fresh shuffle every epoch, plain SGD (momentum 0,
no weight decay), one learning rate. Each contestant gets its input already in its own dtype,
so no timed section converts the data.

    python benchmarks/mlp_speed.py                      # defaults: 3 epochs, 3 repeats, 60000 rows
    python benchmarks/mlp_speed.py --accuracy           # + test accuracy after 1 and 10 epochs
    NEURAL_PLAYGROUND_MNIST=/path/to/folder python benchmarks/mlp_speed.py   # real MNIST

What is timed (``--mode partial_fit``, the default): a fresh model is built and warmed up with
one untimed ``partial_fit`` on the first 1280 rows (this allocates buffers and fixes the
classes), then ``--epochs`` calls of ``partial_fit(X, y)`` over all the training rows are timed,
one epoch each. Each call includes what that library checks on every call (input validation,
label encoding), since that is what a user of ``partial_fit`` pays. ``--mode fit`` times one
``fit(max_iter=epochs, tol=0)`` instead and divides by the epochs: input checks and the
initialisation are then paid once per run. PyTorch runs the same loop by hand in both modes
(random permutation per epoch, index the batch, forward, CrossEntropyLoss, backward, SGD step,
``loss.item()`` to record the epoch's loss as the others do).

The machine is shared and noisy: repeats are interleaved (every contestant once per repeat, in
a rotating order) and the table shows the median and the best of the repeats.

Thread pools: numpy and scipy each bring an OpenBLAS, scikit-learn an OpenMP runtime, PyTorch
its own. Every timed section runs under one ``threadpoolctl.threadpool_limits`` for all of them
and ``torch.set_num_threads`` with the same number, so every contestant gets the same threads.
With ``--threads auto`` (the default) a short probe times the numpy contestants with 1, 2 and
all-cores threads; more threads are used only when at least 25% faster in total and slower for
no numpy contestant. On a shared 2-core machine two threads per pool are rarely much faster for
128-row batches and, whenever another process holds a core, run several times slower.
"""
import argparse
import os
import platform
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sklearn  # noqa: E402
import threadpoolctl  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.neural_network import MLPClassifier as SkMLPClassifier  # noqa: E402
from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

from core import DataUnavailable, MLPClassifier, load_mnist  # noqa: E402
from core.fast_step import Workspace, nonzero_columns  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))
from local_data import mnist_folder  # noqa: E402  ($NEURAL_PLAYGROUND_MNIST, then ../shared/data)

try:
    import torch
    TORCH_ERROR = None
except Exception as err:  # ImportError, or a broken install raising OSError/RuntimeError
    torch = None
    TORCH_ERROR = f"{type(err).__name__}: {err}"

N_FEATURES, HIDDEN, N_CLASSES, BATCH = 784, 128, 10, 128
CLASSES = np.arange(N_CLASSES)
WARM_ROWS = 10 * BATCH  # the untimed warm-up partial_fit: 10 steps
GOALS = {"sklearn": 1.5, "torch": 1.3}  # ours must be at least this many times faster

warnings.filterwarnings("ignore", category=ConvergenceWarning)


# ---- data -------------------------------------------------------------------------------------
def load_data(n_train, mnist_dir, seed=0, synthetic=False):
    """(X, y, X_test, y_test, description). X is float32 in [0, 1], (n_train, 784)."""
    try:
        if synthetic:
            raise DataUnavailable("--synthetic asked for random data.")
        d = load_mnist(folder=mnist_dir or mnist_folder(), download=False)
        X, y = d.X, d.y
        if n_train > len(X):
            print(f"note: MNIST has {len(X)} training rows; --n-train {n_train} capped to {len(X)}.")
        return (np.ascontiguousarray(X[:n_train]), y[:n_train], d.X_test, d.y_test,
                f"real MNIST, {d.source}")
    except DataUnavailable as err:
        reason = str(err).split(".")[0]
    rng = np.random.default_rng(seed)
    X = rng.random((n_train, N_FEATURES), dtype=np.float32)
    y = rng.integers(0, N_CLASSES, n_train)
    Xt = rng.random((10000, N_FEATURES), dtype=np.float32)
    yt = rng.integers(0, N_CLASSES, 10000)
    return (X, y, Xt, yt,
            f"SYNTHETIC MNIST-shaped data (uniform [0,1] pixels, random labels; {reason}; set "
            f"NEURAL_PLAYGROUND_MNIST or --mnist-dir to a folder with mnist.npz for real MNIST)")


def median_active_columns(X, seed=0):
    """The median number of input columns a shuffled batch of BATCH rows has non-zero: ours runs
    the first layer on those only (an exact shortcut, core/fast_step.py ``Workspace``)."""
    order = np.random.default_rng(seed).permutation(len(X))
    return int(np.median([len(nonzero_columns(X[order[i:i + BATCH]]))
                          for i in range(0, len(X) - BATCH + 1, BATCH)]))


def active_columns_line(X):
    k = median_active_columns(X)
    use = ("ours' first layer runs on these only" if k <= Workspace.MAX_ACTIVE * X.shape[1]
           else "too many for ours to skip any")
    return f"input columns non-zero in a batch of {BATCH}: median {k} of {X.shape[1]} ({use})"


# ---- contestants ------------------------------------------------------------------------------
class Ours:
    name = "ours (core)"
    key = "ours"

    def __init__(self, dtype, lr, seed):
        self.dtype, self.lr, self.seed = np.dtype(dtype), lr, seed
        self.model = None

    def _new(self, max_iter=1):
        return MLPClassifier(hidden_layer_sizes=(HIDDEN,), activation="relu",
                             learning_rate=self.lr, batch_size=BATCH, momentum=0.0, l2=0.0,
                             max_iter=max_iter, tol=0.0, random_state=self.seed, dtype=self.dtype)

    def start(self, X, y, warm=True):
        self.model = self._new()
        if warm:
            self.model.partial_fit(X[:WARM_ROWS], y[:WARM_ROWS], classes=CLASSES)

    def epoch(self, X, y):
        if self.model is None:
            self.start(X, y, warm=False)
        self.model.partial_fit(X, y, classes=CLASSES)

    def fit(self, X, y, epochs):
        self.model = self._new(max_iter=epochs)
        self.model.fit(X, y)

    def last_loss(self):
        return self.model.loss_curve_[-1]

    def score(self, X, y):
        return self.model.score(X, y)


class Sklearn(Ours):
    name = "scikit-learn"
    key = "sklearn"

    def _new(self, max_iter=1):
        return SkMLPClassifier(hidden_layer_sizes=(HIDDEN,), activation="relu", solver="sgd",
                               learning_rate="constant", learning_rate_init=self.lr,
                               batch_size=BATCH, momentum=0.0, nesterovs_momentum=False,
                               alpha=0.0, max_iter=max_iter, shuffle=True, tol=0.0,
                               n_iter_no_change=max_iter + 1, early_stopping=False,
                               random_state=self.seed)

    def last_loss(self):
        return self.model.loss_curve_[-1]


class Torch:
    name = "PyTorch CPU"
    key = "torch"

    def __init__(self, dtype, lr, seed):
        self.dtype, self.lr, self.seed = np.dtype(dtype), lr, seed
        self.tdtype = torch.float32 if self.dtype == np.float32 else torch.float64
        self.model = None
        self._tensors = {}

    def _as_tensors(self, X, y):
        key = (id(X), id(y))
        if key not in self._tensors:  # from_numpy shares memory: no copy, done once per array
            self._tensors[key] = (torch.from_numpy(np.ascontiguousarray(X, self.dtype)),
                                  torch.from_numpy(np.asarray(y, np.int64)))
        return self._tensors[key]

    def start(self, X, y, warm=True):
        torch.manual_seed(self.seed)
        nn = torch.nn
        self.model = nn.Sequential(nn.Linear(N_FEATURES, HIDDEN), nn.ReLU(),
                                   nn.Linear(HIDDEN, N_CLASSES)).to(self.tdtype)
        self.opt = torch.optim.SGD(self.model.parameters(), lr=self.lr, momentum=0.0)
        self.loss_fn = nn.CrossEntropyLoss()
        self.gen = torch.Generator().manual_seed(self.seed)
        self._loss = float("nan")
        if warm:
            Xt, yt = self._as_tensors(X, y)
            self._run(Xt[:WARM_ROWS], yt[:WARM_ROWS])

    def _run(self, Xt, yt):
        n = len(Xt)
        perm = torch.randperm(n, generator=self.gen)
        total = 0.0
        for start in range(0, n, BATCH):
            idx = perm[start:start + BATCH]
            self.opt.zero_grad(set_to_none=True)
            loss = self.loss_fn(self.model(Xt[idx]), yt[idx])
            loss.backward()
            self.opt.step()
            total += loss.item() * len(idx)
        self._loss = total / n

    def epoch(self, X, y):
        if self.model is None:
            self.start(X, y, warm=False)
        self._run(*self._as_tensors(X, y))

    def fit(self, X, y, epochs):
        self.start(X, y, warm=False)
        for _ in range(epochs):
            self.epoch(X, y)

    def last_loss(self):
        return self._loss

    def score(self, X, y):
        Xt, yt = self._as_tensors(X, y)
        with torch.no_grad():
            return float((self.model(Xt).argmax(1) == yt).double().mean())


# ---- timing -----------------------------------------------------------------------------------
def set_threads(n):
    if torch is not None:
        torch.set_num_threads(n)


def time_repeat(contestants, data, epochs, mode, shift):
    """One repeat: every contestant runs `epochs` epochs, interleaved epoch by epoch so that a
    burst of background load hits all of them alike.

    Returns ({contestant: seconds per epoch for this repeat}, [{contestant: seconds} per epoch]).
    In partial_fit mode each model is built and warmed up untimed first; in fit mode each
    contestant's one fit(max_iter=epochs) call is timed whole and divided by `epochs`.
    """
    k = shift % len(contestants)
    order = contestants[k:] + contestants[:k]
    if mode == "fit":
        per_epoch = {}
        for c in order:
            X, y = data[c.dtype]
            t0 = time.perf_counter()
            c.fit(X, y, epochs)
            per_epoch[c] = (time.perf_counter() - t0) / epochs
        return per_epoch, [per_epoch]
    for c in order:
        c.start(*data[c.dtype])
    rounds = []
    for e in range(epochs):
        j = e % len(order)
        t_round = {}
        for c in order[j:] + order[:j]:
            X, y = data[c.dtype]
            t0 = time.perf_counter()
            c.epoch(X, y)
            t_round[c] = time.perf_counter() - t0
        rounds.append(t_round)
    return {c: statistics.fmean(r[c] for r in rounds) for c in contestants}, rounds


def probe_threads(contestants, data, limits, rows, rounds=3):
    """Median over `rounds` interleaved rounds of one partial_fit pass over `rows` rows, per
    (limit, contestant). The median, not the best: more threads than free cores mostly adds
    variance (a thread pool waits for its slowest, descheduled thread), which a best-of hides."""
    times = {}
    for r in range(rounds):
        for limit in (limits if r % 2 == 0 else limits[::-1]):
            with threadpool_limits(limits=limit):
                set_threads(limit)
                for c in contestants:
                    X, y = data[c.dtype]
                    Xp, yp = X[:rows], y[:rows]
                    c.start(Xp, yp)
                    t0 = time.perf_counter()
                    c.epoch(Xp, yp)
                    times.setdefault((limit, c.name, c.dtype.name), []).append(
                        time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in times.items()}


# ---- machine ----------------------------------------------------------------------------------
def cpu_busy_sample(seconds=1.0):
    """Cores busy (all processes, ours idle) over `seconds`, from /proc/stat; None elsewhere."""
    def read():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        idle = v[3] + v[4]
        return sum(v[:8]) - idle, sum(v[:8])
    try:
        b0, t0 = read()
        time.sleep(seconds)
        b1, t1 = read()
    except OSError:
        return None
    ncpu = os.cpu_count() or 1
    return ncpu * (b1 - b0) / max(t1 - t0, 1)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_info():
    n_cpu = os.cpu_count()
    try:
        avail = len(os.sched_getaffinity(0))
    except AttributeError:
        avail = n_cpu
    lines = [f"machine : {cpu_model()}, {n_cpu} logical cores ({avail} usable by this process), "
             f"{platform.system()} {platform.release()}",
             f"python  : {platform.python_version()}   numpy {np.__version__}   scikit-learn "
             f"{sklearn.__version__}   threadpoolctl {threadpoolctl.__version__}   torch "
             f"{torch.__version__ if torch is not None else 'not available'}"]
    for lib in threadpool_info():
        lines.append(f"  thread pool: {lib['user_api']:7s} {lib.get('internal_api', ''):8s} "
                     f"{str(lib.get('version') or ''):14s} {lib.get('architecture') or '':10s} "
                     f"threads={lib['num_threads']}  {Path(lib['filepath']).name}  "
                     f"({Path(lib['filepath']).parent.name})")
    if torch is not None:
        cfg = torch.__config__.show()
        blas = [kv.strip() for kv in cfg.replace("\n", ",").split(",")
                if kv.strip().startswith(("BLAS_INFO=", "USE_MKLDNN=", "USE_OPENMP="))]
        lines.append(f"  torch  : {torch.get_num_threads()} intra-op threads (default), "
                     f"{' '.join(blas) or 'BLAS info not reported'}")
    return lines


def load_line():
    try:
        la = os.getloadavg()
        la_s = f"load average {la[0]:.2f} {la[1]:.2f} {la[2]:.2f}"
    except OSError:
        la_s = "load average n/a"
    busy = cpu_busy_sample()
    busy_s = "" if busy is None else f"; cores busy while this script slept 1 s: {busy:.2f}"
    return la_s + busy_s


# ---- main -------------------------------------------------------------------------------------
def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--epochs", type=int, default=3, help="timed epochs per run (default 3)")
    p.add_argument("--repeats", type=int, default=3,
                   help="runs per contestant; the median is reported (default 3)")
    p.add_argument("--n-train", type=int, default=60000, help="training rows (default 60000)")
    p.add_argument("--threads", default="best",
                   help="BLAS/OpenMP/torch threads for every contestant: an integer, or 'auto' "
                        "(default): a probe tries 1, 2 and all cores; more threads are used only "
                        "when at least 25%% faster and slower for no numpy contestant")
    p.add_argument("--lr", type=float, default=0.1, help="learning rate for all (default 0.1)")
    p.add_argument("--mode", choices=["partial_fit", "fit"], default="partial_fit",
                   help="time partial_fit calls after a warm-up (default) or one fit(max_iter=E)")
    p.add_argument("--accuracy", action="store_true",
                   help="also report test accuracy after 1 and 10 epochs (ours float32, sklearn "
                        "float32, torch float32)")
    p.add_argument("--no-torch", action="store_true", help="skip PyTorch even if installed")
    p.add_argument("--mnist-dir", default=None,
                   help="folder holding mnist.npz (default: $NEURAL_PLAYGROUND_MNIST, then "
                        "../shared/data beside the checkout)")
    p.add_argument("--synthetic", action="store_true",
                   help="random dense data even when MNIST is found (no blank input columns)")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    if args.epochs < 1 or args.repeats < 1 or args.n_train < BATCH:
        p.error("--epochs and --repeats must be >= 1 and --n-train >= 128")

    t_start = time.perf_counter()
    n_cores = os.cpu_count() or 1
    print("=" * 100)
    print("MLP training speed: 784-128-10, ReLU, softmax + cross-entropy, batch 128, plain SGD "
          f"(momentum 0, l2 0), lr {args.lr}, shuffled every epoch")
    print("=" * 100)
    for line in machine_info():
        print(line)
    print(f"load    : {load_line()}")

    X, y, X_test, y_test, source = load_data(args.n_train, args.mnist_dir, args.seed,
                                             args.synthetic)
    print(f"data    : {source}")
    print(f"          train {X.shape[0]} x {X.shape[1]}, test {len(X_test)}; "
          f"{int(np.ceil(len(X) / BATCH))} steps per epoch")
    print(f"          {active_columns_line(X)}")
    data = {np.dtype(np.float32): (np.ascontiguousarray(X, np.float32), y),
            np.dtype(np.float64): (np.ascontiguousarray(X, np.float64), y)}

    use_torch = torch is not None and not args.no_torch
    if not use_torch:
        why = "--no-torch given" if torch is not None else f"`import torch` failed ({TORCH_ERROR})"
        print(f"torch   : SKIPPED, {why}")

    dtypes = [np.float32, np.float64]
    contestants = [Ours(dt, args.lr, args.seed) for dt in dtypes]
    contestants += [Sklearn(dt, args.lr, args.seed) for dt in dtypes]
    if use_torch:
        contestants += [Torch(dt, args.lr, args.seed) for dt in dtypes]
    numpy_contestants = [c for c in contestants if c.key in ("ours", "sklearn")]

    # -- thread probe
    limits = sorted({1, 2, n_cores})
    rows = min(len(X), 100 * BATCH)
    print(f"\nthread probe: one partial_fit pass over {rows} rows ({rows // BATCH} steps), "
          f"median of 3, per thread limit (all libraries limited alike)")
    probe = probe_threads(numpy_contestants, data, limits, rows)
    header = "  " + f"{'contestant':16s}{'dtype':9s}" + "".join(f"{f'{L} thr (s)':>12s}" for L in limits)
    print(header)
    for c in numpy_contestants:
        print("  " + f"{c.name:16s}{c.dtype.name:9s}"
              + "".join(f"{probe[(L, c.name, c.dtype.name)]:12.3f}" for L in limits))
    totals = {L: sum(probe[(L, c.name, c.dtype.name)] for c in numpy_contestants) for L in limits}
    print("  " + f"{'sum':25s}" + "".join(f"{totals[L]:12.3f}" for L in limits))
    spread = max(totals.values()) / min(totals.values())
    if spread > 1.2:
        print(f"  -> thread limits differ notably: slowest / fastest = {spread:.1f}x")
    else:
        print(f"  -> thread limits make little difference here ({spread:.2f}x)")
    if args.threads == "best":
        threads = "best"
        print("  -> timing at 1 and 2 threads; each contestant is reported at its own best")
    elif args.threads == "auto":
        # More threads must earn their risk: at least 25% faster in total and slower for no
        # numpy contestant. On a shared machine a pool with more threads than free cores
        # stalls on its descheduled thread; a short probe can miss that, the timed runs then
        # hit it (measured: scikit-learn float32 at 2.7 s/epoch with 2 threads, 0.5 with 1).
        threads = limits[0]
        for L in limits[1:]:
            if (totals[L] * 1.25 <= totals[threads] and
                    all(probe[(L, c.name, c.dtype.name)] <= probe[(threads, c.name, c.dtype.name)]
                        for c in numpy_contestants)):
                threads = L
        print(f"  -> using {threads} thread(s) for every contestant (more threads only when at "
              f"least 25% faster and slower for no numpy contestant; --threads N to force)")
    else:
        threads = int(args.threads)
        print(f"  -> using --threads {threads} for every contestant")

    # -- the timed runs, interleaved
    def timed(threads):
        print(f"\ntiming: mode {args.mode}, {args.epochs} epoch(s) per run, {args.repeats} "
              f"repeat(s), {threads} thread(s) ...", flush=True)
        results = {c: [] for c in contestants}  # seconds per epoch of each repeat
        paired = {}  # (key, dtype) -> [t_other / t_ours of the same dtype, same round]
        with threadpool_limits(limits=threads):
            set_threads(threads)
            for c in contestants:  # process-level one-time costs (first torch call, lazy imports)
                c.start(*data[c.dtype])
            for r in range(args.repeats):
                per_repeat, rounds = time_repeat(contestants, data, args.epochs, args.mode, r)
                for c, t in per_repeat.items():
                    results[c].append(t)
                for t_round in rounds:
                    ours = {c.dtype.name: t for c, t in t_round.items() if c.key == "ours"}
                    for c, t in t_round.items():
                        if c.key != "ours":
                            paired.setdefault((c.key, c.dtype.name), []).append(
                                t / ours[c.dtype.name])
            limited = [f"{Path(lib['filepath']).name}={lib['num_threads']}"
                       for lib in threadpool_info()]
            if use_torch:
                limited.append(f"torch={torch.get_num_threads()}")
        print(f"  thread pools during timing: {', '.join(limited)}")
        return results, paired

    if threads == "best":
        # Every contestant at its own best thread count: each library gets the setting that
        # suits it (measured here: float32 runs best on 1 thread, float64 on 2, for everyone).
        runs = {L: timed(L) for L in limits[:2]}
        chosen = {c: min(runs, key=lambda L: statistics.median(runs[L][0][c])) for c in contestants}
        results = {c: runs[chosen[c]][0][c] for c in contestants}
        paired = {}
        for c in contestants:
            ours = next(o for o in contestants if o.key == "ours" and o.dtype == c.dtype)
            if c.key != "ours" and chosen[c] == chosen[ours]:
                paired[(c.key, c.dtype.name)] = runs[chosen[c]][1][(c.key, c.dtype.name)]
        print("\nbest thread count per contestant: " + ", ".join(
            f"{c.name} {c.dtype.name}={chosen[c]}" for c in contestants))
    else:
        results, paired = timed(threads)
    print()
    print(f"{'contestant':16s}{'dtype':9s}{'median s/epoch':>16s}{'min s/epoch':>13s}"
          f"{'vs ours':>10s}{'last-epoch loss':>17s}   runs (s/epoch)")
    print("-" * 100)
    med = {}
    for c in contestants:
        med[(c.key, c.dtype.name)] = statistics.median(results[c])
    for c in contestants:
        ts = results[c]
        m = med[(c.key, c.dtype.name)]
        ours_m = med[("ours", c.dtype.name)]
        print(f"{c.name:16s}{c.dtype.name:9s}{m:16.3f}{min(ts):13.3f}{m / ours_m:9.2f}x"
              f"{c.last_loss():17.4f}   " + " ".join(f"{t:.3f}" for t in ts))
    print("-" * 100)
    print("ratios: median s/epoch of the other / ours (> 1: ours is faster); in brackets the "
          "median of\n        paired ratios, each epoch against ours' epoch of the same round "
          "(robust to load drifting):")
    checks = [("sklearn", "float32"), ("sklearn", "float64"), ("torch", "float32")]
    if use_torch:
        checks.append(("torch", "float64"))
    missed = []
    for key, dt in checks:
        if (key, dt) not in med:
            continue
        ratio = med[(key, dt)] / med[("ours", dt)]
        label = "scikit-learn" if key == "sklearn" else "PyTorch CPU"
        pr = (f"[{statistics.median(paired[(key, dt)]):4.2f}x]" if (key, dt) in paired
              else "[  -  ]")
        if key == "torch" and dt == "float64":
            print(f"  {label:12s} / ours  {dt}: {ratio:5.2f}x {pr}  (no goal, for information)")
            continue
        goal = GOALS[key]
        ok = ratio >= goal
        if not ok:
            missed.append(f"{label} {dt}")
        print(f"  {label:12s} / ours  {dt}: {ratio:5.2f}x {pr}  goal >= {goal}x  "
              f"{'MET' if ok else 'MISSED'}")
    if not use_torch:
        print("  PyTorch CPU  / ours  float32: n/a (torch skipped)")
    print(f"  ours float64 / ours float32: "
          f"{med[('ours', 'float64')] / med[('ours', 'float32')]:.2f}x")

    # -- accuracy (the real-MNIST extension)
    if args.accuracy:
        print(f"\naccuracy: fresh models, partial_fit epochs over the {len(X)} training rows, "
              f"{1 if threads == 'best' else threads} thread(s); test accuracy on {len(X_test)} test images")
        if source.startswith("SYNTHETIC"):
            print("  (synthetic data with random labels: about 10% is all anyone can get)")
        acc_contestants = [Ours(np.float32, args.lr, args.seed),
                           Sklearn(np.float32, args.lr, args.seed)]
        if use_torch:
            acc_contestants.append(Torch(np.float32, args.lr, args.seed))
        Xt32 = np.ascontiguousarray(X_test, np.float32)
        Xd, yd = data[np.dtype(np.float32)]
        print(f"  {'contestant':16s}{'dtype':9s}{'1 epoch':>10s}{'10 epochs':>11s}{'s/epoch':>10s}")
        acc_threads = 1 if threads == "best" else threads
        with threadpool_limits(limits=acc_threads):
            set_threads(acc_threads)
            for c in acc_contestants:
                c.model = None
                accs, t0 = {}, time.perf_counter()
                for e in range(1, 11):
                    c.epoch(Xd, yd)
                    if e in (1, 10):
                        accs[e] = c.score(Xt32, y_test)
                dt = (time.perf_counter() - t0) / 10
                print(f"  {c.name:16s}{'float32':9s}{accs[1]:10.4f}{accs[10]:11.4f}{dt:10.3f}")

    print(f"\nload    : {load_line()}")
    print(f"goals   : {'all met' if not missed else 'MISSED: ' + ', '.join(missed)}   "
          f"(total wall time {time.perf_counter() - t_start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
