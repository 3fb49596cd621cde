"""Exceptions that a page can show to the user as they are, and how their messages quote input."""
import reprlib


class TrainingDiverged(ArithmeticError):
    """Raised when a loss or a weight stops being finite during training.

    Attributes
    ----------
    step : int
        The gradient step (1-based, counted since the model was initialised) that diverged.
    learning_rate : float
        The learning rate in use at that step.
    """

    def __init__(self, step, learning_rate, what="the loss"):
        self.step = int(step)
        self.learning_rate = float(learning_rate)
        super().__init__(
            f"Training diverged at step {self.step}: {what} became infinite or NaN "
            f"with learning rate {self.learning_rate:g}. Reset and try a smaller learning rate "
            f"(for example {self.learning_rate / 10:g})."
        )


class EmptyDrawingError(ValueError):
    """The drawing has no ink, so there is no digit to classify."""


class DataUnavailable(OSError):
    """A data set could not be found locally nor downloaded; the message says how to get it.

    ``summary`` is what happened in one sentence (where it was looked for, why a download
    failed), for a caption that has no room for the advice."""

    def __init__(self, message, summary=None):
        super().__init__(message)
        self.summary = summary or message


class _Short(reprlib.Repr):
    """reprlib's bounded repr, with ints too long to print (over 4300 digits) described."""

    def repr_int(self, x, level):
        if x.bit_length() > 10_000:
            return f"<a number of about {x.bit_length() * 0.30103:.0f} digits>"
        return super().repr_int(x, level)


def excerpt(value, limit=40):
    """A short, escaped quote of an untrusted value, safe to put in a message.

    ``repr`` escapes quotes, control characters and invisible ones; long strings, numbers with
    many digits and long lists are cut in the middle (``'abc...xyz'``), without ever building
    the whole repr of a huge value. At most about ``limit`` characters.
    """
    r = _Short()
    r.maxstring = r.maxother = r.maxlong = limit
    r.maxlist = r.maxtuple = r.maxdict = r.maxset = r.maxarray = 4
    r.maxlevel = 2
    text = r.repr(value)
    return text if len(text) <= limit + 10 else text[:limit // 2] + "..." + text[-(limit // 2):]
