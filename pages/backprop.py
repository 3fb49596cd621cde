"""Backpropagation: the chain rule with real numbers, and the gradient check that proves it."""
import streamlit as st

from ui.layout import header

header("🔗 Backpropagation", "This page is being built.")
