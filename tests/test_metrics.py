"""MASE: values against hand computation, the scorer inside sklearn, and refused input."""

import numpy as np
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
