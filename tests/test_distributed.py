"""Grid searches on a Dask cluster through joblib's "dask" backend (issue 11).

Marked ``distributed``: the default run leaves it out (a cluster takes
seconds to start); ``.ci/run`` installs the ``distributed`` extra and runs it.
"""

import os
import signal
import threading
import time

import numpy as np
import pytest
from joblib import parallel_backend
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline

from sklstm import LSTMForecaster, SlidingWindowTransformer as SWT
from sklstm.parallel import engine_cache_info

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.distributed

SERIES = np.sin(np.arange(200) / 6.0) + np.random.RandomState(0).normal(0, 0.1, 200)
GRID = {"slidingwindowtransformer__n_steps_in": [4, 6], "lstmforecaster__units": [4, 8]}


def search():
    pipe = make_pipeline(SWT(history="continue"),
                         LSTMForecaster(activation="tanh", epochs=4, random_state=0))
    return GridSearchCV(pipe, GRID, cv=TimeSeriesSplit(3), n_jobs=-1)


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None,
                                       env={"SKLSTM_NUM_THREADS": "1"})
    with distributed.Client(cluster) as client:
        yield client
    cluster.close()


@pytest.fixture(scope="module")
def serial():
    return search().set_params(n_jobs=1).fit(*SWT().align(SERIES))


def test_dask_search_matches_serial(client, serial):
    with parallel_backend("dask"):
        result = search().fit(*SWT().align(SERIES))
    assert result.best_params_ == serial.best_params_
    for key in ("mean_test_score", "split0_test_score", "split2_test_score"):
        np.testing.assert_array_equal(result.cv_results_[key], serial.cv_results_[key])
    info = client.run(engine_cache_info)
    assert len(info) == 2
    # 4 configurations x 3 folds (fold sizes differ, so each fold has its own engine);
    # every fit ran on a worker and the workers' caches were used
    assert sum(i["compiles"] + i["hits"] for i in info.values()) >= 12
    threads = client.run(lambda: os.environ.get("SKLSTM_NUM_THREADS"))
    assert set(threads.values()) == {"1"}


def test_killed_worker_fails_loudly_or_retries(client, serial):
    outcome = {}

    def run():
        try:
            with parallel_backend("dask"):
                outcome["result"] = search().fit(*SWT().align(SERIES))
        except Exception as exc:  # a loud failure is an acceptable outcome
            outcome["error"] = exc

    worker = threading.Thread(target=run)
    worker.start()
    time.sleep(3)  # the search is under way
    pid = next(iter(client.run(os.getpid).values()))
    os.kill(pid, signal.SIGKILL)
    worker.join(timeout=600)
    assert not worker.is_alive()
    if "error" in outcome:
        return
    result = outcome["result"]  # retried on the restarted or the other worker: complete
    assert np.isfinite(result.cv_results_["mean_test_score"]).all()
    np.testing.assert_array_equal(result.cv_results_["mean_test_score"],
                                  serial.cv_results_["mean_test_score"])
