"""xentlib: the helper library of the cross-entropy course.

One concept per module, names a student can guess:

* :mod:`xentlib.entropy`  -- entropy, cross-entropy, KL divergence, perplexity.
* :mod:`xentlib.softmax`  -- log-sum-exp, softmax, log-softmax, sigmoid, log-sigmoid (stable).
* :mod:`xentlib.losses`   -- softmax / sigmoid cross-entropy losses and their gradients.
* :mod:`xentlib.linear`   -- fused linear + cross-entropy without the full logit matrix.
* :mod:`xentlib.gradcheck` -- numerical gradients for checking analytic ones.
* :mod:`xentlib.coding`   -- optimal prefix codes: Huffman and Shannon code lengths, codewords.

Other modules (``xentlib.optim``, ``xentlib.models``, ``xentlib.data``, ...) and the
course content (``xentlib.course``: ``audit``, ``exercises``, ``explorers`` and one module
per chapter) are imported explicitly.

Every number printed in the course comes from here.
"""
__version__ = "0.1.0"

from .coding import code_lengths, expected_length, huffman_code, kraft_sum, prefix_code
from .entropy import (
    binary_cross_entropy,
    binary_entropy,
    cross_entropy,
    entropy,
    kl_divergence,
    perplexity,
)
from .gradcheck import numerical_gradient
from .linear import linear_cross_entropy
from .losses import focal_loss, sigmoid_binary_cross_entropy, softmax_cross_entropy
from .softmax import log_sigmoid, log_softmax, logsumexp, sigmoid, softmax

__all__ = [
    "__version__",
    "entropy",
    "cross_entropy",
    "kl_divergence",
    "binary_entropy",
    "binary_cross_entropy",
    "perplexity",
    "logsumexp",
    "softmax",
    "log_softmax",
    "sigmoid",
    "log_sigmoid",
    "softmax_cross_entropy",
    "sigmoid_binary_cross_entropy",
    "focal_loss",
    "linear_cross_entropy",
    "numerical_gradient",
    "huffman_code",
    "code_lengths",
    "prefix_code",
    "kraft_sum",
    "expected_length",
]
