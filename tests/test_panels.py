"""Panels of many series: windows never cross a series, folds cut every series by date."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.model_selection import GridSearchCV, cross_validate
from sklearn.pipeline import make_pipeline

from sklstm import (LSTMForecaster, PanelTimeSeriesSplit, PersistenceForecaster,
                    RelativeRegressor, SlidingWindowTransformer, forecast)
from sklstm.panels import window_index

LENGTHS = {"a": 9, "b": 14, "c": 7}  # different lengths; "c" starts late


def _marked_panel():
    """Series k holds 1000 * (k + 1) + t: a value's thousands say which series it is from."""
    pieces = []
    for k, (sid, n) in enumerate(LENGTHS.items()):
        start = pd.Period("2020-01", "M") + (14 - n if sid == "c" else 0)
        months = pd.period_range(start, periods=n, freq="M")
        pieces.append(pd.DataFrame({"y": 1000.0 * (k + 1) + np.arange(n), "x": -1000.0 * (k + 1)},
                                   index=pd.MultiIndex.from_arrays([[sid] * n, months],
                                                                   names=["id", "month"])))
    return pd.concat(pieces)


def _one_series(values):
    """Every value of a window (or target) comes from the same series."""
    series = np.floor(np.abs(np.asarray(values)) / 1000).reshape(len(values), -1)
    return (series == series[:, :1]).all()


def _long(panel):
    """The same panel as a long table, rows sorted by date (series interleaved)."""
    return panel.reset_index(level="id").sort_values(["month", "id"], kind="stable")


@pytest.mark.parametrize("n_steps_out", [1, 3])
def test_split_windows_never_cross_series(n_steps_out):
    panel = _marked_panel()
    framing = SlidingWindowTransformer(n_steps_in=3, n_steps_out=n_steps_out, target="y",
                                       inputs=["y", "x"])
    X, y = framing.split(panel)
    # each series of n rows gives n - 3 - n_steps_out + 1 windows, no window across a boundary
    assert len(X) == sum(n - 3 - n_steps_out + 1 for n in LENGTHS.values())
    together = np.concatenate([X.reshape(len(X), -1), y.reshape(len(y), -1)], axis=1)
    assert _one_series(together)
    # every window ends at the row its label names, and the labels are in time order, so the
    # last windows (what early_stopping holds out) are the latest dates of every series
    labels = window_index(framing, panel)
    np.testing.assert_array_equal(X[:, -1, 0], [panel.loc[label, "y"] for label in labels])
    assert labels.get_level_values("month").is_monotonic_increasing
    last = labels[-4:]
    assert set(last.get_level_values("id")) == {"b", "c"}  # "a" ends 5 months earlier
    # the first window of "b" starts at b's first value
    first_b = list(labels.get_level_values("id")).index("b")
    assert labels[first_b] == ("b", pd.Period("2020-03", "M"))
    np.testing.assert_array_equal(X[first_b, :, 0], [2000, 2001, 2002])
    # the long layout with interleaved rows gives the same windows
    X_long, y_long = SlidingWindowTransformer(3, n_steps_out, target="y", inputs=["y", "x"],
                                              series_id="id").split(_long(panel))
    np.testing.assert_array_equal(X_long, X)
    np.testing.assert_array_equal(y_long, y)


@pytest.mark.parametrize("layout", ["multiindex", "long"])
def test_row_aligned_windows_stay_within_series(layout):
    panel = _marked_panel() if layout == "multiindex" else _long(_marked_panel())
    framing = SlidingWindowTransformer(n_steps_in=4, target="y", inputs=["y", "x"],
                                       series_id=None if layout == "multiindex" else "id")
    X, y = framing.align(panel)
    Xt = framing.fit_transform(X)
    assert Xt.shape == (len(X), 8)
    assert _one_series(np.column_stack([Xt, np.asarray(y)]))
    # rows come back in input order: each row's newest step is that row's own values
    np.testing.assert_array_equal(Xt[:, -2:], X[["y", "x"]].to_numpy())
    assert framing.get_feature_names_out().tolist()[-2:] == ["y(t)", "x(t)"]


def test_transform_continues_each_series_and_restarts_new_ones():
    panel = _marked_panel()
    framing = SlidingWindowTransformer(n_steps_in=3)
    X, _ = framing.align(panel[["y"]])
    whole = framing.fit_transform(X)
    months = X.index.get_level_values("month")
    cut = pd.Period("2020-06", "M")
    fitted = framing.fit(X[months < cut])
    # the test rows of every series continue that series' own fitted rows
    np.testing.assert_array_equal(fitted.transform(X[months >= cut]), whole[months >= cut])
    # a series unseen in fit has no past: its first windows repeat its first row
    new = X.xs("c", level="id", drop_level=False)
    fresh = framing.fit(X.drop(index="c", level="id")).transform(new)
    np.testing.assert_array_equal(fresh[0], [3000.0] * 3)


def test_splitter_cuts_every_series_at_the_same_dates():
    framing = SlidingWindowTransformer(n_steps_in=3, n_steps_out=2, target="y",
                                       inputs=["y", "x"])
    X, _ = framing.align(_marked_panel())
    months = X.index.get_level_values("month")
    splitter = PanelTimeSeriesSplit(n_splits=3, test_size=2, gap=1)
    folds = list(splitter.split(X))
    assert len(folds) == splitter.get_n_splits() == 3
    for train, test in folds:
        assert months[train].max() < months[test].min()
        # gap = n_steps_out - 1: the last training target ends before the first test target
        assert (months[test].min() - months[train].max()).n == 2
        # every row dated in the test periods is tested, whichever series it belongs to
        np.testing.assert_array_equal(test, np.flatnonzero(np.isin(months, months[test])))
    # the last fold tests the last two months, of the series that reach them
    last = X.index[folds[-1][1]]
    assert sorted(set(last.get_level_values("month").astype(str))) == ["2020-11", "2020-12"]
    # a 3-D window array has no index: the splitter asks for the times
    windows, _ = framing.split(_marked_panel())
    with pytest.raises(TypeError, match="groups=window_index"):
        next(splitter.split(windows))
    labels = window_index(framing, _marked_panel()).get_level_values("month")
    for train, test in splitter.split(windows, groups=window_index(framing, _marked_panel())):
        assert (labels[test].min() - labels[train].max()).n == 2
    assert sorted(set(labels[test].astype(str))) == ["2020-11", "2020-12"]
    # too many folds for the panel's distinct months: the error counts months, not rows
    n_months = months.nunique()
    with pytest.raises(ValueError, match=f"it has {n_months}; these folds need at least"):
        next(PanelTimeSeriesSplit(n_splits=n_months // 2, test_size=2).split(X))


def test_splitter_works_as_cv_for_pipelines_and_search():
    panel = _marked_panel()[["y"]]
    framing = SlidingWindowTransformer(n_steps_in=3)
    X, y = framing.align(panel)
    pipe = make_pipeline(framing, RelativeRegressor(LinearRegression(), baseline="last"))
    result = cross_validate(pipe, X, y, cv=PanelTimeSeriesSplit(3, test_size=2),
                            scoring="neg_mean_absolute_error")
    # every series rises by 1 a month: the relative linear model is exact in every fold
    np.testing.assert_allclose(result["test_score"], 0.0, atol=1e-8)
    search = GridSearchCV(pipe, {"slidingwindowtransformer__n_steps_in": [2, 3]},
                          cv=PanelTimeSeriesSplit(2, test_size=2),
                          scoring="neg_mean_absolute_error").fit(X, y)
    np.testing.assert_allclose(search.best_score_, 0.0, atol=1e-8)


def _scaled_panel():
    t = np.arange(24.0)
    season = np.tile([0.0, 1.0, 3.0, 1.0], 6)
    index = pd.MultiIndex.from_product(
        [["small", "large"], pd.period_range("2021-01", periods=24, freq="M")],
        names=["store", "month"])
    return pd.DataFrame({"sales": np.r_[10 + t + season, 1000 + 10 * (t + season)]}, index=index)


def test_forecast_every_series_in_its_units():
    panel = _scaled_panel()
    framing = SlidingWindowTransformer(n_steps_in=8, n_steps_out=2)
    model = RelativeRegressor(Ridge(alpha=1e-8), baseline="seasonal", season_length=4,
                              scale="last").fit(*framing.split(panel))
    future = forecast(model, panel, 4, framing=framing)
    assert future.index.names == ["store", "month"]
    assert future.index.get_level_values("store").tolist() == ["small"] * 4 + ["large"] * 4
    assert future.index.get_level_values("month")[0] == pd.Period("2023-01", "M")
    t = np.arange(24, 28.0)
    season = np.array([0.0, 1.0, 3.0, 1.0])
    np.testing.assert_allclose(future.loc["small"], 10 + t + season, rtol=1e-3)
    np.testing.assert_allclose(future.loc["large"], 1000 + 10 * (t + season), rtol=1e-3)
    # a row-aligned pipeline on the long layout gives the same kind of answer
    long = panel.reset_index(level="store")
    rows = SlidingWindowTransformer(n_steps_in=4, series_id="store")
    pipe = make_pipeline(rows, PersistenceForecaster(season_length=4)).fit(*rows.align(long))
    naive = forecast(pipe, long, 4)
    np.testing.assert_array_equal(naive.loc["large"], panel.loc["large", "sales"].iloc[-4:])


def test_one_lstm_over_the_panel():
    panel = _scaled_panel()
    framing = SlidingWindowTransformer(n_steps_in=8, n_steps_out=4)
    model = RelativeRegressor(LSTMForecaster(units=8, epochs=30, activation="tanh",
                                             random_state=0),
                              baseline="seasonal", season_length=4, scale="last")
    model.fit(*framing.split(panel))
    future = forecast(model, panel, 4, framing=framing)
    t = np.arange(24, 28.0)
    season = np.array([0.0, 1.0, 3.0, 1.0])
    # one network, two scales 100x apart: each comes back in its own units
    np.testing.assert_allclose(future.loc["small"], 10 + t + season, rtol=0.1)
    np.testing.assert_allclose(future.loc["large"], 1000 + 10 * (t + season), rtol=0.1)


def test_series_too_short_is_named():
    panel = _marked_panel()
    with pytest.raises(ValueError, match="series 'c'"):
        SlidingWindowTransformer(n_steps_in=6, n_steps_out=2).split(panel)
    with pytest.raises(ValueError, match="series 'c'"):
        window_index(SlidingWindowTransformer(n_steps_in=6, n_steps_out=2), panel)
    framing = SlidingWindowTransformer(n_steps_in=3)
    model = PersistenceForecaster().fit(*framing.split(panel[["y"]]))
    short = panel[["y"]].drop(index=panel.index[LENGTHS["a"] + LENGTHS["b"] + 2:])
    with pytest.raises(ValueError, match="series 'c'.*n_steps_in=3"):
        forecast(model, short, 2, framing=framing)


def test_panel_layout_errors():
    panel = _marked_panel()
    shuffled = panel.iloc[::-1]
    with pytest.raises(ValueError, match="series 'c' are not in increasing time order"):
        SlidingWindowTransformer(3).split(shuffled)
    with pytest.raises(ValueError, match="series_id='store' is neither a column"):
        SlidingWindowTransformer(3, series_id="store").split(_long(panel))
    with pytest.raises(TypeError, match="must be a DataFrame"):
        SlidingWindowTransformer(3, series_id="id").split(np.arange(10.0))
    # (time, id) instead of (id, time): each date would be read as a series of 2-3 rows
    with pytest.raises(ValueError, match=r"indexed \(series_id, time\); swap the levels"):
        SlidingWindowTransformer(3).split(panel.swaplevel().sort_index())
    # a missing id would be coded -1 by pd.factorize and failed in np.bincount, naming nothing
    unnamed = panel.rename(index={"b": np.nan}, level="id")
    with pytest.raises(ValueError, match=r"first level \('id'\).*has missing series ids"):
        SlidingWindowTransformer(3).split(unnamed)
    with pytest.raises(ValueError, match="series_id column 'id' has missing series ids"):
        SlidingWindowTransformer(3, series_id="id").split(_long(unnamed))
    # tuple ids (state, industry) failed inside pandas ("isna is not defined for MultiIndex",
    # a length mismatch in align), naming neither the ids nor the fix
    tuples = _long(panel).assign(id=lambda d: [(sid, "x") for sid in d["id"]])
    for call in (SlidingWindowTransformer(3, series_id="id").split,
                 SlidingWindowTransformer(3, series_id="id").align):
        with pytest.raises(ValueError, match=r"series_id column 'id' holds tuple series ids "
                                             r"\(e\.g\. \('a', 'x'\)\).*Join each id"):
            call(tuples)
    with pytest.raises(ValueError, match=r"first level \('id'\) .*holds tuple series ids"):
        SlidingWindowTransformer(3).split(tuples.set_index("id", append=True).swaplevel())
    three = panel.assign(level=1).set_index("level", append=True)
    with pytest.raises(ValueError, match="3-level MultiIndex"):
        SlidingWindowTransformer(3).split(three)
    framing = SlidingWindowTransformer(3).fit(panel)
    with pytest.raises(ValueError, match="fit saw a panel and X is one series"):
        framing.transform(panel.loc["a"])
    model = PersistenceForecaster().fit(*framing.split(panel[["y"]]))
    with pytest.raises(ValueError, match="series 'a' has 9 time steps: too few to calibrate"):
        forecast(model, panel[["y"]], 2, framing=framing, coverage=0.8)


def test_series_id_may_name_the_id_level_of_the_index():
    """series_id="id" on an ("id", "month") MultiIndex reads the panel as series_id=None does."""
    panel = _marked_panel()[["y"]]
    named, unnamed = SlidingWindowTransformer(3, series_id="id"), SlidingWindowTransformer(3)
    for got, want in zip(named.split(panel), unnamed.split(panel)):
        np.testing.assert_array_equal(got, want)
    X, y = named.align(panel)
    X0, y0 = unnamed.align(panel)
    pd.testing.assert_frame_equal(X, X0)
    pd.testing.assert_series_equal(y, y0)
    assert list(X.index.names) == ["id", "month"]
    assert window_index(named, panel).equals(window_index(unnamed, panel))
    model = make_pipeline(SlidingWindowTransformer(3, series_id="id"), LinearRegression()).fit(X, y)
    future = forecast(model, panel, 2)
    assert list(future.index.names) == ["id", "month"]
    for k, (sid, n) in enumerate(LENGTHS.items()):  # each series' line, one step on
        np.testing.assert_allclose(future.loc[sid], 1000.0 * (k + 1) + np.arange(n, n + 2),
                                   atol=1e-6)
    with pytest.raises(ValueError, match="series_id='month' names the second level.*swaplevel"):
        SlidingWindowTransformer(3, series_id="month").split(panel)
    with pytest.raises(ValueError, match="names both a column and the first level"):
        SlidingWindowTransformer(3, series_id="id").split(
            panel.assign(id=panel.index.get_level_values("id")))
    with pytest.raises(ValueError, match=r"neither a column.*\['y'\].*\['id', 'month'\]"):
        SlidingWindowTransformer(3, series_id="store").split(panel)


def test_series_id_as_a_known_future_input():
    """One-hot id columns declared known-future: constant per series, so never differenced,
    and every window's future steps carry its own series' id."""
    months = pd.period_range("2020-01", periods=12, freq="M")
    panel = pd.DataFrame(
        {"sales": np.r_[np.full(12, 10.0), np.full(12, 50.0)]},
        index=pd.MultiIndex.from_product([["a", "b"], months], names=["store", "month"]))
    ids = pd.get_dummies(panel.index.get_level_values("store"), prefix="id", dtype=float)
    table = panel.join(ids.set_axis(panel.index))
    framing = SlidingWindowTransformer(n_steps_in=4, n_steps_out=2, target="sales",
                                       inputs=["sales", "id_a", "id_b"],
                                       known_future=["id_a", "id_b"])
    X, y = framing.split(table)
    assert X.shape == (2 * (12 - 4 - 2 + 1), 4 + 2, 3)
    is_b = y[:, 0] == 50.0
    np.testing.assert_array_equal(X[:, 4:, 0], 0.0)  # no future sales
    np.testing.assert_array_equal(X[:, 4:, 2], np.repeat(is_b[:, None], 2, axis=1))
    np.testing.assert_array_equal(X[:, 4:, 1], np.repeat(~is_b[:, None], 2, axis=1))
    model = RelativeRegressor(Ridge(alpha=1e-6), baseline="last", target_feature=0,
                              future_steps=2).fit(X, y)
    ahead = pd.period_range("2021-01", periods=2, freq="M")
    future = pd.DataFrame({"id_a": [1.0, 1.0, 0.0, 0.0], "id_b": [0.0, 0.0, 1.0, 1.0]},
                          index=pd.MultiIndex.from_product([["a", "b"], ahead],
                                                           names=["store", "month"]))
    result = forecast(model, table, 2, framing=framing, future=future)
    np.testing.assert_allclose(result.loc["a"].to_numpy().ravel(), 10.0, rtol=1e-6)
    np.testing.assert_allclose(result.loc["b"].to_numpy().ravel(), 50.0, rtol=1e-6)
    with pytest.raises(ValueError, match="id_b"):
        forecast(model, table, 2, framing=framing, future=future[["id_a"]])
    # a repeated (series, month) row in future is blamed on future, not on the data
    with pytest.raises(ValueError, match="^future: the rows of series 'a'"):
        forecast(model, table, 2, framing=framing, future=pd.concat([future, future.iloc[:1]]))
    # future rows indexed by time alone cannot say whose they are (pandas raised IndexError)
    with pytest.raises(ValueError, match=r"^future: a panel's rows need a \(series_id, time\)"):
        forecast(model, table, 2, framing=framing, future=future.droplevel("store"))


MONTHS_48 = pd.period_range("2020-01", periods=48, freq="M")


def _stores(seed, early=False):
    """Two stores' sales (trend and a 4-month season; an "early" one ending a year before)."""
    t = np.arange(48.0)
    season = np.tile([0.0, 1.0, 3.0, 1.0], 12)
    noise = np.random.default_rng(seed).normal(size=(3, 48))
    pieces = {"small": 10 + t + season + 0.1 * noise[0],
              "large": 1000 + 10 * (t + season) + 5 * noise[1]}
    if early:
        pieces["early"] = (50 + 2 * (t + season) + noise[2])[:36]
    return pd.concat({store: pd.DataFrame({"sales": values}, index=MONTHS_48[:len(values)])
                      for store, values in pieces.items()}, names=["store", "month"])


def _relative_ridge():
    return RelativeRegressor(Ridge(alpha=1e-8), baseline="seasonal", season_length=4,
                             scale="last")


def test_intervals_per_series_of_a_panel():
    panel = _stores(0)
    framing = SlidingWindowTransformer(n_steps_in=8, n_steps_out=2)
    fitted = _relative_ridge().fit(*framing.split(panel))
    result = forecast(fitted, panel, 3, framing=framing, coverage=0.8, n_origins=9)
    assert list(result.columns) == ["sales", "sales_lower_80", "sales_upper_80"]
    assert result.index.names == ["store", "month"] and len(result) == 6
    # by hand: one refit on the months before the first origin (position 48 - 3 - 9 + 1 = 37),
    # then the last 9 origins of each series, each forecast from that series' own past
    before = panel[panel.index.get_level_values("month") < pd.Period("2023-02", "M")]
    clone_fit = _relative_ridge().fit(*framing.split(before))
    for store in ["small", "large"]:
        series = panel.loc[store]
        residuals = [series["sales"].iloc[o:o + 3].to_numpy()
                     - np.asarray(forecast(clone_fit, series.iloc[:o], 3, framing=framing))
                     for o in range(37, 46)]
        width = np.sort(np.abs(residuals), axis=0)[7]  # ceil((9 + 1) * 0.8) = 8th smallest
        got = result.loc[store]
        np.testing.assert_allclose(got["sales_upper_80"] - got["sales"], width, rtol=1e-9)
        np.testing.assert_allclose(got["sales"] - got["sales_lower_80"], width, rtol=1e-9)
    small = (result.loc["small", "sales_upper_80"] - result.loc["small", "sales"]).mean()
    large = (result.loc["large", "sales_upper_80"] - result.loc["large", "sales"]).mean()
    assert large > 10 * small  # each series gets its own width, in its own units
    # a row-aligned pipeline over the long layout
    long = panel.reset_index(level="store")
    rows = SlidingWindowTransformer(n_steps_in=4, series_id="store")
    pipe = make_pipeline(rows, PersistenceForecaster(season_length=4)).fit(*rows.align(long))
    naive = forecast(pipe, long, 4, coverage=[0.5, 0.9], n_origins=10)
    assert naive.shape == (8, 5) and (naive["sales_upper_90"] >= naive["sales_upper_50"]).all()


def test_a_series_ending_early_gets_its_own_calibration_refit():
    # one refit for all was cut at the earliest origin of any series: a series ending a year
    # early trained the calibration model of every other series on a year less
    panel = _stores(1, early=True)
    framing = SlidingWindowTransformer(n_steps_in=8, n_steps_out=2)
    fitted = _relative_ridge().fit(*framing.split(panel))
    result = forecast(fitted, panel, 3, framing=framing, coverage=0.8, n_origins=9)
    # by hand: each end time's own refit, on every series' months before its first origin
    for stores, first in ((["small", "large"], 37), (["early"], 25)):
        months_of = panel.index.get_level_values("month")
        clone_fit = _relative_ridge().fit(*framing.split(panel[months_of < MONTHS_48[first]]))
        for store in stores:
            series = panel.loc[store]
            residuals = [series["sales"].iloc[o:o + 3].to_numpy()
                         - np.asarray(forecast(clone_fit, series.iloc[:o], 3, framing=framing))
                         for o in range(first, first + 9)]
            width = np.sort(np.abs(residuals), axis=0)[7]
            got = result.loc[store]
            np.testing.assert_allclose(got["sales_upper_80"] - got["sales"], width, rtol=1e-9)


def test_a_panel_calibration_refit_without_one_training_window_is_refused_by_name():
    """numpy's "need at least one array to concatenate" came out of forecast(coverage=...)."""
    index = pd.MultiIndex.from_product(
        [["a", "b"], pd.period_range("2020-01", periods=30, freq="M")], names=["store", "month"])
    panel = pd.DataFrame({"sales": np.arange(60.0)}, index=index)
    framing = SlidingWindowTransformer(n_steps_in=8, n_steps_out=6)
    model = PersistenceForecaster().fit(*framing.split(panel))
    # the first of 15 origins is row 30 - 6 - 15 + 1 = 10 (2020-11): 10 months before it, fewer
    # than one window and its targets
    with pytest.raises(ValueError, match=r"calibration refit on the rows dated before 2020-11 "
                                         r"\(origin 1 of n_origins=15\) has at most 10 time steps "
                                         r"per series, fewer than .* \(8 \+ 6\)"):
        forecast(model, panel, 6, framing=framing, coverage=0.8, n_origins=15)
    result = forecast(model, panel, 6, framing=framing, coverage=0.8, n_origins=5)
    assert result.shape == (12, 3)


def test_a_gap_fold_of_row_aligned_rows_is_refused_and_3d_windows_cross_validate_across_it():
    """Multi-step targets need gap=n_steps_out - 1. Row-aligned test rows then start after rows
    that neither fold holds: every fold scored NaN with "history='auto' cannot tell ... set
    history='continue'" (which would jump the gap). The error names the way that works: split
    windows, each carrying its own past, cut with groups=window_index."""
    months = pd.period_range("2020-01", periods=30, freq="M")
    panel = pd.DataFrame({"sales": np.r_[np.arange(30.0), 100 + 2 * np.arange(30.0)]},
                         index=pd.MultiIndex.from_product([["a", "b"], months],
                                                          names=["store", "month"]))
    framing = SlidingWindowTransformer(n_steps_in=4, n_steps_out=3)
    cv = PanelTimeSeriesSplit(n_splits=3, test_size=3, gap=2)
    with pytest.raises(ValueError, match=r"rows were skipped .*groups=window_index"):
        cross_validate(make_pipeline(framing, LinearRegression()), *framing.align(panel), cv=cv,
                       error_score="raise")
    X, y = framing.split(panel)
    groups = window_index(framing, panel)
    for train, test in cv.split(X, groups=groups):
        last_target = groups[train].get_level_values("month").max() + 3
        assert last_target < groups[test].get_level_values("month").min() + 1
    scores = cross_validate(RelativeRegressor(LinearRegression(), baseline="last"), X, y, cv=cv,
                            groups=groups, scoring="neg_mean_absolute_error")["test_score"]
    np.testing.assert_allclose(scores, 0.0, atol=1e-9)  # straight lines: exact on every fold


def test_a_panel_target_in_another_row_order_is_refused():
    # a pipeline pairs rows by position: y sorted by date against X sorted by series would
    # train each window on another series' target
    panel = _marked_panel()
    X = panel[["y"]]
    y = panel["y"].groupby(level="id").shift(-1).fillna(-1.0)   # next value, same rows as X
    pipe = make_pipeline(SlidingWindowTransformer(n_steps_in=2), LinearRegression())
    by_date = y.sort_index(level="month", kind="stable")
    with pytest.raises(ValueError, match=r"y's rows are not in X's series order.*series 'b'.*"
                                         r"y.reindex\(X.index\)"):
        pipe.fit(X, by_date)
    inside = y.to_numpy() > 0   # rows whose next value is in the series
    pipe.fit(X[inside], by_date.reindex(X.index)[inside])
    np.testing.assert_allclose(pipe.predict(X[inside]), y[inside], atol=1e-6)
    # an array y is taken as given (positions), as scikit-learn does
    pipe.fit(X[inside], y[inside].to_numpy())


def test_row_numbers_are_not_times_of_a_panel():
    """A long panel with an id column and pandas' default index numbers its rows: series 'x'
    at 0..11, 'y' at 12..23. PanelTimeSeriesSplit cut it like TimeSeriesSplit (every test row
    from the last series), CommonTrendAdjuster took each series' own movement as the common one,
    and calibration refits trained on the other series' later rows, all silently. Each is
    refused with the fix; steps counted within each series (shared integer times) still pass."""
    from sklstm import CommonTrendAdjuster
    values = np.r_[np.linspace(1.0, 2.0, 12), np.linspace(10.0, 30.0, 12)]
    numbered = pd.DataFrame({"id": ["x"] * 12 + ["y"] * 12, "v": values})
    framing = SlidingWindowTransformer(3, series_id="id")
    X, y = framing.align(numbered)
    fix = r"Put the time column in the index first, e\.g\. df\.set_index\('month'\)"
    with pytest.raises(ValueError, match="every row has its own integer time .*" + fix):
        list(PanelTimeSeriesSplit(n_splits=2, test_size=2).split(X))
    with pytest.raises(ValueError, match=r"no two series share one \(series 'x' runs 0 to 11, "
                                         r"series 'y' runs 12 to 23\).*" + fix):
        CommonTrendAdjuster(series_id="id").fit(numbered)
    model = make_pipeline(SlidingWindowTransformer(3, series_id="id"), Ridge()).fit(X, y)
    with pytest.raises(ValueError, match=r"forecast\(coverage=\.\.\.\) on a panel .*" + fix):
        forecast(model, numbered, 1, coverage=0.5, n_origins=3)
    assert forecast(model, numbered, 1).shape == (2,)  # each series on its own: no times matched
    by_index = numbered.set_index(pd.MultiIndex.from_arrays([numbered["id"], np.arange(24)]))
    with pytest.raises(ValueError, match="no two series share one"):
        list(PanelTimeSeriesSplit(n_splits=2, test_size=2).split(by_index))
    # the same panel with each series' steps counted 0..11: cut at the same steps
    steps = numbered.set_index(pd.Index(list(range(12)) * 2, name="step"))
    X, y = framing.align(steps)
    for train, test in PanelTimeSeriesSplit(n_splits=2, test_size=2).split(X):
        assert set(X["id"].iloc[test]) == {"x", "y"}
        assert X.index[train].max() < X.index[test].min()
    assert CommonTrendAdjuster(series_id="id").fit(steps).index_.shape == (12, 1)
