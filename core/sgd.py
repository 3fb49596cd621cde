"""Full batch, minibatch and one-example gradients, side by side, as the lectures compare them.

The full gradient of the mean log-likelihood is the average of the examples' own gradients,

    d(LL/n)/dtheta = (1/n) sum_i (y_i - sigma(theta^T x_i)) x_i,

so the gradient of one example drawn at random is a noisy estimate whose expectation is exactly
the full gradient (and a minibatch's average, with less noise). Each noisy step is n times
cheaper; measured in examples processed, many cheap noisy steps usually beat few exact ones.
"""
import numpy as np

from .logistic import LogisticRegression, add_intercept, gradient_contributions
from .trainer import Trainer


def example_gradients(theta, X, y):
    """Every training example's own gradient of its log-likelihood, (n, m + 1): the noisy
    steps SGD takes. Their mean is the full gradient."""
    theta = np.asarray(theta, dtype=float).reshape(-1, 1)
    Y = np.asarray(y, dtype=float).reshape(-1, 1)
    return gradient_contributions(theta, add_intercept(X), Y)[:, :, 0]


def compare_batch_sizes(X, y, learning_rate, epochs=10, batch_sizes=(None, 16, 1),
                        random_state=0):
    """Train from theta = 0 with each batch size for the same number of passes over the data.

    Returns
    -------
    dict batch size -> (examples processed, training loss -LL/n), arrays with one entry per
    step (and one at the start), so the curves can be drawn against the work done.
    """
    curves = {}
    n = len(X)
    for batch in batch_sizes:
        model = LogisticRegression(learning_rate=learning_rate, batch_size=batch,
                                   max_iter=10**9, tol=0, random_state=random_state)
        trainer = Trainer(model, X, y)
        steps_per_epoch = 1 if batch is None else -(-n // min(batch, n))
        seen, loss = [0], [trainer.snapshot().train_loss]
        for _ in range(epochs * steps_per_epoch):
            snap = trainer.run(1)
            seen.append(snap.examples_seen)
            loss.append(snap.train_loss)
        curves[batch] = (np.array(seen), np.array(loss))
    return curves
