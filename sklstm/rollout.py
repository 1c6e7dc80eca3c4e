"""Rolling a fitted windowed model past the data: the last window, then direct or recursive steps.

Shared by :func:`sklstm.forecast` (one table) and :mod:`sklstm.panel_forecasting`
(every series of a panel); the calibration helpers say what a conformal refit
frames and which known-future values each past forecast reads.
"""

import copy
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.compose import TransformedTargetRegressor
from sklearn.ensemble import StackingRegressor, VotingRegressor
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from ._tables import as_table, future_index
from .ensemble import SeedEnsembleRegressor
from .known_future import known_future_values, lead_names
from .windowing import SlidingWindowTransformer, column_roles

__all__ = ["calibration_plan", "known_columns", "point_forecast", "windowing_step"]

# scikit-learn's combinations of several models, each member reading the same rows
_COMBINERS = (StackingRegressor, VotingRegressor)
# what every member's framing must share to be rolled forward as one model
_SHARED_FRAMING = ("n_steps_out", "target", "inputs", "target_offset", "known_future",
                   "series_id")


def windowing_step(estimator):
    """The SlidingWindowTransformer inside a row-aligned model, or None.

    For a ``VotingRegressor`` or ``StackingRegressor`` of row-aligned
    pipelines, the framing of the member with the longest window (see
    :func:`_shared_framing`).
    """
    if isinstance(estimator, SeedEnsembleRegressor):  # members share one framing
        members = getattr(estimator, "estimators_", None)
        return windowing_step(members[0] if members else estimator.estimator)
    if isinstance(estimator, _COMBINERS):
        return _shared_framing(estimator)
    if isinstance(estimator, TransformedTargetRegressor):
        return windowing_step(getattr(estimator, "regressor_", estimator.regressor))
    if isinstance(estimator, Pipeline):
        for _, step in estimator.steps:
            found = step if isinstance(step, SlidingWindowTransformer) else windowing_step(step)
            if found is not None:
                return found
    return None


def _shared_framing(combiner):
    """The framing that rolls every member of a Voting- or StackingRegressor forward at once.

    Each member windows the rows it is given with its own transformer, so
    members may read windows of different lengths: the longest window's
    framing passes enough rows for all of them, and the combination of the
    members' forecasts for the last row is fed back as one model's (a member
    without a windowing step reads the last row itself, as it did in ``fit``).
    Everything else that says which values a window holds and what it
    forecasts must agree, or the rollout would mix series.
    """
    members = getattr(combiner, "estimators_", None)
    if members is None:
        members = [member for _, member in combiner.estimators if member != "drop"]
    steps = [step for step in map(windowing_step, members) if step is not None]
    if not steps:
        return None
    longest = max(steps, key=lambda step: step.n_steps_in)
    for step in steps:
        for name in _SHARED_FRAMING:
            mine, theirs = getattr(step, name), getattr(longest, name)
            if repr(mine) != repr(theirs):
                raise ValueError(
                    f"the members of this {type(combiner).__name__} frame the data differently "
                    f"({name}={mine!r} in one SlidingWindowTransformer, {theirs!r} in another); "
                    "forecast rolls them forward as one model, so give every member the same "
                    f"{name} (only n_steps_in may differ)."
                )
    return longest


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
    if isinstance(estimator, (SeedEnsembleRegressor, *_COMBINERS)):
        ensemble = copy.copy(estimator)
        ensemble.estimators_ = [_standalone(member) for member in estimator.estimators_]
        return ensemble
    return estimator


def point_forecast(estimator, data, horizon, framing, known_values=None):
    """``(future (horizon, n_series), labels, future index or None, steps per call)``."""
    if not isinstance(horizon, Integral) or isinstance(horizon, bool) or horizon < 1:
        raise ValueError(f"horizon must be a positive integer; got {horizon!r}.")
    final = _fitted_final_step(estimator)
    step = windowing_step(estimator)
    if framing is None:
        if step is None:
            _refuse_hidden_framing(estimator)
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
    inputs, targets, known, direct = _roles(framing, columns, horizon)
    if known_values is not None and not known:
        raise ValueError(
            "future= gives known-future values, but the framing has no known_future columns; "
            "declare them on the SlidingWindowTransformer (known_future=[...]) and refit."
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
    # a row-aligned pipeline reads each window's rows with their times (a calendar step
    # before the windowing reads the month of every row, forecast ones included)
    steps_index = future_index(index, horizon)
    times = None if step is None or steps_index is None else index.append(steps_index)
    history = values[:, inputs]
    n_out = framing.n_steps_out
    target_at = [inputs.index(t) for t in targets if t in inputs]  # all of them unless direct
    known_at = [inputs.index(k) for k in known]
    if known:
        covered = -(-horizon // n_out) * n_out  # a direct model reads a whole block each call
        ahead = known_future_values(known_values, [columns[k] for k in known],
                                    future_index(index, covered), covered, index)
    forecasts = []
    while len(history) < len(values) + horizon:
        window = history[-n_in:]
        done = len(history) - len(values)
        block = np.zeros((n_out, len(inputs)))
        if known:
            block[:, known_at] = ahead[done:done + n_out]
        if step is None:
            framed = np.concatenate([window, block]) if known else window
            out = _predict_window(model, framed[None], final, n_in)
        else:  # the table's last row holds the last complete window (and its leads)
            names = [columns[i] for i in inputs]
            table = window
            if known:
                leads = np.repeat(block[:, known_at].reshape(1, -1), len(window), axis=0)
                table = np.concatenate([window, leads], axis=1)
                names += lead_names([columns[k] for k in known], 1, n_out)  # offset 1 (_roles)
            if index is not None:
                rows = None if times is None else times[len(history) - n_in:len(history)]
                table = pd.DataFrame(table, columns=names, index=rows)
            out = np.asarray(model.predict(table))[-1:]
        out = np.asarray(out, dtype=float)
        if out.size % n_series or (step is None and out.size != framing.n_steps_out * n_series):
            raise ValueError(
                f"the model forecasts {out.size} values per window, but the framing "
                f"(n_steps_out={framing.n_steps_out}, {n_series} series) expects "
                f"{framing.n_steps_out * n_series}; pass the framing used in training."
            )
        steps_per_call = out.size // n_series
        forecasts.append(out.reshape(-1, n_series))
        if direct:  # one call covers the horizon; the past-only inputs have no future rows
            break
        rows = np.zeros((steps_per_call, len(inputs)))
        rows[:, target_at] = forecasts[-1]
        if known:
            rows[:, known_at] = ahead[done:done + steps_per_call]
        history = np.concatenate([history, rows])
    future = np.concatenate(forecasts)[:horizon]
    return future, [columns[i] for i in targets], steps_index, steps_per_call


def _roles(framing, columns, horizon):
    """``(inputs, targets, known, direct)`` of the table's columns, checked for forecasting.

    A series rolls forward from its own past and its known-future columns.
    Inputs known only up to the end of the data (past covariates), or a
    dependent target outside the window, leave a direct model that forecasts
    what one call covers (``n_steps_out`` steps): ``direct`` is then True.
    """
    inputs, targets, offset, known = column_roles(framing, columns)
    past_only = [columns[i] for i in inputs if i not in targets and i not in known]
    outside = [columns[k] for k in targets if k not in inputs]
    if offset != 1:
        reason = (f"with the target {outside} outside the window's inputs (a dependent series) "
                  "target_offset='auto' is 0" if outside
                  else f"target_offset={framing.target_offset!r}")
        raise ValueError(
            f"forecast predicts the steps after the data, but {reason}: each target is a value "
            "at the window's own last step, not after it. Frame it with target_offset=1 (a "
            f"direct model forecasting n_steps_out steps from the inputs' past) or with the "
            f"target among the inputs (inputs={[columns[k] for k in sorted(set(targets) | set(inputs))]}, "
            "rolled forward from its own past), and refit."
        )
    direct = bool(past_only or outside)
    if direct and horizon > framing.n_steps_out:
        what = (f"the inputs {past_only} are known only up to the end of the data" if past_only
                else f"the target {outside} is not among the window's inputs")
        raise ValueError(
            f"{what}, so forecast cannot roll the windows forward: one call of this direct "
            f"model covers n_steps_out={framing.n_steps_out} steps, and horizon={horizon} asks "
            f"for more. Forecast at most {framing.n_steps_out} steps, frame "
            f"n_steps_out={horizon} and refit, or declare columns known in advance as "
            "known_future (with their future values)."
        )
    return inputs, targets, known, direct


def _refuse_hidden_framing(estimator):
    """Refuse a wrapper that forecast cannot see through, holding a row-aligned pipeline.

    ``MultiOutputRegressor(make_pipeline(SlidingWindowTransformer(12), Ridge()))``
    frames its own rows inside a model forecast does not know how to roll
    forward; it was asked for a framing, then failed inside the pipeline with
    scikit-learn's "Found array with dim 3".
    """
    params = estimator.get_params(deep=True) if hasattr(estimator, "get_params") else {}
    inside = [name for name, value in params.items()
              if isinstance(value, SlidingWindowTransformer)]
    if inside:
        raise TypeError(
            f"forecast cannot roll this {type(estimator).__name__} forward: it holds the "
            f"row-aligned windowing step {inside[0]!r} inside a model forecast does not see "
            "through (it sees through Pipeline, TransformedTargetRegressor, "
            "SeedEnsembleRegressor, VotingRegressor, StackingRegressor and fitted searches). "
            "Put the wrapper after the windowing step instead: make_pipeline("
            f"SlidingWindowTransformer(...), {type(estimator).__name__}(...))."
        )


def _predict_window(model, window, final, n_steps_in):
    """``model.predict`` of one 3-D window; a model fitted on flattened 2-D windows is told how.

    A plain ``Ridge().fit(X.reshape(len(X), -1), y)`` is refused by scikit-learn's "Found
    array with dim 3" alone; its fix is a pipeline that frames its own rows.
    """
    try:
        return model.predict(window)
    except ValueError as exc:
        _refuse_hidden_framing(model)  # a wrapper around a row-aligned pipeline
        flat = window.shape[1] * window.shape[2]
        if hasattr(final, "window_shape_") or getattr(model, "n_features_in_", None) != flat:
            raise
        raise ValueError(
            f"{exc} forecast passes a model fitted on split()'s windows one 3-D window "
            f"(1, {window.shape[1]}, {window.shape[2]}); this one was fitted on {flat} columns, "
            "the windows flattened. Fit it where it frames its own rows instead: "
            f"make_pipeline(SlidingWindowTransformer(n_steps_in={n_steps_in}), "
            f"{type(final).__name__}()) on framing.align(data), then forecast(pipeline, data, "
            "horizon)."
        ) from exc


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


def calibration_plan(framing, table, horizon, steps):
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
    _, targets, _, known = column_roles(framing, columns)
    known = [columns[k] for k in known]
    lookahead = -(-horizon // steps) * steps if known else 0
    return training, targets, known, columns, lookahead


def known_columns(rows, known, columns):
    """The known-future columns of the data rows after a calibration origin, as ``future=``."""
    if isinstance(rows, pd.DataFrame):
        return rows[known]
    positions = [columns.index(name) for name in known]
    return pd.DataFrame(np.asarray(rows)[:, positions], columns=known)
