"""Step-by-step training: snapshots, live learning-rate and batch-size changes, equivalence
with fit."""
import copy
import dataclasses
import pickle

import numpy as np
import pytest

from core import LogisticRegression, MLPClassifier, Trainer, make_dataset, make_grid, split, train


@pytest.fixture
def xor_split():
    X, y = make_dataset("xor", 200, random_state=0)
    return split(X, y, 0.25, random_state=0)


@pytest.mark.parametrize("make_model", [
    lambda: LogisticRegression(max_iter=50, tol=0),
    lambda: LogisticRegression(max_iter=5, batch_size=16, tol=0, random_state=2),
    lambda: MLPClassifier((6, 4), activation="tanh", batch_size=32, max_iter=8, tol=0,
                          random_state=1),
])
def test_draining_the_trainer_equals_fit(make_model, xor_split):
    Xtr, Xte, ytr, yte = xor_split
    fitted = make_model().fit(Xtr, ytr)
    trainer = Trainer(make_model(), Xtr, ytr, Xte, yte)
    snaps = list(trainer.snapshots(steps_per_snapshot=3))
    assert trainer.done
    expected = fitted.get_weights()
    assert set(snaps[-1].weights) == set(expected)
    for name, w in expected.items():
        np.testing.assert_array_equal(snaps[-1].weights[name], w)
    assert snaps[-1].step == fitted.t_ and snaps[-1].examples_seen == fitted.n_seen_
    assert trainer.model.loss_curve_ == fitted.loss_curve_


def test_snapshots_are_frozen_copies(xor_split):
    Xtr, Xte, ytr, yte = xor_split
    trainer = Trainer(MLPClassifier((4,), random_state=0), Xtr, ytr, Xte, yte,
                      grid=make_grid(Xtr, 30))
    first = trainer.run(1)
    W_then = first.coefs[0].copy()
    trainer.run(20)
    np.testing.assert_array_equal(first.coefs[0], W_then)  # not a view of live weights
    with pytest.raises(ValueError):
        first.coefs[0][0, 0] = 1.0
    with pytest.raises(ValueError):
        first.intercepts[1][0] = 1.0
    with pytest.raises(TypeError):
        first.weights["coef_0"] = np.zeros((2, 4))  # a read-only mapping
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.step = 99
    assert list(first.weights) == ["coef_0", "coef_1", "intercept_0", "intercept_1"]
    assert first.coefs[1] is first.weights["coef_1"] and first.theta is None
    assert [W.shape for W in first.coefs] == [(2, 4), (4, 1)]
    assert [b.shape for b in first.intercepts] == [(4,), (1,)]
    assert first.examples_seen == len(Xtr)  # batch_size 200 > 150 examples: full batch
    assert first.grid_proba.dtype == np.float32 and first.grid_proba.shape == (30, 30)
    assert [h.shape for h in first.grid_hidden] == [(4, 30, 30)]
    assert 0 <= first.test_accuracy <= 1 and first.test_loss > 0


def test_learning_rate_changes_without_reset(xor_split):
    Xtr, _, ytr, _ = xor_split
    trainer = Trainer(LogisticRegression(learning_rate=0.1, max_iter=10**6), Xtr, ytr)
    s1 = trainer.run(5)
    theta_before = s1.theta
    assert s1.coefs is None and s1.intercepts is None and list(s1.weights) == ["theta"]
    trainer.model.set_params(learning_rate=2.0)
    s2 = trainer.run(1)
    assert (s1.step, s2.step) == (5, 6) and s2.learning_rate == 2.0
    # the step taken is theta += 2.0 * gradient at the old theta (no reset to zero)
    from core.logistic import add_intercept, log_likelihood_gradient
    Y = ytr.reshape(-1, 1).astype(float)
    expected = theta_before + 2.0 * log_likelihood_gradient(theta_before, add_intercept(Xtr), Y)
    np.testing.assert_allclose(s2.theta, expected)


def test_same_random_state_gives_identical_snapshots(xor_split):
    Xtr, Xte, ytr, yte = xor_split

    def run():
        gen = train(MLPClassifier((5,), batch_size=10, random_state=4), Xtr, ytr, Xte, yte,
                    steps_per_snapshot=7, grid=make_grid(Xtr, 20))
        return [next(gen) for _ in range(6)]
    for a, b in zip(run(), run()):
        assert (a.step, a.train_loss, a.test_accuracy) == (b.step, b.train_loss, b.test_accuracy)
        np.testing.assert_array_equal(a.grid_proba, b.grid_proba)


def test_generator_send_changes_steps_per_snapshot(xor_split):
    Xtr, _, ytr, _ = xor_split
    gen = train(LogisticRegression(max_iter=1000), Xtr, ytr, steps_per_snapshot=2)
    assert next(gen).step == 0
    assert next(gen).step == 2
    assert gen.send(10).step == 12


def test_snapshot_losses_match_the_model(xor_split):
    Xtr, Xte, ytr, yte = xor_split
    trainer = Trainer(MLPClassifier((8,), random_state=0), Xtr, ytr, Xte, yte)
    s = trainer.run(30)
    assert s.train_loss == pytest.approx(trainer.model.loss(Xtr, ytr))
    assert s.test_loss == pytest.approx(trainer.model.loss(Xte, yte))
    assert s.test_accuracy == pytest.approx(trainer.model.score(Xte, yte))
    assert s.epoch == pytest.approx(30 * min(200, len(Xtr)) / len(Xtr))
    assert s.examples_seen == 30 * len(Xtr)


def test_training_starts_from_the_given_weights(xor_split):
    from core.mlp import backprop
    Xtr, _, ytr, _ = xor_split
    weights = {"coef_0": np.ones((2, 2)), "coef_1": np.ones((2, 1)),
               "intercept_0": np.zeros(2), "intercept_1": np.zeros(1)}
    trainer = Trainer(MLPClassifier((2,), activation="tanh", learning_rate=0.5, batch_size=None,
                                    random_state=0), Xtr, ytr, weights=weights)
    start = trainer.snapshot()
    np.testing.assert_array_equal(start.coefs[0], np.ones((2, 2)))
    weights["coef_0"][0, 0] = 5.0  # the trainer holds a copy
    after = trainer.run(1)
    # the first step is a full-batch gradient step from the given weights
    gW, gb = backprop(Xtr, ytr.reshape(-1, 1).astype(float), start.coefs, start.intercepts, "tanh")
    np.testing.assert_allclose(after.coefs[0], np.ones((2, 2)) - 0.5 * gW[0], rtol=1e-12)
    np.testing.assert_allclose(after.intercepts[1], -0.5 * gb[1], rtol=1e-12)
    # weights saved from a snapshot start another run where that one stood
    again = Trainer(MLPClassifier((2,), activation="tanh", random_state=1), Xtr, ytr,
                    weights=after.weights)
    np.testing.assert_array_equal(again.snapshot().coefs[0], after.coefs[0])
    with pytest.raises(ValueError, match=r"coef_1 has shape \(2, 2\), but layer 1 expects 2 "
                                         r"inputs and has 1 units"):
        Trainer(MLPClassifier((2,)), Xtr, ytr, weights={**weights, "coef_1": np.ones((2, 2))})
    with pytest.raises(ValueError, match=r"missing \['intercept_1'\]"):
        Trainer(MLPClassifier((2,)), Xtr, ytr,
                weights={k: v for k, v in weights.items() if k != "intercept_1"})


def test_snapshots_pickle_and_deep_copy(xor_split):
    Xtr, _, ytr, _ = xor_split
    snap = Trainer(MLPClassifier((3,), random_state=0), Xtr, ytr, grid=make_grid(Xtr, 10)).run(2)
    for other in (pickle.loads(pickle.dumps(snap)), copy.deepcopy(snap)):
        assert (other.step, other.examples_seen, other.train_loss) == (
            snap.step, snap.examples_seen, snap.train_loss)
        np.testing.assert_array_equal(other.coefs[0], snap.coefs[0])
        assert not other.coefs[0].flags.writeable
        with pytest.raises(TypeError):
            other.weights["coef_0"] = None


def test_overflowing_outputs_count_as_divergence(xor_split):
    """Weights huge but finite: the logits overflow to inf, the clipped batch loss stays finite,
    and the shown loss would be NaN. The trainer says the run diverged instead."""
    from core import TrainingDiverged
    Xtr, Xte, ytr, yte = xor_split

    start = MLPClassifier((4,), random_state=0)
    start.begin(Xtr, ytr)
    huge = {name: np.full_like(w, 1e200) if name.startswith("coef") else w
            for name, w in start.get_weights().items()}
    trainer = Trainer(MLPClassifier((4,), activation="relu", learning_rate=1e-300, tol=0,
                                    random_state=0), Xtr, ytr, Xte, yte, weights=huge)
    with pytest.raises(TrainingDiverged, match="step 1: the loss .* infinite or NaN"):
        trainer.run(1)


# ---- batch size and epochs that tell the truth -----------------------------------------------
class Recording(LogisticRegression):
    """LogisticRegression that keeps a copy of every batch it steps on."""

    def _step(self, X, Y):
        self.batches.append(X.copy())
        return super()._step(X, Y)

    def begin(self, X, y, classes=None):
        self.batches = []
        return super().begin(X, y, classes)


def rows(batches):
    return np.concatenate(batches) if batches else np.empty((0, 2))


def same_rows(A, B):
    """A and B hold the same rows, in any order."""
    return np.array_equal(A[np.lexsort(A.T)], B[np.lexsort(B.T)])


def test_switching_to_full_batch_mid_pass_uses_every_example_at_the_next_step(xor_split):
    Xtr, _, ytr, _ = xor_split
    n = len(Xtr)
    trainer = Trainer(Recording(learning_rate=0.5, batch_size=16, tol=0, max_iter=10**6,
                                random_state=0), Xtr, ytr)
    before = trainer.run(3)  # mid-pass: 48 of 150 examples
    assert before.examples_seen == 48 and before.epoch == pytest.approx(48 / n)
    trainer.model.set_params(batch_size=None)
    after = trainer.run(1)
    batches = trainer.model.batches
    np.testing.assert_array_equal(batches[-1], Xtr)  # every example, in the given order
    assert after.examples_seen == 48 + n
    assert after.epoch - before.epoch == pytest.approx(1.0, abs=1e-12)
    # ... and the step is the lectures' full-batch step from where the minibatches left theta
    from core.logistic import add_intercept, log_likelihood_gradient
    Y = ytr.reshape(-1, 1).astype(float)
    step = 0.5 * log_likelihood_gradient(before.theta, add_intercept(Xtr), Y)
    np.testing.assert_allclose(after.theta, before.theta + step)
    # the interrupted pass was closed with the loss of the 48 examples it covered
    assert trainer.model.n_iter_ == 2 and len(trainer.model.loss_curve_) == 2
    assert trainer.run(2).examples_seen == 48 + 3 * n


def test_a_smaller_batch_mid_pass_takes_what_the_pass_has_left_in_its_order(xor_split):
    Xtr, _, ytr, _ = xor_split
    n = len(Xtr)
    make = lambda: Recording(learning_rate=0.5, batch_size=16, tol=0, max_iter=10**6,  # noqa: E731
                             random_state=3)
    reference = Trainer(make(), Xtr, ytr)
    reference.run(10)  # one pass in batches of 16: 9 x 16 + 6
    switched = Trainer(make(), Xtr, ytr)
    assert switched.run(2).examples_seen == 32
    switched.model.set_params(batch_size=8)
    s = switched.run(1)
    assert s.examples_seen == 40 and s.epoch == pytest.approx(40 / n)
    sizes = [len(b) for b in switched.model.batches]
    assert sizes == [16, 16, 8]
    switched.run(14)  # 118 examples were left: 14 batches of 8 and one of 6
    pass_1 = switched.model.batches
    assert [len(b) for b in pass_1] == [16, 16] + [8] * 14 + [6]
    assert switched.model.n_iter_ == 1 and switched.snapshot().epoch == pytest.approx(1.0)
    # the same shuffled order as the unswitched run: only the cuts between batches moved
    np.testing.assert_array_equal(rows(pass_1), rows(reference.model.batches))
    assert same_rows(rows(pass_1), Xtr)  # every example exactly once
    switched.run(1)
    assert len(switched.model.batches[-1]) == 8  # the next pass keeps the new size


def test_epoch_never_decreases_and_counts_the_examples_stepped_on(xor_split):
    Xtr, _, ytr, _ = xor_split
    trainer = Trainer(Recording(learning_rate=0.2, batch_size=16, tol=0, max_iter=10**6,
                                random_state=1), Xtr, ytr)
    epochs = [trainer.snapshot().epoch]
    for batch_size, steps in [(16, 3), (8, 5), (None, 1), (32, 2), (200, 2), (1, 7), (None, 2),
                              (7, 30), (150, 1), (64, 3)]:
        trainer.model.set_params(batch_size=batch_size)
        snap = trainer.run(steps)
        epochs.append(snap.epoch)
        seen = sum(len(b) for b in trainer.model.batches)
        assert snap.examples_seen == seen and snap.epoch == pytest.approx(seen / len(Xtr))
    assert np.all(np.diff(epochs) > 0)


def test_an_invalid_batch_size_set_between_steps_is_refused(xor_split):
    Xtr, _, ytr, _ = xor_split
    trainer = Trainer(MLPClassifier((3,), batch_size=16, random_state=0), Xtr, ytr)
    trainer.run(1)
    trainer.model.set_params(batch_size=0)
    with pytest.raises(ValueError, match="batch_size must be None"):
        trainer.run(1)


@pytest.mark.parametrize("make_model", [
    lambda: LogisticRegression(max_iter=6, batch_size=16, tol=0, random_state=2),
    lambda: MLPClassifier((6, 4), activation="tanh", batch_size=32, max_iter=8, tol=0,
                          random_state=1),
])
def test_a_trainer_pickled_mid_pass_goes_on_as_the_original(make_model, xor_split):
    """Where training stands (the pass's shuffled order, the examples it used, its loss so far)
    is plain data: a trainer copied in the middle of a pass, as a training process gets it,
    takes exactly the steps the original takes, and a batch size changed on the copy applies
    from its next step."""
    Xtr, Xte, ytr, yte = xor_split
    original = Trainer(make_model(), Xtr, ytr, Xte, yte)
    original.take(3)  # 3 batches of 16 or 32 into a pass of 150 examples
    copied = pickle.loads(pickle.dumps(original))
    assert copied._steps.used == original._steps.used > 0
    for trainer in (original, copied):
        trainer.take(5)
        trainer.model.set_params(batch_size=50)
    while not original.done:
        a, b = original.run(7), copied.run(7)
        assert a.step == b.step and a.train_loss == b.train_loss
    assert copied.done and copied.model.loss_curve_ == original.model.loss_curve_
    for name, w in original.model.get_weights().items():
        np.testing.assert_array_equal(copied.model.get_weights()[name], w)
