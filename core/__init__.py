"""Neural Playground's learning engine: pure numpy models, data, step-by-step training.

Nothing here imports Streamlit or Plotly, so every page, test and benchmark calls one engine.
"""
from .datasets import (DATASETS, Dataset2D, Digits, load_digits8, load_mnist, make_dataset,
                       mnist_help, points_from_csv, split)
from .digits import DigitInput, drawing_to_input
from .errors import DataUnavailable, EmptyDrawingError, TrainingDiverged
from .logistic import LogisticRegression
from .mlp import MLPClassifier, xor_by_hand
from .surface import Grid, make_grid, probability_surface
from .trainer import Snapshot, Trainer, train

__all__ = [
    "DATASETS", "Dataset2D", "Digits", "load_digits8", "load_mnist", "make_dataset", "mnist_help",
    "split", "DigitInput", "drawing_to_input", "DataUnavailable", "EmptyDrawingError",
    "TrainingDiverged", "LogisticRegression", "MLPClassifier", "xor_by_hand", "points_from_csv", "Grid", "make_grid",
    "probability_surface", "Snapshot", "Trainer", "train",
]
