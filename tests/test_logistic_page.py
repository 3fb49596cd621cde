"""The logistic-regression page tells the truth for every setting (AppTest): epochs across a
mode switch, the step it shows, the plane, the hill, the curves, overshooting steps, the
lectures' algorithm, extra inputs, and the lessons beside them."""
import re

import numpy as np

from apptest_helpers import drawn, figure_array, live_figure, metrics, open_page, path_points
from core.logistic import add_intercept
from ui import logistic_views as V

PAGE = "app_pages/logistic_regression.py"


def page(query=None):
    return open_page(PAGE, query)


def show(at, lesson):
    """Choose one of the lessons below the charts with its segmented control, and rerun."""
    at.button_group(key="logreg_lesson").set_value(lesson).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def step(at, n=1):
    for _ in range(n):
        at.button(key="logreg_step").click().run()
    assert not at.exception, [e.value for e in at.exception]


def model(at):
    return at.session_state["logreg"].trainers["ours"].model


def latex(at):
    return " ".join(el.value for el in at.latex)


def test_switching_sgd_to_full_batch_counts_epochs_by_examples_seen():
    at = page({"mode": "SGD (one example)"})
    step(at, 42)
    assert metrics(at)["epoch"] == "0.3"  # 42 of 140 examples
    at.radio(key="logreg_mode").set_value("Full batch").run()
    step(at)
    assert metrics(at)["epoch"] == "1.3"  # the very next step used all 140
    assert "used all 140 training examples (full batch)" in " ".join(m.value for m in at.markdown)
    at.radio(key="logreg_mode").set_value("SGD (one example)").run()
    step(at)
    assert metrics(at)["epoch"] == "1.3" and metrics(at)["step"] == "44"  # never falls


def test_the_math_shows_the_sgd_step_that_was_taken():
    at = page({"mode": "SGD (one example)", "dataset": "overlapping"})
    step(at, 5)
    m = model(at)
    k = int(m.last_batch_[0])
    before = m.last_step_[0]
    trainer = at.session_state["logreg"].trainers["ours"]
    term = (trainer.Y[k, 0] - 1 / (1 + np.exp(-(np.r_[1.0, trainer.X[k]] @ before[:, 0])))) \
        * np.r_[1.0, trainer.X[k]]
    text = " ".join(m.value for m in at.markdown)
    assert f"used one example, #{k} (SGD)" in text
    from ui.numbers import tex
    assert f"g = \\left({', '.join(tex(v) for v in term)}\\right)" in latex(at)


def test_the_plane_is_square_marks_the_point_and_draws_theta_perpendicular_to_the_line():
    at = page({"dataset": "overlapping"})
    at.number_input(key="logreg_point").set_value(7).run()
    step(at, 10)
    fig = live_figure(at, "logreg_surface")
    assert fig["layout"]["yaxis"]["scaleanchor"] == "x" and fig["layout"]["yaxis"]["scaleratio"] == 1
    ring = next(t for t in fig["data"] if t.get("name") == "point #7")
    X_train = at.session_state["logreg"].trainers["ours"].X
    np.testing.assert_allclose([ring["x"][0], ring["y"][0]], X_train[7])
    arrow = next(s for s in fig["layout"]["shapes"] if s["name"].startswith("θ"))
    # the shaft, then the head: two barbs meeting at the shaft's end
    start, end, barb, tip, barb2 = np.array(
        [[float(v) for v in xy.split(",")] for xy in arrow["path"].replace("M", " ")
         .replace("L", " ").split()])
    theta = model(at).theta_[:, 0]
    direction = end - start
    np.testing.assert_allclose(direction / np.linalg.norm(direction),
                               theta[1:] / np.linalg.norm(theta[1:]), atol=1e-3)
    assert abs(theta[0] + theta[1:] @ start) < 1e-3 * np.linalg.norm(theta)  # starts on the boundary
    np.testing.assert_allclose(tip, end)
    assert np.dot(barb - end, direction) < 0 and np.dot(barb2 - end, direction) < 0  # points ahead


def test_the_hill_keeps_the_climb_visible_on_separable_data_and_marks_the_top():
    at = page({"dataset": "separable", "lr": "3.0", "lesson": "hill"})
    step(at, 30)
    hill = live_figure(at, "logreg_hill")
    z = figure_array(hill["data"][0]["z"])
    assert np.ptp(z) > 1.0  # colours spread over more than a factor 10 in the loss
    caption = " ".join(c.value for c in at.caption)
    assert "held at their current values (θ₀ =" in caption and "no top" in caption
    at = page({"dataset": "overlapping", "lesson": "hill"})
    step(at, 5)
    hill = live_figure(at, "logreg_hill")
    star = next(t for t in hill["data"] if t.get("name") == "scikit-learn's θ (the top)")
    sk = at.session_state["logreg"].trainers["ours"]  # the top is scikit-learn's unpenalised theta
    from core.baselines import sklearn_logistic
    top = sklearn_logistic(sk.X, sk.Y[:, 0]).model
    np.testing.assert_allclose([star["x"][0], star["y"][0]], top.coef_[0], rtol=1e-4)


def test_curves_start_on_real_axes_and_show_the_penalised_objective_with_l2():
    at = page()
    fig = live_figure(at, "logreg_curves")
    assert fig["layout"]["xaxis"]["range"] == [0, 10] and fig["layout"]["yaxis"]["range"][0] == 0
    at.select_slider(key="logreg_l2").set_value(0.1).run()
    step(at, 3)
    fig = live_figure(at, "logreg_curves")
    objective = next(t for t in fig["data"] if t["name"].startswith("train −LL/n + (l2/2)"))
    thetas = at.session_state["logreg"].histories["ours"].get("theta")
    loss = at.session_state["logreg"].histories["ours"].get("train_loss")
    np.testing.assert_allclose(figure_array(objective["y"]),
                               loss + 0.05 * (thetas[:, 1:] ** 2).sum(axis=1), rtol=1e-5)


def test_lecture_mode_gives_the_stable_step_in_the_sliders_units():
    # A browser review: beside the slider "η, the lectures' units" (0.001-0.03) the note said
    # "Largest stable step: η ≈ 2.7", a value on the mean's scale.
    at = page({"dataset": "overlapping", "lecture": "true", "eta": "0.03"})
    note = next(c.value for c in at.caption if c.value.startswith("η = 0.03 on the lectures"))
    n = len(at.session_state["logreg"].trainers["ours"].X)
    stable = 2.7 / n
    assert f"Largest stable step: η ≈ {stable:.2g} on the lectures' sum" in note, note
    assert "η ≈ 2.7 on the mean" in note


def test_a_too_large_step_overshoots_visibly_and_is_explained():
    at = page({"dataset": "overlapping", "lr": "30"})
    note = next(c.value for c in at.caption if c.value.startswith("η = 30"))
    assert "Largest stable step: η ≈ 2.7" in note and "overshoot" in note
    flags = [a["text"] for a in live_figure(at, "logreg_curves")["layout"]["annotations"]]
    assert flags == [V.START_HINT]  # step 0: the empty plots say how to start them
    step(at)
    assert float(metrics(at)["train loss −LL/n"]) > 0.6931
    assert any("The loss rose from 0.6931" in c.value for c in at.caption)
    assert "NaN" not in " ".join(m.value for m in at.markdown)
    # said on the loss plot too, in sight with it (the note under it was not, at 1024x768)
    flags = [a["text"] for a in live_figure(at, "logreg_curves")["layout"]["annotations"]]
    assert flags == [V.OVERSHOOT_FLAG]
    at = page({"dataset": "overlapping", "lr": "1"})
    step(at, 3)
    assert live_figure(at, "logreg_curves")["layout"].get("annotations", []) == []


def test_a_restart_says_why_in_one_short_sentence():
    at = page()
    step(at, 2)
    at.slider(key="logreg_noise").set_value(0.5).run()
    notices = [c.value for c in at.caption if "restarted" in c.value]
    assert notices == ["🔄 Training restarted from step 0: the data changed."]
    assert not at.toast
    step(at)  # the learner acted on the new run: "restarted" is no longer news
    assert metrics(at)["step"] == "1"
    assert not [c.value for c in at.caption if "restarted" in c.value]


def test_lecture_mode_runs_the_lectures_algorithm_line_by_line():
    at = page({"dataset": "overlapping"})
    at.toggle(key="logreg_lecture").set_value(True).run()
    assert at.select_slider(key="logreg_eta").value == 1e-3
    assert at.radio(key="logreg_mode").disabled
    m = model(at)
    assert m.learning_rate == 1e-3 * 140 and m.batch_size is None and m.l2 == 0
    note = next(c.value for c in at.caption if c.value.startswith("η = 0.001"))
    assert "on the lectures' sum (n = 140) is η = 0.14 on the mean" in note
    html = next(m.value for m in at.markdown if "np-pseudocode" in m.value)
    assert "initialize θⱼ = 0" in html and html.count("#fff3c4") == 1  # "init" before a step

    walk = lambda: at.button(key="logreg_walk").click().run()  # noqa: E731
    walk()
    assert "gradient[j] = 0 for every j" in " ".join(c.value for c in at.caption)
    walk()
    trainer = at.session_state["logreg"].trainers["ours"]
    total = (trainer.Y[:, 0] - 0.5) @ add_intercept(trainer.X)  # at theta = 0, sigma = 1/2
    assert metrics(at)["step"] == "0"  # the gradient is summed, theta has not moved
    text = " ".join(c.value for c in at.caption)
    assert re.search(r"gradient = \(0, ", text) and "finish the gradient before updating" in text
    walk()
    assert metrics(at)["step"] == "1"
    np.testing.assert_allclose(model(at).theta_[:, 0], 1e-3 * total, rtol=1e-12)


def test_extra_inputs_reach_the_model_the_surface_and_scikit_learn():
    at = page({"dataset": "circles", "lr": "3.0"})
    at.multiselect(key="logreg_features").set_value(["x₁²", "x₂²"]).run()
    assert "features=x₁²,x₂²" in "&".join(f"{k}={v}" for k, v in at.query_params.items()) or \
        at.query_params["features"] in ("x₁²,x₂²", ["x₁²,x₂²"])
    at.select_slider(key="logreg_speed").set_value(500).run()
    at.button(key="logreg_play").click().run()
    for _ in range(8):
        at.run()
    assert model(at).theta_.shape == (5, 1)
    assert float(metrics(at)["test accuracy"].rstrip("%")) > 90
    show(at, "compare")  # scikit-learn's θ beside ours
    table = next(d.value for d in at.dataframe if "θ₄" in list(d.value.iloc[:, 0]))
    assert list(table.iloc[:5, 0]) == ["θ₀", "θ₁", "θ₂", "θ₃", "θ₄"]
    fig = live_figure(at, "logreg_surface")
    ours, theirs = drawn(fig, "P = 0.5"), drawn(fig, "scikit-learn")  # both curved boundaries
    assert ours["type"] == theirs["type"] == "path" and theirs["line"]["dash"] == "dash"
    assert len(path_points(ours)) > 20 and len(path_points(theirs)) > 20


def test_a_line_that_cannot_fit_points_to_extra_inputs_and_hidden_units():
    at = page({"dataset": "circles", "speed": "500", "lr": "1.0"})
    at.button(key="logreg_play").click().run()
    for _ in range(3):
        at.run()
    text = " ".join(c.value for c in at.caption)
    assert "A straight line cannot separate this data" in text and "XOR and hidden units" in text


def test_the_lessons_probability_quiz_examples_and_naive_bayes():
    at = page({"dataset": "overlapping", "lesson": "probability"})
    # as the control shows them: a leading emoji is sent apart, as the option's icon
    lessons = [" ".join(filter(None, (o.content_icon, o.content)))
               for o in at.button_group(key="logreg_lesson").proto.options]
    assert lessons[:5] == ["🧮 The math", "🎲 Probability → gradient", "〰️ The sigmoid",
                           "⛰️ The hill", "🎯 Minibatch SGD"]
    assert "P(Y = y \\mid x) = \\hat y^{\\,y} (1 - \\hat y)^{1 - y}" in latex(at)
    at.radio(key="logreg_lessons_quiz").set_value("σ(θᵀx) · xⱼ").run()
    assert any("Not quite" in w.value for w in at.warning)
    at.radio(key="logreg_lessons_quiz").set_value("σ(θᵀx)(1 − σ(θᵀx)) · xⱼ").run()
    assert any(s.value.startswith("Right.") for s in at.success)
    show(at, "examples")
    at.button(key="logreg_lessons_movie_better parameters").click().run()
    assert "P(Y = 0 \\mid x) = 1 - \\sigma(z) = 0.75" in latex(at)
    show(at, "compare")
    nb = next(d.value for d in at.dataframe if "model" in d.value.columns
              and "Naive Bayes, shared variances" in list(d.value["model"]))
    assert list(nb["model"])[-1] == "scikit-learn GaussianNB"
    assert list(nb.columns) == ["model", "train accuracy", "test accuracy"]  # fits half a page
    assert any(c.value.startswith("Naive Bayes (shared variances) counts its θ") and
               "θ₀, θ₁, θ₂ = " in c.value for c in at.caption)
    show(at, "minibatch")
    assert live_figure(at, "logreg_cloud")["data"][2]["name"] == "the full gradient (their mean)"


def test_the_hills_words_name_the_penalised_objective_with_l2():
    # A browser review: with L2 on, the colour bar said "−log₁₀(−LL/n + penalty)" and the
    # caption "Colour: −log₁₀ of the loss", the text "walks uphill on the log-likelihood".
    at = page({"dataset": "overlapping", "l2": "0.1", "lesson": "hill"})
    step(at, 3)
    caption = " ".join(c.value for c in at.caption)
    assert "−log₁₀ of the penalised loss −LL/n + (l2/2)‖θ₁..ₘ‖²" in caption
    assert any("minus the penalty" in m.value for m in at.markdown)
    at = page({"dataset": "overlapping", "lesson": "hill"})
    caption = " ".join(c.value for c in at.caption)
    assert "−log₁₀ of the loss −LL/n," in caption
    assert not any("minus the penalty" in m.value for m in at.markdown)


def test_the_minibatch_lesson_uses_the_pages_batch_size():
    # A browser review: with the page training minibatches of 8, the lesson's charts said
    # "minibatch of 16" and "a minibatch of 16's mean" (a size fixed in the code).
    at = show(page({"mode": "Minibatch", "batch": "8"}), "minibatch")
    names = [t["name"] for t in live_figure(at, "logreg_batches")["data"]]
    assert names == ["full batch", "minibatch of 8", "SGD (one example)"]
    assert live_figure(at, "logreg_cloud")["data"][1]["name"] == "a minibatch of 8's mean"
    at = show(page(), "minibatch")  # full batch on the page: the slider's default size
    assert "minibatch of 16" in [t["name"] for t in live_figure(at, "logreg_batches")["data"]]


def _history(losses, accuracies=None):
    from ui.history import History
    h = History()
    for i, loss in enumerate(losses):
        h.add(step=i, train_loss=loss,
              train_accuracy=None if accuracies is None else accuracies[i])
    return h


def test_the_overshoot_note_stays_while_the_loss_keeps_jumping_and_only_for_full_batch():
    from ui.logistic_views import overshoot_note
    jumping = [0.69, 3.0, 17.0, 3.1, 16.5, 3.0, 17.2, 2.9, 16.9, 3.0]  # ends on a fall
    note = overshoot_note(_history(jumping), full_batch=True)
    assert note and "rose 5 times" in note and "too large" in note
    assert overshoot_note(_history([0.69, 0.5, 0.4, 0.35]), full_batch=True) is None
    # a minibatch's loss goes up and down with the batches: not a sign of a too large step
    assert overshoot_note(_history(jumping), full_batch=False) is None


def test_a_too_large_step_keeps_its_note_after_pause():
    at = page({"dataset": "overlapping", "lr": "30", "noise": "1.0"})
    step(at, 40)
    assert any("too large" in c.value for c in at.caption)


def test_the_line_note_gives_the_best_accuracy_so_far_and_the_current_one():
    from ui.logistic_views import line_cannot_fit
    h = _history([0.7, 0.69, 0.69], [0.50, 0.521, 0.493])
    assert line_cannot_fit("xor", (), h) is None  # too early to say: 2 steps
    note = line_cannot_fit("xor", (), h, after=2)
    assert "now 49.3%" in note and "best so far 52.1%" in note
    assert ". Add **x₁x₂**" in note
    assert line_cannot_fit("xor", ("x₁x₂",), h, after=2) is None
    assert line_cannot_fit("xor", (), _history([0.7, 0.6], [0.8, 0.95]), after=1) is None


def test_the_comparison_says_what_each_model_reads_with_extra_inputs():
    at = page({"dataset": "circles", "features": "x₁²,x₂²", "lesson": "compare"})
    text = " ".join(m.value for m in at.markdown)
    assert "dashed curve" in text and "dashed line" not in text
    assert any("Naive Bayes here reads x₁ and x₂ alone" in c.value for c in at.caption)
    at = page({"lesson": "compare"})
    text = " ".join(m.value for m in at.markdown)
    assert "dashed line" in text
    assert not any("Naive Bayes here reads" in c.value for c in at.caption)
