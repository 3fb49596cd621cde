"""Download a trained model and its history; upload a model file back onto its page."""
import streamlit as st

from core.persistence import ModelFileError, load, to_json, to_npz


def model_io(run, name, page, data_settings, key):
    """Download buttons for ``run``'s model ``name`` and an uploader.

    Returns ``(model, meta)`` when a valid file for this page was just uploaded, else None; a
    bad file shows its reason and changes nothing.
    """
    model = run.trainers[name].model
    c1, c2, c3 = st.columns(3)
    c1.download_button("⬇ Model as JSON", to_json(model, page, data_settings),
                       file_name=f"{page}-{name.replace(' ', '_')}.json",
                       mime="application/json", key=f"{key}_json", width="stretch")
    c2.download_button("⬇ Model as .npz", to_npz(model, page, data_settings),
                       file_name=f"{page}-{name.replace(' ', '_')}.npz",
                       mime="application/octet-stream", key=f"{key}_npz", width="stretch")
    c3.download_button("⬇ Training history (CSV)", run.histories[name].to_csv(),
                       file_name=f"{page}-{name.replace(' ', '_')}-history.csv", mime="text/csv",
                       key=f"{key}_csv", width="stretch")
    upload = st.file_uploader("Load a model saved from this page (.json or .npz)",
                              type=["json", "npz"], key=f"{key}_upload")
    result = None
    if upload is not None and st.session_state.get(f"{key}_seen") != (upload.name, upload.size):
        st.session_state[f"{key}_seen"] = (upload.name, upload.size)
        try:
            result = load(upload.getvalue(), page=page)
            st.session_state.pop(f"{key}_error", None)
        except ModelFileError as err:
            st.session_state[f"{key}_error"] = f"{upload.name}: {err}"
    if st.session_state.get(f"{key}_error"):
        st.error(st.session_state[f"{key}_error"] + "  \nNothing was changed.", icon="⚠️")
    return result
