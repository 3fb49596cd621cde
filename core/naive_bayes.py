"""Gaussian Naive Bayes: the generative model the lectures set beside logistic regression.

Naive Bayes models how the data is made, P(x, y) = P(y) prod_j P(x_j | y), with each
P(x_j | y) a normal distribution N(mu_yj, s_j^2). Logistic regression models only
P(y | x) = sigma(theta^T x). With one variance per feature shared by both classes, Naive Bayes'
P(y = 1 | x) is exactly a logistic function of x:

    log P(y=1|x) / P(y=0|x) = log(pi_1 / pi_0) + sum_j [(mu_1j - mu_0j) / s_j^2] x_j
                              - sum_j (mu_1j^2 - mu_0j^2) / (2 s_j^2)

so its boundary is a straight line too, but its theta comes from counting (means, variances,
class shares), not from climbing the likelihood of the labels. Being generative, it can also
*make* new points, which logistic regression cannot.
"""
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class GaussianNaiveBayes:
    """Fitted Gaussian Naive Bayes for two classes (labels 0 and 1).

    ``prior`` (2,), ``mean`` (2, m), ``var`` (2, m): per-class variances, or the same row twice
    when they are shared (pooled over both classes).
    """
    prior: np.ndarray
    mean: np.ndarray
    var: np.ndarray
    shared: bool

    @classmethod
    def fit(cls, X, y, shared=True, var_smoothing=1e-9):
        """Class shares, per-class means and (shared or per-class) variances of X."""
        X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
        classes = np.unique(y)
        if not np.array_equal(classes, [0, 1]):
            raise ValueError(f"Naive Bayes here is for the labels 0 and 1; got {classes[:5]!r}.")
        parts = [X[y == k] for k in (0, 1)]
        prior = np.array([len(p) for p in parts], dtype=np.float64) / len(X)
        mean = np.array([p.mean(axis=0) for p in parts])
        if shared:
            pooled = sum(((p - mu) ** 2).sum(axis=0) for p, mu in zip(parts, mean)) / len(X)
            var = np.vstack([pooled, pooled])
        else:
            var = np.array([p.var(axis=0) for p in parts])
        var = var + var_smoothing * X.var(axis=0).max()  # as scikit-learn keeps it above zero
        return cls(prior, mean, var, bool(shared))

    def joint_log_likelihood(self, X):
        """log P(x, y) for y = 0, 1: shape (n, 2)."""
        X = np.asarray(X, dtype=np.float64)
        out = np.empty((len(X), 2))
        for k in (0, 1):
            out[:, k] = (np.log(self.prior[k]) - 0.5 * np.log(2 * np.pi * self.var[k]).sum()
                         - 0.5 * (((X - self.mean[k]) ** 2) / self.var[k]).sum(axis=1))
        return out

    def predict_proba(self, X):
        """P(y | x) by Bayes' rule, shape (n, 2); rows sum to 1."""
        jll = self.joint_log_likelihood(X)
        jll -= jll.max(axis=1, keepdims=True)
        p = np.exp(jll)
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, X):
        return self.predict_proba(X).argmax(axis=1)

    @property
    def theta(self):
        """With shared variances, the logistic regression weights (intercept first) that give
        the same P(y = 1 | x); None with per-class variances (the boundary is then curved)."""
        if not self.shared:
            return None
        s2 = self.var[0]
        weights = (self.mean[1] - self.mean[0]) / s2
        bias = (np.log(self.prior[1] / self.prior[0])
                - ((self.mean[1] ** 2 - self.mean[0] ** 2) / (2 * s2)).sum())
        return np.r_[bias, weights]

    def sample(self, n, random_state=None):
        """New points drawn from the model: a class by its share, then each feature from its
        normal distribution. Returns (X (n, m), y (n,))."""
        rng = np.random.default_rng(random_state)
        y = (rng.random(n) < self.prior[1]).astype(int)
        X = self.mean[y] + rng.normal(size=(n, self.mean.shape[1])) * np.sqrt(self.var[y])
        return X, y
