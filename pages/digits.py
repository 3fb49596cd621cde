"""Draw a digit: train an MLP on handwritten digits live, then draw one and watch it classify."""
import streamlit as st

from ui.layout import header

header("✍️ Draw a digit", "This page is being built.")
