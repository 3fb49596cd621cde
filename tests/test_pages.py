"""Every page runs headless (Streamlit's AppTest) and its controls do what they say."""
import numpy as np
from streamlit.testing.v1 import AppTest

from apptest_helpers import ROOT, drawn, drawn_names, figure_array, live_figure, metrics, open_page
from ui.numbers import num, tex


def app(path):
    return open_page(path)


def test_home_shows_each_page_and_one_obvious_first_step():
    at = app("app.py")
    assert at.button(key="home_start").label == "👉 Start here: logistic regression"
    links = [link.proto.label for link in at.get("page_link")]
    assert links == ["**Logistic regression**", "**XOR and hidden units**", "**Draw a digit**",
                     "**Backpropagation**"]
    thumbnails = at.get("plotly_chart")
    assert len(thumbnails) == 4  # a picture of each page, drawn by the engine
    assert not any("Lecture ideas" in c.value for c in at.caption)


def test_logistic_page_step_play_reset():
    at = app("app_pages/logistic_regression.py")
    assert metrics(at)["step"] == "0" and metrics(at)["train loss −LL/n"] == "0.6931"  # theta = 0
    at.button(key="logreg_step").click().run()
    assert metrics(at)["step"] == "1"
    at.button(key="logreg_play").click().run()
    assert at.session_state["logreg"].running
    for _ in range(3):
        at.run()  # each run is one tick of the run_every fragment
    playing = int(metrics(at)["step"].replace(",", ""))
    assert playing > 1 and float(metrics(at)["train loss −LL/n"]) < 0.6931
    at.button(key="logreg_pause").click().run()
    assert not at.session_state["logreg"].running
    paused = metrics(at)["step"]
    at.run()
    assert metrics(at)["step"] == paused
    at.button(key="logreg_reset").click().run()
    assert metrics(at)["step"] == "0"
    assert not at.exception


def test_logistic_page_learning_rate_continues_but_data_change_resets():
    at = app("app_pages/logistic_regression.py")
    at.button(key="logreg_step").click().run()
    at.button(key="logreg_step").click().run()
    at.select_slider(key="logreg_lr").set_value(3.0).run()
    assert metrics(at)["step"] == "2"  # no reset
    assert at.session_state["logreg"].trainers["ours"].model.learning_rate == 3.0
    at.button(key="logreg_step").click().run()
    assert metrics(at)["step"] == "3"
    at.slider(key="logreg_noise").set_value(0.5).run()
    assert metrics(at)["step"] == "0"  # new data: training restarts, and says so
    assert any("restarted" in c.value for c in at.caption)


def test_logistic_page_surface_and_sklearn_line_are_drawn():
    at = app("app_pages/logistic_regression.py")
    for _ in range(20):
        at.button(key="logreg_step").click().run()
    fig = live_figure(at, "logreg_surface")
    names = drawn_names(fig)
    assert "scikit-learn" in names and any("θᵀx = 0" in n for n in names)
    assert fig["layout"]["images"][0]["source"].startswith("data:image/png;base64,")
    hover = fig["data"][0]  # paused: an invisible heatmap tells P under the mouse
    assert hover["type"] == "heatmap" and hover["z"]["shape"] == "100, 100" and hover["opacity"] == 0
    at.button_group(key="logreg_lesson").set_value("compare").run()  # scikit-learn beside ours
    theta_table = next(d.value for d in at.dataframe if "θ₀" in list(d.value.iloc[:, 0]))
    assert list(theta_table.columns[1:]) == ["ours (now)", "scikit-learn"]


def test_logistic_page_separable_data_l2_and_modes():
    at = app("app_pages/logistic_regression.py")
    at.selectbox(key="logreg_dataset").set_value("separable").run()
    at.select_slider(key="logreg_l2").set_value(0.1).run()
    at.radio(key="logreg_mode").set_value("Minibatch").run()
    at.slider(key="logreg_batch").set_value(8).run()
    at.button(key="logreg_step").click().run()
    model = at.session_state["logreg"].trainers["ours"].model
    assert (model.l2, model.batch_size) == (0.1, 8)
    assert not at.exception


def test_xor_page_trains_both_models_and_mlp_wins():
    at = app("app_pages/xor.py")
    at.button(key="xor_play").click().run()
    for _ in range(20):
        at.run()
    m = metrics(at)
    assert float(m["MLP test accuracy"].rstrip("%")) > 90
    assert float(m["logistic regression test accuracy"].rstrip("%")) < 70
    assert not at.exception


def test_xor_page_preset_builds_the_or_and_network():
    at = app("app_pages/xor.py")
    at.button[[b.label for b in at.button].index("🧩 OR/AND weights")].click().run()
    run = at.session_state["xor"]
    W = run.trainers["MLP"].model.coefs_
    assert [w.shape for w in W] == [(2, 2), (2, 1)]
    assert float(metrics(at)["MLP test accuracy"].rstrip("%")) > 95  # before any training
    assert any("hand-made" in c.value for c in at.caption)


def test_xor_page_architecture_change_resets():
    at = app("app_pages/xor.py")
    at.button(key="xor_step").click().run()
    at.slider(key="xor_hidden").set_value(8).run()
    assert metrics(at)["step"] == "0"
    assert [w.shape for w in at.session_state["xor"].trainers["MLP"].model.coefs_] == [(2, 8), (8, 1)]


def test_logistic_settings_round_trip_through_the_url():
    at = AppTest.from_file(str(ROOT / "app_pages/logistic_regression.py"), default_timeout=60)
    at.query_params.update({"dataset": "moons", "n": "300", "noise": "0.35", "seed": "7",
                            "lr": "0.03", "l2": "0.01", "mode": "Minibatch", "batch": "8"})
    at.run()
    assert not at.exception
    assert at.selectbox(key="logreg_dataset").value == "moons"
    assert (at.slider(key="logreg_n").value, at.number_input(key="logreg_seed").value) == (300, 7)
    model = at.session_state["logreg"].trainers["ours"].model
    assert (model.learning_rate, model.l2, model.batch_size) == (0.03, 0.01, 8)
    # the same link gives the same data: compare with a second session
    at2 = AppTest.from_file(str(ROOT / "app_pages/logistic_regression.py"), default_timeout=60)
    at2.query_params.update(dict(at.query_params))
    at2.run()
    np.testing.assert_array_equal(at2.session_state["logreg"].trainers["ours"].X,
                                  at.session_state["logreg"].trainers["ours"].X)
    at.slider(key="logreg_noise").set_value(0.5).run()
    assert at.query_params["noise"] == ["0.5"] or at.query_params["noise"] == "0.5"


def test_invalid_url_settings_are_ignored_not_fatal():
    at = AppTest.from_file(str(ROOT / "app_pages/logistic_regression.py"), default_timeout=60)
    at.query_params.update({"dataset": "nope", "n": "-5", "lr": "banana", "seed": "3"})
    at.run()
    assert not at.exception
    assert at.selectbox(key="logreg_dataset").value == "separable"  # the default
    assert at.number_input(key="logreg_seed").value == 3


def test_xor_link_reproduces_data_and_initial_weights():
    params = {"dataset": "moons", "seed": "11", "hidden": "6", "hidden2": "6", "layers": "2",
              "activation": "relu"}
    runs = []
    for _ in range(2):
        at = AppTest.from_file(str(ROOT / "app_pages/xor.py"), default_timeout=60)
        at.query_params.update(params)
        at.run()
        assert not at.exception
        runs.append(at.session_state["xor"].trainers["MLP"])
    a, b = runs
    assert [W.shape for W in a.model.coefs_] == [(2, 6), (6, 6), (6, 1)]
    np.testing.assert_array_equal(a.X, b.X)
    for Wa, Wb in zip(a.model.coefs_, b.model.coefs_):
        np.testing.assert_array_equal(Wa, Wb)


def test_logistic_page_picked_point_survives_a_smaller_data_set():
    at = app("app_pages/logistic_regression.py")
    at.session_state["logreg_point"] = 130
    at.run()
    assert "#130" in " ".join(m.value for m in at.markdown)
    at.slider(key="logreg_n").set_value(20).run()  # 14 training points now
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["logreg_point"] == 13


def test_logistic_page_hill_math_and_baseline_show_the_current_numbers():
    from core.logistic import add_intercept, log_likelihood, log_likelihood_gradient
    at = app("app_pages/logistic_regression.py")
    at.selectbox(key="logreg_dataset").set_value("overlapping").run()
    for _ in range(15):
        at.button(key="logreg_step").click().run()
    run = at.session_state["logreg"]
    trainer = run.trainers["ours"]
    theta = trainer.model.theta_
    X1, Y = add_intercept(trainer.X), trainer.Y

    # the hill: the path is theta's history, and full-batch ascent climbs it at every step
    at.button_group(key="logreg_lesson").set_value("hill").run()
    assert not at.exception, [e.value for e in at.exception]
    hill = live_figure(at, "logreg_hill")
    path = next(t for t in hill["data"] if t.get("name") == "gradient ascent path")
    thetas = run.histories["ours"].get("theta")
    np.testing.assert_allclose(figure_array(path["x"]), thetas[:, 1], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(figure_array(path["y"]), thetas[:, 2], rtol=1e-5, atol=1e-6)
    lls = [log_likelihood(t.reshape(-1, 1), X1, Y) for t in thetas]
    assert np.all(np.diff(lls) > 0)

    # the equations carry the last step exactly as it was taken: the gradient at the theta
    # before it (step 14), d(LL/n)/d theta_j for the whole batch, and the update to step 15
    before = thetas[-2].reshape(-1, 1)
    grad = log_likelihood_gradient(before, X1, Y)[:, 0]
    at.button_group(key="logreg_lesson").set_value("math").run()
    latex = " ".join(el.value for el in at.latex)
    vector = lambda v: r"\left(" + ", ".join(tex(x) for x in v) + r"\right)"  # noqa: E731
    assert f"g = {vector(grad)}" in latex
    assert f"{vector(before[:, 0])} + {tex(0.3)} \\cdot {vector(grad)}" in latex
    assert f"&= {vector(theta[:, 0])}" in latex
    assert f"= {vector(len(X1) * grad)}" in latex  # the lectures' sum: n times the mean

    # scikit-learn's boundary is the dashed line; its theta is in the table beside ours
    surface = live_figure(at, "logreg_surface")
    sk_line = drawn(surface, "scikit-learn")
    assert sk_line["line"]["dash"] == "dash"
    at.button_group(key="logreg_lesson").set_value("compare").run()
    table = next(d.value for d in at.dataframe if "θ₀" in list(d.value.iloc[:, 0]))
    assert table.set_index(table.columns[0]).loc["θ₁", "ours (now)"] == num(theta[1, 0])


def test_separable_data_theta_grows_without_l2_and_settles_with_it():
    at = app("app_pages/logistic_regression.py")
    at.button_group(key="logreg_lesson").set_value("compare").run()  # where its warning is
    at.selectbox(key="logreg_dataset").set_value("separable").run()
    at.select_slider(key="logreg_lr").set_value(3.0).run()
    at.select_slider(key="logreg_speed").set_value(500).run()

    def norm_after_ticks(ticks):
        for _ in range(ticks):
            at.run()
        return np.linalg.norm(at.session_state["logreg"].trainers["ours"].model.theta_[1:])

    at.button(key="logreg_play").click().run()
    norms = [norm_after_ticks(5) for _ in range(3)]
    assert norms[0] < norms[1] < norms[2]  # no maximum: theta keeps growing
    assert any("linearly separable" in w.value for w in at.warning)
    at.select_slider(key="logreg_l2").set_value(0.1).run()  # continues, now penalised
    settled = [norm_after_ticks(10) for _ in range(3)]
    assert settled[-1] < norms[-1] and abs(settled[-1] - settled[-2]) < 1e-3 * settled[-1]


def test_a_typed_link_number_matches_by_value():
    """A hand-typed lr=10 is the slider's 10.0 (the app itself writes "10.0")."""
    at = AppTest.from_file(str(ROOT / "app_pages/logistic_regression.py"), default_timeout=60)
    at.query_params.update({"lr": "10", "l2": "0.1"})
    at.run()
    assert not at.exception and not at.toast
    assert at.select_slider(key="logreg_lr").value == 10.0
    assert at.session_state["logreg"].trainers["ours"].model.learning_rate == 10.0


def test_model_file_loads_again_after_removal_and_a_diverged_run_offers_no_download():
    from core.persistence import to_json
    at = app("app_pages/logistic_regression.py")
    for _ in range(4):
        at.button(key="logreg_step").click().run()
    run = at.session_state["logreg"]
    data = to_json(run.trainers["ours"].model, "logistic_regression",
                   {"dataset": "separable", "n_samples": 200, "noise": 0.2, "test_share": 0.3,
                    "seed": 0})
    upload = at.file_uploader(key="logreg_io_upload")
    upload.set_value(("m.json", data, "application/json")).run()
    assert at.session_state["logreg__loads"] == 1
    at.file_uploader(key="logreg_io_upload").set_value(None).run()
    at.file_uploader(key="logreg_io_upload").set_value(("m.json", data, "application/json")).run()
    assert at.session_state["logreg__loads"] == 2  # the same file, read again
    assert not at.exception
    assert {b.label for b in at.get("download_button")} >= {"⬇ Model as JSON", "⬇ Model as .npz"}
    run = at.session_state["logreg"]
    run.error = "ours: Training diverged at step 3"  # as LiveRun.advance records it
    at.run()
    assert not at.get("download_button")
    assert any("no model worth saving" in w.value for w in at.warning)
