"""The same 12-fit grid search serially, on loky processes and on a 2-worker Dask cluster.

    pip install -e ".[distributed]"
    python examples/distributed_search.py

Prints each wall time, whether the scores equal the serial ones, and how many
engines each Dask worker compiled (and reused). Every worker bounds its
TensorFlow/XLA thread pools to one thread (``SKLSTM_NUM_THREADS=1``), so two
workers use the two cores of this machine without oversubscribing them. To
use a real cluster, pass its scheduler address: ``--scheduler tcp://host:8786``.
"""

import argparse
import os
import time

import numpy as np
from joblib import parallel_backend
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline

from sklstm import LSTMForecaster, SlidingWindowTransformer
from sklstm.parallel import engine_cache_info

# 2 x 2 candidates x 3 folds = 12 fits
GRID = {"slidingwindowtransformer__n_steps_in": [12, 24],
        "lstmforecaster__architecture": ["vanilla", "stacked"]}


def search(n_jobs):
    t = np.arange(600)
    series = np.sin(2 * np.pi * t / 50) + np.random.RandomState(0).normal(0, 0.1, 600)
    X, y = SlidingWindowTransformer().align(series)
    pipe = make_pipeline(SlidingWindowTransformer(history="continue"),
                         LSTMForecaster(units=32, activation="tanh", epochs=30, random_state=0))
    return GridSearchCV(pipe, GRID, cv=TimeSeriesSplit(3), n_jobs=n_jobs).fit(X, y)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scheduler", default=None, help="address of an existing Dask scheduler")
    args = parser.parse_args(argv)
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise SystemExit('this example needs Dask: pip install -e ".[distributed]"') from None

    # loky workers inherit this variable: one framework thread each
    os.environ.setdefault("SKLSTM_NUM_THREADS", "1")
    timings = {}
    start = time.perf_counter()
    serial = search(1)
    timings["n_jobs=1"] = (time.perf_counter() - start, True)
    start = time.perf_counter()
    with parallel_backend("loky"):
        loky = search(2)
    timings["n_jobs=2 (loky)"] = (time.perf_counter() - start,
                                  np.array_equal(loky.cv_results_["mean_test_score"],
                                                 serial.cv_results_["mean_test_score"]))
    cluster = None
    if args.scheduler is None:
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               dashboard_address=None, env={"SKLSTM_NUM_THREADS": "1"})
    with Client(args.scheduler or cluster) as client:
        client.run(lambda: __import__("sklstm"))  # workers import TensorFlow before timing
        start = time.perf_counter()
        with parallel_backend("dask"):
            dask = search(-1)
        timings["Dask, 2 workers"] = (time.perf_counter() - start,
                                      np.array_equal(dask.cv_results_["mean_test_score"],
                                                     serial.cv_results_["mean_test_score"]))
        caches = client.run(engine_cache_info)
    if cluster is not None:
        cluster.close()
    print("12-fit GridSearchCV (2 windows x 2 architectures x 3 folds, LSTM(32), 30 epochs)")
    print(f"{'run':18s} {'wall s':>7s}  scores equal to n_jobs=1")
    for name, (wall, same) in timings.items():
        print(f"{name:18s} {wall:7.1f}  {same}")
    for address, info in caches.items():
        print(f"worker {address}: {info['compiles']} engines compiled, {info['hits']} fits reused one")


if __name__ == "__main__":
    main()
