"""Demo for ui.expression_section: the "your own expression" section alone (used by
tests/test_expression.py)."""
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import streamlit as st  # noqa: E402

from ui.expression_section import expression_explorer  # noqa: E402

st.set_page_config(page_title="Your own expression", layout="wide")
expression_explorer("ex")
