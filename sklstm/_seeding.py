"""Scoped seeding so that ``random_state`` makes a fit repeatable on any backend."""

import contextlib
import random

import keras
import numpy as np


@contextlib.contextmanager
def seeded(seed, *, framework=False):
    """Seed Python and NumPy for the block (and the backend if asked), then restore.

    Keras draws each unseeded initializer's seed from Python's ``random``, so
    seeding it makes initial weights repeatable without leaving the caller's
    global random state changed. ``framework=True`` also seeds the backend
    (``keras.utils.set_random_seed``), for Keras' own shuffling in its
    per-epoch loop. That is kept out of the fused path, which shuffles with
    NumPy: on TensorFlow, setting the seed flushes the compiled-function
    caches, which cost the next fit ~0.4 s to rebuild. TensorFlow's op
    determinism (which SciKeras switches on) is not used either: on CPU the
    ops of these models are deterministic already (tests fit twice and
    compare bit for bit), and it slowed a W2 fit by 40%.
    """
    if seed is None:
        yield
        return
    py_state, np_state = random.getstate(), np.random.get_state()
    tf_seed = _tf_global_seed() if framework else None
    try:
        if framework:
            keras.utils.set_random_seed(seed)
        else:
            random.seed(seed)
            np.random.seed(seed)
        yield
    finally:
        random.setstate(py_state)
        np.random.set_state(np_state)
        if framework and keras.backend.backend() == "tensorflow":
            import tensorflow as tf

            tf.random.set_seed(tf_seed)


def _tf_global_seed():
    if keras.backend.backend() != "tensorflow":
        return None
    from tensorflow.python.eager import context

    return context.global_seed()


def integer_seed(random_state):
    """An int seed from ``None``, an int or a ``RandomState`` (not advanced)."""
    if random_state is None or isinstance(random_state, (int, np.integer)):
        return None if random_state is None else int(random_state)
    state = np.random.RandomState()
    state.set_state(random_state.get_state())
    return int(state.randint(np.iinfo(np.int32).max))
