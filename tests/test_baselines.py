"""Persistence and seasonal persistence on the same windows as the LSTM."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline

from sklstm import PersistenceForecaster, RelativeRegressor, SlidingWindowTransformer as SWT


def test_persistence_is_last_value(raw_seq):
    X, y = SWT(n_steps_in=3).split(raw_seq)
    assert_array_equal(PersistenceForecaster().fit(X, y).predict(X), [30, 40, 50, 60, 70, 80])


def test_seasonal_persistence_one_season_ago():
    series = np.tile([1.0, 2.0, 3.0, 4.0], 4)  # season of 4
    X, y = SWT(n_steps_in=4).split(series)
    pred = PersistenceForecaster(season_length=4).fit(X, y).predict(X)
    assert_array_equal(pred, y)  # a purely seasonal series is forecast exactly


def test_seasonal_multi_step_wraps_the_season():
    series = np.arange(20, dtype=float)
    X, y = SWT(n_steps_in=3, n_steps_out=5).split(series)
    pred = PersistenceForecaster(season_length=2).fit(X, y).predict(X[:1])  # window 0,1,2
    # h=1 -> t-1, h=2 -> t, h=3 -> t-1, h=4 -> t, h=5 -> t-1
    assert_array_equal(pred, [[1, 2, 1, 2, 1]])


def test_parallel_series_each_persisted(dataset):
    X, y = SWT(n_steps_in=3, n_steps_out=2).split(dataset)
    pred = PersistenceForecaster().fit(X, y).predict(X)
    assert pred.shape == (5, 2, 3)
    assert_array_equal(pred[0], [[30, 35, 65], [30, 35, 65]])


def test_row_aligned_pipeline_with_flat_windows(raw_seq):
    X, y = SWT().align(np.asarray(raw_seq, dtype=float))
    pipe = make_pipeline(SWT(n_steps_in=3), PersistenceForecaster())
    assert_array_equal(pipe.fit(X, y).predict(X), X.ravel())


def test_ridge_on_the_same_windows(raw_seq):
    X, y = SWT().align(np.asarray(raw_seq, dtype=float))
    pipe = make_pipeline(SWT(n_steps_in=3, history="restart"), Ridge(alpha=1e-6)).fit(X[2:], y[2:])
    assert pipe.predict([[70.0], [80.0], [90.0]])[-1] == pytest.approx(100, abs=0.5)


def test_season_longer_than_window():
    with pytest.raises(ValueError, match="season_length=12 is longer than the window"):
        PersistenceForecaster(season_length=12).fit(np.zeros((5, 3)), np.zeros(5))


def test_target_shape_must_match_series():
    with pytest.raises(ValueError, match="cannot be read from windows of 2 series"):
        PersistenceForecaster().fit(np.zeros((5, 3, 2)), np.zeros((5, 3)))


def test_target_feature_outside_the_window_is_refused():
    # RelativeRegressor raised a bare IndexError from inside the window arithmetic
    for bad in (2, -3):
        with pytest.raises(ValueError, match=f"target_feature={bad} is not a series"):
            PersistenceForecaster(target_feature=bad).fit(np.zeros((5, 3, 2)), np.zeros(5))
        with pytest.raises(ValueError, match=f"target_feature={bad} is not a series"):
            RelativeRegressor(PersistenceForecaster(), target_feature=bad).fit(
                np.zeros((5, 3, 2)), np.zeros(5))
    model = PersistenceForecaster(target_feature=-1).fit(np.arange(30.0).reshape(5, 3, 2),
                                                         np.zeros(5))
    np.testing.assert_array_equal(model.predict(np.arange(6.0).reshape(1, 3, 2)), [5.0])


@pytest.mark.parametrize("dtype", [np.float64, np.int64])
def test_persistence_keeps_large_values_exact(dtype):
    # above 2**24 float32 rounds: 123456827 came back as 123456824 when windows were float32
    series = (123456789 + np.arange(40)).astype(dtype)
    X, y = SWT(n_steps_in=3).split(series)
    pred = PersistenceForecaster().fit(X, y).predict(X)
    assert_array_equal(pred, X[:, -1, 0])
    assert pred.dtype == np.float64


def test_sample_weight_is_checked_and_changes_nothing(raw_seq):
    X, y = SWT(n_steps_in=3).split(raw_seq)
    weighted = PersistenceForecaster().fit(X, y, sample_weight=np.arange(len(X), dtype=float))
    assert_array_equal(weighted.predict(X), PersistenceForecaster().fit(X, y).predict(X))
    for bad in (np.ones(len(X) + 1), -np.ones(len(X))):
        with pytest.raises(ValueError, match="sample_weight"):
            PersistenceForecaster().fit(X, y, sample_weight=bad)
