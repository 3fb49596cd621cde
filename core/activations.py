"""Activation functions, each written next to its derivative.

The derivatives are expressed through the activation's *output* ``h`` rather than its input
``z``, because backpropagation already holds ``h`` from the forward pass:

    sigma'(z) = sigma(z) (1 - sigma(z)) = h (1 - h)      (the lectures' "beautiful slope")
    tanh'(z)  = 1 - tanh(z)^2           = 1 - h^2
    relu'(z)  = 1[z > 0]                = 1[h > 0]

The ``*_inplace`` variants overwrite their argument; the fast training step (core/fast_step.py)
uses them on preallocated buffers so that a step allocates almost nothing.
"""
import numpy as np


def sigmoid(z):
    """sigma(z) = 1 / (1 + e^-z), computed without overflow for any z."""
    z = np.asarray(z)
    # exp(-|z|) never overflows; pick the algebraically equal branch for each sign.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_inplace(z):
    """Overwrite z with sigma(z); 0.5 (1 + tanh(z / 2)) is the same function and cannot overflow."""
    z *= 0.5
    np.tanh(z, out=z)
    z += 1.0
    z *= 0.5
    return z


def sigmoid_derivative(h):
    """d sigma / dz written with the output h = sigma(z)."""
    return h * (1.0 - h)


def tanh(z):
    return np.tanh(z)


def tanh_inplace(z):
    return np.tanh(z, out=z)


def tanh_derivative(h):
    return 1.0 - h * h


def relu(z):
    return np.maximum(z, 0.0)


def relu_inplace(z):
    return np.maximum(z, 0.0, out=z)


def relu_derivative(h):
    return (h > 0).astype(h.dtype)


def softmax(z):
    """softmax over the last axis, shifted by the row maximum so exp never overflows."""
    z = np.asarray(z)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(z):
    """log softmax(z) by log-sum-exp: exact even where softmax itself underflows to 0."""
    z = np.asarray(z)
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def log_sigmoid(z):
    """log sigma(z) = -log(1 + e^-z), exact for large |z|."""
    return -np.logaddexp(0.0, -np.asarray(z))


def linear(z):
    """g(z) = z: a layer of linear units. Stacked linear layers are one linear map, so a
    network of them can only draw a straight boundary (TF Playground's "Linear")."""
    return np.asarray(z)


def linear_inplace(z):
    return z


def linear_derivative(h):
    return np.ones_like(h)


# name -> function, in-place function, derivative from the output
ACTIVATIONS = {"sigmoid": sigmoid, "tanh": tanh, "relu": relu, "linear": linear}
ACTIVATIONS_INPLACE = {"sigmoid": sigmoid_inplace, "tanh": tanh_inplace, "relu": relu_inplace,
                       "linear": linear_inplace}
DERIVATIVES = {"sigmoid": sigmoid_derivative, "tanh": tanh_derivative, "relu": relu_derivative,
               "linear": linear_derivative}
