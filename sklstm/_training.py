"""Training and inference loops behind LSTMForecaster."""

import numpy as np

from ._seeding import seeded


def train(estimator, X, y, *, epochs, initial_epoch, seed):
    """Run Keras ``fit`` for ``epochs`` epochs; return the history dict."""
    with seeded(seed):
        history = estimator.model_.fit(
            X, y,
            batch_size=estimator.batch_size,
            epochs=initial_epoch + epochs,
            initial_epoch=initial_epoch,
            shuffle=estimator.shuffle,
            validation_split=estimator.validation_split,
            callbacks=estimator._fit_callbacks,
            verbose=estimator.verbose,
        )
    return history.history


def predict_windows(model, X, batch_size):
    """Model outputs for ``X``.

    Small inputs (the one-window calls of a recursive forecast) go through
    ``predict_on_batch`` padded to one fixed batch shape: ``Model.predict``
    costs ~50 ms per call on TensorFlow for setting up its data pipeline, and
    every new batch shape would cost a retrace.
    """
    n = len(X)
    if n <= batch_size:
        padded = np.zeros((batch_size, *X.shape[1:]), dtype=X.dtype)
        padded[:n] = X
        return np.asarray(model.predict_on_batch(padded))[:n]
    return np.asarray(model.predict(X, batch_size=batch_size, verbose=0))
