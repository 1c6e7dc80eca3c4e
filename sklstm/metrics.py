"""Forecasting metrics: MASE, scaled by the in-sample seasonal-naive error."""

import numpy as np
from sklearn.metrics import make_scorer

from ._validation import is_integer

__all__ = ["make_mase_scorer", "mean_absolute_scaled_error", "seasonal_naive_mae"]


def _finite(values, name):
    values = np.asarray(values, dtype=np.float64)
    if not np.isfinite(values).all():
        raise ValueError(
            f"{name} contains NaN or infinite values; MASE needs finite values (drop or fill "
            "them first)."
        )
    return values


def _mean_error(y_true, y_pred, sample_weight):
    """Mean absolute error per sample (over its outputs), averaged over samples (weighted)."""
    y_true, y_pred = _finite(y_true, "y_true"), _finite(y_pred, "y_pred")
    if y_true.shape != y_pred.shape:  # (n,) against (n, 1) would broadcast to (n, n)
        raise ValueError(f"y_true has shape {y_true.shape} and y_pred {y_pred.shape}; they must match.")
    errors = np.abs(y_true - y_pred).reshape(len(y_true), -1).mean(axis=1)
    return float(np.average(errors, weights=sample_weight))


def seasonal_naive_mae(y_train, season_length=1):
    """In-sample MAE of the seasonal-naive forecast ``y[t] = y[t - season_length]``.

    The lag falls back to 1 when a season is longer than half the training
    series (too few seasons to scale by), the usual M4 convention.
    """
    if not is_integer(season_length) or season_length < 1:
        raise ValueError(
            f"season_length must be a positive integer (1: naive, 12: monthly data's year); got "
            f"{season_length!r}."
        )
    y_train = _finite(y_train, "y_train")
    lag = season_length if season_length <= len(y_train) // 2 else 1
    if len(y_train) <= lag:
        raise ValueError(
            f"y_train has {len(y_train)} values; the seasonal-naive scale needs more than "
            f"season_length={lag}."
        )
    scale = np.mean(np.abs(y_train[lag:] - y_train[:-lag]), axis=0)
    if np.any(scale == 0):
        raise ValueError("y_train is constant at the seasonal lag: MASE is undefined (scale 0).")
    return scale


def mean_absolute_scaled_error(y_true, y_pred, *, y_train, season_length=1, sample_weight=None):
    """MAE of the forecasts divided by the in-sample seasonal-naive MAE of ``y_train``.

    Below 1: better than "same value one season ago" was in sample. Every
    output (horizon steps, series) counts equally.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, ...)
    y_train : array-like of shape (n_train,)
        The training part of the series.
    season_length : int, default=1
    sample_weight : array-like of shape (n_samples,) or None

    Returns
    -------
    mase : float

    Examples
    --------
    >>> mean_absolute_scaled_error([3.0, 4.0], [3.5, 4.5], y_train=[1.0, 2.0, 3.0])
    0.5
    """
    return float(_mean_error(y_true, y_pred, sample_weight) / seasonal_naive_mae(y_train, season_length))


def make_mase_scorer(y_train, season_length=1):
    """A scikit-learn scorer (``scoring=``) for MASE with the scale of ``y_train``.

    A scorer sees only the test fold, so the scale is fixed here, from the
    data before the first test fold; within one walk-forward it ranks
    models exactly as MAE does and reads as MASE. Greater is better, as
    scikit-learn requires: the scorer returns ``-MASE``.
    """
    scale = float(np.mean(seasonal_naive_mae(y_train, season_length)))

    def mase(y_true, y_pred, sample_weight=None):
        return _mean_error(y_true, y_pred, sample_weight) / scale

    return make_scorer(mase, greater_is_better=False)
