"""Seconds per epoch of 7,600 windows x 336 steps (a week of half-hourly data).

    KERAS_BACKEND=tensorflow python benchmarks/long_windows.py
    KERAS_BACKEND=jax python benchmarks/long_windows.py

LSTM(32, tanh), batch 32, one feature: raw Keras (``Sequential`` + ``fit``; on TensorFlow also
with XLA ``jit_compile``), sklstm's vanilla LSTM and a CNN-LSTM over 7 daily subsequences. Each is
timed on one epoch of 1,600 windows after a warm-up fit, scaled to 7,600.
"""

import time

import keras
import numpy as np

from sklstm import LSTMForecaster

N, STEPS, MEASURED = 7600, 336, 1600


def per_epoch(fit):
    fit(320)  # warm-up: compile and trace
    start = time.perf_counter()
    fit(MEASURED)
    return (time.perf_counter() - start) * N / MEASURED


def main():
    X = np.random.RandomState(0).normal(size=(N, STEPS, 1)).astype("float32")
    y = X[:, -1, 0] * 0.5
    backend = keras.backend.backend()
    rows = []
    for jit in ([False, True] if backend == "tensorflow" else [False]):
        model = keras.Sequential([keras.Input((STEPS, 1)), keras.layers.LSTM(32, activation="tanh"),
                                  keras.layers.Dense(1)])
        model.compile("adam", "mse", jit_compile=jit if backend == "tensorflow" else "auto")
        rows.append((f"raw Keras{' (jit_compile)' if jit else ''}",
                     per_epoch(lambda n, m=model: m.fit(X[:n], y[:n], batch_size=32, epochs=1,
                                                        verbose=0))))
    for name, params in (("sklstm vanilla", {}),
                         ("sklstm cnn_lstm, 7 subsequences", dict(architecture="cnn_lstm",
                                                                  n_seq=7, kernel_size=3))):
        model = LSTMForecaster(units=32, activation="tanh", epochs=1, random_state=0, **params)
        rows.append((name, per_epoch(lambda n, m=model: m.fit(X[:n], y[:n]))))
    print(f"backend: {backend}; seconds per epoch of {N} windows x {STEPS} steps")
    for name, seconds in rows:
        print(f"{name:34s} {seconds:6.1f}")


if __name__ == "__main__":
    main()
