"""Prediction intervals: split-conformal residuals per horizon step from walk-forward refits."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline

from sklstm import LSTMForecaster, PersistenceForecaster, SlidingWindowTransformer as SWT, forecast


def random_walk(n=300, seed=0):
    return np.cumsum(np.random.RandomState(seed).normal(0, 1, n))


def test_bounds_are_ordered_and_widen_with_the_horizon():
    series = pd.Series(random_walk(), index=pd.date_range("2000-01-01", periods=300, freq="D"))
    framing = SWT(5)
    model = PersistenceForecaster().fit(*framing.split(series))
    out = forecast(model, series, 6, framing=framing, coverage=[0.8, 0.95], n_origins=60)
    assert list(out.columns) == ["forecast", "forecast_lower_80", "forecast_upper_80",
                                 "forecast_lower_95", "forecast_upper_95"]
    assert (out["forecast_lower_95"] <= out["forecast_lower_80"]).all()
    assert (out["forecast_lower_80"] <= out["forecast"]).all()
    assert (out["forecast"] <= out["forecast_upper_80"]).all()
    assert (out["forecast_upper_80"] <= out["forecast_upper_95"]).all()
    width = out["forecast_upper_80"] - out["forecast_lower_80"]
    assert width.iloc[-1] > 1.5 * width.iloc[0]  # a random walk's error grows like sqrt(h)
    assert_allclose(out["forecast"], forecast(model, series, 6, framing=framing))


def test_coverage_on_ar1_within_five_points_over_200_origins():
    rng = np.random.RandomState(1)
    n = 800
    y = np.zeros(n)
    for t in range(1, n):
        y[t] = 0.7 * y[t - 1] + rng.normal()
    hits = {0.8: [], 0.95: []}
    for origin in range(n - 200, n):
        history = y[:origin]
        rows = SWT().align(history)
        model = make_pipeline(SWT(3, history="restart"), Ridge(alpha=1e-3)).fit(*rows)
        out = forecast(model, history, 1, coverage=[0.8, 0.95], n_origins=39)
        for i, level in enumerate((0.8, 0.95)):
            hits[level].append(out[0, 1 + 2 * i] <= y[origin] <= out[0, 2 + 2 * i])
    for level, got in hits.items():
        assert abs(np.mean(got) - level) <= 0.05, (level, np.mean(got))


def test_parallel_series_get_bounds_per_series_and_step(frame):
    data = frame + np.random.RandomState(0).normal(0, 1, frame.shape)
    data = pd.concat([data] * 4, ignore_index=True)
    data.index = pd.date_range("2021-01-01", periods=len(data), freq="h")
    framing = SWT(3)
    model = PersistenceForecaster().fit(*framing.split(data))
    out = forecast(model, data, 2, framing=framing, coverage=0.9, n_origins=20)
    assert list(out.columns) == ["in1", "in1_lower_90", "in1_upper_90", "in2", "in2_lower_90",
                                 "in2_upper_90", "out", "out_lower_90", "out_upper_90"]
    assert out.index[0] == data.index[-1] + pd.Timedelta("1h")


@pytest.mark.parametrize("index, first", [
    (pd.date_range("2000-01-01", periods=60, freq="MS"), pd.Timestamp("2005-01-01")),
    (pd.date_range("2000-01-01", periods=60, freq="D"), pd.Timestamp("2000-03-01")),
    (pd.date_range("2000-01-01", periods=60, freq="h"), pd.Timestamp("2000-01-03 12:00")),
    (pd.period_range("2000-01", periods=60, freq="M"), pd.Period("2005-01", freq="M")),
])
def test_future_index_of_the_intervals(index, first):
    series = pd.Series(random_walk(60), index=index)
    model = PersistenceForecaster().fit(*SWT(2).split(series))
    out = forecast(model, series, 3, framing=SWT(2), coverage=0.8, n_origins=10)
    assert out.index[0] == first and len(out) == 3
    assert out.index[1] - out.index[0] == index[1] - index[0]


def test_recursive_and_row_aligned_lstm_intervals():
    series = pd.Series(np.sin(np.arange(120) / 3.0) + np.random.RandomState(0).normal(0, 0.1, 120),
                       index=pd.date_range("2000-01-01", periods=120, freq="D"))
    pipe = make_pipeline(SWT(6), LSTMForecaster(units=4, epochs=5, activation="tanh",
                                                random_state=0)).set_output(transform="pandas")
    pipe.fit(*SWT().align(series))
    out = forecast(pipe, series, 4, coverage=0.8, n_origins=10, refit_every=5)
    assert out.shape == (4, 3) and np.isfinite(out.to_numpy()).all()
    assert (out["forecast_lower_80"] < out["forecast_upper_80"]).all()


def test_numpy_in_numpy_out():
    y = random_walk(100)
    model = PersistenceForecaster().fit(*SWT(2).split(y))
    out = forecast(model, y, 3, framing=SWT(2), coverage=[0.5, 0.9], n_origins=20)
    assert isinstance(out, np.ndarray) and out.shape == (3, 5)


def test_interval_errors():
    y = random_walk(100)
    model = PersistenceForecaster().fit(*SWT(2).split(y))
    for bad in (0, 1, 1.5, -0.1, True):
        with pytest.raises(ValueError, match="coverage"):
            forecast(model, y, 3, framing=SWT(2), coverage=bad)
    with pytest.raises(ValueError, match="at least 19 calibration origins"):
        forecast(model, y, 3, framing=SWT(2), coverage=0.95, n_origins=10)
    with pytest.raises(ValueError, match="too few to calibrate"):
        forecast(model, y[:20], 3, framing=SWT(2), coverage=0.8, n_origins=30)
    # origins that leave the first refit less than one window: the error says it is the refit
    # (it said only "the series has 2 time steps", of a 20-step series)
    with pytest.raises(ValueError, match=r"calibration refit on the 2 time steps before origin 1 "
                                         r"of n_origins=16 failed: .*need at least 3"):
        forecast(model, y[:20], 3, framing=SWT(2), coverage=0.8, n_origins=16)
    # a level named twice: the array had both copies, the frame's columns kept one
    for repeated in ([0.8, 0.8], [0.8, 0.8000000001]):
        with pytest.raises(ValueError, match=r"level\(s\) 80% more than once"):
            forecast(model, pd.Series(y), 3, framing=SWT(2), coverage=repeated, n_origins=20)
    with pytest.raises(TypeError, match="got the string '0.8'"):  # read as levels '0', '.', '8'
        forecast(model, y, 3, framing=SWT(2), coverage="0.8")
    with pytest.raises(NotFittedError):
        forecast(PersistenceForecaster(), y, 3, framing=SWT(2), coverage=0.8)
    with pytest.raises(NotFittedError):
        forecast(make_pipeline(SWT(2), Ridge()), y, 3, coverage=0.8)
