"""The logistic-regression page's lessons under the live charts, one shown at a time: the
math, probability to gradient, the sigmoid, the hill, minibatch SGD, worked examples,
scikit-learn and Naive Bayes, separable data. Layout only: the numbers come from ``ui.logistic_views`` and
``ui.logistic_lessons``; the parts that move with training refresh every 2 s while it plays."""
from dataclasses import dataclass

import numpy as np
import streamlit as st

from core.logistic import add_intercept
from core.sgd import compare_batch_sizes
from ui import logistic_lessons as LL
from ui import logistic_views as V
from ui.lesson_calculators import bernoulli_calculator, example_calculator, quiz
from ui.live import follow_fragment
from ui.live_chart import live_chart
from ui.numbers import num
from ui.page import sections, stacking_columns
from ui.logistic_views import VIEW
from ui.settings import widget

@dataclass(frozen=True)
class Page:
    """What the lessons need from the page: its key and run, the data (raw and with its extra
    inputs), the grid, the chosen point and the training settings."""
    key: str
    run: object
    dataset: str
    split: tuple        # X_train, y_train, X_test, y_test (the plane's coordinates)
    Xf_train: np.ndarray
    grid: object
    extra: tuple
    point_spec: object
    point: int
    learning_rate: float
    l2: float
    stable: float
    baseline: object
    batch: int          # the minibatch lesson's size: the page's, when it trains minibatches

    @property
    def y_train(self):
        return self.split[1]

    @property
    def sk(self):
        return V.sk_theta(self.baseline)

    def snap(self):
        return self.run.latest["ours"]


def lessons(p):
    """The lesson the learner chose, on the model training above (one at a time: see
    ui.page.sections)."""
    draws = dict(math=math, probability=probability, sigmoid=sigmoid, hill=hill,
                 minibatch=minibatch, examples=examples, compare=compare, separable=separable)
    sections(p.key, V.VIEW["lesson"], {name: (lambda draw=draw: draw(p))
                                       for name, draw in draws.items()})


def math(p):
    widget(p.key, p.point_spec, width=260)
    n = len(p.Xf_train)

    def draw(run):
        snap = run.latest["ours"]
        theta = snap.theta[:, 0]
        intro, lines = V.point_math(theta, p.Xf_train, p.y_train, p.point, p.extra)
        st.markdown(intro)
        for line in lines:
            st.latex(line)
        head, lines = V.step_math(run.trainers["ours"].model, p.Xf_train, p.y_train,
                                  p.learning_rate, p.l2, snap.step)
        st.markdown(head)
        for line in lines + [V.likelihood_math(snap.train_loss, n)]:
            st.latex(line)
        st.caption(V.SUM_MEAN_NOTE)
        st.markdown(V.PULL_TEXT)
        live_chart(V.pull_figure(theta, p.Xf_train, p.split[0], p.y_train, p.grid),
                   key=f"{p.key}_pull", height=380)
        # under the chart, the page's width: beside it, at 1024 px, the pull on θ₁ and θ₂ was
        # cut off
        st.dataframe(V.pull_table(theta, p.Xf_train, p.y_train, p.extra), hide_index=True,
                     width="stretch")
    follow_fragment(p.run, draw, every=2.0)


def probability(p):
    def draw(run):
        snap = run.latest["ours"]
        for line in LL.probability_latex(snap.theta[:, 0], np.r_[1.0, p.Xf_train[p.point]],
                                         int(p.y_train[p.point]), p.point, snap.train_loss,
                                         len(p.Xf_train)):
            st.latex(line)
    follow_fragment(p.run, draw, every=2.0)
    st.markdown("**The gradient, in four lines.** " + LL.DERIVATION_NOTE)
    for line in LL.DERIVATION:
        st.latex(line)
    quiz(p.key)


def sigmoid(p):
    follow_fragment(p.run, lambda run: live_chart(V.sigmoid_figure(
        run.latest["ours"].theta[:, 0], p.Xf_train, p.y_train, p.point),
        key=f"{p.key}_sigmoid", height=330), every=2.0)
    st.caption("A logistic regression can only sort the points along one number, z = θᵀx: the "
               "sigmoid turns it into a probability. Points left of z = 0 get P < 0.5.")


def hill(p):
    st.markdown(V.HILL_TEXT + (V.HILL_L2_TEXT if p.l2 else ""))
    options = V.hill_options(p.extra)
    pair = options[widget(p.key, VIEW["hill_axes"].bounded(options=tuple(options)), width=360)]
    separable = p.baseline.train_accuracy == 1.0 and not p.l2

    def draw(run):
        snap, history = run.latest["ours"], run.histories["ours"]
        theta, (thetas, steps) = snap.theta[:, 0], history.arrays("theta", "step").values()
        names = V.theta_names(p.extra)
        hill_col, dist_col = st.columns([1.15, 1])
        with hill_col:
            live_chart(V.hill_figure(theta, thetas, p.sk, add_intercept(p.Xf_train), p.y_train,
                                     pair, p.l2, names), key=f"{p.key}_hill", height=380)
            st.caption(V.hill_caption(pair, names, theta, separable, p.l2))
        with dist_col:
            live_chart(V.distance_figure(steps, thetas, p.sk), key=f"{p.key}_distance",
                       height=380)
        live_chart(V.thetas_figure(steps, thetas, p.extra), key=f"{p.key}_thetas", height=260)
    follow_fragment(p.run, draw, every=2.0)


@st.cache_data(show_spinner=False, max_entries=8)
def _batch_curves(X, y, learning_rate, batch):
    return compare_batch_sizes(X, y, learning_rate,
                               batch_sizes=(None, batch, 1) if 1 < batch < len(y) else (None, 1))


def minibatch(p):
    st.markdown(V.SGD_TEXT)
    curves_col, cloud_col = st.columns(2)
    # at a step size that does not overshoot, so the comparison is about the noise
    with curves_col:  # a live chart: it places its legend below the axis title in any width
        live_chart(V.batch_curves_figure(_batch_curves(
            p.Xf_train, p.y_train, min(p.learning_rate, p.stable), p.batch)),
            key=f"{p.key}_batches", height=360)
    with cloud_col:
        follow_fragment(p.run, lambda run: live_chart(V.gradient_cloud_figure(
            run.latest["ours"].theta[:, 0], p.Xf_train, p.y_train, p.batch), key=f"{p.key}_cloud",
            height=360), every=2.0)


def examples(p):
    bernoulli_calculator(p.key)
    for name in LL.EXAMPLES:
        example_calculator(p.key, name)


def compare(p):
    n = len(p.Xf_train)

    def draw(run):
        st.markdown(V.baseline_call(p.l2, n, p.extra))
        st.dataframe(V.baseline_table(run.latest["ours"], p.baseline, p.extra), hide_index=True)
        warning = V.baseline_warning(p.l2, p.baseline)
        if warning:
            st.warning(warning, icon="📚")
    follow_fragment(p.run, draw, every=2.0)
    st.markdown(LL.NB_TEXT)
    X_train, y_train, X_test, y_test = p.split
    figure, table, nb = LL.naive_bayes_view(X_train, y_train, X_test, y_test, p.grid,
                                           None if p.extra else p.snap().theta[:, 0])
    if p.extra:
        st.caption(f"Naive Bayes here reads x₁ and x₂ alone, not {', '.join(p.extra)}: its "
                   "boundary is a line in the plane. Logistic regression's, with the extra "
                   "inputs, is the curve on the main chart.")
    # one above the other in a narrow row: at 1024x768 the chart's plot was 120 px square
    # and the table cut its accuracies
    nb_col, table_col = stacking_columns(f"{p.key}_nb", [1, 1])
    with nb_col:  # a live chart: its legend placed in pixels, line entries drawn as lines
        live_chart(figure, key=f"{p.key}_nb", height=figure["layout"]["height"])
    table_col.dataframe(table, hide_index=True, width="stretch")
    table_col.caption("Naive Bayes (shared variances) counts its θ instead of climbing to it: "
                      f"θ₀, θ₁, θ₂ = {', '.join(num(t) for t in nb.theta)}.")


def separable(p):
    st.markdown(V.SEPARABLE_TEXT)

