"""Exceptions that a page can show to the user as they are."""


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
    """A data set could not be found locally nor downloaded; the message says how to get it."""
