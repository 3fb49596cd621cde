"""The logistic-regression page's lessons as math: the stable step, features, Naive Bayes,
minibatch gradients, the sigmoid view, the worked examples and the pseudocode."""
import numpy as np
import pytest
from sklearn.naive_bayes import GaussianNB

from core import LogisticRegression, Trainer, make_dataset, make_grid
from core.features import FEATURES, expand, expanded_grid, names
from core.hill import curvature, largest_stable_step
from core.logistic import add_intercept, log_likelihood_gradient
from core.naive_bayes import GaussianNaiveBayes
from core.sgd import compare_batch_sizes, example_gradients
from ui import logistic_lessons as LL
from ui import logistic_views as V
from ui.history import History, snapshot_record
from ui.numbers import num


def losses(X, y, lr, steps=15):
    t = Trainer(LogisticRegression(learning_rate=lr, max_iter=10**9, tol=0), X, y)
    return [t.snapshot().train_loss] + [t.run(1).train_loss for _ in range(steps)]


def test_the_largest_stable_step_separates_calm_climbs_from_overshoots():
    X, y = make_dataset("overlapping", 200, 0.3, random_state=0)
    stable = largest_stable_step(add_intercept(X))
    assert np.all(np.diff(losses(X, y, 0.9 * stable)) < 0)  # every step goes uphill on LL
    overshoot = losses(X, y, 12 * stable)
    assert overshoot[1] > overshoot[0]  # the first step jumps past the top
    # the hill bends most at theta = 0: nowhere else is the curvature larger
    rng = np.random.default_rng(0)
    X1 = add_intercept(X)
    assert all(curvature(X1, rng.normal(size=3)) <= curvature(X1) + 1e-12 for _ in range(20))


def test_extra_inputs_make_circles_separable_for_a_line():
    X, y = make_dataset("circles", 300, 0.1, random_state=0)
    F = expand(X, ("x₁²", "x₂²"))
    assert F.shape == (300, 4) and np.allclose(F[:, 2], X[:, 0] ** 2)
    plain = LogisticRegression(learning_rate=1.0, max_iter=300).fit(X, y).score(X, y)
    squared = LogisticRegression(learning_rate=1.0, max_iter=300).fit(F, y).score(F, y)
    assert plain < 0.75 and squared > 0.95
    grid = make_grid(X, 20)
    assert expanded_grid(grid, ("x₁x₂",)).points.shape == (400, 3)
    assert names(("sin x₂", "x₁²")) == ("x₁", "x₂", "x₁²", "sin x₂")  # in one order
    with pytest.raises(ValueError, match="Unknown input feature"):
        expand(X, ("x₃",))
    assert set(FEATURES) == {"x₁²", "x₂²", "x₁x₂", "sin x₁", "sin x₂"}


def test_naive_bayes_matches_scikit_learn_and_its_shared_form_is_a_logistic_line():
    X, y = make_dataset("overlapping", 300, 0.4, random_state=3)
    curved = GaussianNaiveBayes.fit(X, y, shared=False)
    np.testing.assert_allclose(curved.predict_proba(X), GaussianNB().fit(X, y).predict_proba(X),
                               rtol=1e-6, atol=1e-9)
    line = GaussianNaiveBayes.fit(X, y, shared=True)
    p = 1 / (1 + np.exp(-(add_intercept(X) @ line.theta)))
    np.testing.assert_allclose(line.predict_proba(X)[:, 1], p, rtol=1e-9)
    assert curved.theta is None
    Xs, ys = line.sample(20_000, random_state=0)  # the model makes points of its own
    assert abs(ys.mean() - line.prior[1]) < 0.02
    np.testing.assert_allclose(Xs[ys == 1].mean(axis=0), line.mean[1], atol=0.05)


def test_one_examples_gradient_is_on_average_the_full_gradient():
    X, y = make_dataset("moons", 120, 0.2, random_state=0)
    theta = np.array([0.3, -0.5, 0.8])
    G = example_gradients(theta, X, y)
    full = log_likelihood_gradient(theta.reshape(-1, 1), add_intercept(X), y.reshape(-1, 1))
    np.testing.assert_allclose(G.mean(axis=0), full[:, 0], atol=1e-12)
    curves = compare_batch_sizes(X, y, 0.3, epochs=4)
    assert [len(curves[b][0]) for b in (None, 16, 1)] == [5, 4 * 8 + 1, 4 * 120 + 1]
    assert all(curves[b][0][-1] == 4 * 120 for b in curves)  # the same work for each


def test_the_sigmoid_view_puts_each_point_at_its_own_z():
    X, y = make_dataset("overlapping", 50, 0.3, random_state=0)
    theta = np.array([0.1, 0.7, -0.2])
    fig = V.sigmoid_figure(theta, X, y, point=4)
    z = add_intercept(X) @ theta
    labels = next(t for t in fig["data"] if t["name"] == "class 1 (label)")
    np.testing.assert_allclose(np.asarray(labels["x"], float), z[y == 1], rtol=1e-6)
    assert fig["data"][-1]["name"] == "point #4"


@pytest.mark.parametrize("name, theta, want", [
    ("movie", (0.2, -0.4, 1.1, 2.1), "P(Y = 0 \\mid x) = 0.03"),  # the lectures' bad theta
    ("movie", (0.9, 0.2, -0.1, -1.9), "P(Y = 0 \\mid x) = 0.75"),  # and the better one
    ("neuron", (2, 3, -2, 1), "\\sigma(6) = 0.9975"),
    ("hat", (1.5, 0.8, -1.0, 0.4), "= 0.9089")])
def test_the_lectures_worked_examples(name, theta, want):
    example = LL.EXAMPLES[name]
    text = " ".join(LL.example_latex(example["x"], theta, example["y"]))
    assert want in text


def test_the_pseudocode_highlights_the_line_being_executed():
    html = LL.pseudocode_html("zero", [0.0, 0.0, 0.0], 1e-4)
    highlighted = [row for row in html.split("</div>") if "#fff3c4" in row]
    assert len(highlighted) == 1 and "gradient[j] = 0" in highlighted[0]
    loop = LL.pseudocode_html("loop", [0.1, 0.2, 0.3], 1e-4)
    assert loop.count("#fff3c4") == 6 and "θ now: (0.1, 0.2, 0.3)" in loop
    # θ now is a row of its own, not a note on "initialize θⱼ = 0" (which read as both)
    init = next(row for row in loop.split("</div>") if "initialize" in row)
    assert "0.1" not in init


def test_the_naive_bayes_text_names_the_sampled_points_as_the_chart_draws_them():
    """The text said "the hollow ones on the right", but the points sampled from Naive Bayes
    are hollow diamonds on the chart below it (a table is on the right)."""
    X, y = make_dataset("overlapping", 200, 0.4, random_state=3)
    grid = make_grid(X, resolution=20)
    fig, _, _ = LL.naive_bayes_view(X[:150], y[:150], X[150:], y[150:], grid, None)
    sampled = [t for t in fig["data"] if t.get("name", "").startswith("sampled from")]
    assert sampled and all(t["marker"]["symbol"] == "diamond-open" for t in sampled)
    assert "hollow diamonds on the chart below" in LL.NB_TEXT
    assert "on the right" not in LL.NB_TEXT


def test_the_stable_step_note_says_can_not_does():
    """At η = 100 on separable data the loss fell at every step, while the note said "above
    it, steps overshoot": the bound is the curvature at θ = 0, and the hill flattens as θ
    grows. The note says a step *can* overshoot."""
    X, y = make_dataset("separable", 200, random_state=0)
    X1 = add_intercept(X)
    stable = largest_stable_step(X1)
    trainer = Trainer(LogisticRegression(learning_rate=100.0, max_iter=10**9, tol=0), X, y)
    losses = [trainer.run(1).train_loss for _ in range(200)]
    assert 100.0 > stable and all(b <= a + 1e-12 for a, b in zip(losses, losses[1:]))
    note = V.eta_note(100.0, len(X), stable, lecture=False)
    assert "can overshoot" in note and "steps overshoot" not in note


def test_the_l2_texts_name_the_one_green_dashed_curve():
    """With L2 on, the curves chart has two dashed curves (the test loss and the penalised
    objective): "the dashed curve" did not say which."""
    X, y = make_dataset("separable", 100, random_state=0)
    trainer = Trainer(LogisticRegression(learning_rate=0.5, l2=1.0, max_iter=10**9, tol=0),
                      X[:70], y[:70], X[70:], y[70:])
    history = History()
    for _ in range(5):
        snap = trainer.run(1)
        history.add(**snapshot_record(snap), theta=snap.theta[:, 0])
    fig = V.curves_figure(history, l2=1.0)
    dashed = [t for t in fig["data"] if (t.get("line") or {}).get("dash")]
    green = [t for t in fig["data"] if (t.get("line") or {}).get("color") == "#17a589"]
    assert len(dashed) >= 2 and len(green) == 1 and "(l2/2)" in green[0]["name"]
    assert "green dashed curve" in V.l2_note(True) and "green dashed curve" in V.SEPARABLE_TEXT


def test_minibatch_and_sgd_notes_do_not_claim_what_holds_for_the_full_batch_only():
    """A browser review: with SGD and L2 the note said the penalised objective "falls" while
    its curve rose and oscillated, and gave the full batch's 2/λ_max as the largest stable
    step. A minibatch's step follows its own examples, so the whole data's loss can rise at
    any step size: here at η = 0.1, far below that bound."""
    X, y = make_dataset("circles", 100, random_state=0)
    full = largest_stable_step(add_intercept(X))
    trainer = Trainer(LogisticRegression(learning_rate=0.1, batch_size=1, max_iter=10**9, tol=0,
                                         random_state=0), X, y)
    losses = [trainer.run(1).train_loss for _ in range(100)]
    assert 0.1 < full and any(b > a for a, b in zip(losses, losses[1:]))
    full_note = V.eta_note(0.1, len(X), full, lecture=False)
    sgd_note = V.eta_note(0.1, len(X), full, lecture=False, full_batch=False)
    assert f"Largest stable step: η ≈ {num(full, 2)} (2/λ_max" in full_note
    assert f"η ≈ {num(full, 2)} for the full batch" in sgd_note and "any η" in sgd_note
    assert "falls)" in V.l2_note(full_batch=True)
    sgd = V.l2_note(full_batch=False)
    assert "falls)" not in sgd and "on the whole" in sgd and "green dashed curve" in sgd
