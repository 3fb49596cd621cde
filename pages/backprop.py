"""Backpropagation: the chain rule with real numbers, and the gradient check that proves it."""
import numpy as np
import pandas as pd
import streamlit as st

from core import DATASETS, MLPClassifier, Trainer, make_dataset, make_grid, xor_by_hand
from core.activations import ACTIVATIONS, DERIVATIVES
from core.errors import TrainingDiverged
from core.gradcheck import BUGGY_BACKPROPS, check_gradients, time_gradients
from core.graph import LECTURE_INPUTS, backward, backward_order, lecture_graph
from core.ledger import ascent_step, ledger, parameter_counts
from core.losses import cross_entropy
from core.mlp import backward as mlp_backward
from core.mlp import forward, init_weights
from ui import figures as F
from ui.backprop_figures import activation_figure, graph_figure, highlight_point, timing_figure
from ui.backprop_text import chain_latex, num, partial, ptex, reuse_text, tex
from ui.layout import header
from ui.urlstate import choice, number, sync_url, write_url

KEY = "bp"
CHART = {"displayModeBar": False}
G_TEX = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{relu}"}
G_SLOPE_TEX = {"sigmoid": "h_j(1 - h_j)", "tanh": "(1 - h_j^2)", "relu": r"\mathbf{1}[h_j > 0]"}
OR_AND = "The lectures' OR/AND weights"
RANDOM = "Random weights (seed)"
CORRECT = "core.mlp.backward (correct)"
ABC_DEFAULTS = (3.0, 1.0, -2.0)
ABC_LIMIT = 1e6  # the graph's inputs a, b, c stay within ±ABC_LIMIT (in the boxes and in a link)
ACTIVATION_NAMES = ["sigmoid", "tanh", "relu"]
N_SAMPLES = range(8, 201, 4)  # the "Number of points" slider's values
TRAIN_LRS = [0.1, 0.3, 1.0, 3.0, 10.0]
ETAS = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0]

header("🔗 Backpropagation: the chain rule with real numbers",
       "A network learns by following ∂LL/∂θ for every weight θ. **Backpropagation** gets all of "
       "them from one pass backwards through the computation, right to left, multiplying local "
       "derivatives (the chain rule) and reusing each result. Below: a small graph stepped by "
       "hand, every derivative of a small network for one training example, and the check that "
       "shows backpropagation is right, and why nobody uses the slow way.",
       "backpropagation as reverse differentiation on a computation graph, L = c(a + 2b); "
       "∂LL/∂θ for output and hidden weights; the numerical approach is correct but "
       "inefficient; counting parameters.")


def point_in_data(text):
    """A URL parser for the training point: an index into the data set the link asks for."""
    point = int(text)
    n_samples = st.session_state.get(f"{KEY}_n", 40)  # "n" is read from the URL before "point"
    if not 0 <= point < n_samples:
        raise ValueError(f"outside 0..{n_samples - 1}")
    return point


# what a link needs to reproduce the page: the graph's inputs, the data, the initial weights and
# the training point (the parsers reject what the widgets would not accept)
URL = {**{name: (f"{KEY}_{name}", number(float, -ABC_LIMIT, ABC_LIMIT))
          for name in LECTURE_INPUTS},
       "start": (f"{KEY}_start", choice([RANDOM, OR_AND])),
       "hidden": (f"{KEY}_hidden", number(int, 1, 6)),
       "activation": (f"{KEY}_act", choice(ACTIVATION_NAMES)),
       "dataset": (f"{KEY}_dataset", choice(list(DATASETS))),
       "n": (f"{KEY}_n", choice(list(N_SAMPLES))),
       "noise": (f"{KEY}_noise", number(float, 0, 1)),
       "seed": (f"{KEY}_seed", number(int, 0, 9999)),
       "lr": (f"{KEY}_train_lr", choice(TRAIN_LRS)),
       "point": (f"{KEY}_point", point_in_data),
       "eta": (f"{KEY}_eta", choice(ETAS))}
sync_url(KEY, URL)

tab_graph, tab_ledger, tab_check, tab_facts = st.tabs(
    ["① The computation graph", "② One example, every derivative",
     "③ Gradient check and its cost", "④ Small facts"])

# ---- ① the computation graph -------------------------------------------------------------------
STEP = f"{KEY}_graph_step"
st.session_state.setdefault(STEP, 0)


def step_backward(total):
    st.session_state[STEP] = min(st.session_state[STEP] + 1, total)


def set_step(k):
    st.session_state[STEP] = k


with tab_graph:
    st.markdown(
        "The lectures' example: **L(a, b, c) = c (a + 2b)**, computed in three small operations, "
        "**d = 2b**, **e = a + d**, **L = c · e**. The forward pass goes left to right and "
        "writes each node's value. The backward pass starts at the right with ∂L/∂L = 1 and "
        "moves left one node at a time: each node's derivative is the derivative of the node it "
        "feeds times that node's *local* derivative (the chain rule).")
    st.caption("(The lecture notes list the third operation as L = e · e; it is L = c · e, "
               "which is what c(a + 2b) needs.)")
    cols = st.columns([0.85, 0.85, 0.85, 1.6, 0.8, 0.95])
    inputs = {}
    for col, name, default in zip(cols[:3], LECTURE_INPUTS, ABC_DEFAULTS):
        inputs[name] = col.number_input(name, -ABC_LIMIT, ABC_LIMIT, default, 1.0,
                                        key=f"{KEY}_{name}")
    graph = lecture_graph(**inputs)
    steps = backward(graph)
    order = backward_order(graph)
    k = st.session_state[STEP]
    with cols[3]:
        st.write("")  # align the buttons with the inputs' boxes
        st.button("⬅ Step backward", key=f"{KEY}_step", on_click=step_backward,
                  args=(len(steps),), disabled=k >= len(steps), width="stretch", type="primary")
    with cols[4]:
        st.write("")
        st.button("⏪ All", key=f"{KEY}_all", on_click=set_step, args=(len(steps),),
                  disabled=k >= len(steps), width="stretch",
                  help="Do every backward step at once.")
    with cols[5]:
        st.write("")
        st.button("↺ Reset", key=f"{KEY}_reset", on_click=set_step, args=(0,),
                  disabled=k == 0, width="stretch", help="Back to the forward pass only.")

    done = {s.node: s for s in steps[:k]}
    values = {n.name: n.value for n in graph.nodes}
    nodes = []
    for n in graph.nodes:
        if n.inputs:
            formula = n.formula.replace(r" \cdot ", " · ")
            value_text = f"{formula} = {num(n.value)}"
        else:
            value_text = f"{n.name} = {num(n.value)}"
        grad_text = f"∂L/∂{n.name} = {num(done[n.name].grad)}" if n.name in done else None
        state = ("current" if k and n.name == order[k - 1] else
                 "done" if n.name in done else "todo")
        nodes.append(dict(name=n.name, value_text=value_text, grad_text=grad_text, state=state))
    edges = []
    for src, dst in graph.edges:
        label = None
        if src in done:  # the local derivative d dst / d src has been used
            node = graph[dst]
            pos = node.inputs.index(src)
            local_text = node.local_text[pos]
            label = f"∂{dst}/∂{src} = {local_text}" + (
                f" = {num(node.local[pos])}" if local_text != num(node.local[pos]) else "")
        edges.append(dict(src=src, dst=dst, label=label))

    if k == 0:
        st.markdown(f"**Forward pass done:** d = {num(values['d'])}, e = {num(values['e'])}, "
                    f"L = {num(values['L'])}. Press **Step backward** to start from ∂L/∂L = 1.")
    else:
        s = steps[k - 1]
        st.markdown(f"**Step {k} of {len(steps)}:** ∂L/∂{s.node} = {num(s.grad)}. "
                    + reuse_text(s))
    st.plotly_chart(graph_figure(nodes, edges, height=400), key=f"{KEY}_graph", config=CHART)
    st.caption("Black: the forward values. Red: the derivatives of L, written under each node "
               "as the backward pass reaches it, and on each edge its local derivative once it "
               "is used. The orange node is the one just computed.")
    st.markdown("**The chain rule, step by step**")
    if k == 0:
        st.info("No derivatives yet: the backward pass has not started.", icon="⬅")
    left, right = st.columns(2)
    for n_step, s in enumerate(steps[:k]):
        with (left if n_step < 3 else right):
            st.latex(chain_latex(s, values))
    if k == len(steps):
        a, b, c = (inputs[n] for n in LECTURE_INPUTS)
        nudge = 1e-3
        dL = lecture_graph(a, b + nudge, c)["L"].value - values["L"]
        st.success(
            f"All done. By hand: ∂L/∂a = c = {num(c)}, ∂L/∂b = 2c = {num(2 * c)}, "
            f"∂L/∂c = a + 2b = {num(a + 2 * b)}: the same numbers. A check by nudging: "
            f"b → b + 0.001 changes L by {num(dL)}, which is 0.001 × ∂L/∂b = "
            f"{num(nudge * 2 * c)}.", icon="✅")

# ---- the small network of ② and ③ ------------------------------------------------------------
with st.sidebar:
    st.header("The network of ② and ③")
    start = st.radio("Start from", [RANDOM, OR_AND], key=f"{KEY}_start",
                     help="The OR/AND weights are the lectures' XOR network set by hand: "
                          "2 sigmoid hidden units, an OR unit and an AND unit.")
    lectures_net = start == OR_AND
    hidden = st.slider("Hidden units |h|", 1, 6, 2, key=f"{KEY}_hidden", disabled=lectures_net)
    activation = st.radio("Hidden activation g", ACTIVATION_NAMES, key=f"{KEY}_act",
                          horizontal=True, disabled=lectures_net,
                          help="The lectures use sigmoid units; their formulas then hold "
                               "exactly as written, with g′(z) = h(1 − h).")
    if lectures_net:
        hidden, activation = 2, "sigmoid"
    st.header("Data")
    dataset = st.selectbox("Dataset", list(DATASETS), index=list(DATASETS).index("xor"),
                           key=f"{KEY}_dataset", format_func=lambda key: DATASETS[key].title)
    n_samples = st.slider("Number of points", N_SAMPLES.start, N_SAMPLES.stop - 1, 40,
                          N_SAMPLES.step, key=f"{KEY}_n")
    noise = st.slider("Noise", 0.0, 1.0, 0.1, 0.05, key=f"{KEY}_noise")
    seed = st.number_input("Seed", 0, 9999, 2, key=f"{KEY}_seed",
                           help="Seeds the data and the random initial weights.")

X, y = make_dataset(dataset, n_samples, noise, random_state=seed)
Y = y.reshape(-1, 1).astype(float)
MODEL = f"{KEY}_model"
config = (dataset, n_samples, noise, seed, hidden, activation, start)
if st.session_state.get(MODEL, {}).get("config") != config:
    if lectures_net:
        coefs, intercepts = xor_by_hand()
    else:
        coefs, intercepts = init_weights([2, hidden, 1], activation, np.random.default_rng(seed))
    st.session_state[MODEL] = dict(config=config, coefs=coefs, intercepts=intercepts, steps=0,
                                   updates=0)
    st.session_state.pop(f"{KEY}_last_update", None)
model = st.session_state[MODEL]


def diverged(coefs, intercepts):
    """True if a weight, or the loss on the data set, is no longer a finite number."""
    if not all(np.isfinite(p).all() for p in [*coefs, *intercepts]):
        return True
    with np.errstate(over="ignore", invalid="ignore"):
        Z = forward(X, coefs, intercepts, activation, output="logits")[-1]
        return not np.isfinite(cross_entropy(Y, Z))


def train_more(n_steps, learning_rate):
    """Full-batch gradient steps on the whole data set, from the current weights."""
    m = st.session_state[MODEL]
    net = MLPClassifier((hidden,), activation=activation, learning_rate=learning_rate,
                        batch_size=None, max_iter=10**9, tol=0, random_state=seed)

    def from_current(est):
        est.coefs_ = [np.array(W) for W in m["coefs"]]
        est.intercepts_ = [np.array(b) for b in m["intercepts"]]

    try:
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is caught below
            trainer = Trainer(net, X, y, init=from_current)
            for _ in range(n_steps):
                trainer.run(1)  # one at a time: a divergence stops at the step it happened
    except TrainingDiverged as err:
        err = TrainingDiverged(m["steps"] + err.step, learning_rate)  # count from initialisation
        st.session_state[f"{KEY}_train_error"] = f"{err} The weights are kept as they were."
        return
    m.update(coefs=[np.array(W) for W in net.coefs_],
             intercepts=[np.array(b) for b in net.intercepts_], steps=m["steps"] + n_steps)
    st.session_state.pop(f"{KEY}_last_update", None)


def reset_weights():
    st.session_state.pop(MODEL, None)
    st.session_state.pop(f"{KEY}_last_update", None)


with st.sidebar:
    st.header("Training")
    train_lr = st.select_slider("Learning rate for training", TRAIN_LRS, value=1.0,
                                key=f"{KEY}_train_lr", format_func=lambda v: f"{v:g}")
    st.button("🏋 Train 300 steps", key=f"{KEY}_train", on_click=train_more, args=(300, train_lr),
              width="stretch", help="Full-batch gradient steps on all the points.")
    st.button("↺ Reset weights", key=f"{KEY}_reset_weights", on_click=reset_weights,
              width="stretch")
    if st.session_state.get(f"{KEY}_train_error"):
        st.error(st.session_state.pop(f"{KEY}_train_error"))
    st.caption(f"{model['steps']:,} training steps and {model['updates']} single-example "
               "updates so far." + (" Two hidden units can get stuck on XOR (a local "
                                    "optimum): then try another seed or more units."
                                    if hidden == 2 and dataset == "xor" else ""))

coefs, intercepts = model["coefs"], model["intercepts"]
Z_all = forward(X, coefs, intercepts, activation, output="logits")[-1]
train_loss = cross_entropy(Y, Z_all)
accuracy = float(np.mean((Z_all[:, 0] > 0) == (y == 1)))

# ---- ② one example, every derivative -----------------------------------------------------------
g = G_TEX[activation]
LAST = f"{KEY}_last_update"
UPDATE_ERROR = f"{KEY}_update_error"


def apply_update(point, eta):
    m = st.session_state[MODEL]
    with np.errstate(over="ignore", invalid="ignore"):
        new_coefs, new_intercepts, before, after = ascent_step(
            m["coefs"], m["intercepts"], X[point], y[point], eta, activation)
    if diverged(new_coefs, new_intercepts):
        st.session_state[UPDATE_ERROR] = (
            f"The update with η = {eta:g} diverged: a weight or the loss became infinite or NaN. "
            "The weights are kept as they were. Reset the weights, or try a smaller η.")
        return
    st.session_state[LAST] = dict(point=point, eta=eta, before=before.loss, after=after.loss,
                                  y_hat_before=before.y_hat, y_hat_after=after.y_hat,
                                  previous=(m["coefs"], m["intercepts"]))
    m.update(coefs=new_coefs, intercepts=new_intercepts, updates=m["updates"] + 1)


def undo_update():
    last = st.session_state.pop(LAST)
    m = st.session_state[MODEL]
    m["coefs"], m["intercepts"] = last["previous"]
    m["updates"] -= 1


def pick_clicked_point():
    """The training point nearest to where the surface chart was clicked."""
    event = st.session_state.get(f"{KEY}_surface")
    clicked = event["selection"]["points"] if event else []
    if clicked:
        where = np.array([clicked[0]["x"], clicked[0]["y"]], float)
        st.session_state[f"{KEY}_point"] = int(np.argmin(((X - where) ** 2).sum(axis=1)))


with tab_ledger:
    st.markdown(
        f"The lectures' network, here 2-{hidden}-1 with {activation} hidden units, "
        f"on *{DATASETS[dataset].title}* (settings in the sidebar). Pick one training example "
        "(x, y): the lectures differentiate the log-likelihood of **one example** and sum over "
        "examples afterwards.")
    st.info(r"**Biases are weights on a constant input.** A constant $x_0 = 1$ joins the "
            r"inputs and $h_0 = 1$ the hidden units, so $\theta_{0,j}^{(h)}$ and "
            r"$\theta_0^{(y)}$ are the biases, and the same formulas cover them.", icon="➕")
    left, right = st.columns([1, 1.1])
    with right:
        point = st.number_input("Training point #", 0, len(X) - 1, 0, key=f"{KEY}_point")
        L = ledger(X[point], y[point], coefs, intercepts, activation)
        st.markdown(f"**Point #{point}:** x = ({num(X[point, 0])}, {num(X[point, 1])}), "
                    f"label **y = {int(y[point])}**; the network says ŷ = P(Y = 1 | x) = "
                    f"**{num(L.y_hat)}**, so this point's loss −LL = **{num(L.loss)}**.")
        st.markdown(f"Whole data set: loss −LL/n = {num(train_loss)}, accuracy "
                    f"{accuracy:.0%}.")
    with left:
        grid = make_grid(X, resolution=60)
        proba = forward(grid.points, coefs, intercepts, activation)[-1][:, 0].reshape(grid.shape)
        fig = F.surface_figure(grid.xs, grid.ys, proba, X, y, height=380)
        for trace in fig["data"]:
            if trace["type"] == "scatter":  # a click picks a point; keep the others unfaded
                trace["unselected"] = dict(marker=dict(opacity=1))
        fig["data"].append(highlight_point(X[point, 0], X[point, 1], f"point #{point}"))
        fig["layout"]["clickmode"] = "event+select"
        st.plotly_chart(fig, key=f"{KEY}_surface", config=CHART, on_select=pick_clicked_point,
                        selection_mode="points")
        st.caption("Click a point to pick it.")

    st.subheader("Forward: x → h → ŷ → LL")
    x1 = L.x

    def x_terms(j):
        return " + ".join(rf"{ptex(x1[i], 3)} \cdot {ptex(L.theta_h[i, j], 3)}"
                          for i in range(len(x1)))

    st.latex(rf"x = (x_0, x_1, x_2) = (1,\ {tex(x1[1], 3)},\ {tex(x1[2], 3)}), \qquad y = {L.y}")
    for j in range(hidden):
        st.latex(rf"h_{j + 1} = {g}\Big(\sum_i x_i \theta_{{i,{j + 1}}}^{{(h)}}\Big) = "
                 rf"{g}({x_terms(j)}) = {g}({tex(L.z_h[j])}) = {tex(L.h[j + 1])}")
    terms = [rf"{ptex(L.h[j], 3)} \cdot {ptex(L.theta_y[j], 3)}" for j in range(hidden + 1)]
    y_hat_sum = r"\hat y = \sigma\Big(\sum_j h_j \theta_j^{(y)}\Big)"
    y_hat_end = rf"\sigma({tex(L.z_y)}) = {tex(L.y_hat)}"
    if hidden <= 3:
        st.latex(rf"{y_hat_sum} = \sigma({' + '.join(terms)}) = {y_hat_end}")
    else:  # one line would run off the page: three terms per line
        rows_tex = [" + ".join(terms[r:r + 3]) for r in range(0, len(terms), 3)]
        st.latex(r"\begin{aligned}" + y_hat_sum.replace(" = ", " &= ", 1) + r" \\ &= \sigma("
                 + r" \\ &\qquad + ".join(rows_tex) + r") \\ &= " + y_hat_end
                 + r"\end{aligned}")
    st.latex(rf"LL = y \log \hat y + (1 - y) \log(1 - \hat y) = {L.y} \log {tex(L.y_hat)} + "
             rf"{1 - L.y} \log {tex(1 - L.y_hat)} = {tex(L.LL)}")
    forward_rows = ([("x₀", "constant 1 (the bias input)", 1.0)] +
                    [(f"x{i}", "input", x1[i]) for i in (1, 2)] +
                    [("h₀", "constant 1 (the bias input)", 1.0)] +
                    [(f"z{j + 1} = Σᵢ xᵢ θ(h)[i,{j + 1}]", "hidden unit's weighted input",
                      L.z_h[j]) for j in range(hidden)] +
                    [(f"h{j + 1} = g(z{j + 1})", f"hidden unit {j + 1}'s output", L.h[j + 1])
                     for j in range(hidden)] +
                    [("z = Σⱼ hⱼ θ(y)[j]", "output's weighted input", L.z_y),
                     ("ŷ = σ(z)", "P(Y = 1 | x)", L.y_hat),
                     ("LL", "log-likelihood of this example", L.LL),
                     ("−LL", "its loss (cross-entropy)", L.loss)])
    with st.expander("The forward values as a table"):
        st.dataframe(pd.DataFrame(forward_rows, columns=["value", "what", "number"]),
                     hide_index=True, width="stretch")

    st.subheader("Backward: the chain rule, right to left")
    slope = G_SLOPE_TEX[activation]
    st.markdown("Pick one weight of each layer and follow its derivative factor by factor.")
    c1, c2, c3 = st.columns(3)
    j_out = c1.selectbox(r"Output weight $\theta_j^{(y)}$, $j$ =", list(range(hidden + 1)), index=1,
                         key=f"{KEY}_j_out",
                         format_func=lambda j: f"{j} (bias, on h₀ = 1)" if j == 0 else str(j))
    i_in = c2.selectbox(r"Hidden weight $\theta_{i,j}^{(h)}$, $i$ =", [0, 1, 2], index=1,
                        key=f"{KEY}_i_in",
                        format_func=lambda i: f"{i} (bias, on x₀ = 1)" if i == 0 else str(i))
    j_hid = c3.selectbox(r"… and $j$ =", list(range(1, hidden + 1)), key=f"{KEY}_j_hid")
    dyhat = r"\left[\frac{y}{\hat y} - \frac{1-y}{1-\hat y}\right]"
    theta_out = rf"\theta_{j_out}^{{(y)}}"
    theta_hid = rf"\theta_{{{i_in},{j_hid}}}^{{(h)}}"
    d_ll_yhat, d_yhat_z = partial("LL", r"\hat y"), partial(r"\hat y", "z")
    d_yhat_h, d_h_theta = partial(r"\hat y", f"h_{j_hid}"), partial(f"h_{j_hid}", theta_hid)
    st.markdown("**An output weight** (its input is $h_j$):")
    st.latex(
        rf"{partial('LL', theta_out)} = {d_ll_yhat} \cdot {d_yhat_z} \cdot "
        rf"{partial('z', theta_out)} = {dyhat} \cdot \hat y (1 - \hat y) "
        rf"\cdot h_{j_out}")
    st.latex(
        rf"= {ptex(L.dLL_dyhat)} \cdot {ptex(L.dyhat_dz)} \cdot {ptex(L.h[j_out])} = "
        rf"(y - \hat y)\, h_{j_out} = ({L.y} - {tex(L.y_hat)}) \cdot {ptex(L.h[j_out])} = "
        rf"\mathbf{{{tex(L.grad_theta_y[j_out])}}}")
    st.markdown(r"**A hidden weight** (the chain goes on through $\theta_j^{(y)}$ and $h_j$):")
    st.latex(
        rf"{partial('LL', theta_hid)} = {d_ll_yhat} \cdot {d_yhat_h} \cdot "
        rf"{d_h_theta} = {dyhat} \cdot "
        rf"\hat y (1 - \hat y)\, \theta_{j_hid}^{{(y)}} \cdot {slope.replace('j', str(j_hid))}\, "
        rf"x_{i_in}")
    st.latex(
        rf"= {ptex(L.dLL_dyhat)} \cdot {ptex(L.dyhat_dz)} \cdot {ptex(L.theta_y[j_hid])} \cdot "
        rf"{ptex(L.dh_dz[j_hid - 1])} \cdot {ptex(x1[i_in], 3)} = "
        rf"(y - \hat y)\, \theta_{j_hid}^{{(y)}}\, {slope.replace('j', str(j_hid))}\, x_{i_in} = "
        rf"\mathbf{{{tex(L.grad_theta_h[i_in, j_hid - 1])}}}")
    st.caption("The first two factors are shared by every weight: backpropagation computes "
               "(y − ŷ) once and reuses it, then θⱼ⁽ʸ⁾·g′(zⱼ) once per hidden unit, and "
               "each hidden weight only multiplies by its own input xᵢ."
               + ("" if activation == "sigmoid" else
                  f" With {activation} units, hⱼ(1 − hⱼ) becomes g′(zⱼ) = "
                  + ("1 − hⱼ²." if activation == "tanh" else "1 where hⱼ > 0, else 0.")))

    # the same gradients from core.mlp.backward, which descends J = -LL/n (here n = 1)
    acts = forward(X[point:point + 1], coefs, intercepts, activation)
    gW, gb = mlp_backward(X[point:point + 1], Y[point:point + 1], acts, coefs, activation)
    rows = []
    for j in range(hidden + 1):
        core_value = -(gb[1][0] if j == 0 else gW[1][j - 1, 0])
        rows.append((f"θ(y)[{j}]", f"(y − ŷ) h{j}", L.grad_theta_y[j], core_value))
    for i in range(3):
        for j in range(1, hidden + 1):
            core_value = -(gb[0][j - 1] if i == 0 else gW[0][i - 1, j - 1])
            slope_text = f"h{j}(1 − h{j})" if activation == "sigmoid" else f"g′(z{j})"
            rows.append((f"θ(h)[{i},{j}]", f"(y − ŷ) θ(y)[{j}] {slope_text} x{i}",
                         L.grad_theta_h[i, j - 1], core_value))
    table = pd.DataFrame(rows, columns=["weight", "formula", "∂LL/∂θ (ledger)",
                                        "−∂J/∂θ (core.mlp.backward)"])
    st.markdown("**Every weight at once**, and the same numbers from the app's own "
                "backpropagation (`core.mlp.backward`):")
    st.dataframe(table.style.format({"∂LL/∂θ (ledger)": "{:.6g}",
                                     "−∂J/∂θ (core.mlp.backward)": "{:.6g}"}),
                 hide_index=True, width="stretch")
    st.caption("The sign, said once: the lectures climb the log-likelihood (gradient ascent on "
               "LL); `core.mlp.backward` returns the gradient of the loss J = −LL/n that "
               "training descends. For one example (n = 1), ∂LL/∂θ = −∂J/∂θ.")

    st.subheader("One update: θ ← θ + η ∂LL/∂θ")
    c1, c2 = st.columns([2, 1])
    eta = c1.select_slider("Step size η", ETAS, value=0.3, key=f"{KEY}_eta",
                           format_func=lambda v: f"{v:g}")
    with c2:
        st.write("")
        st.button("⬆ Apply one update", key=f"{KEY}_update", on_click=apply_update,
                  args=(point, eta), type="primary", width="stretch",
                  help="Every weight moves by η times its ∂LL/∂θ for this one example.")
    if st.session_state.get(UPDATE_ERROR):
        st.error(st.session_state.pop(UPDATE_ERROR), icon="💥")
        st.button("↺ Reset weights", key=f"{KEY}_reset_after_update", on_click=reset_weights)
    last = st.session_state.get(LAST)
    if last is None:
        st.caption("Apply the update to see this point's loss before and after. Every number "
                   "above then shows the new weights.")
    else:
        m1, m2, m3, m4 = st.columns([1, 1, 1, 0.8])
        m1.metric(f"Loss −LL of point #{last['point']} before", num(last["before"]))
        m2.metric("after one update", num(last["after"]),
                  delta=float(f"{last['after'] - last['before']:.4g}"), delta_color="inverse")
        m3.metric("ŷ before → after", f"{num(last['y_hat_before'], 3)} → "
                                     f"{num(last['y_hat_after'], 3)}")
        with m4:
            st.write("")
            st.button("↩ Undo", key=f"{KEY}_undo", on_click=undo_update, width="stretch")
        if last["after"] < last["before"]:
            st.success(f"With η = {last['eta']:g} the loss on point #{last['point']} fell from "
                       f"{num(last['before'])} to {num(last['after'])}: the step went uphill on "
                       "LL, as the gradient promised.", icon="⬆")
        else:
            st.warning(f"With η = {last['eta']:g} the step overshot: the loss rose. The gradient "
                       "only promises improvement for a small enough step; undo and try a "
                       "smaller η.", icon="⚠️")

write_url(URL)

# ---- ③ gradient check and its cost -------------------------------------------------------------
n_params = sum(W.size + b.size for W, b in zip(coefs, intercepts))
with tab_check:
    st.markdown(
        "How do we know backpropagation is right? Nudge each parameter a little both ways and "
        "watch the loss: the **central difference** "
        "[J(θ + ε) − J(θ − ε)] / 2ε approximates ∂J/∂θ without any calculus. Here for every "
        f"parameter of the current network ({n_params} of them), on all {len(X)} points, with "
        "J = −LL/n and ε = 10⁻⁶.")
    which = st.selectbox("Backpropagation to check", [CORRECT, *BUGGY_BACKPROPS],
                         key=f"{KEY}_which",
                         help="The deliberately broken versions show what the check reports "
                              "when a derivative is wrong.")
    result = check_gradients(X, Y, coefs, intercepts, activation,
                             backprop=mlp_backward if which == CORRECT else BUGGY_BACKPROPS[which])
    worst = result.worst
    check = pd.DataFrame({"parameter": result.names, "backprop ∂J/∂θ": result.analytic,
                          "numerical ∂J/∂θ": result.numeric,
                          "absolute error": result.absolute_error,
                          "relative error": result.relative_error})
    check = check.sort_values("relative error", ascending=False, kind="stable")
    good = result.passed()
    c1, c2 = st.columns([1, 2.2])
    with c1:
        st.metric("Largest relative error", f"{result.max_relative_error:.1e}",
                  help="|a − n| / (|a| + |n|) for analytic a and numerical n.")
        st.markdown(f"at **{result.names[worst]}**")
        if good:
            st.success("Backpropagation agrees with the finite differences to about 8 digits "
                       "or better: the derivatives are right.", icon="✅")
        else:
            st.error("Some derivatives disagree with the finite differences: this "
                     "backpropagation has a bug. The highlighted row is the worst.", icon="🐞")
        st.caption("Worst first. θ(h)[i,j] joins input i to hidden unit j, θ(y)[j] hidden "
                   "unit j to the output; index 0 is the bias (the constant input 1). Relative "
                   "errors under ~10⁻⁷ are what float64 and ε = 10⁻⁶ allow; for tiny gradients "
                   "(under ~10⁻⁶) the differences' own rounding, ~10⁻¹⁰, dominates, so an "
                   "absolute error under 10⁻⁸ also passes.")
    with c2:
        st.dataframe(check.style.format({c: "{:.3e}" for c in check.columns[1:]})
                     .apply(lambda row: ["background-color: #fde2e1; font-weight: bold"
                                         if row.name == worst else "" for _ in row], axis=1),
                     hide_index=True, width="stretch")

    st.subheader("Correct, but inefficient: what each way costs")
    st.markdown(
        "The numerical gradient needs **two forward passes per parameter**: 2P passes for P "
        "parameters. Backpropagation gets all P derivatives from **one forward and one backward "
        "pass**, whatever P. Time both on networks of growing size: |x| = 40 inputs (the "
        "lectures' quiz), one hidden layer of |h| units, one output, 32 examples.")
    TIMED = f"{KEY}_timed"

    def show_timings():
        st.session_state[TIMED] = True

    st.button("⏱ Time both ways", key=f"{KEY}_time", on_click=show_timings,
              help="About two seconds; the result is kept.")

    @st.cache_data(show_spinner="Timing backpropagation and finite differences…")
    def timings(hidden_sizes=(2, 8, 20, 32, 128)):
        return time_gradients(n_inputs=40, hidden_sizes=hidden_sizes, n_samples=32)

    if st.session_state.get(TIMED):
        rows = timings()
        cost = pd.DataFrame({
            "hidden units |h|": [r.hidden for r in rows],
            "parameters P": [r.n_params for r in rows],
            "forward passes (numerical)": [r.forward_passes for r in rows],
            "backprop (ms)": [r.backprop_seconds * 1000 for r in rows],
            "numerical (ms)": [r.numerical_seconds * 1000 for r in rows],
            "numerical / backprop": [r.ratio for r in rows]})
        st.dataframe(cost.style.format({"backprop (ms)": "{:.3f}", "numerical (ms)": "{:.1f}",
                                        "numerical / backprop": "×{:,.0f}",
                                        "parameters P": "{:,}",
                                        "forward passes (numerical)": "{:,}"}),
                     hide_index=True, width="stretch")
        c1, c2 = st.columns([1.6, 1])
        with c1:
            st.plotly_chart(timing_figure([r.n_params for r in rows],
                                          [r.backprop_seconds for r in rows],
                                          [r.numerical_seconds for r in rows],
                                          [f"|h| = {r.hidden}" for r in rows]),
                            key=f"{KEY}_timing", config=CHART)
        with c2:
            st.markdown(f"With {rows[-1].n_params:,} parameters the numerical gradient takes "
                        f"**{rows[-1].ratio:,.0f} times** as long as backpropagation. The gap "
                        "grows in proportion to P: backpropagation's cost hardly moves (one "
                        "pass each way, whatever P), the numerical one makes 2P passes. A "
                        "network for real digits has hundreds of thousands of parameters, and "
                        "training needs a fresh gradient at every step.")
            st.caption("Measured on this server when you pressed the button (cached since); "
                       "the small times are noisy, the trend is not.")

# ---- ④ small facts -----------------------------------------------------------------------------
with tab_facts:
    left, right = st.columns(2)
    with left:
        st.subheader("An activation and its slope")
        name = st.radio("Activation", ["sigmoid", "tanh", "relu"], horizontal=True,
                        key=f"{KEY}_fact_act")
        z0 = st.slider("z", -6.0, 6.0, 0.0, 0.1, key=f"{KEY}_z0")
        z = np.linspace(-6, 6, 241)
        gz = ACTIVATIONS[name](z)
        g0 = float(ACTIVATIONS[name](np.array(z0)))
        dg0 = float(DERIVATIVES[name](np.array(g0)))
        st.plotly_chart(activation_figure(z, gz, DERIVATIVES[name](gz), name, z0, g0, dg0),
                        key=f"{KEY}_activation", config=CHART)
        formula = {"sigmoid": (r"\sigma(z) = \frac{1}{1 + e^{-z}}, \qquad "
                               r"\sigma'(z) = \sigma(z)\,(1 - \sigma(z))"),
                   "tanh": r"\tanh(z), \qquad \tanh'(z) = 1 - \tanh^2(z)",
                   "relu": r"\mathrm{relu}(z) = \max(0, z), \qquad "
                           r"\mathrm{relu}'(z) = \mathbf{1}[z > 0]"}[name]
        st.latex(formula)
        how = {"sigmoid": rf"{tex(g0)}\,(1 - {tex(g0)})",
               "tanh": rf"1 - {ptex(g0)}^2",
               "relu": rf"\mathbf{{1}}[{ptex(z0, 3)} > 0]"}[name]
        st.latex(rf"\text{{at }} z = {tex(z0, 3)}: \quad g(z) = {tex(g0)}, \qquad "
                 rf"g'(z) = {how} = {tex(dg0)}")
        st.caption({"sigmoid": "The slope is written with the output: backpropagation already "
                               "has h = σ(z) from the forward pass. It is at most 1/4 (at "
                               "z = 0): each sigmoid layer multiplies the signal flowing "
                               "backwards by 1/4 or less (times its weights).",
                    "tanh": "A stretched sigmoid, tanh(z) = 2σ(2z) − 1: slope 1 at z = 0, "
                            "near 0 once |z| > 3.",
                    "relu": "Slope 1 wherever the unit is on, 0 where it is off (at z = 0 "
                            "we take 0)."}[name])
    with right:
        st.subheader("Counting parameters")
        st.markdown("The lectures' quiz: with |x| = 40 inputs and |h| = 20 hidden units, how "
                    "many parameters does the network have?")
        c1, c2 = st.columns(2)
        n_x = c1.number_input("|x| inputs", 1, 100_000, 40, key=f"{KEY}_nx")
        n_h = c2.number_input("|h| hidden units", 1, 100_000, 20, key=f"{KEY}_nh")
        bias = st.toggle("Count the bias terms (x₀ = 1, h₀ = 1)", key=f"{KEY}_bias")
        counts = parameter_counts(n_x, n_h, bias=bias)
        m1, m2, m3 = st.columns(3)
        m1.metric("θ⁽ʸ⁾", f"{counts['theta_y']:,}")
        m2.metric("θ⁽ʰ⁾", f"{counts['theta_h']:,}")
        m3.metric("total", f"{counts['total']:,}")
        extra = 1 if bias else 0
        h_in, x_in = ("(|h| + 1)", "(|x| + 1)") if bias else ("|h|", "|x|")
        big = lambda v: f"{v:,}".replace(",", "{,}")  # noqa: E731  (a thousands comma in TeX)
        st.latex(rf"|\theta^{{(y)}}| = {h_in} \cdot |y| = {big(n_h + extra)} \cdot 1 = "
                 rf"{big(counts['theta_y'])}")
        st.latex(rf"|\theta^{{(h)}}| = {x_in} \cdot |h| = {big(n_x + extra)} \cdot "
                 rf"{big(n_h)} = {big(counts['theta_h'])}")
        st.latex(rf"\text{{total}} = {big(counts['theta_y'])} + {big(counts['theta_h'])} = "
                 rf"\mathbf{{{big(counts['total'])}}}")
        st.caption("The lectures count weights only (40 × 20 = 800 and 20, so 820). With the "
                   "biases as weights on the constant inputs x₀ = 1 and h₀ = 1, each layer has one "
                   "more input: 41 × 20 = 820 and 21, so 841. The numerical gradient would need "
                   "twice that many forward passes for one gradient.")
