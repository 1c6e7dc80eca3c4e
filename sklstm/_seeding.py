"""Seeds local to one fit: ``random_state`` makes a fit repeatable without global state.

Keras draws the seed of every initializer and RNN layer built without one
from Python's global ``random`` (``keras.random.make_default_seed``), and
Keras' own shuffling uses the backend's global seed. Seeding those globals
(the first round did, inside a save/restore block) makes a fit depend on
whatever another thread draws at the same moment: 5 of 8 threaded fits
differed from the same fit alone. So nothing here touches a global stream:
the builders give every random layer an explicit seed drawn from
:class:`SeedStream`, and batches are shuffled by a ``RandomState`` owned by
the fit.
"""

import numpy as np

__all__ = ["SeedStream", "fit_seed"]

_MAX_SEED = 2**31 - 1


def fit_seed(random_state):
    """An int seed for one fit, from ``None``, an int or a ``RandomState``.

    A ``RandomState`` is read, not advanced (its copy draws the seed), so the
    same estimator refits identically; ``None`` draws from the OS entropy pool,
    never from the caller's ``random`` or ``np.random`` streams.
    """
    if random_state is None:
        return int(np.random.default_rng().integers(_MAX_SEED))
    if isinstance(random_state, (int, np.integer)):
        return int(random_state)
    state = np.random.RandomState()
    state.set_state(random_state.get_state())
    return int(state.randint(_MAX_SEED))


class SeedStream:
    """Successive independent int seeds derived from one fit seed."""

    def __init__(self, seed):
        self._rng = np.random.RandomState(seed)

    def __call__(self):
        return int(self._rng.randint(_MAX_SEED))
