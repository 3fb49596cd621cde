"""Step-by-step training: snapshots, live learning-rate changes, equivalence with fit."""
import dataclasses

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
    for a, b in zip(fitted._params(), trainer.model._params()):
        np.testing.assert_array_equal(a, b)
    assert snaps[-1].step == fitted.t_
    assert trainer.model.loss_curve_ == fitted.loss_curve_


def test_snapshots_are_frozen_copies(xor_split):
    Xtr, Xte, ytr, yte = xor_split
    trainer = Trainer(MLPClassifier((4,), random_state=0), Xtr, ytr, Xte, yte,
                      grid=make_grid(Xtr, 30))
    first = trainer.run(1)
    W_then = first.params[0].copy()
    trainer.run(20)
    np.testing.assert_array_equal(first.params[0], W_then)  # not a view of live weights
    with pytest.raises(ValueError):
        first.params[0][0, 0] = 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.step = 99
    assert first.grid_proba.dtype == np.float32 and first.grid_proba.shape == (30, 30)
    assert [h.shape for h in first.grid_hidden] == [(4, 30, 30)]
    assert 0 <= first.test_accuracy <= 1 and first.test_loss > 0


def test_learning_rate_changes_without_reset(xor_split):
    Xtr, _, ytr, _ = xor_split
    trainer = Trainer(LogisticRegression(learning_rate=0.1, max_iter=10**6), Xtr, ytr)
    s1 = trainer.run(5)
    theta_before = s1.params[0]
    trainer.model.set_params(learning_rate=2.0)
    s2 = trainer.run(1)
    assert (s1.step, s2.step) == (5, 6) and s2.learning_rate == 2.0
    # the step taken is theta += 2.0 * gradient at the old theta (no reset to zero)
    from core.logistic import add_intercept, log_likelihood_gradient
    Y = ytr.reshape(-1, 1).astype(float)
    expected = theta_before + 2.0 * log_likelihood_gradient(theta_before, add_intercept(Xtr), Y)
    np.testing.assert_allclose(s2.params[0], expected)


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


def test_init_hook_sets_hand_made_weights(xor_split):
    Xtr, _, ytr, _ = xor_split

    def hand_made(model):
        model.coefs_ = [np.ones((2, 2)), np.ones((2, 1))]
        model.intercepts_ = [np.zeros(2), np.zeros(1)]
    trainer = Trainer(MLPClassifier((2,), random_state=0), Xtr, ytr, init=hand_made)
    np.testing.assert_array_equal(trainer.snapshot().params[0], np.ones((2, 2)))


def test_overflowing_outputs_count_as_divergence(xor_split):
    """Weights huge but finite: the logits overflow to inf, the clipped batch loss stays finite,
    and the shown loss would be NaN. The trainer says the run diverged instead."""
    from core import TrainingDiverged
    Xtr, Xte, ytr, yte = xor_split

    def huge(model):
        model.coefs_ = [np.full_like(W, 1e200) for W in model.coefs_]

    trainer = Trainer(MLPClassifier((4,), activation="relu", learning_rate=1e-300, tol=0,
                                    random_state=0), Xtr, ytr, Xte, yte, init=huge)
    with pytest.raises(TrainingDiverged, match="step 1: the loss .* infinite or NaN"):
        trainer.run(1)
