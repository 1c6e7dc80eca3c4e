"""Forecasting past the end of the data: direct and recursive rollout, with intervals."""

import pandas as pd
from sklearn.exceptions import NotFittedError

from ._tables import as_pandas
from .common_trend import CommonTrendAdjuster
from .intervals import check_origins, conformal_bounds, conformal_residuals, interval_frame
from .panel_forecasting import panel_forecast
from .panels import is_panel
from .rollout import calibration_plan, known_columns, point_forecast, windowing_step
from .windowing import SlidingWindowTransformer, check_column_order

__all__ = ["forecast"]


def _searched(estimator):
    """The model a fitted search chose (``best_estimator_``); a search without one is refused.

    ``GridSearchCV`` predicts with its ``best_estimator_``, so it forecasts
    with it too; looking for a windowing step in the search object itself
    found none and asked for a ``framing`` the pipeline already holds. A search
    is recognised by its fitted attributes rather than by sklearn's private
    ``BaseSearchCV``, so searches that do not subclass it (dask-ml's
    ``GridSearchCV``) forecast too.
    """
    if hasattr(estimator, "best_estimator_"):
        return estimator.best_estimator_
    if hasattr(estimator, "best_params_"):
        raise ValueError(
            f"{type(estimator).__name__} holds no fitted model to forecast with: fit it with "
            "refit=True (the default), or fit search.estimator.set_params(**search.best_params_)."
        )
    params = estimator.get_params(deep=False) if hasattr(estimator, "get_params") else {}
    if any(name in params for name in ("param_grid", "param_distributions", "search_spaces")):
        raise NotFittedError(
            f"This {type(estimator).__name__} is not fitted yet: fit the search before "
            "forecasting with it; it forecasts with its best_estimator_."
        )
    return estimator


def forecast(estimator, data, horizon, *, framing=None, future=None, coverage=None,
             n_origins=20, refit_every=None, adjuster=None):
    """Forecast the ``horizon`` steps that follow ``data``, with intervals if asked.

    Starting from the last window of ``data``, the fitted ``estimator``
    predicts the next ``n_steps_out`` steps (one call gives the whole horizon
    for a direct multi-step model: vector output or encoder-decoder); while
    the horizon is not covered, the forecasts are appended to the history and
    the next window is predicted from them (recursive rollout).

    Parameters
    ----------
    estimator : fitted regressor
        A fitted search (``GridSearchCV``, ...) forecasts with its
        ``best_estimator_``, whose clone ``coverage`` refits. The model is
        either fitted on ``framing.split(...)`` windows (an
        :class:`~sklstm.LSTMForecaster`, a
        :class:`~sklstm.PersistenceForecaster`, or a pipeline taking 3-D
        windows), or a row-aligned pipeline fitted on ``align(...)`` rows whose
        windows come from its own :class:`~sklstm.SlidingWindowTransformer`
        (``make_pipeline(SlidingWindowTransformer(3), Ridge())``, also inside
        a ``TransformedTargetRegressor``), or a ``VotingRegressor`` /
        ``StackingRegressor`` of such pipelines, rolled forward as one model
        (each member reads its own window; only ``n_steps_in`` may differ).
    data : array-like of shape (n_timesteps,) or (n_timesteps, n_series)
        The history, framed as in training (list, ndarray, Series or DataFrame).
    horizon : int
        Number of future steps.
    framing : SlidingWindowTransformer or None, default=None
        The framing the estimator was trained with; for a row-aligned
        pipeline it defaults to the pipeline's own transformer. Its targets
        start after the window (``target_offset=1``). A series rolls forward
        from its own past and its ``known_future`` columns; inputs known only
        in the past, or a target outside the inputs, leave a direct model
        whose ``horizon`` is at most ``n_steps_out`` (one call).
    future : DataFrame or None, default=None
        Values of the framing's ``known_future`` columns for the forecast
        steps (for a panel, indexed like the data: ``(series_id, time)``, or
        with the id column). Rows are matched to the steps that follow the
        data by index label when the data's index says which those are, else
        taken in order; a direct model forecasting ``n_steps_out`` at once
        needs the values for every step it covers (``horizon`` rounded up to
        a multiple of ``n_steps_out``). Missing columns or dates raise a
        ``ValueError`` naming them.
    coverage : float, list of float or None, default=None
        Levels of prediction intervals, e.g. ``[0.8, 0.95]``. Calibrated by
        split-conformal residuals per horizon step (and series) of forecasts
        made at the last ``n_origins`` origins of ``data`` by refits that saw
        only the data before each origin; the finite-sample quantile
        ``ceil((K + 1) * level)`` of ``K = n_origins`` absolute residuals.
        Costs one refit of a clone of ``estimator`` (on ``data`` up to the
        first calibration origin) plus one more every ``refit_every``
        origins, and ``n_origins`` forecasts. With ``known_future`` columns
        each past forecast reads their values from ``data`` (the origins
        then end where those values run out). For a panel, every series is
        calibrated on its own last ``n_origins`` origins, from one refit of
        the global model per calibration round and per end time of the
        series (series ending together share it), on the rows dated before
        the earliest of their origins in that round. The refits call
        ``fit(X, y)``: a model fitted
        with ``sample_weight`` is calibrated by unweighted refits.
    n_origins : int, default=20
        Calibration origins (one step apart, ending ``horizon`` steps before
        the end of ``data``); level ``p`` needs at least ``p / (1 - p)``
        of them (19 for 95%).
    refit_every : int or None, default=None
        Refit the clone every this many origins (``None``: once, at the
        first origin; every forecast still sees only the data before its
        origin).
    adjuster : fitted CommonTrendAdjuster or None, default=None
        For a panel whose model was fitted on ``adjuster.transform(data)``'s
        windows (:class:`~sklstm.CommonTrendAdjuster`, fitted on ``data``):
        the forecasts of the adjusted panel come back restored by
        ``adjuster.inverse_transform``, in the data's units. With
        ``coverage`` the intervals are calibrated on those restored
        forecasts: at each calibration origin a clone of the adjuster is
        refitted on the panel rows dated before it, so their width includes
        the error of the common movement's forecast (restoring the intervals
        of the adjusted panel with ``inverse_transform`` leaves it out).

    Returns
    -------
    future : ndarray, Series or DataFrame of shape (horizon,) or (horizon, n_series)
        pandas, indexed by the periods that follow the data, when ``data`` has a
        regular DatetimeIndex or TimedeltaIndex, a PeriodIndex or an integer
        index. With ``coverage``: a DataFrame with the forecast column (the
        series label, or ``"forecast"`` for an unnamed series) and ``"<label>_lower_80"``,
        ``"<label>_upper_80"``, ... per level; for numpy ``data`` an array of
        shape ``(horizon[, n_series], 1 + 2 * n_levels)`` in that order.

    Examples
    --------
    >>> from sklstm import PersistenceForecaster, SlidingWindowTransformer
    >>> from sklstm.forecasting import forecast
    >>> framing = SlidingWindowTransformer(n_steps_in=2)
    >>> model = PersistenceForecaster().fit(*framing.split([1.0, 2, 3, 4]))
    >>> forecast(model, [1.0, 2, 3, 4], 3, framing=framing)
    array([4., 4., 4.])
    """
    estimator = _searched(estimator)
    data, future = as_pandas(data), as_pandas(future)
    if adjuster is not None and not isinstance(adjuster, CommonTrendAdjuster):
        raise TypeError(
            f"adjuster must be a fitted sklstm.CommonTrendAdjuster or None; got "
            f"{type(adjuster).__name__}."
        )
    check_column_order(framing, data, "forecast")
    step = windowing_step(estimator)
    panel_framing = framing if framing is not None else step
    if isinstance(panel_framing, SlidingWindowTransformer) and is_panel(data,
                                                                        panel_framing.series_id):
        return panel_forecast(estimator, data, horizon, framing, panel_framing.series_id, future,
                              coverage, n_origins, refit_every, adjuster)
    if adjuster is not None:
        raise ValueError(
            "adjuster= restores the forecasts of a panel's common movement, but data is not a "
            "panel: pass a (series_id, time) MultiIndex or an id column named by the framing's "
            "series_id, or leave adjuster out."
        )
    future, labels, index, steps = point_forecast(estimator, data, horizon, framing, future)
    if coverage is None:
        if index is None:
            return future[:, 0] if future.shape[1] == 1 else future
        if future.shape[1] == 1:
            return pd.Series(future[:, 0], index=index, name=labels[0])
        return pd.DataFrame(future, index=index, columns=labels)
    check_origins(n_origins, refit_every)
    framing = step if framing is None else framing
    row_aligned = step is not None
    training, targets, known, columns, lookahead = calibration_plan(framing, data, horizon, steps)

    def refit(model, head):
        frames = training.align(head) if row_aligned else training.split(head)
        return model.fit(*frames)

    def predict(model, head, ahead):
        known_values = known_columns(ahead, known, columns) if known else None
        return point_forecast(model, head, horizon, framing, known_values)[0]

    residuals = conformal_residuals(estimator, data, horizon, n_origins=n_origins,
                                    refit_every=refit_every, fit=refit, predict=predict,
                                    targets=targets, lookahead=lookahead)
    levels, widths = conformal_bounds(residuals, coverage)
    return interval_frame(future, levels, widths, labels, index)
