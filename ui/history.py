"""What a run remembers of its past: a bounded record of numbers per snapshot."""
import numpy as np


class History:
    """A bounded record of scalars (or small arrays) per snapshot.

    It keeps at most ``capacity`` points: when full, every other point is dropped and from then
    on only every ``stride``-th record is kept, so a run of any length draws the whole curve at a
    bounded cost (the newest point is always shown).
    """

    def __init__(self, capacity=600):
        self.capacity = capacity
        self.stride = 1
        self._count = 0
        self.rows = []
        self.last = None

    def add(self, **values):
        self.last = values
        if self._count % self.stride == 0:
            self.rows.append(values)
            if len(self.rows) >= self.capacity:
                self.rows = self.rows[::2]
                self.stride *= 2
        self._count += 1

    def __len__(self):
        return len(self.rows)

    def _view(self):
        """The kept rows and the newest, read once. A training thread may add a row meanwhile:
        the rows are copied first, then the newest taken (``add`` sets it first)."""
        rows = list(self.rows)
        last = self.last
        return rows if not rows or rows[-1] is last else rows + [last]

    @staticmethod
    def _stacked(rows, key):
        values = [r.get(key) for r in rows]
        if not values or all(v is None for v in values):
            return None
        return np.array([np.nan if v is None else v for v in values], dtype=float) \
            if np.ndim(values[0]) == 0 else np.array(values, dtype=float)

    def get(self, key):
        """The recorded values of ``key`` (plus the newest), stacked; None if never recorded."""
        return self._stacked(self._view(), key)

    def arrays(self, *keys, upto=None):
        """``get`` of each key, all from one reading of the record: the same points (those up
        to step ``upto`` only, if given: the record as an earlier frame of the run showed it)."""
        rows = self._view()
        if upto is not None:
            rows = [r for r in rows if r["step"] <= upto]
        return {k: self._stacked(rows, k) for k in keys}

    def to_csv(self):
        """The recorded scalars as CSV text (one row per kept point, vector values skipped)."""
        rows = self._view()
        keys = [k for k in (rows[0] if rows else {}) if np.ndim(rows[0][k]) == 0]
        lines = [",".join(keys)]
        for r in rows:
            lines.append(",".join("" if r.get(k) is None else repr(float(r[k])) if isinstance(
                r.get(k), (float, np.floating)) else str(r[k]) for k in keys))
        return "\n".join(lines) + "\n"


def snapshot_record(snap):
    """The scalars of a Snapshot that curves_figure draws."""
    return dict(step=snap.step, epoch=snap.epoch, train_loss=snap.train_loss,
                test_loss=snap.test_loss, train_accuracy=snap.train_accuracy,
                test_accuracy=snap.test_accuracy)
