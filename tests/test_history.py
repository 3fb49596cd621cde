"""ui.history.History: a run's record, read by the page while a worker thread adds to it."""
import sys
import threading

import numpy as np

from ui.history import History


def test_it_keeps_a_bounded_record_with_the_newest_point_last():
    h = History(capacity=8)
    for i in range(100):
        h.add(step=i, loss=1.0 / (i + 1))
    steps = h.get("step")
    assert len(steps) <= 9 and steps[0] == 0 and steps[-1] == 99
    assert np.all(np.diff(steps) > 0)


def test_arrays_read_while_a_worker_adds_rows_have_one_length():
    """The digit page's live frames read the curves' arrays while the training thread adds
    rows: every array of one read must describe the same points (a step array one longer than
    its mask's broke the page once in CI: "boolean index did not match indexed array")."""
    h = History()  # 600 points at most: every read is short
    h.add(step=0, train_loss=1.0, test_loss=1.0)
    stop = threading.Event()

    def worker():
        for i in range(1, 10**7):
            if stop.is_set():
                return
            h.add(step=i, train_loss=1.0 / i, test_loss=1.0 / i)

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # hand the GIL over as often as possible
    thread = threading.Thread(target=worker, daemon=True)
    thread.start()
    try:
        mismatched = 0
        for _ in range(3000):
            arrays = h.arrays("step", "train_loss", "test_loss")
            lengths = {len(v) for v in arrays.values()}
            mismatched += len(lengths) > 1
            steps = arrays["step"]
            assert np.all(np.diff(steps) > 0), "the newest point out of order"
    finally:
        stop.set()
        thread.join()
        sys.setswitchinterval(old)
    assert mismatched == 0, f"{mismatched} of 3000 reads gave arrays of different lengths"
