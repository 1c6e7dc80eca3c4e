"""Scoped seeding so that ``random_state`` makes a fit repeatable on any backend."""

import contextlib
import random

import keras
import numpy as np


@contextlib.contextmanager
def seeded(seed):
    """Seed Python, NumPy and the Keras backend for the block, then restore.

    Keras draws initial weights from global generators, so a scoped seed is
    the only way to make one fit repeatable without leaving the caller's
    global random state changed. TensorFlow's op determinism (which SciKeras
    switches on) is not: on CPU the ops of these models are deterministic
    already (tests fit twice and compare bit for bit), and it slowed a W2
    fit by 40%.
    """
    if seed is None:
        yield
        return
    py_state, np_state = random.getstate(), np.random.get_state()
    tf_seed = _tf_global_seed()
    try:
        keras.utils.set_random_seed(seed)
        yield
    finally:
        random.setstate(py_state)
        np.random.set_state(np_state)
        if keras.backend.backend() == "tensorflow":
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
