"""Download a trained model and its history; upload a model file back onto its page."""
import streamlit as st

from core.persistence import ModelFileError, load, to_json, to_npz


def model_io(run, name, page, data_settings, key):
    """Download buttons for ``run``'s model ``name`` and an uploader.

    The files are built when a button is clicked, from the newest snapshot: the weights and step
    on screen at that moment, even while training goes on (and nothing is serialised on the
    page's reruns). Returns ``(model, meta)`` when a valid file for this page was just uploaded,
    else None; a bad file shows its reason and changes nothing.
    """
    model = run.trainers[name].model
    stem = f"{page}-{name.replace(' ', '_')}"
    if run.error:
        st.warning("Training diverged, so there is no model worth saving: press **Reset** "
                   "first.", icon="⚠️")
    else:
        c1, c2, c3 = st.columns(3)
        c1.download_button("⬇ Model as JSON", lambda: to_json(model, page, data_settings, run.latest[name]),
                           file_name=f"{stem}.json", mime="application/json", key=f"{key}_json",
                           width="stretch", on_click="ignore")
        c2.download_button("⬇ Model as .npz", lambda: to_npz(model, page, data_settings, run.latest[name]),
                           file_name=f"{stem}.npz", mime="application/octet-stream",
                           key=f"{key}_npz", width="stretch", on_click="ignore")
        c3.download_button("⬇ Training history (CSV)", run.histories[name].to_csv,
                           file_name=f"{stem}-history.csv", mime="text/csv", key=f"{key}_csv",
                           width="stretch", on_click="ignore")
    upload = st.file_uploader("Load a model saved from this page (.json or .npz)",
                              type=["json", "npz"], key=f"{key}_upload")
    seen = f"{key}_seen"
    result = None
    if upload is None:
        st.session_state.pop(seen, None)  # the same file uploaded again is read again
        st.session_state.pop(f"{key}_error", None)
    elif st.session_state.get(seen) != (upload.name, upload.size):
        st.session_state[seen] = (upload.name, upload.size)
        try:
            result = load(upload.getvalue(), page=page)
            st.session_state.pop(f"{key}_error", None)
        except ModelFileError as err:
            st.session_state[f"{key}_error"] = f"{upload.name}: {err}"
    if st.session_state.get(f"{key}_error"):
        st.error(st.session_state[f"{key}_error"] + "  \nNothing was changed.", icon="⚠️")
    return result
