"""Row-aligned Pipeline mode: DESIGN.md section 1 invariants 1-6."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from sklstm import LSTMForecaster, PersistenceForecaster, SlidingWindowTransformer as SWT
from sklstm.datasets import load_airline

FAST = dict(units=4, epochs=3, activation="tanh", random_state=0)


@pytest.fixture(scope="module")
def airline_rows():
    """Row-aligned airline data: X[t] = passengers at t, y[t] = passengers at t + 1."""
    return SWT().align(load_airline())


def lstm_pipeline(n_steps_in=6, **params):
    return TransformedTargetRegressor(
        make_pipeline(StandardScaler(), SWT(n_steps_in=n_steps_in), LSTMForecaster(**{**FAST, **params})
                      ).set_output(transform="pandas"),
        transformer=StandardScaler())


def test_rows_in_equal_rows_out(airline_rows):
    X, _ = airline_rows
    assert SWT(n_steps_in=12).fit_transform(X).shape == (len(X), 12)


def test_fit_transform_matches_fit_then_transform(airline_rows):
    X, _ = airline_rows
    pipe = make_pipeline(StandardScaler(), SWT(n_steps_in=12))
    assert_allclose(pipe.fit_transform(X), pipe.fit(X).transform(X))


def test_planted_marker_after_t_is_never_seen(airline_rows):
    X, _ = airline_rows
    X = X.to_numpy()
    t = 80
    marked = X.copy()
    marked[t + 1:] = 1e9
    for train, _ in TimeSeriesSplit(n_splits=3).split(X):
        if train[-1] > t:
            continue
        clean = make_pipeline(StandardScaler(), SWT(n_steps_in=12)).fit(X[train])
        dirty = make_pipeline(StandardScaler(), SWT(n_steps_in=12)).fit(marked[train])
        # the scaler is fitted on the training fold only: the marker cannot move it
        assert_array_equal(dirty[0].mean_, clean[0].mean_)
    pipe = make_pipeline(StandardScaler(), SWT(n_steps_in=12, history="restart")).fit(X[: t + 1])
    # row t's window (and every earlier one) is the same with or without the marker
    assert_array_equal(pipe.transform(marked)[: t + 1], pipe.transform(X)[: t + 1])


def test_every_test_row_gets_a_finite_prediction(airline_rows):
    X, y = airline_rows
    cv = TimeSeriesSplit(n_splits=3)
    result = cross_validate(lstm_pipeline(n_steps_in=12), X, y, cv=cv, return_estimator=True,
                            return_indices=True, scoring="neg_mean_absolute_error")
    assert np.isfinite(result["test_score"]).all()
    for estimator, test in zip(result["estimator"], result["indices"]["test"]):
        pred = estimator.predict(X.iloc[test])
        assert pred.shape == (len(test),) and np.isfinite(pred).all()  # first 11 rows included


def test_baselines_share_folds_and_windows(airline_rows):
    X, y = airline_rows
    cv = TimeSeriesSplit(n_splits=3)
    models = {
        "persistence": make_pipeline(SWT(n_steps_in=12), PersistenceForecaster()),
        "seasonal": make_pipeline(SWT(n_steps_in=12), PersistenceForecaster(season_length=12)),
        "ridge": make_pipeline(StandardScaler(), SWT(n_steps_in=12), Ridge()).set_output(transform="pandas"),
    }
    scores = {name: -cross_validate(m, X, y, cv=cv, scoring="neg_mean_absolute_error")["test_score"]
              for name, m in models.items()}
    # persistence MAE on a fold is the mean absolute month-to-month change there
    last_test = list(cv.split(X))[-1][1]
    assert scores["persistence"][-1] == pytest.approx(
        np.mean(np.abs(y.iloc[last_test].to_numpy() - X.iloc[last_test, 0].to_numpy())))
    # with their true history in every test window, 12 lags beat both naive forecasts
    assert scores["ridge"].mean() < min(scores["persistence"].mean(), scores["seasonal"].mean())


def test_grid_search_window_and_architecture_in_parallel(airline_rows):
    X, y = airline_rows
    grid = {"regressor__slidingwindowtransformer__n_steps_in": [6, 12],
            "regressor__lstmforecaster__architecture": ["vanilla", "stacked"]}
    search = GridSearchCV(lstm_pipeline(), grid, cv=TimeSeriesSplit(n_splits=2),
                          scoring="neg_mean_absolute_error", n_jobs=2).fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    best = search.best_estimator_.regressor_
    assert best[1].n_steps_in == search.best_params_["regressor__slidingwindowtransformer__n_steps_in"]


def test_successive_halving_over_epochs_keeps_folds_whole(airline_rows):
    from sklearn.experimental import enable_halving_search_cv  # noqa: F401
    from sklearn.model_selection import HalvingGridSearchCV

    X, y = airline_rows
    grid = {"regressor__lstmforecaster__units": [2, 4, 8]}
    search = HalvingGridSearchCV(lstm_pipeline(), grid, cv=TimeSeriesSplit(n_splits=2),
                                 resource="regressor__lstmforecaster__epochs", min_resources=2,
                                 max_resources=6, factor=3, random_state=0,
                                 error_score="raise").fit(X, y)
    assert search.n_resources_ == [2, 6] and search.n_candidates_ == [3, 1]
    assert search.best_estimator_.regressor_[-1].epochs == 6
    # the default resource draws rows at random: windows of them never happened, and the
    # refusal names the search and the fix
    rows = HalvingGridSearchCV(lstm_pipeline(), grid, cv=TimeSeriesSplit(n_splits=2),
                               min_resources=60, random_state=0, error_score="raise")
    with pytest.raises(ValueError, match=r"out of time order.*HalvingGridSearchCV's "
                                         r"resource='n_samples', halve over an epochs"):
        rows.fit(X, y)


def test_target_scaling_is_inverted(airline_rows):
    X, y = airline_rows
    ttr = lstm_pipeline(epochs=30).fit(X, y)
    inner = ttr.regressor_.predict(X)
    assert abs(inner.mean()) < 2  # the LSTM works in standardised units
    assert_allclose(ttr.predict(X), ttr.transformer_.inverse_transform(inner[:, None]).ravel())
    assert y.min() * 0.5 < ttr.predict(X).mean() < y.max()  # back in passengers


def test_fitted_pipeline_pickles(airline_rows, tmp_path):
    import joblib

    X, y = airline_rows
    ttr = lstm_pipeline().fit(X, y)
    joblib.dump(ttr, tmp_path / "pipe.joblib")
    assert_array_equal(joblib.load(tmp_path / "pipe.joblib").predict(X), ttr.predict(X))


def test_the_series_itself_as_y_is_refused():
    # y[t] must be the value after row t; the series itself as y fitted perfectly and forecast
    # repeated the last value, with no error anywhere
    import pandas as pd

    from sklstm import forecast

    sales = load_airline().to_frame("sales")
    ridge = make_pipeline(SWT(n_steps_in=12), Ridge()).set_output(transform="pandas")
    with pytest.raises(ValueError, match="y repeats X's column 'sales' row for row.*align"):
        ridge.fit(sales, sales["sales"])
    # behind a scaler on X only, y is a scaled copy of the window step's column
    scaled = make_pipeline(StandardScaler(), SWT(n_steps_in=12), Ridge()).set_output(transform="pandas")
    with pytest.raises(ValueError, match="y repeats X's column 'sales' row for row"):
        scaled.fit(sales, sales["sales"])
    # y transformed as X is (log, then standardised) is caught too

    def log_scaled():
        return make_pipeline(FunctionTransformer(np.log, np.exp, feature_names_out="one-to-one"),
                             StandardScaler())

    in_logs = TransformedTargetRegressor(
        make_pipeline(log_scaled(), SWT(n_steps_in=12), Ridge()).set_output(transform="pandas"),
        transformer=log_scaled())
    with pytest.raises(ValueError, match="y repeats X's column 'sales' row for row"):
        in_logs.fit(sales, sales["sales"])
    with pytest.raises(ValueError, match="y column 1 repeats X's column 'sales'"):  # any step
        SWT(n_steps_in=3).fit(sales, np.c_[sales["sales"].shift(-1).fillna(0), sales["sales"]])
    both = pd.concat({"a": sales, "b": 2 * sales}, names=["id", "month"])
    with pytest.raises(ValueError, match="y repeats X's column 'sales'"):  # a panel, row by row
        SWT(n_steps_in=3).fit(both, both["sales"])
    # the same rows built by align() fit, and their forecast continues the series
    X, y = SWT().align(sales)
    assert np.mean(np.abs(scaled.fit(X, y).predict(X) / y - 1)) < 0.1
    assert np.mean(np.abs(in_logs.fit(X, y).predict(X) / y - 1)) < 0.1  # fits, and predicts
    future = forecast(ridge.fit(X, y), sales, 3)
    assert not np.allclose(future, sales["sales"].iloc[-1])
    # a series linear in its own last value (constant, straight line, geometric) has a next
    # value linear in the current one: nothing to tell apart, so its proper y is accepted
    flat = pd.concat({"a": sales * 0 + 5.0, "b": sales * 0 + 7.0}, names=["id", "month"])
    SWT(n_steps_in=3).fit(flat, flat["sales"])
    for values in (10.0 * np.arange(1, 31), 3.0 * 1.1 ** np.arange(30)):
        X, y = SWT().align(values)
        make_pipeline(StandardScaler(), SWT(n_steps_in=3), Ridge()).fit(X, y)
    # so has an exactly periodic series' step one season ahead (with a trend, or without)
    for values in (np.tile([1.0, 5.0, 3.0, 2.0], 10), np.tile([1.0, 5.0, 3.0, 2.0], 10) + np.arange(40)):
        X, y = SWT(n_steps_out=4).align(values)
        make_pipeline(StandardScaler(), SWT(n_steps_in=3), Ridge()).fit(X, y)
