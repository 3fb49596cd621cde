"""The parts every page is made of: a header, a status line, the data sidebar, uploads that are
remembered, the model file box and scikit-learn's fitted baselines. Functions, not a framework:
a page calls the ones it needs, in its own order.
"""
import hashlib

import numpy as np
import streamlit as st

from core import DATASETS, make_dataset, split
from core.baselines import sklearn_logistic, sklearn_mlp
from core.persistence import LIMITS as MODEL_FILE_LIMITS, ModelFileError, load, to_json, to_npz
from ui.numbers import num
from ui.runtime import configure_runtime
from ui.settings import Setting, intro_shown, lesson, lesson_query, settings, stage, widget

_CSS = """
<style>
/* calmer metrics and tighter blocks */
[data-testid="stMetricValue"] { font-size: 1.35rem; }
[data-testid="stMetricLabel"] p { font-size: 0.85rem; color: #4b5563; }
.block-container { padding-top: 2.2rem; }
/* a 1024-pixel window leaves the page a 560-pixel column: a smaller title keeps the controls
   below it in sight (a long one took three lines there) */
@media (max-width: 1200px) { h1 { font-size: 2.1rem !important; } }
/* columns that stack when their row is narrow (``stacking_columns``) */
[class*="_cols_stack"] { container: np-stack / inline-size; }
@container np-stack (max-width: 640px) {
  [data-testid="stHorizontalBlock"] { flex-wrap: wrap; }
  [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] { min-width: 100%; }
}
/* (``wide=True``) only the row's own columns: the columns within them keep their places */
[class*="_cols_wide"] { container: np-wide / inline-size; }
@container np-wide (max-width: 940px) {
  [class*="_cols_wide"] > div > [data-testid="stHorizontalBlock"] { flex-wrap: wrap; }
  [class*="_cols_wide"] > div > [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] {
    min-width: 100%; }
}
</style>
"""

STACK_BELOW_PX = 640  # (the CSS above)
STACK_WIDE_BELOW_PX = 940


def stacking_columns(key, spec, wide=False):
    """``st.columns(spec)`` that stand one above the other when the row is narrower than
    ``STACK_BELOW_PX`` (a 1024-pixel window with the sidebar open), so a chart that needs its
    width gets it instead of a third of it. ``key`` names the row (unique on the page).

    ``wide=True``: below ``STACK_WIDE_BELOW_PX`` already (a 1440-pixel window leaves 980), for
    a chart that needs 560 px beside its controls."""
    with st.container(key=f"{key}_cols_{'wide' if wide else 'stack'}"):
        return st.columns(spec)


def header(title, lede, lecture=None, page=None):
    """The page's title and what it is about (and the process's one-time set-up); a lesson
    link with ``intro=off`` keeps only the title."""
    configure_runtime()
    st.markdown(_CSS, unsafe_allow_html=True)
    st.title(title)
    if page is not None and not intro_shown(page):
        return
    st.markdown(lede)
    if lecture:
        st.caption(f"From the lectures: {lecture}")


def status(items):
    """One line of live numbers, e.g. status([("step", "1,200"), ("test accuracy", "97.0%")]).

    A single markdown line instead of a row of st.metric: the browser redraws it ten times a
    second during training, and metrics cost it a chart update's worth of work each time.
    Each label stays with its value, and each value keeps its room (``status_room``) while it
    changes, so the line wraps the same way all along and the charts below never jump.
    """
    st.markdown(" &nbsp;·&nbsp; ".join(
        f'<span style="white-space:nowrap">**{label}** <span style="display:inline-block;'
        f'min-width:{status_room(value)}ch;font-variant-numeric:tabular-nums">{value}</span>'
        f'</span>' for label, value in items), unsafe_allow_html=True)


def status_room(value):
    """The width, in characters, a status value keeps: a count ("1,200") room for up to
    9,999,999, any other number ("0.6931", "97.0%") for six characters; more only when the
    value itself is longer."""
    counter = value.replace(",", "").isdigit()
    return max(len(value), 9 if counter else 6)


def too_large_step_note(history, window=30, margin=0.25):
    """A warning while the training loss jumps far above the best it had reached before (by
    more than ``margin`` and half as much again) anywhere in the curve's last ``window``
    points: the steps are too large, as when the loss leaps from one side of a valley to the
    other, or units are thrown into saturation (None else). Read over a window, the note stays
    while the loss keeps jumping, also when a step lands low, and after Pause."""
    losses, steps = history.arrays("train_loss", "step").values()
    if losses is None or len(losses) < 5:
        return None
    prior = np.fmin.accumulate(np.where(np.isfinite(losses), losses, np.inf))
    rise = losses[1:] - prior[:-1]  # each point against the best before it
    jumped = (rise > margin) & (losses[1:] > 1.5 * prior[:-1])
    recent = slice(max(0, len(rise) - window), len(rise))
    if not jumped[recent].any():
        return None
    at = int(np.nanargmin(losses))
    shown = losses[-window:]
    return (f"⚠️ The training loss jumps far above the {num(float(losses[at]))} it reached at "
            f"step {int(steps[at]):,}: between {num(np.nanmin(shown))} and "
            f"{num(np.nanmax(shown))} in the curve's last {len(shown)} points, now "
            f"{num(float(losses[-1]))}. The steps are too large: try a smaller learning rate η.")


# ---- the data: a generated 2-D set ------------------------------------------------------------
def data_settings(keys=tuple(DATASETS), noise=0.2, n=200):
    """The settings that fix a generated 2-D data set and its split."""
    return settings(
        Setting("dataset", "Dataset", keys[0], options=tuple(keys), widget="selectbox",
                fmt=lambda k: DATASETS[k].title),
        Setting("n", "Number of points", n, lo=20, hi=1000, step=10, kind=int),
        Setting("noise", "Noise", noise, lo=0.0, hi=1.0, step=0.05),
        Setting("test", "Test share", 0.3, lo=0.1, hi=0.5, step=0.05,
                help="The share of the points held out to test the model; it never trains on "
                     "them."),
        Setting("seed", "Seed", 0, lo=0, hi=9999, step=1, kind=int, widget="number_input",
                help="Seeds the data, the split and the initial weights."))


def _new_seed(page):
    st.session_state[f"{page}_seed"] = int(np.random.default_rng().integers(0, 10_000))


def data_sidebar(page, specs, generated=True):
    """The data settings' widgets (call inside ``st.sidebar``); returns their values.

    ``generated=False`` (an uploaded CSV in use) greys out what only generated data uses.
    """
    st.header("Data")
    off = not generated
    values = {"dataset": widget(page, specs["dataset"], disabled=off)}
    st.caption(DATASETS[values["dataset"]].description)
    values["n"] = widget(page, specs["n"], disabled=off)
    values["noise"] = widget(page, specs["noise"], disabled=off)
    values["test"] = widget(page, specs["test"])
    values["seed"] = widget(page, specs["seed"])
    st.button("🎲 New data", on_click=_new_seed, args=(page,), width="stretch", disabled=off,
              key=f"{page}_new_data")
    return values


def make_split(values):
    """The generated data set and its stratified split for the data settings' ``values``:
    (X, X_train, X_test, y_train, y_test)."""
    X, y = make_dataset(values["dataset"], values["n"], values["noise"], random_state=values["seed"])
    return (X, *split(X, y, values["test"], random_state=values["seed"]))


# ---- uploads ----------------------------------------------------------------------------------
def remembered_upload(key, label, types, read, help=None):
    """A file uploader whose last good result is kept (across reruns, and pages left and
    opened again) and whose bad file gets its reason shown, changing nothing.

    Files are told apart by their content, so a fixed file under the old name is read again.
    ``read(bytes)`` returns the value or raises ValueError. Returns the memo, a dict with
    ``value`` (the last good value, or None), ``name`` and ``kept`` (the name and content
    digest of the file it came from), ``error``, and ``fresh`` (True on the run that read a new
    good file).
    """
    upload = st.file_uploader(label, type=types, key=key, help=help)
    memo = st.session_state.setdefault(f"{key}__memo", dict(value=None, name=None, kept=None,
                                                             error=None, digest=None))
    memo["fresh"] = False
    if upload is None:
        memo.update(digest=None, error=None)  # taken away: the same file can come again
        return memo
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    if digest != memo["digest"]:
        memo["digest"] = digest
        try:
            memo.update(value=read(data), name=upload.name, kept=digest, error=None, fresh=True)
        except ValueError as err:
            memo["error"] = f"{upload.name[:80]}: {err}"
    return memo


# ---- a model file: save, load ---------------------------------------------------------------
LEGACY_NAMES = {"n_samples": "n", "test_share": "test", "n_train": "n"}  # older files' names
PARAM_NAMES = {"learning_rate": "lr", "batch_size": "batch", "l2": "l2", "max_iter": "epochs"}


def file_settings(meta, specs):
    """The page settings a model file carries, under the page's setting names: its saved
    settings, and the model's own hyperparameters where the page has a setting that allows
    them (older files saved only the data's settings)."""
    data = meta.get("data") or {}
    if not isinstance(data, dict):
        raise ValueError("its settings are not a set of named values")
    params = meta.get("params") or {}
    values = {name: params[p] for p, name in PARAM_NAMES.items()
              if name in specs and p in params and specs[name].valid(params[p])}
    values.update({LEGACY_NAMES.get(k, k): v for k, v in data.items()})
    return values


def model_box(page, file_page, specs, run, name, saved_settings, fit, caption=None):
    """Download ``run``'s model ``name`` (JSON, .npz) and its history (CSV); load a file back.

    ``fit(model, meta)`` says how a loaded file becomes the page: it returns the settings to
    apply (checked against ``specs`` like a link's, all or nothing) and the weights to start
    from, or raises ValueError with the reason the file does not fit. A good file reruns the
    page with its settings and weights (``start_weights(page)``); a bad one is explained and
    changes nothing.
    """
    key = f"{page}_io_upload"
    memo = st.session_state.get(f"{key}__memo") or {}
    with st.expander("💾 Save or load the model",
                     expanded=st.session_state.get(key) is not None or bool(memo.get("error"))):
        if caption:
            st.caption(caption)
        if run.error:
            st.warning("Training diverged, so there is no model worth saving: press **Reset** "
                       "first.", icon="⚠️")
        else:
            model, stem = run.trainers[name].model, f"{file_page}-{name.replace(' ', '_')}"
            c1, c2, c3 = st.columns(3)
            c1.download_button("⬇ Model as JSON", lambda: to_json(
                model, file_page, saved_settings, run.latest[name]), file_name=f"{stem}.json",
                mime="application/json", key=f"{page}_io_json", width="stretch", on_click="ignore")
            c2.download_button("⬇ Model as .npz", lambda: to_npz(
                model, file_page, saved_settings, run.latest[name]), file_name=f"{stem}.npz",
                mime="application/octet-stream", key=f"{page}_io_npz", width="stretch",
                on_click="ignore")
            c3.download_button("⬇ Training history (CSV)", run.histories[name].to_csv,
                               file_name=f"{stem}-history.csv", mime="text/csv",
                               key=f"{page}_io_csv", width="stretch", on_click="ignore")

        def read(data):
            try:
                model, meta = load(data, page=file_page)
                values, weights = fit(model, meta)
                stage(page, specs, values)
            except (ModelFileError, ValueError) as err:
                raise ValueError(str(err)) from None
            return weights

        memo = remembered_upload(key, "Load a model saved from this page (.json or .npz)",
                                 ["json", "npz"], read, help=MODEL_FILE_LIMITS)
        if memo["error"]:
            st.error(memo["error"] + "  \nNothing was changed.", icon="⚠️")
        elif memo["fresh"]:
            st.session_state[f"{page}__start"] = memo["value"]
            st.session_state[f"{page}__loads"] = loads(page) + 1
            st.rerun()


def start_weights(page):
    """The weights of the last model file loaded on the page (None if none)."""
    return st.session_state.get(f"{page}__start")


def forget_start(page):
    st.session_state.pop(f"{page}__start", None)


def loads(page):
    """How many model files were loaded on the page: part of its run's signature, so a new
    file starts a new run."""
    return st.session_state.get(f"{page}__loads", 0)


# ---- scikit-learn on the same split ----------------------------------------------------------
_BASELINES = {"logistic": sklearn_logistic, "mlp": sklearn_mlp}


@st.cache_data(max_entries=32, show_spinner=False)
def _fitted(kind, args, kwargs):
    return _BASELINES[kind](*args, **dict(kwargs))


def fitted(kind, *args, **kwargs):
    """scikit-learn's ``kind`` ("logistic" or "mlp", see core.baselines) fitted on the given
    split and settings; cached by exactly those, for every session of the server."""
    return _fitted(kind, args, tuple(sorted(kwargs.items())))


def sklearn_requested(page, signature, auto=False):
    """True once the learner asked for scikit-learn's models (``sklearn_button``): for the
    settings ``signature`` they were asked for, or for any settings when ``auto`` (cheap fits
    that may follow every change)."""
    asked = st.session_state.get(f"{page}__sk_for")
    return asked is not None and (auto or asked == signature)


def sklearn_button(page, label, signature, auto=False):
    """The button that asks for scikit-learn's models (fitted then by ``fitted``, cached); says
    when the settings changed since, unless ``auto``."""
    if st.button(label, key=f"{page}_sk_fit"):
        st.session_state[f"{page}__sk_for"] = signature
        st.rerun()  # parts of the page above the button show scikit-learn's answers too
    asked = st.session_state.get(f"{page}__sk_for")
    if asked is not None and not auto and asked != signature:
        st.caption("The data or the network changed since scikit-learn's models were fitted: "
                   "fit them again.")


# ---- one section at a time ----------------------------------------------------------------------
def sections(page, spec, draws):
    """The section of the page the learner chose with a segmented control (``spec``, a
    "segmented" Setting, so a link can open it), and only that one, drawn by ``draws[choice]()``.

    Unlike ``st.tabs``, the other sections are neither computed nor sent: the page's full
    reruns stay short, and the browser does not keep every section's charts in the page, each
    of which would cost it time on every live update.
    """
    choice = widget(page, spec, label_visibility="collapsed", width="stretch")
    draws[choice]()
    return choice


# ---- a teacher's lesson link -------------------------------------------------------------------
def lesson_url(page, specs, hide=(), intro=True, base=None):
    """A link that opens the page with its current settings, ``hide`` fixed and not shown, and
    the introduction shown or not."""
    from urllib.parse import urlencode
    store = st.session_state.get(f"{page}__settings", {})
    query = {name: spec.text(store[name]) for name, spec in specs.items()
             if spec.in_url and name in store}
    query.update(lesson_query(page, hide=hide, intro=intro))
    base = base or st.context.url or ""
    return f"{base}?{urlencode(query, safe=',')}"


def lesson_box(page, specs):
    """In the sidebar, for a teacher: build a link that opens this page as it is now with
    chosen controls hidden (their values fixed by the link), like TF Playground's classroom
    links. A page opened from such a link does not show the box."""
    now = lesson(page)
    if now["hide"] or not now["intro"]:
        st.sidebar.caption(f"🎓 A lesson link set this page up: {len(now['hide'])} control(s) "
                           "are fixed by it.")
        return
    names = [n for n, spec in specs.items() if spec.in_url]
    with st.sidebar.expander("🎓 Share as a lesson"):
        st.caption("A link to this page with its current settings, for a class: the controls "
                   "you pick are hidden and keep the link's values, so learners see only what "
                   "the lesson is about.")
        hide = st.multiselect("Controls to hide", names, key=f"{page}__lesson_hide",
                              format_func=lambda n: specs[n].label)
        intro = not st.toggle("Hide the introduction", key=f"{page}__lesson_intro")
        st.code(lesson_url(page, specs, hide, intro), language=None, wrap_lines=True)
