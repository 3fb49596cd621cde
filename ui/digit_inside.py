"""Looking inside the digit page's network (Streamlit parts): the first layer's weight images,
numbered as the hidden units everywhere on the page, and a confusion matrix whose cells open
the test digits behind them."""
import streamlit as st

from ui import digit_views as V
from ui.live_chart import live_chart


def chosen_cell(key):
    """(true, guessed) of the confusion matrix cell last clicked, or None."""
    state = st.session_state.get(f"{key}_confusion")
    points = (state or {}).get("selection", {}).get("points", []) if state else []
    for p in points:
        try:
            return int(p["y"]), int(p["x"])
        except (KeyError, TypeError, ValueError):
            continue
    return None


def inside(run, key, data, hidden):
    """The weights mosaic and the confusion matrix with the digits of the chosen cell."""
    model = run.trainers["MLP"].model
    shown = min(hidden, 64)
    fig = V.weights_mosaic(model.coefs_[0], shown, data.shape)
    live_chart(fig, key=f"{key}_chart_weights", height=fig["layout"]["height"], fit=True)
    cell = chosen_cell(key)
    confusion, digits = V.mistakes(model, data, cell, step=run.trainers["MLP"].step)
    left, right = st.columns([1.3, 1])  # ten columns of counts need the room
    with left:
        st.plotly_chart(confusion, key=f"{key}_confusion", on_select="rerun",
                        selection_mode="points", config={"displayModeBar": False})
    with right:
        if digits is None:
            st.success("No test digit is misclassified." if cell is None else
                       f"No test digit is a {cell[0]} guessed as {cell[1]}.")
        else:
            live_chart(digits, key=f"{key}_chart_mistakes", height=digits["layout"]["height"])
        if cell is not None:
            st.caption("Click the same cell again, or outside the cells, to see every mistake.")
