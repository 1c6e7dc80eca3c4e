"""Forecasting metrics: MASE, scaled by the in-sample seasonal-naive error."""

import numpy as np
import pandas as pd
from sklearn import get_config
from sklearn.metrics import make_scorer
from sklearn.utils.validation import _check_sample_weight

from ._tables import as_pandas, columns_reordered
from ._validation import check_numeric_dtypes, is_integer
from .panels import is_panel, panel_groups

__all__ = ["make_mase_scorer", "mean_absolute_scaled_error", "seasonal_naive_mae"]


def _finite(values, name):
    check_numeric_dtypes(values, name)  # dates, text ("1.5"), masks: refused, not converted
    try:
        values = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:  # pd.NA in an object array, ragged lists
        raise TypeError(
            f"{name} must hold numbers (missing values as NaN, then dropped or filled); "
            f"converting it to floats failed: {error}."
        ) from None
    if not np.isfinite(values).all():
        raise ValueError(
            f"{name} contains NaN or infinite values; MASE needs finite values (drop or fill "
            "them first)."
        )
    return values


def _mean_error(y_true, y_pred, sample_weight, scale=1.0, groups=None):
    """Mean absolute error per sample (over its outputs), averaged over samples (weighted).

    With one ``scale`` per series (``y_train`` of several series), each output is first
    divided by its own series' scale, read from the last axis (the series axis of ``split``'s
    one-step ``(n, n_series)`` and multi-step ``(n, n_steps_out, n_series)`` targets), so every
    series counts as much as any other whatever its units. With a panel's scales (a
    DataFrame, a row per series id), each row of ``y_true`` is divided by the scale of the
    series its index names.
    """
    per_row = isinstance(scale, pd.DataFrame)
    if per_row:
        scale = _row_scales(y_true, scale, groups)
    elif isinstance(scale, pd.Series) and isinstance(y_true, pd.DataFrame):
        names, given = list(scale.index), list(y_true.columns)
        if columns_reordered(given, names):
            # each column is scaled by y_train's column at its position: a reordered y_true
            # would divide one series' errors by another's scale
            raise ValueError(
                f"y_true's columns {given} are y_train's {names} in another order; put y_true "
                f"and y_pred in y_train's order first, e.g. y_true[{names}]."
            )
    y_true, y_pred = _finite(y_true, "y_true"), _finite(y_pred, "y_pred")
    if y_true.shape != y_pred.shape:  # (n,) against (n, 1) would broadcast to (n, n)
        raise ValueError(f"y_true has shape {y_true.shape} and y_pred {y_pred.shape}; they must match.")
    scale = np.asarray(scale, dtype=np.float64)
    if not per_row and scale.ndim and y_true.shape[-1:] != scale.shape:
        raise ValueError(
            f"y_train holds {scale.size} series (one column each), so y_true's last axis must be "
            f"those series (one-step (n_samples, {scale.size}) or multi-step (n_samples, "
            f"n_steps_out, {scale.size})); got y_true of shape {y_true.shape}. Pass the "
            "training part of the series that y_true forecasts."
        )
    errors = (np.abs(y_true - y_pred) / scale).reshape(len(y_true), -1).mean(axis=1)
    if sample_weight is not None:
        # np.average took a NaN weight (the score came back NaN), negative weights, and a
        # wrong length with numpy's "Axis must be specified when shapes of a and weights differ"
        sample_weight = _check_sample_weight(sample_weight, errors, ensure_non_negative=True)
        if not sample_weight.sum() > 0:
            raise ValueError("sample_weight sums to 0; give at least one sample a positive weight.")
    return float(np.average(errors, weights=sample_weight))


def _row_scales(y_true, scales, groups=None):
    """Each row's own series' scale, from ``y_true``'s (series_id, time) index (or ``groups``).

    ``scales`` holds a row per series id and a column per value column of the panel; the
    answer broadcasts against ``y_true``: ``(n, 1, ...)`` for one column, else the columns
    on ``y_true``'s last axis.
    """
    index = getattr(y_true, "index", None)
    if not isinstance(index, pd.MultiIndex) and isinstance(groups, pd.MultiIndex):
        if len(groups) != len(y_true):
            raise ValueError(
                f"groups labels {len(groups)} rows and y_true has {len(y_true)}; pass the "
                "(series_id, time) label of each row, window_index(framing, data)."
            )
        index = groups
    if not isinstance(index, pd.MultiIndex):
        raise ValueError(
            f"y_train is a panel of {len(scales)} series, so each row of y_true is scaled by "
            "its own series' scale, read from y_true's (series_id, time) index; got y_true "
            f"without one ({type(y_true).__name__}). Pass y_true as align returns it (indexed "
            "like the panel); for split's windows, label their targets: y = pd.DataFrame(y, "
            "index=sklstm.panels.window_index(framing, data)), or (with scikit-learn's "
            "metadata routing enabled before make_mase_scorer) pass "
            "params={'groups': window_index(framing, data)}; or score each series apart."
        )
    ids = index.get_level_values(0)
    unknown = pd.Index(ids).unique().difference(scales.index)
    if len(unknown):
        raise ValueError(
            f"y_true has series {unknown[:5].tolist()} that y_train does not; pass the training "
            "part of every series scored."
        )
    per_row = scales.loc[ids].to_numpy()
    width, ndim = per_row.shape[1], np.ndim(y_true)
    if width == 1:
        return per_row.reshape(len(per_row), *[1] * (ndim - 1))
    if ndim < 2 or np.shape(y_true)[-1] != width:
        raise ValueError(
            f"y_train is a panel of {width} value columns, so y_true's last axis must be those "
            f"columns; got y_true of shape {np.shape(y_true)}."
        )
    return per_row.reshape(len(per_row), *[1] * (ndim - 2), width)


def _panel_scales(y_train, season_length):
    """A DataFrame of seasonal-naive scales: a row per series id, a column per value column."""
    rows = {}
    for sid, _, table in panel_groups(y_train, None):
        try:
            rows[sid] = np.atleast_1d(_series_scale(table, season_length))
        except (TypeError, ValueError) as error:
            raise type(error)(f"series {sid!r} of y_train: {error}") from None
    columns = y_train.columns if isinstance(y_train, pd.DataFrame) else [y_train.name]
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns)


def _series_scale(y_train, season_length):
    """The seasonal-naive scale: one number for one series, one per column for several,
    one row per series id for a panel (a DataFrame)."""
    y_train = as_pandas(y_train)
    if is_panel(y_train, None):
        return _panel_scales(y_train, season_length)
    columns = y_train.columns if isinstance(y_train, pd.DataFrame) else None
    y_train = _finite(y_train, "y_train")
    if y_train.ndim == 2 and y_train.shape[1] == 1:
        y_train = y_train[:, 0]
    if y_train.ndim not in (1, 2):
        raise ValueError(
            f"y_train must be 1-D (one series) or 2-D (time steps x series); got shape "
            f"{y_train.shape}."
        )
    scale = seasonal_naive_mae(y_train, season_length)
    # named columns keep their names, so that y_true's can be checked against them
    return pd.Series(scale, index=columns) if np.ndim(scale) and columns is not None else scale


def seasonal_naive_mae(y_train, season_length=1):
    """In-sample MAE of the seasonal-naive forecast ``y[t] = y[t - season_length]``.

    The lag falls back to 1 when a season is longer than half the training
    series (too few seasons to scale by), the usual M4 convention. A panel
    (a Series or DataFrame indexed ``(series_id, time)``) gets one scale per
    series, each from its own rows (a difference never spans two series):
    a Series indexed by the series ids (a DataFrame, a column per value
    column, for several).

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm.metrics import seasonal_naive_mae
    >>> float(seasonal_naive_mae([1.0, 2.0, 4.0]))
    1.5
    >>> panel = pd.Series([1.0, 2, 4, 100, 110, 130], index=pd.MultiIndex.from_product(
    ...     [["a", "b"], [1, 2, 3]]), name="sales")
    >>> seasonal_naive_mae(panel).to_dict()
    {'a': 1.5, 'b': 15.0}
    """
    if not is_integer(season_length) or season_length < 1:
        raise ValueError(
            f"season_length must be a positive integer (1: naive, 12: monthly data's year); got "
            f"{season_length!r}."
        )
    y_train = as_pandas(y_train)
    if is_panel(y_train, None):
        scales = _panel_scales(y_train, season_length)
        return scales.iloc[:, 0] if isinstance(y_train, pd.Series) else scales
    y_train = _finite(y_train, "y_train")
    lag = season_length if season_length <= len(y_train) // 2 else 1
    if len(y_train) <= lag:
        raise ValueError(
            f"y_train has {len(y_train)} values; the seasonal-naive scale needs more than "
            f"season_length={lag}."
        )
    scale = np.mean(np.abs(y_train[lag:] - y_train[:-lag]), axis=0)
    if np.any(scale == 0):
        which = "" if np.ndim(scale) == 0 else f" (series {np.flatnonzero(scale == 0).tolist()})"
        raise ValueError(
            f"y_train is constant at the seasonal lag{which}: MASE is undefined (scale 0).")
    return scale


def mean_absolute_scaled_error(y_true, y_pred, *, y_train, season_length=1, sample_weight=None):
    """MAE of the forecasts divided by the in-sample seasonal-naive MAE of ``y_train``.

    Below 1: better than "same value one season ago" was in sample. Every
    output (horizon steps, series) counts equally. With several series
    (2-D ``y_train``), each series' errors are divided by its own scale and
    the scaled errors averaged (the mean of the per-series MASEs, as in M4):
    pooling them under one scale would let the series in the largest units
    decide the score.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, ...)
        With 2-D ``y_train``, the last axis holds its series:
        ``(n_samples, n_series)`` or ``(n_samples, n_steps_out, n_series)``,
        as :meth:`~sklstm.SlidingWindowTransformer.split` returns them.
    y_train : array-like of shape (n_train,) or (n_train, n_series), or a panel
        The training part of the series. A panel (a Series or DataFrame
        indexed ``(series_id, time)``, as :class:`~sklstm.PanelTimeSeriesSplit`
        folds and ``align`` rows are) gives each series its own scale; each
        row of ``y_true`` (then a pandas object indexed like the panel, as
        ``align`` returns it) is divided by the scale of its own series.
    season_length : int, default=1
        The seasonal-naive lag of the scale; 1 is used instead when a season
        is longer than half of ``y_train`` (too few seasons to scale by, the
        M4 convention), as :func:`seasonal_naive_mae` does.
    sample_weight : array-like of shape (n_samples,) or None

    Returns
    -------
    mase : float

    Examples
    --------
    >>> mean_absolute_scaled_error([3.0, 4.0], [3.5, 4.5], y_train=[1.0, 2.0, 3.0])
    0.5
    >>> mean_absolute_scaled_error([[3.0, 30.0]], [[3.5, 35.0]],
    ...                            y_train=[[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]])
    0.5
    """
    return _mean_error(y_true, y_pred, sample_weight, _series_scale(y_train, season_length))


def make_mase_scorer(y_train, season_length=1):
    """A scikit-learn scorer (``scoring=``) for MASE with the scale of ``y_train``.

    A scorer sees only the test fold, so the scale is fixed here, from the
    data before the first test fold; within one walk-forward it ranks
    models exactly as MAE does and reads as MASE. Greater is better, as
    scikit-learn requires: the scorer returns ``-MASE``. A 2-D ``y_train``
    (parallel series) gives each series its own scale, as in
    :func:`mean_absolute_scaled_error`, and so does a panel's ``y_train``
    (indexed ``(series_id, time)``): with a row-aligned pipeline and
    :class:`~sklstm.PanelTimeSeriesSplit`, scikit-learn hands the scorer
    the test fold's ``y`` with its index, from which each row's series is read
    (for ``split``'s 3-D windows, pass their targets labelled:
    ``pd.DataFrame(y, index=window_index(framing, data))``). With
    scikit-learn's metadata routing enabled
    (``sklearn.set_config(enable_metadata_routing=True)``) when the scorer
    is made, a panel's scorer requests ``groups`` and reads each row's
    series from them: ``params={"groups": window_index(framing, data)}``
    then serves both :class:`~sklstm.PanelTimeSeriesSplit` and the scorer,
    with ``split``'s windows as they come.

    Parameters
    ----------
    y_train : array-like of shape (n_train,) or (n_train, n_series), or a panel
    season_length : int, default=1

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y)``, for ``scoring=`` in ``cross_validate``
        or ``GridSearchCV``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> from sklearn.model_selection import TimeSeriesSplit, cross_val_score
    >>> from sklstm import SlidingWindowTransformer
    >>> from sklstm.metrics import make_mase_scorer
    >>> y = np.arange(30.0)
    >>> X, Y = SlidingWindowTransformer(n_steps_in=3).split(y)
    >>> cross_val_score(LinearRegression(), X[:, :, 0], Y, cv=TimeSeriesSplit(2),
    ...                 scoring=make_mase_scorer(y[:12])).round(6)
    array([-0., -0.])
    """
    scale = _series_scale(y_train, season_length)

    def mase(y_true, y_pred, sample_weight=None, groups=None):
        return _mean_error(y_true, y_pred, sample_weight, scale, groups)

    scorer = make_scorer(mase, greater_is_better=False)
    if isinstance(scale, pd.DataFrame) and get_config()["enable_metadata_routing"]:
        # a panel's scorer reads each row's series from the fold's groups when y has no index
        # (split's 3-D windows); under routing a scorer receives only what it requests
        scorer = scorer.set_score_request(groups=True)
    return scorer
