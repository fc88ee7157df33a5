"""xentlib: the helper library of the cross-entropy course.

One concept per module, names a student can guess:

* :mod:`xentlib.entropy`  -- entropy, cross-entropy, KL divergence.
* :mod:`xentlib.losses`   -- softmax / sigmoid cross-entropy losses and their gradients.

Every number printed in the course comes from here.
"""
__version__ = "0.1.0"
