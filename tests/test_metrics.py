"""MASE: values against hand computation, the scorer inside sklearn, and refused input."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import TimeSeriesSplit, cross_val_score

from sklstm.metrics import make_mase_scorer, mean_absolute_scaled_error, seasonal_naive_mae

TRAIN = np.array([10.0, 12, 15, 11, 13, 16, 12, 14, 18])  # season 3


def test_scale_is_the_in_sample_seasonal_naive_mae():
    assert_allclose(seasonal_naive_mae(TRAIN, 3), np.mean([1, 1, 1, 1, 1, 2]))
    assert_allclose(seasonal_naive_mae(TRAIN), np.mean(np.abs(np.diff(TRAIN))))
    # a season longer than half the series falls back to lag 1 (the M4 convention)
    assert_allclose(seasonal_naive_mae(TRAIN, 5), seasonal_naive_mae(TRAIN, 1))


def test_mase_of_multi_step_forecasts_against_hand_computation():
    y_true = np.array([[13.0, 15, 19], [15, 19, 14]])
    y_pred = np.array([[12.0, 14, 18], [15, 17, 14]])
    mae = np.mean([1, 1, 1, 0, 2, 0])
    assert_allclose(mean_absolute_scaled_error(y_true, y_pred, y_train=TRAIN, season_length=3),
                    mae / (7 / 6))
    weighted = mean_absolute_scaled_error(y_true, y_pred, y_train=TRAIN, season_length=3,
                                          sample_weight=[3, 1])
    assert_allclose(weighted, (3 * 1 + 1 * 2 / 3) / 4 / (7 / 6))


def test_scorer_is_minus_mase_in_cross_val_score():
    X = np.arange(40.0)[:, None]
    y = 2 * X[:, 0] + np.sin(X[:, 0])
    scores = cross_val_score(LinearRegression(), X, y, cv=TimeSeriesSplit(3),
                             scoring=make_mase_scorer(y[:10], season_length=1))
    manual = []
    for train, test in TimeSeriesSplit(3).split(X):
        pred = LinearRegression().fit(X[train], y[train]).predict(X[test])
        manual.append(-np.mean(np.abs(y[test] - pred)) / seasonal_naive_mae(y[:10]))
    assert_allclose(scores, manual)


@pytest.mark.parametrize("bad, match", [
    (dict(y_true=[1.0, np.nan]), "y_true contains NaN"),
    (dict(y_pred=[1.0, np.inf]), "y_pred contains NaN or infinite"),
    (dict(y_train=np.r_[TRAIN, np.nan]), "y_train contains NaN"),
    (dict(y_pred=[[1.0], [2.0]]), r"shape \(2,\) and y_pred \(2, 1\)"),
    (dict(y_train=np.ones(6)), "constant"),
])
def test_bad_input_is_refused(bad, match):
    args = {"y_true": [1.0, 2.0], "y_pred": [1.5, 2.5], "y_train": TRAIN, **bad}
    with pytest.raises(ValueError, match=match):
        mean_absolute_scaled_error(args["y_true"], args["y_pred"], y_train=args["y_train"])


@pytest.mark.parametrize("bad, match", [
    (dict(y_true=np.array(["1.0", "2.0"])), "y_true holds text"),
    (dict(y_train=TRAIN.astype(str)), "y_train holds text"),
    (dict(y_pred=np.array(["2020-01-01", "2020-01-02"], dtype="datetime64[D]")), "y_pred holds dates"),
    # pd.NA in an object array failed in numpy ("float() argument must be ..."), naming nothing
    (dict(y_true=np.array([1.0, pd.NA], dtype=object)), "y_true must hold numbers"),
])
def test_text_and_dates_are_refused_not_converted(bad, match):
    # found by the 2026-11-28 probe: numpy text ("1.0") was read as numbers
    args = {"y_true": [1.0, 2.0], "y_pred": [1.5, 2.5], "y_train": TRAIN, **bad}
    with pytest.raises(TypeError, match=match):
        mean_absolute_scaled_error(args["y_true"], args["y_pred"], y_train=args["y_train"])


def test_scorer_refuses_a_column_prediction_for_a_flat_target():
    # (n,) against (n, 1) would broadcast to an (n, n) error table: a wrong number, not an error
    scorer = make_mase_scorer(TRAIN)
    X = np.arange(4.0)[:, None]
    column_model = LinearRegression().fit(X, 2 * X)  # fitted on a column: predicts (4, 1)
    with pytest.raises(ValueError, match="must match"):
        scorer(column_model, X, 2 * X[:, 0])
    assert scorer(column_model, X, 2 * X) == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("season_length", [0, -1, 1.5, True])
def test_season_length_must_be_a_positive_integer(season_length):
    # 0 raised a broadcasting error and -1 scaled by a wrong difference, silently
    with pytest.raises(ValueError, match="season_length must be a positive integer"):
        mean_absolute_scaled_error([1.0, 2], [1.0, 3], y_train=[1.0, 2, 4, 7],
                                   season_length=season_length)


def test_parallel_series_are_each_scaled_by_their_own_training_error():
    """Two series in units 100x apart count equally: the mean of their own MASEs (M4), for
    one-step (n, series) and multi-step (n, steps, series) targets, in the scorer too. Before,
    2-D y_train raised a TypeError here and the scorer pooled both under one mean scale."""
    train = np.c_[TRAIN, 100 * TRAIN[::-1]]
    scales = [seasonal_naive_mae(TRAIN, 3), 100 * seasonal_naive_mae(TRAIN[::-1], 3)]
    y_true = np.array([[13.0, 1500.0], [15.0, 1900.0]])
    y_pred = np.array([[12.0, 1500.0], [15.0, 1700.0]])  # errors: (1, 0) and (0, 200)
    expected = np.mean([np.mean([1, 0]) / scales[0], np.mean([0, 200]) / scales[1]])
    assert_allclose(mean_absolute_scaled_error(y_true, y_pred, y_train=train, season_length=3),
                    expected)
    steps = np.stack([y_true, y_true]), np.stack([y_pred, y_pred])  # (2 samples, 2 steps, 2)
    assert_allclose(mean_absolute_scaled_error(*steps, y_train=train, season_length=3), expected)

    class Fixed(LinearRegression):
        def predict(self, X):
            return y_pred

    scorer = make_mase_scorer(train, season_length=3)
    assert_allclose(scorer(Fixed(), np.zeros((2, 1)), y_true), -expected)
    # one column is one series: the scalar scale of that series
    assert_allclose(mean_absolute_scaled_error([13.0], [12.0], y_train=TRAIN[:, None],
                                               season_length=3), 1 / scales[0])


def test_named_parallel_series_in_another_order_are_refused():
    import pandas as pd

    train = pd.DataFrame({"small": TRAIN, "large": 100 * TRAIN[::-1]})
    y_true = pd.DataFrame({"large": [1500.0], "small": [13.0]})
    with pytest.raises(ValueError, match=r"\['large', 'small'\] are y_train's \['small', 'large'\]"):
        mean_absolute_scaled_error(y_true, y_true.to_numpy() + 1, y_train=train)
    # in y_train's order each series is scaled by its own scale
    scales = [seasonal_naive_mae(TRAIN, 3), seasonal_naive_mae(100 * TRAIN[::-1], 3)]
    ordered = y_true[["small", "large"]]
    assert_allclose(mean_absolute_scaled_error(ordered, ordered.to_numpy() + [1.0, 100.0],
                                               y_train=train, season_length=3),
                    np.mean([1 / scales[0], 100 / scales[1]]))


def test_parallel_series_need_their_series_on_the_last_axis():
    train = np.c_[TRAIN, 2 * TRAIN]
    with pytest.raises(ValueError, match=r"y_train holds 2 series.*got y_true of shape \(2, 3\)"):
        mean_absolute_scaled_error(np.ones((2, 3)), np.zeros((2, 3)), y_train=train)
    with pytest.raises(ValueError, match=r"constant at the seasonal lag \(series \[1\]\)"):
        mean_absolute_scaled_error(np.ones((2, 2)), np.zeros((2, 2)),
                                   y_train=np.c_[TRAIN, np.ones(9)])
    with pytest.raises(ValueError, match="1-D .* or 2-D"):
        make_mase_scorer(np.ones((4, 2, 2)))


@pytest.mark.parametrize("weights, match", [
    ([1.0, float("nan")], "NaN"),  # np.average gave a NaN score
    ([1.0, -1.0], "Negative"),     # and a score from negative weights
    ([0.0, 0.0], "non-zero|sums to 0"),
    ([1.0, 1.0, 1.0], r"shape == \(3,\), expected \(2,\)"),
])
def test_bad_sample_weight_is_refused(weights, match):
    with pytest.raises(ValueError, match=match):
        mean_absolute_scaled_error([13.0, 15], [12.0, 14], y_train=TRAIN, sample_weight=weights)


def _retail_panel():
    """Two stores, months 2020-01.. (a season of 3), the second in units 100x the first."""
    import pandas as pd

    months = pd.period_range("2020-01", periods=12, freq="M")
    values = np.r_[np.tile(TRAIN[:3], 4) + np.arange(12) % 2, 100 * np.tile(TRAIN[3:6], 4)
                   + 5 * np.arange(12)]
    return pd.Series(values, name="sales", index=pd.MultiIndex.from_product(
        [["small", "large"], months], names=["store", "month"]))


def test_a_panel_is_scaled_per_series_never_across_two():
    panel = _retail_panel()
    scales = seasonal_naive_mae(panel, 3)
    for store in ("small", "large"):  # each from its own rows
        assert_allclose(scales[store], seasonal_naive_mae(panel[store].to_numpy(), 3))
    # read as one long series, the lag would span the stores and one scale would mix their units
    assert not np.isclose(seasonal_naive_mae(panel.to_numpy(), 3), scales).any()
    # each row of y_true scaled by its own store's scale: the mean of the per-store MASEs
    y_true = panel.groupby(level="store").tail(2)
    y_pred = y_true.to_numpy() + np.array([1.0, -1.0, 30.0, 10.0])
    expected = np.mean([1 / scales["small"], 1 / scales["small"],
                        30 / scales["large"], 10 / scales["large"]])
    assert_allclose(mean_absolute_scaled_error(y_true, y_pred, y_train=panel, season_length=3),
                    expected)
    assert_allclose(mean_absolute_scaled_error(y_true.to_frame(), y_pred[:, None],
                                               y_train=panel.to_frame(), season_length=3),
                    expected)


def test_panel_mase_scorer_in_panel_cross_validation():
    import pandas as pd
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline

    from sklstm import PanelTimeSeriesSplit, SlidingWindowTransformer

    panel = _retail_panel().to_frame()
    framing = SlidingWindowTransformer(n_steps_in=3)
    X, y = framing.align(panel)
    model, cv = make_pipeline(framing, Ridge()), PanelTimeSeriesSplit(n_splits=2, test_size=2)
    first_test = min(test.min() for _, test in cv.split(X, y))
    months = X.index.get_level_values("month")
    y_train = panel[panel.index.get_level_values("month") < months[first_test]]
    scores = cross_val_score(model, X, y, cv=cv, scoring=make_mase_scorer(y_train, 3))
    scales = seasonal_naive_mae(y_train["sales"], 3)
    manual = []
    for train, test in cv.split(X, y):
        pred = model.fit(X.iloc[train], y.iloc[train]).predict(X.iloc[test])
        own = scales.loc[y.iloc[test].index.get_level_values("store")].to_numpy()
        manual.append(-np.mean(np.abs(y.iloc[test].to_numpy() - pred) / own))
    assert_allclose(scores, manual)
    # split's 3-D windows, two steps ahead with the gap protocol: targets labelled by window
    from sklearn.preprocessing import FunctionTransformer

    from sklstm.panels import window_index

    direct = SlidingWindowTransformer(n_steps_in=3, n_steps_out=2)
    windows, targets = direct.split(panel)
    labels = window_index(direct, panel)
    flat = make_pipeline(FunctionTransformer(lambda w: w.reshape(len(w), -1)), Ridge())
    cv = PanelTimeSeriesSplit(n_splits=2, test_size=2, gap=1)
    scores = cross_val_score(flat, windows, pd.DataFrame(targets, index=labels), cv=cv,
                             groups=labels, scoring=make_mase_scorer(y_train, 3))
    manual = [-np.mean(np.abs(targets[test] - flat.fit(windows[train], targets[train])
                              .predict(windows[test]))
                       / scales.loc[labels[test].get_level_values("store")].to_numpy()[:, None])
              for train, test in cv.split(windows, groups=labels)]
    assert_allclose(scores, manual)


def test_under_metadata_routing_3d_panel_windows_are_cut_and_scored_by_their_groups():
    """With sklearn.set_config(enable_metadata_routing=True), cross_validate refused
    params={"groups": ...} as routed to no object (PanelTimeSeriesSplit did not ask for them),
    so 3-D panel windows could not be cut at all, and the MASE scorer could not read their
    series. Both now request groups: the scores equal the labelled-targets protocol's."""
    import pandas as pd
    import sklearn
    from sklearn.model_selection import GridSearchCV, cross_validate

    from sklstm import PanelTimeSeriesSplit, PersistenceForecaster, SlidingWindowTransformer
    from sklstm.panels import window_index

    panel = _retail_panel().to_frame()
    framing = SlidingWindowTransformer(n_steps_in=4)
    windows, targets = framing.split(panel)
    labels = window_index(framing, panel)
    y_train = panel[panel.index.get_level_values("month") < labels.get_level_values(1)[-6]]
    cv = PanelTimeSeriesSplit(n_splits=2, test_size=2)
    labelled = cross_val_score(PersistenceForecaster(3), windows, pd.Series(targets, index=labels),
                               cv=cv, groups=labels, scoring=make_mase_scorer(y_train, 3))
    with sklearn.config_context(enable_metadata_routing=True):
        scorer = make_mase_scorer(y_train, 3)
        routed = cross_validate(PersistenceForecaster(3), windows, targets, cv=cv,
                                params={"groups": labels}, scoring=scorer)["test_score"]
        search = GridSearchCV(PersistenceForecaster(), {"season_length": [1, 3]}, cv=cv,
                              scoring=scorer).fit(windows, targets, groups=labels)
        with pytest.raises(ValueError, match=r"params=\{'groups': window_index"):
            cross_validate(PersistenceForecaster(3), windows, targets, cv=cv, scoring=scorer,
                           params={"groups": labels.get_level_values(1)}, error_score="raise")
    assert_allclose(routed, labelled)
    assert search.best_params_ == {"season_length": 3}
    assert_allclose(search.cv_results_["split0_test_score"][1], labelled[0])


def test_panel_mase_refuses_what_it_cannot_scale():
    panel = _retail_panel()
    y_true = panel.groupby(level="store").tail(1)
    with pytest.raises(ValueError, match="panel of 2 series.*y_true without one"):
        mean_absolute_scaled_error(y_true.to_numpy(), y_true.to_numpy(), y_train=panel)
    with pytest.raises(ValueError, match=r"series \['large'\] that y_train does not"):
        mean_absolute_scaled_error(y_true, y_true.to_numpy(), y_train=panel.loc[["small"]])
    short = panel.drop(panel.loc[["large"]].index[1:])
    with pytest.raises(ValueError, match="series 'large' of y_train: y_train has 1 values"):
        seasonal_naive_mae(short, 3)
    flat = panel.where(panel.index.get_level_values("store") == "small", 7.0)
    with pytest.raises(ValueError, match="series 'large' of y_train: y_train is constant"):
        make_mase_scorer(flat)
