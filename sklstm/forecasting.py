"""Forecasting past the end of the data: direct and recursive rollout."""

from numbers import Integral

import numpy as np
import pandas as pd

from .windowing import SlidingWindowTransformer, _as_table, _future_index

__all__ = ["forecast"]


def forecast(estimator, data, horizon, *, framing):
    """Forecast the ``horizon`` steps that follow ``data``.

    Starting from the last window of ``data``, the fitted ``estimator``
    predicts the next ``n_steps_out`` steps (one call gives the whole horizon
    for a direct multi-step model: vector output or encoder-decoder); while
    the horizon is not covered, the forecasts are appended to the history and
    the next window is predicted from them (recursive rollout).

    Parameters
    ----------
    estimator : fitted regressor
        Fitted on ``framing.split(...)`` windows: an
        :class:`~sklstm.LSTMForecaster`, a
        :class:`~sklstm.PersistenceForecaster`, or a pipeline ending in one.
    data : array-like of shape (n_timesteps,) or (n_timesteps, n_series)
        The history, framed as in training (list, ndarray, Series or DataFrame).
    horizon : int
        Number of future steps.
    framing : SlidingWindowTransformer
        The framing the estimator was trained with. Its targets must be its
        inputs (univariate or parallel series): a dependent series cannot be
        rolled forward without future values of its inputs.

    Returns
    -------
    future : ndarray, Series or DataFrame of shape (horizon,) or (horizon, n_series)
        pandas, indexed by the dates that follow the data, when ``data`` has a
        regular DatetimeIndex (or an integer index).

    Examples
    --------
    >>> from sklstm import PersistenceForecaster, SlidingWindowTransformer
    >>> from sklstm.forecasting import forecast
    >>> framing = SlidingWindowTransformer(n_steps_in=2)
    >>> model = PersistenceForecaster().fit(*framing.split([1.0, 2, 3, 4]))
    >>> forecast(model, [1.0, 2, 3, 4], 3, framing=framing)
    array([4., 4., 4.])
    """
    if not isinstance(framing, SlidingWindowTransformer):
        raise TypeError("framing must be the SlidingWindowTransformer used to make the training windows.")
    if not isinstance(horizon, Integral) or horizon < 1:
        raise ValueError(f"horizon must be a positive integer; got {horizon!r}.")
    values, columns, index = _as_table(data)
    inputs, targets, offset = framing._columns(columns)
    if inputs != targets or offset != 1:
        raise ValueError(
            "forecast rolls the series forward, so the framing's targets must be its inputs "
            "(target=None: univariate or parallel series); a dependent target needs future "
            "values of its inputs."
        )
    n_in, n_out = framing.n_steps_in, framing.n_steps_out
    if len(values) < n_in:
        raise ValueError(f"data has {len(values)} time steps; the last window needs n_steps_in={n_in}.")
    history = values[:, inputs]
    while len(history) < len(values) + horizon:
        window = history[-n_in:][None]
        step = np.asarray(estimator.predict(window), dtype=float).reshape(n_out, len(inputs))
        history = np.concatenate([history, step])
    future = history[len(values):len(values) + horizon]
    if len(inputs) == 1:
        future = future[:, 0]
    new_index = None if index is None else _future_index(index, horizon)
    if new_index is None:
        return future
    names = [columns[i] for i in inputs]
    if future.ndim == 1:
        return pd.Series(future, index=new_index, name=names[0])
    return pd.DataFrame(future, index=new_index, columns=names)
