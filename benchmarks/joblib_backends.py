"""Wall time and agreement of one grid search under each joblib backend.

The same 4-candidate x 3-fold GridSearchCV of an LSTM pipeline (W2-sized
data: a 600-point noisy sine, windows of 24, 30 epochs) runs serially, with
``n_jobs=2`` on loky (processes) and with ``n_jobs=2`` on threads. Prints
each wall time and whether its ``cv_results_`` scores equal the serial ones
bit for bit (``random_state`` is fixed).

    python benchmarks/joblib_backends.py
"""

import time

import numpy as np
from joblib import parallel_backend
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline

from sklstm import LSTMForecaster, SlidingWindowTransformer

GRID = {"lstmforecaster__units": [16, 32], "lstmforecaster__learning_rate": [1e-3, 3e-3]}


def search(n_jobs):
    t = np.arange(600)
    series = np.sin(2 * np.pi * t / 50) + np.random.RandomState(0).normal(0, 0.1, 600)
    X, y = SlidingWindowTransformer().align(series)
    pipe = make_pipeline(SlidingWindowTransformer(24, history="continue"),
                         LSTMForecaster(activation="tanh", epochs=30, random_state=0))
    return GridSearchCV(pipe, GRID, cv=TimeSeriesSplit(3), n_jobs=n_jobs).fit(X, y)


def main():
    runs = {}
    for name, backend, n_jobs in (("serial", None, 1), ("loky", "loky", 2),
                                  ("threading", "threading", 2)):
        start = time.perf_counter()
        if backend is None:
            result = search(n_jobs)
        else:
            with parallel_backend(backend):
                result = search(n_jobs)
        runs[name] = (time.perf_counter() - start, result.cv_results_["mean_test_score"])
    serial = runs["serial"][1]
    print("backend     wall (s)   scores equal to serial")
    for name, (wall, scores) in runs.items():
        print(f"{name:10s} {wall:8.1f}   {np.array_equal(scores, serial)}")


if __name__ == "__main__":
    main()
