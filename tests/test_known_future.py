"""Known-future inputs: extended windows, no other future value, forecasts given the future."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import TimeSeriesSplit, cross_validate
from sklearn.pipeline import make_pipeline

from sklstm import (LSTMForecaster, PersistenceForecaster, RelativeRegressor,
                    SlidingWindowTransformer, forecast)
from sklstm.architectures import ARCHITECTURES
from sklstm.calendar import CalendarFeatures


def _coded(n=12):
    """Each value is 10 * row + column code: a window entry says which row and column it is."""
    rows = np.arange(n) * 10.0
    return pd.DataFrame({"y": rows + 1, "other": rows + 2, "temp": rows + 3},
                        index=pd.date_range("2024-01-01", periods=n, freq="h"))


def _framing(**kwargs):
    return SlidingWindowTransformer(3, 2, target="y", inputs=["y", "other"], known_future="temp",
                                    **kwargs)


def test_split_extends_each_window_by_the_known_future():
    X, y = _framing().split(_coded())
    assert X.shape == (8, 5, 3) and y.shape == (8, 2)
    # window 0: rows 0-2 of every column, then rows 3-4 of temp only
    np.testing.assert_array_equal(X[0], [[1, 2, 3], [11, 12, 13], [21, 22, 23],
                                         [0, 0, 33], [0, 0, 43]])
    np.testing.assert_array_equal(y[0], [31, 41])


def test_no_future_value_but_the_known_columns_enters_a_window():
    data = _coded(20)
    X, _ = _framing().split(data)
    Xt = _framing().fit(aligned := _framing().align(data)[0]).transform(aligned)
    for windows in (X, Xt.reshape(len(Xt), 5, 3)[:len(X) + 2][2:]):
        for i, window in enumerate(windows):
            last_row = i + 2
            row, column = np.divmod(window[window != 0], 10)
            future = row > last_row
            assert set(column[future]) <= {3}, "a non-known column's future entered"
            assert sorted(row[future]) == [last_row + 1, last_row + 2]
    # row-aligned windows are exactly the split ones where both exist
    np.testing.assert_array_equal(Xt[2:2 + len(X)], X.reshape(len(X), -1))


def test_align_adds_named_lead_columns_and_transform_checks_them():
    X, y = _framing().align(_coded())
    assert list(X.columns) == ["y", "other", "temp", "temp(t+1)", "temp(t+2)"]
    np.testing.assert_array_equal(X.iloc[0, 3:], [13, 23])
    framing = _framing().fit(X)
    assert framing.get_feature_names_out()[-3:].tolist() == ["y(t+2)", "other(t+2)", "temp(t+2)"]
    with pytest.raises(ValueError, match="not the lead columns"):
        _framing().fit(X.rename(columns={"temp(t+2)": "x"}))
    with pytest.raises(ValueError, match="known_future names the target"):
        SlidingWindowTransformer(3, 2, target="y", known_future="y").split(_coded())


def _demand(n=240, seed=0):
    """Demand driven by the temperature at the forecast step: no past window can tell it."""
    temp = np.random.default_rng(seed).normal(size=n)
    index = pd.date_range("2024-01-01", periods=n, freq="h")
    demand = np.r_[0.0, 2.0 * temp[1:]] + 10
    return pd.DataFrame({"demand": demand, "temp": temp}, index=index)


@pytest.mark.parametrize("architecture", sorted(ARCHITECTURES))
def test_every_architecture_fits_extended_windows(architecture):
    framing = SlidingWindowTransformer(4, 2, target="demand", inputs=["demand"],
                                       known_future="temp")
    X, y = framing.split(_demand(60))
    model = LSTMForecaster(architecture, units=4, filters=4, epochs=1, future_steps=2,
                           random_state=0).fit(X, y)
    assert model.predict(X[:3]).shape == (3, 2)
    with pytest.raises(ValueError, match="future_steps=6 leaves no past"):
        LSTMForecaster(architecture, epochs=1, future_steps=6).fit(X, y)


def test_the_lstm_reads_the_known_future():
    data = _demand()
    framing = SlidingWindowTransformer(4, 1, target="demand", inputs=["demand"],
                                       known_future="temp")
    X, y = framing.split(data)
    train, test = slice(0, 180), slice(180, None)
    model = LSTMForecaster(units=16, activation="tanh", epochs=150, learning_rate=0.01,
                           future_steps=1, random_state=0).fit(X[train], y[train])
    # the next hour's demand is 2 x its temperature + 10: only the known future says so
    error = np.mean(np.abs(model.predict(X[test]) - y[test]))
    assert error < 0.25 * np.mean(np.abs(y[test] - y[train].mean()))


def test_forecast_takes_the_future_values_and_names_what_is_missing():
    data = _demand(100)
    framing = SlidingWindowTransformer(3, 2, target="demand", inputs=["demand"],
                                       known_future="temp")
    pipe = make_pipeline(framing, LinearRegression()).fit(*framing.align(data))
    dates = pd.date_range(data.index[-1] + pd.Timedelta("1h"), periods=4, freq="h")
    future = pd.DataFrame({"temp": [1.0, -1.0, 0.5, 2.0]}, index=dates)
    np.testing.assert_allclose(forecast(pipe, data, 4, future=future), [12, 8, 11, 14])
    # the same from split windows and a relative model reading them
    model = RelativeRegressor(LinearRegression(), baseline=None, target_feature=0,
                              future_steps=2).fit(*framing.split(data))
    np.testing.assert_allclose(forecast(model, data, 4, framing=framing, future=future),
                               [12, 8, 11, 14], atol=1e-6)
    with pytest.raises(ValueError, match="pass their values"):
        forecast(pipe, data, 4)
    with pytest.raises(ValueError, match=r"lacks the known-future columns \['temp'\]"):
        forecast(pipe, data, 4, future=future.rename(columns={"temp": "t"}))
    with pytest.raises(ValueError, match="no rows for 2 of the forecast steps .*2024-01-05 06"):
        forecast(pipe, data, 4, future=future.iloc[:2])
    with pytest.raises(ValueError, match="has 3 rows"):
        forecast(pipe, data.reset_index(drop=True), 4, future=future.iloc[:3].reset_index())
    # a repeated date would be read twice and shift every later step's value (it was, silently)
    repeated = pd.concat([future.iloc[:1] + 5, future])
    with pytest.raises(ValueError, match="future repeats the time"):
        forecast(pipe, data, 4, future=repeated)
    with pytest.raises(ValueError, match="an array has no column labels"):
        forecast(pipe, data, 4, future=future.to_numpy())
    # text, dates and booleans are refused by column, as in the data (text failed unnamed)
    with pytest.raises(TypeError, match=r"future has non-numeric columns \['temp'\]"):
        forecast(pipe, data, 4, future=future.assign(temp=list("abcd")))
    with pytest.raises(TypeError, match="future column 'temp' holds dates"):
        forecast(pipe, data, 4, future=future.assign(temp=dates))
    # hours as periods: their rows were taken in order whatever their times (2030 would do)
    with pytest.raises(ValueError, match="future is indexed by a PeriodIndex and the data by a "
                                         "DatetimeIndex"):
        forecast(pipe, data, 4, future=future.set_axis(dates.to_period("h") + 50000))
    # dates read as text (a CSV without parse_dates): taken in order, an earlier row and all
    text = pd.concat([future.iloc[:1] - 9, future]).set_axis(
        [str(d) for d in dates.insert(0, dates[0] - pd.Timedelta("1h"))])
    with pytest.raises(ValueError, match="future's index holds str labels such as '2024-01-05 "
                                         "03:00:00', not times"):
        forecast(pipe, data, 4, future=text)
    # a naive time never equals an aware one: every step read as missing, now with the reason
    aware = data.tz_localize("Australia/Melbourne")
    with pytest.raises(ValueError, match=r"future's times are tz-naive and the data's "
                                         r"Australia/Melbourne: future.tz_localize\("):
        forecast(pipe, aware, 4, future=future)
    np.testing.assert_allclose(
        forecast(pipe, aware, 4, future=future.tz_localize("Australia/Melbourne")),
        [12, 8, 11, 14])
    plain = SlidingWindowTransformer(3)
    naive = PersistenceForecaster().fit(*plain.split(data["demand"]))
    with pytest.raises(ValueError, match="no known_future columns"):
        forecast(naive, data["demand"], 2, framing=plain, future=future)


def test_walk_forward_cv_with_known_future():
    data = _demand(120)
    framing = SlidingWindowTransformer(3, 1, target="demand", inputs=["demand"],
                                       known_future="temp", history="continue")
    X, y = framing.align(data)
    result = cross_validate(make_pipeline(framing, LinearRegression()), X, y,
                            cv=TimeSeriesSplit(3, test_size=10), scoring="neg_mean_absolute_error")
    np.testing.assert_allclose(result["test_score"], 0.0, atol=1e-8)


def test_calendar_features():
    index = pd.date_range("2024-12-30 22:00", periods=4, freq="h", tz="Australia/Melbourne")
    table = pd.DataFrame({"demand": [1.0, 2, 3, 4]}, index=index)
    out = CalendarFeatures(["month", "dayofweek", "hour"], holidays=["2024-12-31"]).fit_transform(table)
    np.testing.assert_array_equal(out["month"], [12, 12, 12, 12])
    np.testing.assert_array_equal(out["dayofweek"], [0, 0, 1, 1])
    np.testing.assert_array_equal(out["hour"], [22, 23, 0, 1])
    np.testing.assert_array_equal(out["holiday"], [0, 0, 1, 1])
    cyclic = CalendarFeatures(["hour"], cyclic=True).fit(table)
    hours = cyclic.transform(table)
    np.testing.assert_allclose(hours["hour_sin"] ** 2 + hours["hour_cos"] ** 2, 1.0)
    np.testing.assert_allclose(hours["hour_cos"].iloc[2], 1.0)  # midnight
    assert cyclic.get_feature_names_out().tolist() == ["demand", "hour_sin", "hour_cos"]
    # a refit on unnamed columns kept the previous fit's names; without names, every input
    # column is named (x0, ...), not left out of the output's names
    unnamed = table.set_axis([0], axis=1)
    assert cyclic.fit(unnamed).get_feature_names_out().tolist() == ["x0", "hour_sin", "hour_cos"]
    assert cyclic.transform(unnamed).shape[1] == len(cyclic.get_feature_names_out())
    # the calendar of future dates: a table with no columns
    future = CalendarFeatures(["dayofweek"]).fit(table).transform(
        pd.DataFrame(index=pd.date_range("2025-01-06", periods=2, freq="D")))
    np.testing.assert_array_equal(future["dayofweek"], [0, 1])
    with pytest.raises(TypeError, match="DatetimeIndex"):
        CalendarFeatures().fit(table.reset_index(drop=True))
    # a column named like a calendar field was overwritten silently
    with pytest.raises(ValueError, match=r"already has column\(s\) \['hour'\]"):
        CalendarFeatures(["hour"]).fit(table.assign(hour=7.0))
    with pytest.raises(ValueError, match=r"already has column\(s\) \['hour_sin'\]"):
        cyclic.transform(table.assign(hour_sin=0.0))
    with pytest.raises(ValueError, match="unknown calendar fields"):
        CalendarFeatures(["weekday"]).fit(table)
    # a panel: the dates are the MultiIndex's time level, each store's rows their own
    panel = pd.DataFrame({"sales": np.arange(6.0)}, index=pd.MultiIndex.from_product(
        [["a", "b"], pd.period_range("2024-11", periods=3, freq="M")], names=["store", "month"]))
    stores = CalendarFeatures(["month"], holidays=["2024-12-25"]).fit_transform(panel)
    assert stores.index.equals(panel.index)
    np.testing.assert_array_equal(stores["month"], [11, 12, 1, 11, 12, 1])
    np.testing.assert_array_equal(stores["holiday"], [0, 1, 0, 0, 1, 0])  # December holds it


def test_a_calendar_step_inside_a_row_aligned_pipeline_forecasts_from_every_rows_dates():
    # forecast passed the window rows without their dates, and the calendar step refused them
    months = pd.date_range("2020-01", periods=48, freq="MS")
    y = pd.Series(10 + 3 * np.cos(2 * np.pi * months.month / 12) + 0.01 * np.arange(48),
                  index=months, name="sales")
    model = make_pipeline(CalendarFeatures(["month"], cyclic=True),
                          SlidingWindowTransformer(2, history="restart"),
                          LinearRegression()).set_output(transform="pandas")
    model.fit(*SlidingWindowTransformer(2).align(y))
    ahead = forecast(model, y, 3)
    history = y.copy()
    for when in pd.date_range("2024-01", periods=3, freq="MS"):  # each step sees its own months
        history[when] = model.predict(history.to_frame())[-1]
    np.testing.assert_allclose(ahead.to_numpy(), history.iloc[-3:].to_numpy())
    # known_future columns made by such a step have no lead columns: refused with the fix
    framing = SlidingWindowTransformer(2, target="sales", inputs=["sales"],
                                       known_future=["month_sin", "month_cos"])
    inside = make_pipeline(CalendarFeatures(["month"], cyclic=True), framing,
                           LinearRegression()).set_output(transform="pandas")
    with pytest.raises(ValueError, match=r"last 2 columns are taken as the lead columns align\(\) "
                                         r"appends \(here \['month_sin', 'month_cos'\]\).*before align"):
        inside.fit(*SlidingWindowTransformer(2).align(y))


@pytest.mark.parametrize("features, index", [
    (["hour"], pd.period_range("2024-01", periods=6, freq="M")),        # always 0
    (["dayofweek"], pd.date_range("2024-01", periods=6, freq="MS")),    # each 1st's weekday: noise
    (["dayofweek"], pd.date_range("2024-01-07", periods=6, freq="W")),  # always Sunday
    (["hour", "month"], pd.date_range("2024-01-01", periods=6, freq="D")),
    (["month"], pd.period_range("2020", periods=6, freq="Y")),
])
def test_a_field_that_cannot_vary_at_the_data_frequency_is_refused(features, index):
    """A field whose cycle fits in one step is constant or aliased: it was added silently (the
    default ("month", "dayofweek") gave monthly data a weekday column of noise)."""
    table = pd.DataFrame({"sales": np.arange(6.0)}, index=index)
    with pytest.raises(ValueError, match=r"cannot vary on data of frequency .*Use fields"):
        CalendarFeatures(features).fit(table)
    # a panel is judged by one series' times (its time level repeats across series)
    panel = pd.concat({"a": table, "b": table}, names=["store", "time"])
    with pytest.raises(ValueError, match="cannot vary"):
        CalendarFeatures(features).fit(panel)


def test_fields_that_vary_at_the_data_frequency_are_kept():
    for features, index in [(["month"], pd.period_range("2024Q1", periods=6, freq="Q")),
                            (["dayofyear"], pd.date_range("2024-01-07", periods=6, freq="W")),
                            (["dayofweek"], pd.bdate_range("2024-01-01", periods=6)),
                            (["hour"], pd.date_range("2024-01-01", periods=6, freq="3h"))]:
        out = CalendarFeatures(features).fit_transform(
            pd.DataFrame({"sales": np.arange(6.0)}, index=index))
        assert out[features[0]].nunique() > 1
    with pytest.raises(ValueError, match="holidays must be dates"):
        CalendarFeatures(holidays=["not a date"]).fit(
            pd.DataFrame({"sales": [1.0]}, index=pd.date_range("2024-01-01", periods=1)))


def test_intervals_with_known_future_calibrate_on_the_known_values():
    data = _demand(100)
    data["demand"] += np.random.default_rng(1).normal(scale=0.1, size=len(data))
    framing = SlidingWindowTransformer(3, 2, target="demand", inputs=["demand"],
                                       known_future="temp")
    model = RelativeRegressor(LinearRegression(), baseline=None, target_feature=0,
                              future_steps=2).fit(*framing.split(data))
    dates = pd.date_range(data.index[-1] + pd.Timedelta("1h"), periods=4, freq="h")
    future = pd.DataFrame({"temp": [1.0, -1.0, 0.5, 2.0]}, index=dates)
    # horizon 3 from a 2-step model: each origin reads 4 known values, so origins stop 4 early
    result = forecast(model, data, 3, framing=framing, future=future, coverage=0.8, n_origins=9)
    assert list(result.columns) == ["demand", "demand_lower_80", "demand_upper_80"]
    np.testing.assert_allclose(result["demand"], [12, 8, 11], atol=0.1)
    residuals = []
    clone_fit = RelativeRegressor(LinearRegression(), baseline=None, target_feature=0,
                                  future_steps=2).fit(*framing.split(data.iloc[:88]))
    for origin in range(88, 97):
        known = data.iloc[origin:origin + 4][["temp"]]
        predicted = forecast(clone_fit, data.iloc[:origin], 3, framing=framing, future=known)
        residuals.append(data["demand"].iloc[origin:origin + 3].to_numpy() - predicted.to_numpy())
    width = np.sort(np.abs(residuals), axis=0)[7]  # ceil((9 + 1) * 0.8) = 8th smallest
    np.testing.assert_allclose(result["demand_upper_80"] - result["demand"], width, rtol=1e-9)
    assert (width < 0.5).all()  # the noise's scale: without the known values it would be ~2
    # a row-aligned pipeline calibrates the same way
    pipe = make_pipeline(framing, LinearRegression()).fit(*framing.align(data))
    rows = forecast(pipe, data, 4, future=future, coverage=[0.5, 0.9], n_origins=10)
    spread = (rows["demand_upper_90"] - rows["demand_lower_90"]).to_numpy()
    assert rows.shape == (4, 5) and (spread > 0).all() and (spread < 1.0).all()
