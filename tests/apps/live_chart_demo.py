"""Demo for ui.live_chart: two charts fed by a run_every fragment (used by the browser tests)."""

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import numpy as np  # noqa: E402
import plotly.graph_objects as go  # noqa: E402
import streamlit as st  # noqa: E402

from ui.live_chart import live_chart  # noqa: E402

st.set_page_config(page_title="Live chart demo", layout="wide")
state = st.session_state
state.setdefault("running", False)
state.setdefault("tick", 0)


def play() -> None:
    state.running = True


def pause() -> None:
    state.running = False


def move() -> None:
    state.moved = not state.get("moved", False)


st.title("Live chart demo")
left, right, mid, _ = st.columns([1, 1, 1, 5])
left.button("Play", key="play", on_click=play, type="primary")
right.button("Pause", key="pause", on_click=pause)
# "Move" puts a note above the charts (or takes it away): a full rerun that mounts the charts'
# elements at new places while a run_every tick may still draw into the old ones
mid.button("Move", key="move", on_click=move)
if state.get("moved"):
    st.info("A note above the charts")


@st.fragment(run_every=0.1 if state.running else None)
def live() -> None:
    if state.running:
        state.tick += 1
    tick = state.tick

    with st.container(key="tick"):
        st.metric("Tick", tick)

    steps = np.arange(tick + 1)
    curve = go.Figure(go.Scatter(x=steps, y=np.exp(-steps / 80) + 0.05 * np.sin(steps / 3), mode="lines"))
    curve.update_layout(margin=dict(l=40, r=10, t=30, b=30), title="Loss")

    u = np.linspace(0, 2 * np.pi, 60, dtype=np.float32)
    grid = (np.sin(u[None, :] + 0.2 * tick) * np.cos(u[:, None] - 0.1 * tick)).astype(np.float32)
    heat = go.Figure(go.Heatmap(z=grid, colorscale="RdBu", zmin=-1, zmax=1))
    heat.update_layout(margin=dict(l=40, r=10, t=30, b=30), title="Surface")

    a, b = st.columns(2)
    with a:
        live_chart(curve, key="demo_line", height=320)
    with b:
        live_chart(heat, key="demo_heat", height=320)


live()

# "Frames": one rerun sends a chart two earlier states to show first, 2 s apart, then its figure
if st.button("Frames", key="frames"):
    frames = [go.Figure(go.Scatter(x=[0, 1], y=[k, k + 1]), layout=dict(title=f"Frame {k}"))
              for k in (1, 2, 3)]
    live_chart(frames[-1], key="demo_frames", height=240, before=frames[:-1], spacing=2.0)
