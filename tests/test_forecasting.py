"""Forecasting beyond the data: direct multi-step and recursive rollout."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sklstm import LSTMForecaster, PersistenceForecaster, SlidingWindowTransformer as SWT
from sklstm.forecasting import forecast

flatten = FunctionTransformer(lambda X: np.asarray(X).reshape(len(X), -1))


def test_recursive_rollout_of_a_linear_trend(raw_seq):
    framing = SWT(n_steps_in=3)
    model = make_pipeline(flatten, LinearRegression()).fit(*framing.split(raw_seq))
    assert_allclose(forecast(model, raw_seq, 4, framing=framing), [100, 110, 120, 130])


def test_direct_multi_step_then_recursive(raw_seq):
    framing = SWT(n_steps_in=3, n_steps_out=2)
    model = make_pipeline(flatten, LinearRegression()).fit(*framing.split(raw_seq))
    assert_allclose(forecast(model, raw_seq, 3, framing=framing), [100, 110, 120])


def test_parallel_series_with_future_dates(frame):
    framing = SWT(n_steps_in=3)
    model = PersistenceForecaster().fit(*framing.split(frame))
    future = forecast(model, frame, 2, framing=framing)
    assert isinstance(future, pd.DataFrame) and list(future.columns) == ["in1", "in2", "out"]
    assert list(future.index) == list(pd.date_range("2020-01-10", periods=2, freq="D"))
    assert_array_equal(future.to_numpy(), [[90, 95, 185]] * 2)


def test_monthly_series_gets_month_index():
    y = pd.Series(np.arange(24.0), index=pd.date_range("2000-01-01", periods=24, freq="MS"))
    framing = SWT(n_steps_in=12)
    model = PersistenceForecaster(season_length=12).fit(*framing.split(y))
    future = forecast(model, y, 12, framing=framing)
    assert future.index[0] == pd.Timestamp("2002-01-01") and future.index.freqstr == "MS"
    assert_array_equal(future, np.arange(12.0, 24.0))


def test_elapsed_time_index_is_read_as_time():
    """A TimedeltaIndex was plain labels: reversed rows were framed as they stood, forecast
    answered a bare array, and a row-aligned test fold could not be told to continue."""
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import TimeSeriesSplit, cross_val_score

    elapsed = pd.timedelta_range("0s", periods=40, freq="15min", name="elapsed")
    y = pd.Series(np.arange(40.0), index=elapsed, name="load")
    framing = SWT(n_steps_in=3)
    future = forecast(PersistenceForecaster().fit(*framing.split(y)), y, 2, framing=framing)
    assert list(future.index) == list(pd.timedelta_range("10h", periods=2, freq="15min"))
    assert future.index.name == "elapsed" and future.name == "load"
    assert_array_equal(future, [39.0, 39.0])
    with pytest.raises(ValueError, match="out of time order.*TimedeltaIndex.*sort_index"):
        framing.split(y.iloc[::-1])
    # row-aligned folds continue the rows before them (history="auto" reads the elapsed time)
    X, target = SWT().align(y)
    pipe = make_pipeline(SWT(n_steps_in=3), Ridge(alpha=1e-6)).set_output(transform="pandas")
    errors = cross_val_score(pipe, X, target, cv=TimeSeriesSplit(3, test_size=4),
                             scoring="neg_mean_absolute_error")
    assert_allclose(errors, 0, atol=1e-3)  # a straight line, from its three last values
    assert_allclose(forecast(pipe.fit(X, target), y, 2), [40.0, 41.0], atol=1e-3)


def test_a_fitted_search_forecasts_with_its_best_estimator():
    """forecast(search, ...) asked for a framing the searched pipeline already holds."""
    from sklearn.base import clone
    from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

    y = pd.Series(np.arange(60.0) % 12 + np.arange(60.0) / 60,
                  index=pd.period_range("2000-01", periods=60, freq="M"))
    search = GridSearchCV(make_pipeline(SWT(n_steps_in=13), PersistenceForecaster()),
                          {"persistenceforecaster__season_length": [1, 12]},
                          cv=TimeSeriesSplit(3), scoring="neg_mean_absolute_error")
    search.fit(*SWT(n_steps_in=13).align(y))
    assert search.best_params_ == {"persistenceforecaster__season_length": 12}
    assert_array_equal(forecast(search, y, 12), forecast(search.best_estimator_, y, 12))
    assert_array_equal(forecast(search, y, 12), y.iloc[-12:].to_numpy())
    with pytest.raises(ValueError, match="holds no fitted model to forecast with"):
        forecast(clone(search).set_params(refit=False).fit(*SWT(n_steps_in=13).align(y)), y, 12)
    with pytest.raises(NotFittedError, match="GridSearchCV is not fitted yet"):
        forecast(clone(search), y, 12)


def test_a_search_that_does_not_subclass_sklearns_forecasts_with_its_best_estimator():
    """A search is known by its fitted attributes (dask-ml's does not subclass BaseSearchCV)."""
    from sklearn.base import BaseEstimator, clone

    class HandSearch(BaseEstimator):
        def __init__(self, estimator, param_grid):
            self.estimator = estimator
            self.param_grid = param_grid

        def fit(self, X, y):
            self.best_params_ = self.param_grid[-1]
            self.best_estimator_ = clone(self.estimator).set_params(**self.best_params_).fit(X, y)
            return self

    y = pd.Series(np.arange(60.0) % 12, index=pd.period_range("2000-01", periods=60, freq="M"))
    pipe = make_pipeline(SWT(n_steps_in=13), PersistenceForecaster())
    search = HandSearch(pipe, [{"persistenceforecaster__season_length": 12}])
    with pytest.raises(NotFittedError, match="HandSearch is not fitted yet"):
        forecast(search, y, 12)
    assert_array_equal(forecast(search.fit(*SWT(n_steps_in=13).align(y)), y, 12),
                       y.iloc[-12:].to_numpy())


def test_lstm_forecast_continues_the_tutorial_series(raw_seq):
    framing = SWT(n_steps_in=3)
    model = LSTMForecaster(epochs=200, random_state=0).fit(*framing.split(raw_seq))
    future = forecast(model, raw_seq, 2, framing=framing)
    assert future.shape == (2,) and future[0] == pytest.approx(100, rel=0.1)
    assert future[1] > future[0]


def test_dependent_target_cannot_be_rolled(frame):
    framing = SWT(n_steps_in=3, target="out")
    model = PersistenceForecaster().fit(*SWT(n_steps_in=3).split(frame))
    # a named target defaults the inputs to the other columns, and its offset to the window's
    # last step: the error says both ways to frame it
    with pytest.raises(ValueError, match=r"target \['out'\] outside the window's inputs.*"
                                         r"target_offset=1.*inputs=\['in1', 'in2', 'out'\]"):
        forecast(model, frame, 2, framing=framing)
    # in1's future is unknown: only what one direct call covers can be forecast
    with pytest.raises(ValueError, match=r"the inputs \['in1'\] are known only up to the end of "
                                         r"the data.*n_steps_out=1 steps, and horizon=2"):
        forecast(model, frame, 2, framing=SWT(n_steps_in=3, target="out", inputs=["in1", "out"]))


def test_direct_models_forecast_from_past_covariates():
    # y(t) = x(t-1) + x(t-2): a direct model reads the next 2 values of y off x's past alone
    x = np.random.default_rng(0).normal(size=60).cumsum()
    data = pd.DataFrame({"x": x, "y": np.r_[0.0, x[0], x[1:-1] + x[:-2]]},
                        index=pd.date_range("2024-01-01", periods=60, freq="D"))
    expected = [x[-1] + x[-2], np.nan]  # the second step needs x at the first: not in the data
    framing = SWT(3, n_steps_out=2, target="y", target_offset=1)  # y outside the window
    flat = FunctionTransformer(lambda windows: windows.reshape(len(windows), -1))
    model = make_pipeline(flat, LinearRegression()).fit(*framing.split(data))
    ahead = forecast(model, data, 2, framing=framing)
    assert list(ahead.index) == list(pd.date_range("2024-03-01", periods=2, freq="D"))
    assert_allclose(ahead.iloc[0], expected[0], atol=1e-8)
    # a row-aligned pipeline with the target's own past too, as predict gives its last row
    own = SWT(3, n_steps_out=2, target="y", inputs=["x", "y"])
    pipe = make_pipeline(SWT(3, n_steps_out=2, target="y", inputs=["x", "y"], history="restart"),
                         LinearRegression()).fit(*own.align(data))
    assert_allclose(forecast(pipe, data, 2).to_numpy(), pipe.predict(data[["x", "y"]])[-1])
    # (its first, edge-padded rows fit y's made-up start: close, not exact)
    assert_allclose(forecast(pipe, data, 1).iloc[0], expected[0], atol=1e-2)
    bands = forecast(pipe, data, 2, coverage=0.8, n_origins=5)
    assert list(bands.columns) == ["y", "y_lower_80", "y_upper_80"]
    with pytest.raises(ValueError, match=r"the inputs \['x'\] are known only .* horizon=3"):
        forecast(pipe, data, 3)


def test_bad_horizon(raw_seq):
    with pytest.raises(ValueError, match="horizon"):
        forecast(PersistenceForecaster(), raw_seq, 0, framing=SWT())


def test_a_regressor_fitted_on_flattened_windows_is_told_to_frame_its_own_rows(raw_seq):
    framing = SWT(n_steps_in=3)
    X, y = framing.split(raw_seq)
    flat = LinearRegression().fit(X.reshape(len(X), -1), y)
    with pytest.raises(ValueError, match=r"dim 3.*make_pipeline\(SlidingWindowTransformer\("
                                         r"n_steps_in=3\), LinearRegression\(\)\)"):
        forecast(flat, raw_seq, 2, framing=framing)
    # what the message says works, and gives the flattened model's forecast
    pipe = make_pipeline(SWT(n_steps_in=3), LinearRegression()).fit(*framing.align(raw_seq))
    assert_allclose(forecast(pipe, raw_seq, 2), [100, 110])


def test_seed_ensemble_of_row_aligned_pipelines_forecasts_as_one_model():
    # the ensemble hid its members' windowing step, so forecast asked for a framing and then
    # failed inside the members ("Found array with dim 3")
    from sklstm import SeedEnsembleRegressor

    y = pd.Series(np.sin(np.arange(40) / 3.0), index=pd.date_range("2020", periods=40, freq="D"))
    ensemble = SeedEnsembleRegressor(make_pipeline(SWT(3), LSTMForecaster(units=2, epochs=2)),
                                     n_estimators=2, random_state=0).fit(*SWT(3).align(y))
    future = forecast(ensemble, y, 3)
    assert list(future.index) == list(pd.date_range("2020-02-10", periods=3, freq="D"))
    history = list(y)  # the ensemble's mean is rolled forward, as for any one model
    for _ in range(3):
        window = np.asarray(history[-3:])[None]
        history.append(np.mean([m[-1].predict(window)[0] for m in ensemble.estimators_]))
    assert_allclose(future.to_numpy(), history[-3:], rtol=1e-5)
    bands = forecast(ensemble, y, 2, coverage=0.8, n_origins=5)
    assert list(bands.columns) == ["forecast", "forecast_lower_80", "forecast_upper_80"]
    assert_allclose(bands["forecast"], future.iloc[:2], rtol=1e-6)
    assert (bands["forecast_lower_80"] < bands["forecast"]).all()


def test_voting_and_stacking_of_row_aligned_pipelines_forecast_as_one_model():
    # forecast found no framing in sklearn's combiners, asked for one, then failed inside the
    # members ("Found array with dim 3, while dim <= 2 is required by SlidingWindowTransformer")
    from sklearn.base import clone
    from sklearn.ensemble import StackingRegressor, VotingRegressor
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import KFold

    t = np.arange(60.0)
    y = pd.Series(10 + 0.5 * t + 3 * np.sin(t / 2.0),
                  index=pd.date_range("2020-01", periods=60, freq="MS"))
    X, target = SWT(6).align(y)
    long = make_pipeline(SWT(6), Ridge(alpha=1e-3))
    short = make_pipeline(SWT(2), PersistenceForecaster())
    vote = VotingRegressor([("ridge", long), ("last", short), ("row", LinearRegression())],
                           weights=[2, 1, 1]).fit(X, target)
    future = forecast(vote, y, 4)
    assert list(future.index) == list(pd.date_range("2025-01", periods=4, freq="MS"))
    # the weighted mean of the members is rolled forward, each reading its own window
    # (the bare LinearRegression its row, as in fit)
    ridge, row = vote.estimators_[0][-1], vote.estimators_[2]
    history = list(y)
    for _ in range(4):
        members = [ridge.predict(np.asarray(history[-6:])[None])[0], history[-1],
                   row.predict(pd.DataFrame({y.name: history[-1:]}))[0]]
        history.append(np.average(members, weights=[2, 1, 1]))
    assert_allclose(future.to_numpy(), history[-4:], rtol=1e-9)
    # KFold's first test fold precedes its training rows: each is windowed as a table of its own
    restart = {"slidingwindowtransformer__history": "restart"}
    stack = StackingRegressor([("ridge", clone(long).set_params(**restart)),
                               ("last", clone(short).set_params(**restart))],
                              final_estimator=Ridge(), cv=KFold(3)).fit(X, target)
    ahead = forecast(stack, y, 2, coverage=0.8, n_origins=5)
    first = stack.final_estimator_.predict(
        [[stack.estimators_[0][-1].predict(y.to_numpy()[-6:][None])[0], y.iloc[-1]]])[0]
    assert_allclose(ahead.iloc[0, 0], first, rtol=1e-9)
    assert list(ahead.columns) == ["forecast", "forecast_lower_80", "forecast_upper_80"]
    assert (ahead["forecast_lower_80"] < ahead["forecast"]).all()
    # a panel's combination forecasts every series from its own windows
    panel = pd.concat({"a": y, "b": 100 - y}, names=["store", "month"]).to_frame("sales")
    vote = clone(vote).fit(*SWT(6).align(panel))
    ahead = forecast(vote, panel, 1)
    assert list(ahead.index) == [("a", pd.Timestamp("2025-01")), ("b", pd.Timestamp("2025-01"))]
    for sid in ("a", "b"):
        own = panel.loc[[sid]]
        members = [forecast(vote.estimators_[0], own, 1).iloc[0], own["sales"].iloc[-1],
                   vote.estimators_[2].predict(own.iloc[-1:])[0]]
        assert_allclose(ahead.loc[sid].iloc[0], np.average(members, weights=[2, 1, 1]))
    # members framing different things cannot be rolled forward as one model
    parallel = VotingRegressor([("a", long), ("b", make_pipeline(SWT(2, n_steps_out=1, target_offset=0),
                                                                 Ridge()))])
    with pytest.raises(ValueError, match=r"frame the data differently \(target_offset=0 in one"):
        forecast(parallel.fit(X, target), y, 2)


def test_a_wrapper_hiding_a_row_aligned_pipeline_is_told_where_the_windowing_goes():
    from sklearn.linear_model import Ridge
    from sklearn.multioutput import MultiOutputRegressor

    y = pd.Series(np.arange(40.0), index=pd.date_range("2020", periods=40, freq="D"))
    framing = SWT(4, n_steps_out=2)
    hidden = MultiOutputRegressor(make_pipeline(SWT(4, n_steps_out=2), Ridge()))
    with pytest.raises(TypeError, match=r"MultiOutputRegressor forward: it holds the row-aligned "
                                        r"windowing step 'estimator__slidingwindowtransformer'.*"
                                        r"make_pipeline\(SlidingWindowTransformer\(\.\.\.\), "
                                        r"MultiOutputRegressor\(\.\.\.\)\)"):
        forecast(hidden.fit(*framing.align(y)), y, 2, framing=framing)
    # the order the message names forecasts the trend
    fixed = make_pipeline(SWT(4, n_steps_out=2), MultiOutputRegressor(Ridge(alpha=1e-6)))
    assert_allclose(forecast(fixed.fit(*framing.align(y)), y, 4), [40, 41, 42, 43], atol=1e-3)


def test_the_training_columns_in_another_order_are_refused():
    # a model fitted on split's 3-D windows reads their columns by position, without names
    months = pd.period_range("2020-01", periods=30, freq="M")
    data = pd.DataFrame({"a": np.arange(30.0), "b": 100 - 3 * np.arange(30.0)}, index=months)
    framing = SWT(n_steps_in=3)
    flat = FunctionTransformer(lambda windows: windows.reshape(len(windows), -1))
    model = make_pipeline(flat, LinearRegression()).fit(*framing.split(data))
    ahead = forecast(model, data, 2, framing=framing)
    assert_allclose(ahead.to_numpy(), [[30.0, 10.0], [31.0, 7.0]], atol=1e-6)
    with pytest.raises(ValueError, match=r"forecast was .* in another order \(\['b', 'a'\], "
                                         r"framed as \['a', 'b'\]\)"):
        forecast(model, data[["b", "a"]], 2, framing=framing)
    # and so does split, framing test windows for that model
    with pytest.raises(ValueError, match=r"split was .* in another order"):
        framing.split(data[["b", "a"]])
    # the fix the message names gives the forecast back
    assert_allclose(forecast(model, data[["b", "a"]][["a", "b"]], 2, framing=framing), ahead)
    # a split that fails records nothing: the order it was given is not held against the next
    fresh = SWT(n_steps_in=3)
    with pytest.raises(ValueError, match="need at least"):
        fresh.split(data[["b", "a"]].iloc[:3])
    assert_allclose(fresh.split(data)[0], framing.split(data)[0])
    # a panel framed with its columns in one order is held to it too
    panel = pd.concat({"x": data, "y": data + 1}, names=["store", "month"])
    model.fit(*framing.split(panel))
    with pytest.raises(ValueError, match="in another order"):
        forecast(model, panel[["b", "a"]], 2, framing=framing)
