"""Forecasting past the end of the data: direct and recursive rollout."""

import copy
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.compose import TransformedTargetRegressor
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from ._tables import as_table, future_index
from .common_trend import CommonTrendAdjuster
from .ensemble import SeedEnsembleRegressor
from .known_future import known_future_values, lead_names
from .panels import id_column, is_panel, panel_groups
from .intervals import check_origins, conformal_bounds, conformal_residuals, interval_frame
from .windowing import SlidingWindowTransformer

__all__ = ["forecast"]


def _windowing_step(estimator):
    """The SlidingWindowTransformer inside a row-aligned model, or None."""
    if isinstance(estimator, SeedEnsembleRegressor):  # members share one framing
        members = getattr(estimator, "estimators_", None)
        return _windowing_step(members[0] if members else estimator.estimator)
    if isinstance(estimator, TransformedTargetRegressor):
        return _windowing_step(getattr(estimator, "regressor_", estimator.regressor))
    if isinstance(estimator, Pipeline):
        for _, step in estimator.steps:
            found = step if isinstance(step, SlidingWindowTransformer) else _windowing_step(step)
            if found is not None:
                return found
    return None


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


def _standalone(estimator):
    """A shallow copy whose windowing step treats its input as a table of its own.

    The copy shares every fitted step (nothing is refitted or deep-copied);
    only the SlidingWindowTransformer is copied with ``history="restart"``, so
    the last ``n_steps_in`` rows passed to ``predict`` form the last window
    whatever rows the model was fitted on.
    """
    if isinstance(estimator, SlidingWindowTransformer):
        step = copy.copy(estimator)
        step.history = "restart"
        step.series_id = None  # a panel's model forecasts one series' table at a time
        return step
    if isinstance(estimator, TransformedTargetRegressor):
        wrapper = copy.copy(estimator)
        wrapper.regressor_ = _standalone(estimator.regressor_)
        return wrapper
    if isinstance(estimator, Pipeline):
        pipe = copy.copy(estimator)
        pipe.steps = [(name, _standalone(step)) for name, step in estimator.steps]
        return pipe
    if isinstance(estimator, SeedEnsembleRegressor):
        ensemble = copy.copy(estimator)
        ensemble.estimators_ = [_standalone(member) for member in estimator.estimators_]
        return ensemble
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
        a ``TransformedTargetRegressor``).
    data : array-like of shape (n_timesteps,) or (n_timesteps, n_series)
        The history, framed as in training (list, ndarray, Series or DataFrame).
    horizon : int
        Number of future steps.
    framing : SlidingWindowTransformer or None, default=None
        The framing the estimator was trained with; for a row-aligned
        pipeline it defaults to the pipeline's own transformer. Its targets
        must be its inputs (univariate or parallel series): a dependent
        series cannot be rolled forward without future values of its inputs.
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
        the global model per calibration round on the rows dated before that
        round's earliest origin. The refits call ``fit(X, y)``: a model fitted
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
        regular DatetimeIndex, a PeriodIndex or an integer index. With
        ``coverage``: a DataFrame with the forecast column (the series label,
        or ``"forecast"`` for an unnamed series) and ``"<label>_lower_80"``,
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
    if adjuster is not None and not isinstance(adjuster, CommonTrendAdjuster):
        raise TypeError(
            f"adjuster must be a fitted sklstm.CommonTrendAdjuster or None; got "
            f"{type(adjuster).__name__}."
        )
    panel_framing = framing if framing is not None else _windowing_step(estimator)
    if isinstance(panel_framing, SlidingWindowTransformer) and is_panel(data,
                                                                        panel_framing.series_id):
        return _panel_forecast(estimator, data, horizon, framing, panel_framing.series_id, future,
                               coverage, n_origins, refit_every, adjuster)
    if adjuster is not None:
        raise ValueError(
            "adjuster= restores the forecasts of a panel's common movement, but data is not a "
            "panel: pass a (series_id, time) MultiIndex or an id column named by the framing's "
            "series_id, or leave adjuster out."
        )
    future, labels, index, steps = _point_forecast(estimator, data, horizon, framing, future)
    if coverage is None:
        if index is None:
            return future[:, 0] if future.shape[1] == 1 else future
        if future.shape[1] == 1:
            return pd.Series(future[:, 0], index=index, name=labels[0])
        return pd.DataFrame(future, index=index, columns=labels)
    check_origins(n_origins, refit_every)
    framing = _windowing_step(estimator) if framing is None else framing
    row_aligned = _windowing_step(estimator) is not None
    training, targets, known, columns, lookahead = _calibration_plan(framing, data, horizon, steps)

    def refit(model, head):
        frames = training.align(head) if row_aligned else training.split(head)
        return model.fit(*frames)

    def predict(model, head, ahead):
        known_values = _known_columns(ahead, known, columns) if known else None
        return _point_forecast(model, head, horizon, framing, known_values)[0]

    residuals = conformal_residuals(estimator, data, horizon, n_origins=n_origins,
                                    refit_every=refit_every, fit=refit, predict=predict,
                                    targets=targets, lookahead=lookahead)
    levels, widths = conformal_bounds(residuals, coverage)
    return interval_frame(future, levels, widths, labels, index)


def _calibration_plan(framing, table, horizon, steps):
    """What calibration refits and reads, for one series' ``table``.

    ``(training framing, target positions, known-future column labels, column
    labels, lookahead)``: the refits frame windows of ``steps`` outputs, as the
    fitted model forecasts per call; a direct model reads the known values of
    every step its last call covers, so each origin looks that many rows ahead
    (at past origins they come from the data itself: what was known then is in
    the table now).
    """
    training = SlidingWindowTransformer(
        n_steps_in=framing.n_steps_in, n_steps_out=steps, target=framing.target,
        inputs=framing.inputs, target_offset=framing.target_offset,
        known_future=framing.known_future, series_id=framing.series_id)
    _, columns, _ = as_table(table)
    _, targets, _ = framing._columns(columns)
    known = [columns[k] for k in framing._known(columns, targets)]
    lookahead = -(-horizon // steps) * steps if known else 0
    return training, targets, known, columns, lookahead


def _known_columns(rows, known, columns):
    """The known-future columns of the data rows after a calibration origin, as ``future=``."""
    if isinstance(rows, pd.DataFrame):
        return rows[known]
    positions = [columns.index(name) for name in known]
    return pd.DataFrame(np.asarray(rows)[:, positions], columns=known)


def _panel_forecast(estimator, data, horizon, framing, series_id, known, coverage=None,
                    n_origins=20, refit_every=None, adjuster=None):
    """Forecast every series of a panel; indexed by (series id, future time)."""
    single = None if framing is None else framing.single_series()
    try:
        known_by_series = ({} if known is None else
                           {sid: table for sid, _, table in panel_groups(known, series_id)})
    except ValueError as exc:  # say it is the future table, not the data
        raise ValueError(f"future: {exc}") from None
    groups = panel_groups(data, series_id)
    if adjuster is not None:
        _check_adjuster_origins(adjuster, groups)
    adjusted = groups if adjuster is None else panel_groups(adjuster.transform(data), series_id)
    points = {}
    for sid, _, table in adjusted:
        try:
            points[sid] = _point_forecast(
                estimator, table, horizon, single,
                None if known is None else known_by_series.get(sid, table.iloc[:0]))
        except ValueError as exc:
            raise ValueError(f"series {sid!r}: {exc}") from None
    bounds = None
    if coverage is not None:
        steps = next(iter(points.values()))[3]
        bounds = _panel_bounds(estimator, data, horizon, framing, series_id, groups, coverage,
                               n_origins, refit_every, steps, adjuster)
    if adjuster is not None:  # the forecasts restored, then the bounds calibrated on them
        points = _restored(points, groups, horizon, adjuster)
    pieces = []
    for sid, _, table in groups:
        future, labels, index, _ = points[sid]
        times = index if index is not None else pd.RangeIndex(len(table), len(table) + horizon)
        piece = (pd.DataFrame(future, columns=labels, index=times) if bounds is None
                 else interval_frame(future, *bounds[sid], labels, times))
        piece.index = pd.MultiIndex.from_arrays(
            [np.repeat(np.asarray([sid], dtype=object), horizon), times])
        pieces.append(piece)
    result = pd.concat(pieces)
    column = id_column(data, series_id)
    result.index.names = ([column, data.index.name] if column is not None
                          else list(data.index.names))
    return result.iloc[:, 0] if result.shape[1] == 1 else result


def _check_adjuster_origins(adjuster, groups):
    """Refuse an adjuster fitted past a series' last row: it would restore measured movement."""
    check_is_fitted(adjuster)
    for sid, _, table in groups:
        fitted = adjuster.series_times_.get(sid)
        if fitted is None or fitted[-1] != table.index[-1]:
            raise ValueError(
                (f"adjuster was not fitted on series {sid!r}" if fitted is None else
                 f"adjuster was fitted on series {sid!r} up to {fitted[-1]}, but its data end "
                 f"at {table.index[-1]}; its forecasts would not be restored with the movement "
                 "forecast from their origin")
                + ". Fit the adjuster on the data forecast from: adjuster.fit(data)."
            )


def _restored(points, groups, horizon, adjuster):
    """``points`` (forecasts of the adjusted panel, per series) put back by ``adjuster``."""
    frames = {}
    for sid, _, table in groups:
        future, labels, index, _ = points[sid]
        times = index if index is not None else pd.RangeIndex(len(table), len(table) + horizon)
        frames[sid] = pd.DataFrame(future, columns=labels, index=times)
    restored = adjuster.inverse_transform(pd.concat(frames))
    return {sid: (restored.loc[sid].to_numpy(dtype=np.float64), *points[sid][1:])
            for sid in points}


def _panel_bounds(estimator, data, horizon, framing, series_id, groups, coverage, n_origins,
                  refit_every, steps, adjuster=None):
    """``{series id: (levels, half-widths)}``: split-conformal bounds of each series.

    Each series' calibration origins are its own last ``n_origins`` (one step
    apart, as for one series). One clone of the global model is refitted per
    calibration round on the panel rows dated before the earliest origin of
    that round, so no forecast comes from a model that saw its target. With
    an ``adjuster``, every refit and every forecast goes through a clone of
    it fitted on the panel rows dated before that refit or origin, and the
    residuals are those of the restored forecasts.
    """
    check_origins(n_origins, refit_every)
    step = _windowing_step(estimator)
    shape = step if framing is None else framing
    single = None if framing is None else framing.single_series()
    training, targets, known, columns, lookahead = _calibration_plan(
        shape, groups[0][2], horizon, steps)
    reach = max(horizon, lookahead)
    first = {}
    for sid, _, table in groups:
        first[sid] = len(table) - reach - n_origins + 1
        if first[sid] < shape.n_steps_in:
            raise ValueError(
                f"series {sid!r} has {len(table)} time steps: too few to calibrate on "
                f"n_origins={n_origins} origins of a {reach}-step horizon with windows of "
                f"{shape.n_steps_in}; use fewer origins, or forecast that series without "
                "coverage."
            )
    residuals, model = {sid: [] for sid in first}, None
    actuals = {sid: table.to_numpy(dtype=np.float64)[:, targets] for sid, _, table in groups}
    for k in range(n_origins):
        if model is None or (refit_every and k % refit_every == 0):
            cutoff = min(table.index[first[sid] + k] for sid, _, table in groups)
            before = [positions[np.asarray(table.index < cutoff)] for _, positions, table in groups]
            longest = max(len(rows) for rows in before)
            if step is None:  # split refuses series shorter than a window and its targets
                before = [rows for rows in before if len(rows) >= shape.n_steps_in + steps]
            where = (f"the calibration refit on the rows dated before {cutoff} (origin {k + 1} "
                     f"of n_origins={n_origins})")
            if not before:
                raise ValueError(
                    f"{where} has at most {longest} time steps per series, fewer than one "
                    f"training window and its targets ({shape.n_steps_in} + {steps}); use fewer "
                    "origins, or more history."
                )
            head = data.iloc[np.sort(np.concatenate(before))]
            if adjuster is not None:
                head = clone(adjuster).fit(head).transform(head)
            try:
                model = clone(estimator).fit(*(training.align(head) if step is not None
                                               else training.split(head)))
            except ValueError as exc:  # a bare "too short" did not say which refit
                raise ValueError(f"{where} failed: {exc} Use fewer origins, or more "
                                 "history.") from None
        origins = {sid: first[sid] + k for sid, _, _ in groups}
        histories = ({sid: (table.iloc[:origins[sid]], None) for sid, _, table in groups}
                     if adjuster is None
                     else _adjusted_histories(data, series_id, groups, origins, adjuster))
        points = {}
        for sid, _, table in groups:
            origin = origins[sid]
            ahead = (_known_columns(table.iloc[origin:origin + reach], known, columns)
                     if known else None)
            points[sid] = _point_forecast(model, histories[sid][0], horizon, single, ahead)
        if adjuster is not None:  # one restore per refitted adjuster: its movement forecast once
            by_adjuster = {}
            for sid, (history, fitted) in histories.items():
                by_adjuster.setdefault(id(fitted), (fitted, []))[1].append((sid, None, history))
            for fitted, members in by_adjuster.values():
                points.update(_restored({sid: points[sid] for sid, _, _ in members}, members,
                                        horizon, fitted))
        for sid, _, _ in groups:
            origin = origins[sid]
            residuals[sid].append(actuals[sid][origin:origin + horizon] - points[sid][0])
    return {sid: conformal_bounds(np.stack(r), coverage) for sid, r in residuals.items()}


def _adjusted_histories(data, series_id, groups, origins, adjuster):
    """``{sid: (adjusted rows before its origin, the adjuster fitted on them)}``.

    The adjuster is refitted once per origin date, on every series' rows
    dated before it, so the movement it puts back was measured and forecast
    from what was known at that origin.
    """
    by_date = {}
    for sid, _, table in groups:
        by_date.setdefault(table.index[origins[sid]], []).append(sid)
    out = {}
    for date, ids in by_date.items():
        rows = [positions[np.asarray(table.index < date)] for _, positions, table in groups]
        head = data.iloc[np.sort(np.concatenate(rows))]
        fitted = clone(adjuster).fit(head)
        tables = {sid: table for sid, _, table in panel_groups(fitted.transform(head), series_id)}
        out.update({sid: (tables[sid], fitted) for sid in ids})
    return out


def _point_forecast(estimator, data, horizon, framing, known_values=None):
    """``(future (horizon, n_series), labels, future index or None, steps per call)``."""
    if not isinstance(horizon, Integral) or isinstance(horizon, bool) or horizon < 1:
        raise ValueError(f"horizon must be a positive integer; got {horizon!r}.")
    final = _fitted_final_step(estimator)
    step = _windowing_step(estimator)
    if framing is None:
        if step is None:
            raise TypeError(
                "framing is required for a model fitted on 3-D windows: pass the "
                "SlidingWindowTransformer whose split() made its training windows."
            )
        framing = step
    if not isinstance(framing, SlidingWindowTransformer):
        raise TypeError("framing must be the SlidingWindowTransformer used to make the training windows.")
    if step is not None and step.n_steps_in != framing.n_steps_in:
        raise ValueError(
            f"framing.n_steps_in={framing.n_steps_in}, but the pipeline windows "
            f"n_steps_in={step.n_steps_in} rows; leave framing out to use the pipeline's own."
        )
    values, columns, index = as_table(data)
    inputs, targets, offset = framing._columns(columns)
    known = framing._known(columns, targets)
    needed = sorted(set(targets) | set(known))
    if sorted(inputs) != needed:
        unread = [columns[k] for k in targets if k not in inputs]
        if unread:  # a named target defaults the inputs to the other columns (the tutorial)
            wanted = [columns[k] for k in needed]
            raise ValueError(
                f"forecast rolls the series forward from its own past, but the framing's inputs "
                f"leave out its target {unread} (a dependent series: with target named, the "
                f"inputs default to the other columns); frame it with inputs={wanted} and refit."
            )
        raise ValueError(
            "forecast rolls the series forward, so the framing's inputs must be its targets "
            "(target=None: univariate or parallel series) and its known_future columns; any "
            "other input's future is unknown."
        )
    if known_values is not None and not known:
        raise ValueError(
            "future= gives known-future values, but the framing has no known_future columns; "
            "declare them on the SlidingWindowTransformer (known_future=[...]) and refit."
        )
    if offset != 1:
        raise ValueError(
            f"target_offset={framing.target_offset} makes each target the window's own last "
            "step; forecasting the future needs targets that start after the window "
            "(target_offset='auto' or 1)."
        )
    n_in, n_series = framing.n_steps_in, len(targets)
    n_window = n_in + (framing.n_steps_out if known else 0)
    fitted = getattr(final, "window_shape_", None)
    if step is None and fitted is not None and tuple(fitted) != (n_window, len(inputs)):
        raise ValueError(
            f"framing makes windows of {n_window} steps x {len(inputs)} series, but the model was "
            f"fitted on {fitted[0]} steps x {fitted[1]} series; pass the framing used in "
            f"training, e.g. SlidingWindowTransformer(n_steps_in={fitted[0]})."
        )
    if len(values) < n_in:
        raise ValueError(f"data has {len(values)} time steps; the last window needs n_steps_in={n_in}.")
    model = estimator if step is None else _standalone(estimator)
    history = values[:, inputs]
    n_out = framing.n_steps_out
    target_at = [inputs.index(t) for t in targets]
    known_at = [inputs.index(k) for k in known]
    if known:
        covered = -(-horizon // n_out) * n_out  # a direct model reads a whole block each call
        ahead = known_future_values(known_values, [columns[k] for k in known],
                                  future_index(index, covered), covered, index)
    while len(history) < len(values) + horizon:
        window = history[-n_in:]
        done = len(history) - len(values)
        block = np.zeros((n_out, len(inputs)))
        if known:
            block[:, known_at] = ahead[done:done + n_out]
        if step is None:
            out = model.predict((np.concatenate([window, block]) if known else window)[None])
        else:  # the table's last row holds the last complete window (and its leads)
            names = [columns[i] for i in inputs]
            table = window
            if known:
                leads = np.repeat(block[:, known_at].reshape(1, -1), len(window), axis=0)
                table = np.concatenate([window, leads], axis=1)
                names += lead_names([columns[k] for k in known], offset, n_out)
            table = table if index is None else pd.DataFrame(table, columns=names)
            out = np.asarray(model.predict(table))[-1:]
        out = np.asarray(out, dtype=float)
        if out.size % n_series or (step is None and out.size != framing.n_steps_out * n_series):
            raise ValueError(
                f"the model forecasts {out.size} values per window, but the framing "
                f"(n_steps_out={framing.n_steps_out}, {n_series} series) expects "
                f"{framing.n_steps_out * n_series}; pass the framing used in training."
            )
        steps_per_call = out.size // n_series
        rows = np.zeros((steps_per_call, len(inputs)))
        rows[:, target_at] = out.reshape(-1, n_series)
        if known:
            rows[:, known_at] = ahead[done:done + steps_per_call]
        history = np.concatenate([history, rows])
    future = history[len(values):len(values) + horizon][:, target_at]
    return future, [columns[i] for i in targets], future_index(index, horizon), steps_per_call


def _fitted_final_step(estimator):
    """The last estimator inside pipelines and target wrappers, checked to be fitted.

    An unfitted model gets sklearn's NotFittedError before any window is built.
    """
    final = estimator
    while isinstance(final, (Pipeline, TransformedTargetRegressor)):
        if isinstance(final, TransformedTargetRegressor):
            check_is_fitted(final, "regressor_")
            final = final.regressor_
        else:
            final = final.steps[-1][1]
    check_is_fitted(final)
    return final
