"""Streamlit-side helpers: Plotly figure builders and shared widgets."""
