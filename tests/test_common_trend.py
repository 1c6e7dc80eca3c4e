"""CommonTrendAdjuster: a panel's common movement out before a pooled model, back into forecasts."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from sklstm import (CommonTrendAdjuster, PersistenceForecaster, SlidingWindowTransformer,
                    forecast)

MONTHS = pd.period_range("2020-01", periods=36, freq="M")
SEASON = np.log([1.0, 1.1, 1.3, 1.2, 1.0, 0.9, 0.8, 0.9, 1.0, 1.1, 1.2, 1.4])


def _panel(levels, growth=0.01, months=MONTHS):
    """Every series: its level x a common growth x a common season (a pure common movement)."""
    t = np.arange(len(months))
    common = np.exp(growth * t + SEASON[t % 12])
    return pd.DataFrame(
        {"sales": np.concatenate([level * common for level in levels.values()]),
         "temp": np.tile(np.arange(len(months), dtype=float), len(levels))},
        index=pd.MultiIndex.from_product([list(levels), months], names=["store", "month"]))


def test_index_is_cumulated_mean_change_over_the_series_present():
    rng = np.random.default_rng(0)
    spans = {"a": (0, 8), "b": (3, 12), "c": (0, 5)}  # b starts late, c ends early
    pieces, logs = [], {}
    for sid, (start, stop) in spans.items():
        values = np.exp(rng.normal(size=stop - start).cumsum())
        logs[sid] = dict(zip(range(start, stop), np.log(values)))
        pieces.append(pd.DataFrame({"y": values}, index=pd.MultiIndex.from_arrays(
            [[sid] * (stop - start), range(start, stop)])))
    adjuster = CommonTrendAdjuster().fit(pd.concat(pieces))
    expected, level = [0.0], 0.0
    for t in range(1, 12):  # by hand: the series observed at t and t - 1
        changes = [v[t] - v[t - 1] for v in logs.values() if t in v and t - 1 in v]
        level += np.mean(changes)
        expected.append(level)
    np.testing.assert_allclose(adjuster.index_["y"].to_numpy(), expected, rtol=1e-12, atol=1e-12)
    assert adjuster.index_.index.tolist() == list(range(12))


@pytest.mark.parametrize("layout", ["multiindex", "column", "named level"])
@pytest.mark.parametrize("kind", ["multiplicative", "additive"])
def test_transform_removes_a_common_movement_and_inverts(layout, kind):
    panel = _panel({"small": 10.0, "large": 500.0})
    if kind == "additive":  # the same structure in levels: level + common movement
        panel["sales"] = np.log(panel["sales"]) * 100
    data = panel.reset_index(level="store") if layout == "column" else panel
    adjuster = CommonTrendAdjuster(series_id=None if layout == "multiindex" else "store",
                                   kind=kind, columns=["sales"])
    adjusted = adjuster.fit_transform(data)
    stores = (adjusted["store"] if layout == "column"
              else adjusted.index.get_level_values("store"))
    by_store = adjusted["sales"].groupby(stores)
    # what is left of each series is its own constant: its first value
    np.testing.assert_allclose(by_store.transform("std").to_numpy(), 0.0, atol=1e-9)
    np.testing.assert_array_equal(adjusted["temp"], data["temp"])  # not an adjusted column
    restored = adjuster.inverse_transform(adjusted)
    np.testing.assert_allclose(restored["sales"], data["sales"], rtol=1e-12)
    assert restored.index.equals(data.index)
    # every column passes through under its name, so set_output(transform="pandas") is a no-op
    assert adjuster.get_feature_names_out().tolist() == list(data.columns)
    assert adjuster.set_output(transform="pandas").transform(data).equals(adjusted)


def test_forecast_restores_the_common_movement_exactly():
    # adjusted series are constants, persistence forecasts them exactly, and the movement's
    # forecast (same month last year + the yearly growth of the last 2 years) is exact here
    history = _panel({"a": 10.0, "b": 250.0})
    future_months = pd.period_range(MONTHS[-1] + 1, periods=18, freq="M")
    truth = _panel({"a": 10.0, "b": 250.0}, months=MONTHS.append(future_months))
    adjuster = CommonTrendAdjuster(season_length=12, drift_seasons=2, columns=["sales"])
    adjusted = adjuster.fit_transform(history)[["sales"]]
    framing = SlidingWindowTransformer(n_steps_in=3, n_steps_out=18)
    model = PersistenceForecaster().fit(*framing.split(adjusted))
    restored = adjuster.inverse_transform(forecast(model, adjusted, 18, framing=framing))
    assert restored.index.get_level_values("month").equals(pd.PeriodIndex(
        np.tile(future_months, 2), freq="M", name="month"))
    expected = truth["sales"][truth.index.get_level_values("month") > MONTHS[-1]]
    np.testing.assert_allclose(restored.to_numpy(), expected.to_numpy(), rtol=1e-9)
    # without the adjustment, persistence would have missed the growth and the season
    plain = forecast(PersistenceForecaster().fit(*framing.split(history[["sales"]])),
                     history[["sales"]], 18, framing=framing)
    assert np.max(np.abs(plain.to_numpy() / expected.to_numpy() - 1)) > 0.3


def test_forecasts_of_a_panel_with_an_id_column_are_restored():
    # forecast() indexes the series of an id-column panel by (series_id, time)
    days = pd.date_range("2020-01-01", periods=30, freq="D", name="day")
    data = pd.concat([pd.DataFrame({"store": sid, "sales": level * 1.01 ** np.arange(30)},
                                   index=days) for sid, level in (("a", 1.0), ("b", 5.0))])
    adjuster = CommonTrendAdjuster(series_id="store")
    adjusted = adjuster.fit_transform(data)
    np.testing.assert_allclose(adjusted["sales"], np.repeat([1.0, 5.0], 30))
    framing = SlidingWindowTransformer(n_steps_in=3, n_steps_out=2, series_id="store")
    model = PersistenceForecaster().fit(*framing.split(adjusted))
    restored = adjuster.inverse_transform(forecast(model, adjusted, 2, framing=framing))
    np.testing.assert_allclose(restored.to_numpy(),
                               np.outer([1.0, 5.0], 1.01 ** np.array([30, 31])).ravel())
    assert restored.index.get_level_values("day")[0] == pd.Timestamp("2020-01-31")


def test_a_series_that_ends_early_is_restored_from_its_own_origin():
    # "a" ends at t=5; afterwards "b" grows 10% a step: a's forecast must not know that
    t = np.arange(10)
    b = np.where(t <= 5, 1.02 ** t, 1.02 ** 5 * 1.10 ** (t - 5))
    panel = pd.concat([
        pd.DataFrame({"y": 3 * 1.02 ** t[:6]}, index=pd.MultiIndex.from_arrays([["a"] * 6, t[:6]])),
        pd.DataFrame({"y": b}, index=pd.MultiIndex.from_arrays([["b"] * 10, t]))])
    adjuster = CommonTrendAdjuster(drift_seasons=2).fit(panel)
    future = pd.DataFrame({"y": [1.0, 1.0, 1.0]},
                          index=pd.MultiIndex.from_arrays([["a"] * 3, [6, 7, 8]]))
    restored = adjuster.inverse_transform(future)["y"].to_numpy()
    index_at_5 = 5 * np.log(1.02)
    np.testing.assert_allclose(np.log(restored), index_at_5 + np.log(1.02) * np.arange(1, 4))
    # the same times, for "b" (in its fitted part), take the measured movement instead
    in_sample = future.rename(index={"a": "b"}, level=0)
    np.testing.assert_allclose(adjuster.inverse_transform(in_sample)["y"].to_numpy(),
                               np.exp(adjuster.index_["y"].loc[[6, 7, 8]].to_numpy()))


def test_a_movement_forecaster_replaces_the_drift_forecast_once_per_origin():
    # the common growth slows from 1% to 0.2% a month after the fitted months; a forecaster that
    # knows it restores exactly, where the default (recent drift) runs high
    future_months = pd.period_range(MONTHS[-1] + 1, periods=12, freq="M")
    t = np.arange(48)
    common = np.where(t < 36, 0.01 * t, 0.35 + 0.002 * (t - 35)) + SEASON[t % 12]
    levels = {"a": 10.0, "b": 250.0}
    index = pd.MultiIndex.from_product([list(levels), MONTHS.append(future_months)])
    truth = pd.DataFrame({"sales": np.concatenate([v * np.exp(common) for v in levels.values()])},
                         index=index)
    history = truth[truth.index.get_level_values(1) <= MONTHS[-1]]
    calls = []

    def slowing(movement, horizon):
        calls.append((movement.index[-1], horizon))
        k = np.arange(1, horizon + 1)
        return movement.iloc[-1] + 0.002 * k + SEASON[(35 + k) % 12] - SEASON[35 % 12]

    adjuster = CommonTrendAdjuster(season_length=12, movement_forecaster=slowing).fit(history)
    adjusted = adjuster.transform(history)
    framing = SlidingWindowTransformer(n_steps_in=3, n_steps_out=12)
    model = PersistenceForecaster().fit(*framing.split(adjusted))
    restored = adjuster.inverse_transform(forecast(model, adjusted, 12, framing=framing))
    expected = truth["sales"][truth.index.get_level_values(1) > MONTHS[-1]].to_numpy()
    np.testing.assert_allclose(restored.to_numpy(), expected, rtol=1e-9)
    assert calls == [(MONTHS[-1], 12)]  # both series share the origin: one call
    default = clone(adjuster).set_params(movement_forecaster=None).fit(history)
    drifted = default.inverse_transform(forecast(model, adjusted, 12, framing=framing))
    assert np.mean(np.log(drifted.to_numpy() / expected)) > 0.04  # the 1% drift, carried on


@pytest.mark.parametrize("answer, message", [
    (lambda movement, h: np.zeros(h - 1), r"shape \(2,\) for a horizon of 3"),
    (lambda movement, h: np.full(h, np.nan), "with NaN or inf"),
    (lambda movement, h: ["up"] * h, "non-numeric"),
    (lambda movement, h: None, "None for a horizon of 3"),  # a forecaster that forgot to return
])
def test_a_movement_forecaster_answer_that_is_not_the_horizon_is_refused(answer, message):
    panel = _panel({"a": 1.0, "b": 2.0})[["sales"]]
    adjuster = CommonTrendAdjuster(movement_forecaster=answer).fit(panel)
    future = pd.DataFrame({"sales": np.ones(3)}, index=pd.MultiIndex.from_arrays(
        [["a"] * 3, pd.period_range(MONTHS[-1] + 1, periods=3, freq="M")]))
    with pytest.raises(ValueError, match="movement_forecaster returned .*" + message):
        adjuster.inverse_transform(future)


def test_a_series_too_short_for_the_drift_forecast_is_named():
    panel = _panel({"a": 1.0, "b": 2.0})[["sales"]]
    adjuster = CommonTrendAdjuster(season_length=12, drift_seasons=4).fit(panel)  # 36 < 48
    future = pd.DataFrame({"sales": np.ones(2)}, index=pd.MultiIndex.from_arrays(
        [["b"] * 2, pd.period_range(MONTHS[-1] + 1, periods=2, freq="M")]))
    with pytest.raises(ValueError, match=r"series 'b': .* needs more than season_length \* "
                                         r"drift_seasons = 48 periods of history; got 36\. "
                                         r"Lower drift_seasons"):
        adjuster.inverse_transform(future)


def test_seasonal_drift_forecast_refuses_a_zero_season_or_drift():
    """drift_seasons=0 divided by zero: a forecast of inf with only a RuntimeWarning."""
    from sklearn.utils._param_validation import InvalidParameterError
    from sklstm.common_trend import seasonal_drift_forecast

    for bad in ({"drift_seasons": 0}, {"season_length": 0}, {"horizon": 0}):
        kwargs = {"horizon": 3, **bad}
        with pytest.raises(InvalidParameterError, match=f"'{list(bad)[0]}' parameter"):
            seasonal_drift_forecast(np.arange(5.0), **kwargs)
    assert seasonal_drift_forecast(np.arange(5.0), horizon=3).tolist() == [5.0, 6.0, 7.0]


def test_interval_columns_are_restored_with_their_column():
    adjuster = CommonTrendAdjuster(columns=["sales"]).fit(_panel({"a": 10.0, "b": 20.0}))
    index = pd.MultiIndex.from_tuples([("a", MONTHS[-1] + 1)])
    bands = pd.DataFrame({"sales": [10.0], "sales_lower_80": [8.0], "sales_upper_80": [12.0],
                          "other": [1.0]}, index=index)
    restored = adjuster.inverse_transform(bands)
    factor = restored["sales"].iloc[0] / 10.0
    assert factor > 1
    np.testing.assert_allclose(restored[["sales_lower_80", "sales_upper_80"]].to_numpy(),
                               [[8.0 * factor, 12.0 * factor]])
    assert restored["other"].iloc[0] == 1.0


def test_series_input_round_trips_and_is_named():
    sales = _panel({"a": 10.0, "b": 20.0})["sales"]
    adjuster = CommonTrendAdjuster().fit(sales)
    np.testing.assert_allclose(adjuster.inverse_transform(adjuster.transform(sales)), sales)
    with pytest.raises(ValueError, match="not one of the adjusted columns"):
        adjuster.transform(sales.rename("other"))


def test_refuses_what_it_cannot_read():
    panel = _panel({"a": 10.0, "b": 20.0})
    with pytest.raises(ValueError, match="needs a panel"):
        CommonTrendAdjuster().fit(panel.loc["a"])
    negative = panel.assign(sales=panel["sales"] - 15)
    with pytest.raises(ValueError, match="series 'a', column 'sales' has values <= 0.*additive"):
        CommonTrendAdjuster(columns=["sales"]).fit(negative)
    missing = panel.copy()
    missing.iloc[3, 0] = np.nan
    with pytest.raises(ValueError, match="missing or infinite"):
        CommonTrendAdjuster().fit(missing)
    with pytest.raises(ValueError, match="columns=\\['price'\\]"):
        CommonTrendAdjuster(columns=["price"]).fit(panel)
    with pytest.raises(ValueError, match="kind"):
        CommonTrendAdjuster(kind="log").fit(panel)
    with pytest.raises(TypeError, match="dates"):
        CommonTrendAdjuster().fit(panel.assign(when=pd.Timestamp("2020-01-01")))
    # a month no series has would be read as one month's change: refused; a month only one
    # series lacks just drops it from that month's mean (the index keeps every month)
    outage = panel.drop(MONTHS[5:7], level="month")
    with pytest.raises(ValueError, match="no series of the panel has a row in 2020-06, 2020-07"):
        CommonTrendAdjuster(columns=["sales"]).fit(outage)
    one_missing = panel.drop(("a", MONTHS[5]))
    assert len(CommonTrendAdjuster(columns=["sales"]).fit(one_missing).index_) == len(MONTHS)
    adjuster = CommonTrendAdjuster(columns=["sales"]).fit(panel)
    later = _panel({"a": 10.0}, months=MONTHS + 36)
    with pytest.raises(ValueError, match="outside the times the adjuster was fitted on"):
        adjuster.transform(later)
    gap = pd.DataFrame({"sales": [1.0, 1.0]}, index=pd.MultiIndex.from_tuples(
        [("a", MONTHS[-1] + 1), ("a", MONTHS[-1] + 3)]))
    with pytest.raises(ValueError, match="series 'a': its rows after its last fitted time"):
        adjuster.inverse_transform(gap)
    short = CommonTrendAdjuster(season_length=12, drift_seasons=3, columns=["sales"]).fit(panel)
    with pytest.raises(ValueError, match="drift_seasons"):
        short.inverse_transform(gap.iloc[:1])


def test_clone_keeps_parameters_and_drops_state():
    adjuster = CommonTrendAdjuster(season_length=12, kind="additive").fit(
        _panel({"a": 1.0, "b": 2.0}))
    fresh = clone(adjuster)
    assert fresh.get_params() == adjuster.get_params()
    assert not hasattr(fresh, "index_")


def _noisy_panel(seed, n_months=96, horizon=6):
    """Four series sharing a random-walk movement: its forecast errs. (training, held-out)."""
    rng = np.random.default_rng(seed)
    months = pd.period_range("2010-01", periods=n_months, freq="M")
    common = np.cumsum(rng.normal(0.01, 0.03, n_months)) + SEASON[np.arange(n_months) % 12]
    panel = pd.DataFrame(
        {"sales": np.concatenate([level * np.exp(common + rng.normal(0, 0.02, n_months))
                                  for level in (10, 50, 200, 80)])},
        index=pd.MultiIndex.from_product([list("abcd"), months], names=["store", "month"]))
    position = panel.groupby(level="store").cumcount()
    return panel[position < n_months - horizon], panel[position >= n_months - horizon]


def _ridge_on_adjusted(train, framing):
    from sklearn.linear_model import Ridge

    from sklstm import RelativeRegressor

    adjuster = CommonTrendAdjuster(season_length=12).fit(train)
    model = RelativeRegressor(Ridge(), baseline="seasonal", season_length=12, scale="mean")
    return adjuster, model.fit(*framing.split(adjuster.transform(train)))


def test_forecast_with_adjuster_restores_and_calibrates_the_restored_forecasts():
    train, _ = _noisy_panel(0)
    framing = SlidingWindowTransformer(n_steps_in=13, n_steps_out=6)
    adjuster, model = _ridge_on_adjusted(train, framing)
    # the point forecast: the adjusted panel's, put back by the adjuster
    by_hand = adjuster.inverse_transform(forecast(model, adjuster.transform(train), 6,
                                                  framing=framing))
    pd.testing.assert_series_equal(forecast(model, train, 6, framing=framing, adjuster=adjuster),
                                   by_hand)
    # coverage 0.5 on one origin: each half-width is that origin's absolute error, of a model
    # and an adjuster refitted on the rows before it and restored from there
    bands = forecast(model, train, 6, framing=framing, adjuster=adjuster, coverage=0.5,
                     n_origins=1)
    months = train.index.get_level_values("month")
    head = train[months < months.max() - 5]
    refit_adjuster = clone(adjuster).fit(head)
    refit = clone(model).fit(*framing.split(refit_adjuster.transform(head)))
    then = refit_adjuster.inverse_transform(forecast(refit, refit_adjuster.transform(head), 6,
                                                     framing=framing))
    actual = train[months > months.max() - 6]["sales"].to_numpy()
    np.testing.assert_allclose((bands["sales_upper_50"] - bands["sales"]).to_numpy(),
                               np.abs(actual - then.to_numpy()), rtol=1e-9)
    np.testing.assert_allclose(bands["sales"].to_numpy(), by_hand.to_numpy())


def test_intervals_through_the_adjuster_cover_what_restored_adjusted_intervals_miss():
    # 90% intervals on 6 held-out months of 12 simulated panels: calibrated on the restored
    # forecasts they covered 0.80 when written (19 origins one month apart see few independent
    # movement errors); the adjusted panel's intervals, restored, leave that error out: 0.41
    framing = SlidingWindowTransformer(n_steps_in=13, n_steps_out=6)
    covered = {"through": [], "restored": []}
    for seed in range(12):
        train, test = _noisy_panel(seed)
        adjuster, model = _ridge_on_adjusted(train, framing)
        through = forecast(model, train, 6, framing=framing, adjuster=adjuster, coverage=0.9,
                           n_origins=19)
        restored = adjuster.inverse_transform(forecast(
            model, adjuster.transform(train), 6, framing=framing, coverage=0.9, n_origins=19))
        truth = test["sales"].to_numpy()
        for name, bands in (("through", through), ("restored", restored)):
            covered[name].append(np.mean((truth >= bands["sales_lower_90"].to_numpy())
                                         & (truth <= bands["sales_upper_90"].to_numpy())))
    assert np.mean(covered["through"]) >= 0.75
    assert np.mean(covered["restored"]) <= 0.55


def test_forecast_adjuster_needs_a_panel():
    framing = SlidingWindowTransformer(n_steps_in=3)
    series = pd.Series(np.arange(1.0, 11.0))
    model = PersistenceForecaster().fit(*framing.split(series))
    adjuster = CommonTrendAdjuster(columns=["sales"]).fit(_panel({"a": 1.0, "b": 2.0}))
    with pytest.raises(ValueError, match="adjuster= .*data is not a panel"):
        forecast(model, series, 2, framing=framing, adjuster=adjuster)
    with pytest.raises(TypeError, match="adjuster must be a fitted sklstm.CommonTrendAdjuster"):
        forecast(model, series, 2, framing=framing, adjuster="log")


def test_forecast_adjuster_must_be_fitted_on_the_data_forecast_from():
    # fitted on later months, the adjuster would restore the forecast months with the movement
    # it measured there (the test months' own), silently
    train, _ = _noisy_panel(0)
    framing = SlidingWindowTransformer(n_steps_in=13, n_steps_out=6)
    adjuster, model = _ridge_on_adjusted(train, framing)
    earlier = train.groupby(level="store").head(80)
    with pytest.raises(ValueError, match="fitted on series 'a' up to 2017-06, but its data end "
                                         "at 2016-08.*adjuster.fit"):
        forecast(model, earlier, 6, framing=framing, adjuster=adjuster)
    with pytest.raises(ValueError, match="not fitted on series 'z'"):
        forecast(model, train.rename(index={"a": "z"}, level="store"), 6, framing=framing,
                 adjuster=adjuster)


def test_forecast_adjuster_calls_a_movement_forecaster_once_per_origin():
    # a statistical movement forecaster (AutoARIMA on the retail panel: about a second a fit)
    # must run once per calibration origin, not once per series and origin
    train, _ = _noisy_panel(1)
    framing = SlidingWindowTransformer(n_steps_in=13, n_steps_out=6)
    calls = []

    def movement(history, horizon):
        calls.append(history.index[-1])
        return np.full(horizon, history.iloc[-1])

    adjuster, model = _ridge_on_adjusted(train, framing)
    adjuster = clone(adjuster).set_params(movement_forecaster=movement).fit(train)
    bands = forecast(model, train, 6, framing=framing, adjuster=adjuster, coverage=0.8,
                     n_origins=5)
    assert len(calls) == 1 + 5  # the forecast's origin, then each calibration origin's
    assert sorted(set(calls)) == sorted(calls)
    assert bands.shape == (4 * 6, 3)


def test_forecast_with_adjuster_and_known_future_on_a_panel_is_exact():
    # two stores whose promotions alternate (so the common movement is the shared trend and
    # season alone), each selling 2 more during its own promotion: after the adjustment a linear
    # model on the last value, the past promotions and the known future ones is exact, and so
    # is the restored forecast; refits at every calibration origin read the promotions from the
    # data, so with an exact model the intervals have no width
    from sklearn.linear_model import Ridge

    from sklstm import RelativeRegressor

    months = pd.period_range("2015-01", periods=64, freq="M")
    t = np.arange(64)
    common = 0.5 * t + 3 * np.sin(2 * np.pi * t / 12)
    promo = (np.random.default_rng(0).random(64) < 0.4).astype(float)
    full = pd.DataFrame(
        {"sales": np.concatenate([level + common + 2 * own for level, own
                                  in ((10.0, promo), (40.0, 1 - promo))]),
         "promo": np.concatenate([promo, 1 - promo])},
        index=pd.MultiIndex.from_product([["a", "b"], months], names=["store", "month"]))
    cut = full.index.get_level_values("month") < months[60]
    history, future = full[cut], full[~cut][["promo"]]
    adjuster = CommonTrendAdjuster(kind="additive", season_length=12, drift_seasons=2,
                                   columns=["sales"]).fit(history)
    framing = SlidingWindowTransformer(n_steps_in=13, n_steps_out=4, target="sales",
                                       inputs=["sales"], known_future=["promo"])
    model = RelativeRegressor(Ridge(alpha=1e-9), baseline="last", covariates="levels",
                              target_feature=0, future_steps=4)
    model.fit(*framing.split(adjuster.transform(history)))
    point = forecast(model, history, 4, framing=framing, future=future, adjuster=adjuster)
    assert point.index.equals(full.index[~cut])
    np.testing.assert_allclose(point.to_numpy(), full.loc[~cut, "sales"].to_numpy(), atol=1e-4)
    bands = forecast(model, history, 4, framing=framing, future=future, adjuster=adjuster,
                     coverage=0.8, n_origins=9)
    np.testing.assert_allclose(bands["sales"].to_numpy(), point.to_numpy())
    np.testing.assert_allclose(bands["sales_upper_80"] - bands["sales_lower_80"], 0, atol=1e-3)
    # without the promotions' future values the forecast is refused, naming them
    with pytest.raises(ValueError, match="promo"):
        forecast(model, history, 4, framing=framing, adjuster=adjuster)
