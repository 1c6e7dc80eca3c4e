"""Scoped seeding so that ``random_state`` makes a fit repeatable on any backend."""

import contextlib
import random

import keras
import numpy as np


@contextlib.contextmanager
def seeded(seed):
    """Seed Python, NumPy and the Keras backend for the block, then restore.

    Keras draws initial weights and shuffles from global generators, so a
    scoped seed is the only way to make one fit repeatable without leaving
    the caller's global random state changed. On TensorFlow, op determinism
    is switched on for the block as well (SciKeras' own helper does both).
    """
    if seed is None:
        yield
        return
    py_state, np_state = random.getstate(), np.random.get_state()
    if keras.backend.backend() == "tensorflow":
        from scikeras.utils.random_state import tensorflow_random_state

        ctx = tensorflow_random_state(seed)
    else:
        ctx = contextlib.nullcontext()
    try:
        with ctx:
            keras.utils.set_random_seed(seed)
            yield
    finally:
        random.setstate(py_state)
        np.random.set_state(np_state)


def integer_seed(random_state):
    """An int seed from ``None``, an int or a ``RandomState`` (not advanced)."""
    if random_state is None or isinstance(random_state, (int, np.integer)):
        return None if random_state is None else int(random_state)
    state = np.random.RandomState()
    state.set_state(random_state.get_state())
    return int(state.randint(np.iinfo(np.int32).max))
