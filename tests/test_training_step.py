"""The fast training step gives the plain formulas' numbers.

Two shortcuts of the fast step (core/fast_step.py) are checked here against the straightforward
computation: the softmax and its cross-entropy in one pass, and the first layer run on a batch's
non-zero input columns only. tests/test_fast_step.py holds the whole step against
``core.mlp.backprop``.
"""
import numpy as np
import pytest
from scipy.special import softmax

from core import MLPClassifier
from core.losses import cross_entropy, softmax_cross_entropy_inplace
from core.fast_step import Workspace


# ---- softmax and cross-entropy in one pass ----------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("scale", [0.1, 10.0, 300.0, 1e4])  # 300 and 1e4 span past exp's range
def test_fused_softmax_cross_entropy_equals_the_formulas(dtype, scale):
    rng = np.random.default_rng(1)
    Z = (rng.normal(size=(64, 10)) * scale).astype(dtype)
    Y = np.eye(10, dtype=dtype)[rng.integers(0, 10, 64)]
    P = Z.copy()
    loss = softmax_cross_entropy_inplace(P, Y)
    tol = 1e-6 if dtype == np.float32 else 1e-13
    assert loss == pytest.approx(cross_entropy(Y.astype(float), Z.astype(float)), rel=tol)
    np.testing.assert_allclose(P, softmax(Z.astype(float), axis=1), rtol=1e-5, atol=tol)
    assert np.isfinite(P).all()


def test_fused_softmax_cross_entropy_of_a_row_far_below_the_rest():
    # one shift for the batch would underflow row 1 to 0/0; each row must get its own shift
    Z = np.array([[0.0, 1.0, 2.0], [-2000.0, -2001.0, -1999.0]], dtype=np.float32)
    Y = np.array([[0, 0, 1], [0, 0, 1]], dtype=np.float32)
    P = Z.copy()
    loss = softmax_cross_entropy_inplace(P, Y)
    np.testing.assert_allclose(P, softmax(Z.astype(float), axis=1), rtol=1e-6)
    assert loss == pytest.approx(cross_entropy(Y, Z.astype(float)), rel=1e-6)


@pytest.mark.parametrize("bad", [np.inf, -np.inf, np.nan])
def test_fused_softmax_cross_entropy_of_non_finite_logits_is_nan(bad):
    Z = np.zeros((4, 3))
    Z[2, 1] = bad
    before = Z.copy()
    with np.errstate(all="raise"):  # and no floating-point warning on the way
        assert np.isnan(softmax_cross_entropy_inplace(Z, np.eye(3)[[0, 1, 2, 0]]))
    np.testing.assert_array_equal(Z, before)


# ---- the first layer on the non-zero input columns only ---------------------------------------
def sparse_data(n=640, d=100, seed=0):
    """Pixels-like data: columns 60..99 are blank except in every 160th example, so most batches
    of 32 have 40 all-zero columns and a few have none."""
    rng = np.random.default_rng(seed)
    X = rng.random((n, d))
    X[:, 60:] = 0.0
    X[::160, 60:] = rng.random((len(X[::160]), d - 60))
    y = (X[:, :30].sum(axis=1) > X[:, 30:60].sum(axis=1)).astype(int) + 2 * (X[:, 0] > 0.5)
    return X, y


@pytest.fixture
def compactions(monkeypatch):
    """Counts the steps that ran the first layer on a subset of columns."""
    calls = []
    original = Workspace.compact

    def counted(self, X, coefs, cols):
        calls.append(len(cols))
        return original(self, X, coefs, cols)

    monkeypatch.setattr(Workspace, "compact", counted)
    return calls


def train(X, y, dense=False, monkeypatch=None, epochs=3, coefs=None, **params):
    if dense:
        monkeypatch.setattr(Workspace, "MAX_ACTIVE", -1.0)  # no batch qualifies
    model = MLPClassifier((64,), batch_size=32, learning_rate=0.2, random_state=0, **params)
    model.partial_fit(X[:32], y[:32], classes=np.unique(y))
    if coefs is not None:
        model.coefs_ = coefs(model.coefs_)
    for _ in range(epochs):
        model.partial_fit(X, y)
    if dense:
        monkeypatch.undo()
    return model


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("params", [{}, {"momentum": 0.9}, {"l2": 0.05}, {"activation": "tanh"}],
                         ids=["sgd", "momentum", "l2", "tanh"])
def test_compacted_first_layer_trains_exactly_like_the_dense_one(dtype, params, compactions,
                                                                 monkeypatch):
    X, y = sparse_data()
    X = X.astype(dtype)
    fast = train(X, y, dtype=dtype, **params)
    assert len(compactions) >= 30  # of 61 steps; about 1 batch in 5 holds a non-blank row
    assert set(compactions) == {60}
    compactions.clear()
    dense = train(X, y, dense=True, monkeypatch=monkeypatch, dtype=dtype, **params)
    assert compactions == []
    rtol, atol = (1e-10, 1e-12) if dtype == np.float64 else (2e-4, 2e-6)
    for a, b in zip(fast.coefs_ + fast.intercepts_, dense.coefs_ + dense.intercepts_):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)
    np.testing.assert_allclose(fast.loss_curve_, dense.loss_curve_, rtol=rtol)


def test_rows_of_blank_inputs_get_only_the_weight_decay(compactions):
    X, y = sparse_data()
    X[:, 60:] = 0.0  # now blank everywhere
    start = MLPClassifier((64,), batch_size=32, random_state=0).partial_fit(X[:32], y[:32])
    W_blank = start.coefs_[0][60:].copy()
    plain = MLPClassifier((64,), batch_size=32, random_state=0).partial_fit(X[:32], y[:32])
    plain.partial_fit(X, y)
    np.testing.assert_array_equal(plain.coefs_[0][60:], W_blank)  # no gradient ever reached them
    assert not np.allclose(plain.coefs_[0][:60], start.coefs_[0][:60])
    decayed = MLPClassifier((64,), batch_size=32, random_state=0, l2=0.1,
                            learning_rate=0.1).partial_fit(X[:32], y[:32])
    W_blank = decayed.coefs_[0][60:].copy()
    decayed.partial_fit(X, y)  # 20 steps, each W <- W - eta * l2 * W on these rows
    np.testing.assert_allclose(decayed.coefs_[0][60:], W_blank * (1 - 0.1 * 0.1) ** 20, rtol=1e-12)
    assert len(compactions) == 3 + 2 * 20  # every step of the three models


def test_dense_data_is_not_compacted_and_looked_at_less_and_less(compactions, monkeypatch):
    rng = np.random.default_rng(0)
    X, y = rng.random((3200, 100)), rng.integers(0, 3, 3200)
    looked = []
    original = Workspace.active_columns

    def spy(self, Xb):
        looked.append(self.compacts and self.wait == 0)
        return original(self, Xb)

    monkeypatch.setattr(Workspace, "active_columns", spy)
    train(X, y, epochs=1)
    assert compactions == []
    # steps 0, 2, 6, 14 look, then one step in BACKOFF + 1
    assert np.flatnonzero(looked)[:5].tolist() == [0, 2, 6, 14, 30]
    assert sum(looked) <= 5 + len(looked) // (Workspace.BACKOFF + 1)


def test_narrow_first_layers_and_huge_batches_are_never_compacted(compactions):
    X, y = sparse_data()
    MLPClassifier((8,), batch_size=32, random_state=0, max_iter=3, tol=0).fit(X, y)
    assert compactions == []
    X, y = np.tile(X, (8, 1)), np.tile(y, 8)  # 5120 rows in one batch
    assert len(X) > Workspace.MAX_ROWS
    MLPClassifier((64,), batch_size=None, random_state=0, max_iter=2, tol=0).fit(X, y)
    assert compactions == []
    MLPClassifier((64,), batch_size=64, random_state=0, max_iter=1, tol=0).fit(X, y)
    assert compactions


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_compacted_binary_network_trains_like_the_dense_one(dtype, compactions, monkeypatch):
    X, y = sparse_data()
    X, y = X.astype(dtype), y % 2  # one sigmoid output
    fast = train(X, y, dtype=dtype, activation="sigmoid")
    assert compactions
    dense = train(X, y, dense=True, monkeypatch=monkeypatch, dtype=dtype, activation="sigmoid")
    rtol, atol = (1e-10, 1e-12) if dtype == np.float64 else (2e-4, 2e-6)
    for a, b in zip(fast.coefs_ + fast.intercepts_, dense.coefs_ + dense.intercepts_):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


def test_assigned_column_major_weights_train_the_same(compactions, monkeypatch):
    X, y = sparse_data()
    c_order = train(X, y, coefs=lambda cs: [np.ascontiguousarray(W) for W in cs])
    f_order = train(X, y, coefs=lambda cs: [np.asfortranarray(W) for W in cs])
    assert compactions
    for a, b in zip(c_order.coefs_ + c_order.intercepts_, f_order.coefs_ + f_order.intercepts_):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
