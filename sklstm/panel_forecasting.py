"""Forecasts of every series of a panel, with per-series intervals, through a common-movement adjuster.

:func:`sklstm.forecast` hands a panel here: each series is rolled forward on
its own (never from another series' rows), the split-conformal bounds of each
series come from its own past forecasts by refits of the global model on the
rows dated before them, and with a fitted :class:`~sklstm.CommonTrendAdjuster`
the forecasts are restored, and calibrated, in the data's units.
"""

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.utils.validation import check_is_fitted

from .intervals import check_origins, conformal_bounds, interval_frame
from .panels import check_groups_share_times, id_column, panel_groups
from .rollout import calibration_plan, known_columns, point_forecast, windowing_step

__all__ = ["panel_forecast"]


def panel_forecast(estimator, data, horizon, framing, series_id, known, coverage=None,
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
            points[sid] = point_forecast(
                estimator, table, horizon, single,
                None if known is None else known_by_series.get(sid, table.iloc[:0]))
        except ValueError as exc:
            raise ValueError(f"series {sid!r}: {exc}") from None
    bounds = None
    if coverage is not None:  # calibration refits take the rows dated before each origin
        check_groups_share_times(groups, "forecast(coverage=...) on a panel")
        steps = next(iter(points.values()))[3]
        bounds = _panel_bounds(estimator, data, horizon, framing, series_id, groups, coverage,
                               n_origins, refit_every, steps, adjuster)
    if adjuster is not None:  # the forecasts restored, then the bounds calibrated on them
        points = _restored(points, {sid: table for sid, _, table in groups}, horizon,
                           adjuster)
    pieces = []
    for sid, _, table in groups:
        future, labels, _, _ = points[sid]
        times = _future_times(points[sid], table, horizon)
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


def _future_times(point, table, horizon):
    """The times a series' forecast ``point`` covers: its future index, or the next positions."""
    index = point[2]
    return index if index is not None else pd.RangeIndex(len(table), len(table) + horizon)


def _restored(points, tables, horizon, adjuster):
    """``points`` (forecasts of the adjusted panel, per series) put back by ``adjuster``.

    ``tables``: each series' history the forecast followed, by series id.
    """
    frames = {sid: pd.DataFrame(point[0], columns=point[1],
                                index=_future_times(point, tables[sid], horizon))
              for sid, point in points.items()}
    restored = adjuster.inverse_transform(pd.concat(frames))
    return {sid: (restored.loc[sid].to_numpy(dtype=np.float64), *points[sid][1:])
            for sid in points}


def _panel_bounds(estimator, data, horizon, framing, series_id, groups, coverage, n_origins,
                  refit_every, steps, adjuster=None):
    """``{series id: (levels, half-widths)}``: split-conformal bounds of each series.

    Each series' calibration origins are its own last ``n_origins`` (one step
    apart, as for one series). One clone of the global model is refitted per
    calibration round and per end time of the series (series ending together
    share it) on the panel rows dated before the earliest origin of their
    round, so no forecast comes from a model that saw its target, and a
    series that ends years early does not cut the refit of the others back
    with its own origins (on the retail panel of ``benchmarks/global_retail.py``
    two series ending in 2010 cut one shared refit from 2013-07 back to
    2004-09). With
    an ``adjuster``, every refit and every forecast goes through a clone of
    it fitted on the panel rows dated before that refit or origin, and the
    residuals are those of the restored forecasts.
    """
    check_origins(n_origins, refit_every)
    step = windowing_step(estimator)
    shape = step if framing is None else framing
    single = None if framing is None else framing.single_series()
    training, targets, known, columns, lookahead = calibration_plan(
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
    residuals = {sid: [] for sid in first}
    actuals = {sid: table.to_numpy(dtype=np.float64)[:, targets] for sid, _, table in groups}
    cohorts = {}  # series ending at the same time share their calibration refits
    for sid, _, table in groups:
        cohorts.setdefault(table.index[-1], []).append(sid)
    tables = {sid: table for sid, _, table in groups}

    def refit(cutoff, k):
        before = _rows_before(groups, cutoff)
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
            return clone(estimator).fit(*(training.align(head) if step is not None
                                          else training.split(head)))
        except ValueError as exc:  # a bare "too short" did not say which refit
            raise ValueError(f"{where} failed: {exc} Use fewer origins, or more "
                             "history.") from None

    model_of = {}  # each series' calibration model: its cohort's refit of this round
    for k in range(n_origins):
        if not model_of or (refit_every and k % refit_every == 0):
            for ids in cohorts.values():
                model = refit(min(tables[sid].index[first[sid] + k] for sid in ids), k)
                model_of.update(dict.fromkeys(ids, model))
        origins = {sid: first[sid] + k for sid, _, _ in groups}
        # (adjuster refitted at that origin date or None, {sid: history before its origin})
        batches = ([(None, {sid: table.iloc[:origins[sid]] for sid, _, table in groups})]
                   if adjuster is None
                   else _adjusted_histories(data, series_id, groups, origins, adjuster))
        points = {}
        for fitted, histories in batches:
            batch = {}
            for sid, history in histories.items():
                origin = origins[sid]
                ahead = (known_columns(tables[sid].iloc[origin:origin + reach], known, columns)
                         if known else None)
                batch[sid] = point_forecast(model_of[sid], history, horizon, single, ahead)
            # one restore per refitted adjuster: its movement forecast once per origin date
            points.update(batch if fitted is None
                          else _restored(batch, histories, horizon, fitted))
        for sid, _, _ in groups:
            origin = origins[sid]
            residuals[sid].append(actuals[sid][origin:origin + horizon] - points[sid][0])
    return {sid: conformal_bounds(np.stack(r), coverage) for sid, r in residuals.items()}


def _rows_before(groups, cutoff):
    """Per series, the positions in the panel of its rows dated before ``cutoff``."""
    return [positions[np.asarray(table.index < cutoff)] for _, positions, table in groups]


def _adjusted_histories(data, series_id, groups, origins, adjuster):
    """``[(adjuster fitted at an origin date, {sid: its adjusted rows before it})]``.

    The adjuster is refitted once per origin date, on every series' rows
    dated before it, so the movement it puts back was measured and forecast
    from what was known at that origin.
    """
    by_date = {}
    for sid, _, table in groups:
        by_date.setdefault(table.index[origins[sid]], []).append(sid)
    batches = []
    for date, ids in by_date.items():
        head = data.iloc[np.sort(np.concatenate(_rows_before(groups, date)))]
        fitted = clone(adjuster).fit(head)
        tables = {sid: table for sid, _, table in panel_groups(fitted.transform(head), series_id)}
        batches.append((fitted, {sid: tables[sid] for sid in ids}))
    return batches
