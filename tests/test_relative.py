"""RelativeRegressor: learning the correction on top of persistence read from each window."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from sklearn.base import clone
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline

from sklstm import (LSTMForecaster, PersistenceForecaster, RelativeRegressor,
                    SlidingWindowTransformer as SWT)
from sklstm.forecasting import forecast

SEASON = np.array([1.0, 5.0, 3.0, 2.0])


def trending_season(n=48, growth=0.5):
    return np.tile(SEASON, n // 4) + np.arange(n) * growth


def test_zero_correction_is_seasonal_naive_exactly():
    # a regressor that always answers 0 (the mean correction of a pure season) gives seasonal naive
    series = np.tile(SEASON, 8)
    X, y = SWT(8, n_steps_out=3).split(series)
    model = RelativeRegressor(Ridge(alpha=1e9), season_length=4, standardize=False).fit(X, y)
    assert_allclose(model.predict(X), PersistenceForecaster(4).fit(X, y).predict(X), atol=1e-6)


@pytest.mark.parametrize("scale", [None, "mean", "last"])
@pytest.mark.parametrize("baseline", [None, "last", "seasonal"])
def test_linear_model_learns_trend_and_season_exactly(scale, baseline):
    series = trending_season() + 10
    X, y = SWT(8, n_steps_out=2).split(series)
    model = RelativeRegressor(LinearRegression(), baseline=baseline, season_length=4,
                              scale=scale).fit(X[:-5], y[:-5])
    if scale is None:  # additive structure: exactly linear in the window
        assert_allclose(model.predict(X[-5:]), y[-5:], atol=1e-6)
    else:
        assert np.abs(model.predict(X[-5:]) - y[-5:]).max() < 1.0


def test_parallel_series_of_different_scales_come_back_in_their_units():
    base = trending_season()
    data = np.column_stack([base, 1000 * base])
    X, y = SWT(8).split(data)
    model = RelativeRegressor(LinearRegression(), season_length=4, scale="mean",
                              target_feature="all").fit(X, y)
    pred = model.predict(X[-3:])
    assert pred.shape == (3, 2)
    assert_allclose(pred[:, 1] / pred[:, 0], 1000, rtol=1e-6)
    assert_allclose(pred, y[-3:], rtol=1e-3)


def test_lstm_in_a_row_aligned_pipeline_with_forecast():
    series = pd.Series(trending_season(96, 0.2),
                       index=pd.date_range("2000-01", periods=96, freq="MS"))
    X, y = SWT(n_steps_out=4).align(series)
    pipe = make_pipeline(SWT(8, history="continue"),
                         RelativeRegressor(LSTMForecaster(units=8, epochs=30, activation="tanh",
                                                          random_state=0), season_length=4))
    pipe.fit(X, y)
    future = forecast(pipe, series, 8)
    truth = trending_season(104, 0.2)[96:]
    assert future.index[0] == pd.Timestamp("2008-01-01")
    # close to the truth, far closer than the season's own range (1..5)
    assert np.abs(future.to_numpy() - truth).mean() < 0.5


def test_grid_search_over_the_transform():
    X, y = SWT().align(trending_season(60) + np.random.RandomState(0).normal(0, 0.1, 60))
    pipe = make_pipeline(SWT(8, history="continue"), RelativeRegressor(Ridge()))
    grid = {"relativeregressor__baseline": [None, "seasonal"],
            "relativeregressor__season_length": [4], "relativeregressor__scale": [None, "mean"]}
    search = GridSearchCV(pipe, grid, cv=TimeSeriesSplit(3), scoring="neg_mean_absolute_error")
    search.fit(X, y)
    assert search.best_params_["relativeregressor__baseline"] == "seasonal"


def test_window_must_be_longer_than_the_season():
    X, y = SWT(4).split(trending_season())
    with pytest.raises(ValueError, match="season_length"):
        RelativeRegressor(Ridge(), season_length=4).fit(X, y)


# -- seed ensembles ------------------------------------------------------------------------------
def test_seed_ensemble_is_the_mean_of_its_seeded_members():
    from sklstm import SeedEnsembleRegressor

    X, y = SWT(8).split(trending_season(60) + np.random.RandomState(0).normal(0, 0.3, 60))
    member = RelativeRegressor(LSTMForecaster(units=4, epochs=5, activation="tanh"),
                               season_length=4)
    ensemble = SeedEnsembleRegressor(member, n_estimators=3, random_state=0).fit(X, y)
    assert len(set(ensemble.seeds_)) == 3
    members = [m.predict(X) for m in ensemble.estimators_]
    assert not np.array_equal(members[0], members[1])  # different seeds, different fits
    assert_allclose(ensemble.predict(X), np.mean(members, axis=0))
    again = SeedEnsembleRegressor(member, n_estimators=3, random_state=0).fit(X, y)
    assert_allclose(again.predict(X), ensemble.predict(X), rtol=0, atol=0)
    assert ensemble.get_params()["estimator__regressor__units"] == 4


def test_seed_ensemble_needs_a_seeded_model():
    from sklstm import SeedEnsembleRegressor

    with pytest.raises(ValueError, match="no random_state"):
        SeedEnsembleRegressor(LinearRegression()).fit([[0.0], [1.0]], [0.0, 1.0])


@pytest.mark.parametrize("dtype", [np.float64, np.int64])
def test_large_values_invert_exactly(dtype):
    # a linear model on "value + 1" is exact in float64; float32 windows were 2-4 units off here
    series = (123456789 + np.arange(40)).astype(dtype)
    X, y = SWT(3).split(series)
    model = RelativeRegressor(LinearRegression(), baseline="last").fit(X, y)
    assert_allclose(model.predict(X), y, rtol=0, atol=1e-3)


def test_sample_weight_reaches_the_regressor_and_the_statistics():
    from sklearn.neighbors import KNeighborsRegressor
    from sklstm import SeedEnsembleRegressor

    rng = np.random.RandomState(0)
    X, y = SWT(8, n_steps_out=2).split(trending_season(60) + rng.normal(0, 0.3, 60))
    keep = rng.rand(len(X)) > 0.3
    model = RelativeRegressor(Ridge(alpha=1.0), season_length=4)
    weighted = clone(model).fit(X, y, sample_weight=keep.astype(float))
    subset = clone(model).fit(X[keep], y[keep])  # a window of weight 0 changes nothing
    assert_allclose(weighted.predict(X), subset.predict(X), rtol=1e-10)
    assert not np.allclose(clone(model).fit(X, y).predict(X), subset.predict(X))
    with pytest.raises(ValueError, match="sample_weight"):
        clone(model).fit(X, y, sample_weight=np.where(keep, 1.0, -1.0))
    with pytest.raises(TypeError, match="KNeighborsRegressor does not take sample_weight"):
        RelativeRegressor(KNeighborsRegressor(), season_length=4).fit(X, y, sample_weight=keep)
    # an ensemble passes it to every member, either way round RelativeRegressor
    member = RelativeRegressor(LSTMForecaster(units=4, epochs=3), season_length=4)
    ensemble = SeedEnsembleRegressor(member, n_estimators=2, random_state=0)
    both = clone(ensemble).fit(X, y, sample_weight=keep.astype(float))
    alone = clone(ensemble).fit(X[keep], y[keep])
    assert_allclose(both.predict(X), alone.predict(X), rtol=1e-6)
    inside = RelativeRegressor(SeedEnsembleRegressor(LSTMForecaster(units=4, epochs=3),
                                                     n_estimators=2, random_state=0),
                               season_length=4)
    both = clone(inside).fit(X, y, sample_weight=keep.astype(float))
    assert_allclose(both.predict(X), clone(inside).fit(X[keep], y[keep]).predict(X), rtol=1e-6)


@pytest.mark.parametrize("scale", ["mean", "last"])
def test_window_scaling_leaves_covariates_to_standardization(scale):
    """Only the forecast series is scaled by its window level. A covariate divided by its own
    level (a temperature near 0 degrees) came out wildly scaled: Ridge's MAE was 1.46 ("mean")
    and 1.79 ("last") against 1.04 unscaled, and the forecasts changed with the covariate's units."""
    rng = np.random.default_rng(0)
    temp = 4 * np.sin(np.arange(600) / 11.0) + rng.normal(scale=0.5, size=600)  # crosses zero
    demand = 100 + 3 * np.roll(temp, 1) + rng.normal(scale=0.5, size=600)
    framing = SWT(6, 2, target="demand", inputs=["demand", "temp"])

    def fitted(table, scale):
        X, y = framing.split(table)
        model = RelativeRegressor(Ridge(alpha=1e-3), baseline="last", target_feature=0,
                                  scale=scale).fit(X[:450], y[:450])
        return model.predict(X[450:]), y[450:]

    celsius = pd.DataFrame({"demand": demand, "temp": temp})
    scaled, truth = fitted(celsius, scale)
    unscaled, _ = fitted(celsius, None)
    assert np.abs(scaled - truth).mean() < 1.05 * np.abs(unscaled - truth).mean()
    kelvin, _ = fitted(celsius.assign(temp=temp + 273.15), scale)  # the covariate's units
    np.testing.assert_allclose(kelvin, scaled, rtol=1e-9)


def test_covariate_levels_tell_whether_a_known_promotion_is_on_now():
    # demand = random walk + 8 * promo; the promotion is known for the forecast step. Its
    # change needs promo[t], which the window's differences of promo cannot tell.
    rng = np.random.default_rng(0)
    promo = (rng.random(300) < 0.3).astype(float)
    demand = 50 + np.cumsum(rng.normal(0, 0.5, 300)) + 8 * promo
    table = pd.DataFrame({"demand": demand, "promo": promo})
    X, y = SWT(4, target="demand", inputs=["demand", "promo"], known_future=["promo"]).split(table)

    def mae(covariates):
        model = RelativeRegressor(LinearRegression(), baseline="last", target_feature=0,
                                  future_steps=1, covariates=covariates).fit(X[:200], y[:200])
        return np.abs(model.predict(X[200:]) - y[200:]).mean()

    # the random walk's next step (MAE 0.4) is all that is left with levels
    assert mae("levels") == pytest.approx(0.4, abs=0.08)
    assert mae("differenced") > 2 * mae("levels")
    # the forecast series is still differenced: an exact line stays exact (as the default does)
    line = pd.DataFrame({"demand": 3.0 * np.arange(40), "promo": np.arange(40) % 2.0})
    Xl, yl = SWT(4, target="demand", inputs=["demand", "promo"]).split(line)
    model = RelativeRegressor(LinearRegression(), baseline="last", target_feature=0,
                              covariates="levels").fit(Xl, yl)
    assert_allclose(model.predict(Xl), yl, atol=1e-8)
