"""Prediction intervals for forecasts past the data: split-conformal, per horizon step.

The residuals come from forecasts made at earlier origins of the history by
refits that saw only the data before each origin (walk-forward), never from
the training fit, whose in-sample errors are optimistic. For a level
``1 - alpha`` and ``K`` residuals at horizon step ``h``, the bound is the
``ceil((K + 1)(1 - alpha))``-th smallest absolute residual (the
finite-sample split-conformal quantile), so under exchangeable errors the
interval covers with probability at least ``1 - alpha``.
"""

import math
from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import clone

from ._tables import as_table

__all__ = ["conformal_bounds", "conformal_residuals", "interval_frame"]


def _levels(coverage):
    if isinstance(coverage, (str, bytes)):  # list("0.8") gave levels '0', '.', '8'
        raise TypeError(
            f"coverage must be a number or a list of numbers, e.g. coverage=0.8 or "
            f"coverage=[0.8, 0.95]; got the string {coverage!r}."
        )
    levels = [coverage] if isinstance(coverage, Real) else list(coverage)
    if not levels:
        raise ValueError("coverage must name at least one level, e.g. coverage=[0.8, 0.95].")
    for level in levels:
        if isinstance(level, bool) or not isinstance(level, Real) or not 0 < level < 1:
            raise ValueError(
                f"coverage={level!r} is not a probability strictly between 0 and 1; pass e.g. "
                "coverage=0.9 or coverage=[0.8, 0.95]."
            )
    labels = [_pct(level) for level in levels]
    repeated = sorted({label for label in labels if labels.count(label) > 1}, key=float)
    if repeated:  # their columns would share a name: the frame kept one, the array both
        raise ValueError(
            f"coverage names the level(s) {', '.join(r + '%' for r in repeated)} more than once "
            f"(to 6 significant digits); pass each level once, e.g. coverage=[0.8, 0.95]."
        )
    return levels


def conformal_residuals(estimator, data, horizon, *, n_origins, refit_every, fit, predict,
                        targets=None, lookahead=0):
    """Residuals ``(n_origins, horizon, n_series)`` of forecasts from the last origins of ``data``.

    Origins are the ``n_origins`` latest positions ``o`` with ``o + max(horizon,
    lookahead) <= len(data)``, one step apart. A clone of ``estimator`` is
    fitted with ``fit(model, data[:o])`` at the first origin and again every
    ``refit_every`` origins (``None``: once); each forecast,
    ``predict(model, data[:o], data[o:o + lookahead])``, sees only ``data[:o]``
    and the ``lookahead`` rows after it (the known-future values a forecast
    reads, which a caller passes on for those columns alone). ``targets``
    are the columns of ``data`` that are forecast (``None``: all).
    """
    values, _, _ = as_table(data)
    n = len(values)
    reach = max(horizon, lookahead)
    first = n - reach - n_origins + 1
    if n_origins < 1 or first < 1:
        raise ValueError(
            f"data has {n} time steps: too few to calibrate on n_origins={n_origins} origins "
            f"of a {reach}-step horizon; use fewer origins, a shorter horizon or more data."
        )
    residuals, model = [], None
    for k in range(n_origins):
        origin = first + k
        if model is None or (refit_every and k % refit_every == 0):
            try:
                model = fit(clone(estimator), _head(data, origin))
            except ValueError as exc:  # "the series has 2 time steps" alone did not say why
                raise ValueError(
                    f"the calibration refit on the {origin} time steps before origin {k + 1} of "
                    f"n_origins={n_origins} failed: {exc} Use fewer origins, or more history."
                ) from None
        ahead = _rows(data, origin, origin + lookahead)
        predicted = np.asarray(predict(model, _head(data, origin), ahead), dtype=float)
        actual = values[origin:origin + horizon]
        actual = actual if targets is None else actual[:, targets]
        residuals.append(actual - predicted.reshape(actual.shape))
    return np.stack(residuals)


def _head(data, n):
    return _rows(data, 0, n)


def _rows(data, start, stop):
    if isinstance(data, (pd.Series, pd.DataFrame)):
        return data.iloc[start:stop]
    return np.asarray(data)[start:stop]


def conformal_bounds(residuals, coverage):
    """Half-widths ``(len(levels), horizon, n_series)`` of the intervals at each level."""
    levels = _levels(coverage)
    k = len(residuals)
    widths = []
    for level in levels:
        rank = math.ceil((k + 1) * level)
        if rank > k:
            raise ValueError(
                f"coverage={level} needs at least {math.ceil(level / (1 - level))} calibration "
                f"origins (the finite-sample quantile of {k} residuals is unbounded); raise "
                "n_origins, or give more history."
            )
        widths.append(np.sort(np.abs(residuals), axis=0)[rank - 1])
    return levels, np.stack(widths)


def _pct(level):
    return f"{level * 100:g}"


def interval_frame(point, levels, widths, labels, index):
    """Point forecasts and bounds: a DataFrame (labelled columns) or, without index, an array.

    Columns: for each series, its label (the forecast), then
    ``"<label>_lower_<pct>"`` and ``"<label>_upper_<pct>"`` per level
    (``pct`` as in ``80`` or ``97.5``). The numpy form is
    ``(horizon, n_series, 1 + 2 * n_levels)`` in the same order (the series
    axis dropped for one series).
    """
    point = point.reshape(len(point), -1)
    blocks = [point]
    for width in widths:
        blocks += [point - width, point + width]
    stacked = np.stack(blocks, axis=-1)  # (horizon, n_series, 1 + 2L)
    if index is None:
        return stacked[:, 0] if stacked.shape[1] == 1 else stacked
    columns = {}
    for j, label in enumerate(labels):
        name = "forecast" if (len(labels) == 1 and not isinstance(label, str)) else label
        columns[name] = stacked[:, j, 0]
        for i, level in enumerate(levels):
            columns[f"{name}_lower_{_pct(level)}"] = stacked[:, j, 1 + 2 * i]
            columns[f"{name}_upper_{_pct(level)}"] = stacked[:, j, 2 + 2 * i]
    return pd.DataFrame(columns, index=index)


def check_origins(n_origins, refit_every):
    if isinstance(n_origins, bool) or not isinstance(n_origins, Integral) or n_origins < 1:
        raise ValueError(f"n_origins must be a positive integer; got {n_origins!r}.")
    if refit_every is not None and (isinstance(refit_every, bool)
                                    or not isinstance(refit_every, Integral) or refit_every < 1):
        raise ValueError(f"refit_every must be None or a positive integer; got {refit_every!r}.")
