"""The common movement of a panel's series: taken out before windowing, put back after forecasting.

One model pooled over many series learns the growth of its training windows on average, and
forecasts it again whatever the panel has done lately. On the 152 retail series of
``benchmarks/global_retail.py`` the pooled LSTM's and ridge's forecasts ran high in every
held-out period; taking the panel's common movement out first (the model then learns what is
particular to each series) and forecasting that movement on its own cut the LSTM's mean MASE
over the three periods before the test from 1.813 to 1.752 (ridge: 1.809 to 1.741).
"""

from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions, validate_params
from sklearn.utils.validation import check_is_fitted

from ._tables import as_pandas, future_index
from ._validation import check_numeric_dtypes
from .panels import check_groups_share_times, is_panel, panel_groups

__all__ = ["CommonTrendAdjuster", "seasonal_drift_forecast"]


@validate_params({"history": ["array-like"],
                  "horizon": [Interval(Integral, 1, None, closed="left")],
                  "season_length": [Interval(Integral, 1, None, closed="left")],
                  "drift_seasons": [Interval(Integral, 1, None, closed="left")]},
                 prefer_skip_nested_validation=True)
def seasonal_drift_forecast(history, horizon, season_length=1, drift_seasons=2):
    """Same period last season plus the mean change per season over the last ``drift_seasons``.

    :class:`CommonTrendAdjuster`'s own forecast of the common movement; public
    so that a ``movement_forecaster`` can combine it with others.

    Parameters
    ----------
    history : array-like of shape (n_periods,)
        Must hold more than ``season_length * drift_seasons`` periods.
    horizon : int
    season_length : int, default=1
    drift_seasons : int, default=2

    Returns
    -------
    forecast : ndarray of shape (horizon,)

    Examples
    --------
    >>> from sklstm.common_trend import seasonal_drift_forecast
    >>> seasonal_drift_forecast([0.0, 1, 2, 3, 4], 3).tolist()
    [5.0, 6.0, 7.0]
    >>> seasonal_drift_forecast([0.0, 5, 1, 6, 2, 7], 4, season_length=2).tolist()
    [3.0, 8.0, 4.0, 9.0]
    """
    values = np.asarray(history, dtype=float)
    m = season_length
    if len(values) <= m * drift_seasons:
        raise ValueError(
            f"seasonal_drift_forecast needs more than season_length * drift_seasons = "
            f"{m * drift_seasons} periods of history; got {len(values)}."
        )
    last, growth = values[-m:], (values[-1] - values[-1 - m * drift_seasons]) / drift_seasons
    return np.array([last[k % m] + (k // m + 1) * growth for k in range(horizon)])


class CommonTrendAdjuster(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Take a panel's common movement out of every series, and put it back into forecasts.

    ``fit`` measures the common movement of a panel: for each value column,
    the cumulated mean change from one period to the next over the series
    observed in both (of the log values when ``kind="multiplicative"``), so
    series that start late or end early (or miss a period) do not move it; a
    period of a PeriodIndex that no series has is refused. ``transform``
    removes it from every row (divides by its exponential, or subtracts it);
    a model fitted on the adjusted panel learns what is particular to each
    series. ``inverse_transform`` puts it back: at the fitted times the
    measured movement, and on the rows that follow a series' last fitted
    time (its forecast) the movement's own forecast from that series'
    origin: "same period last season" plus the mean change per season over
    the last ``drift_seasons`` seasons (seasonal naive with a recent drift),
    or the ``movement_forecaster`` given.

    Parameters
    ----------
    series_id : label or None, default=None
        The column naming each row's series in a long table, or the name of
        the first level of a ``(series_id, time)`` MultiIndex; ``None`` when
        the panel has such a MultiIndex (as for
        :class:`~sklstm.SlidingWindowTransformer`).
    kind : {"multiplicative", "additive"}, default="multiplicative"
        ``"multiplicative"``: the movement is measured on the log values
        (every value must be positive) and adjusted values are
        ``value / exp(movement)``, so they stay positive and a model on the
        log scale sees ``log(value) - movement``. ``"additive"``: measured on
        the values, adjusted values are ``value - movement``.
    season_length : int, default=1
        Periods per season, for the movement's forecast (12 for monthly
        data with a yearly season).
    drift_seasons : int, default=2
        Seasons over which the movement's recent growth is measured for its
        forecast (2 chosen on the retail panel's held-out periods: 1, 2, 3
        and 5 gave global ridge 1.760, 1.741, 1.758 and 1.786 mean MASE).
        Unused with a ``movement_forecaster``.
    columns : list of column labels or None, default=None
        The value columns to adjust; ``None``: every column but
        ``series_id``. Others (known-future inputs, say) pass through.

    Attributes
    ----------
    index_ : DataFrame of shape (n_times, n_columns)
        The common movement of each adjusted column at every fitted time
        (log scale for ``kind="multiplicative"``, 0 at the first time).
    columns_ : list
        The adjusted columns.
    series_times_ : dict
        Each fitted series' time index: a forecast row of a series is one of
        the periods that follow its last one.
    n_features_in_ : int
        Columns of the fitted table (the ``series_id`` column included).
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Their names; ``transform`` keeps every column, so
        ``get_feature_names_out`` returns them.

    See Also
    --------
    sklstm.SlidingWindowTransformer : frames the adjusted panel, series by series.
    sklstm.forecast : forecasts every series of the adjusted panel.

    Notes
    -----
    The movement's forecast comes from each series' own last time, so a
    series that ends early is restored without the later months of the
    others. Prediction intervals are restored with their column (columns
    ``"<column>_lower_<pct>"`` and ``"<column>_upper_<pct>"``), but their
    width then leaves out the error of the movement's forecast; for
    intervals that include it, pass the fitted adjuster to
    ``forecast(model, panel, horizon, coverage=..., adjuster=adjuster)``,
    which calibrates the restored forecasts (a clone of the adjuster refitted
    before each calibration origin). A single series has no common movement
    apart from itself: pass a panel.

    Fit it on the training rows only, and refit it with the model at every
    walk-forward origin: the movement at a time averages every series at
    that time, so an adjuster fitted on test months would carry them into
    the inputs. It adjusts the table the windows are framed from (inputs and
    targets alike), so it goes around the windowed model (as in the example
    of the README's "Many series"), not inside a row-aligned ``Pipeline``,
    where ``transform`` would reach the inputs but not ``y``.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklstm import CommonTrendAdjuster
    >>> t = np.arange(4)
    >>> panel = pd.DataFrame({"sales": np.r_[10 * 1.1 ** t, 50 * 1.1 ** t]},
    ...                      index=pd.MultiIndex.from_product([["a", "b"], t]))
    >>> adjuster = CommonTrendAdjuster()
    >>> adjuster.fit_transform(panel)["sales"].round(6).tolist()
    [10.0, 10.0, 10.0, 10.0, 50.0, 50.0, 50.0, 50.0]
    >>> future = pd.DataFrame({"sales": [10.0, 50.0]},
    ...                       index=pd.MultiIndex.from_tuples([("a", 4), ("b", 4)]))
    >>> adjuster.inverse_transform(future)["sales"].round(3).tolist()
    [14.641, 73.205]
    """

    _parameter_constraints = {
        "series_id": "no_validation",
        "kind": [StrOptions({"multiplicative", "additive"})],
        "season_length": [Interval(Integral, 1, None, closed="left")],
        "drift_seasons": [Interval(Integral, 1, None, closed="left")],
        "columns": [list, None],
        "movement_forecaster": [callable, None],
    }

    def __init__(self, *, series_id=None, kind="multiplicative", season_length=1,
                 drift_seasons=2, columns=None, movement_forecaster=None):
        self.series_id = series_id
        self.kind = kind
        self.season_length = season_length
        self.drift_seasons = drift_seasons
        self.columns = columns
        self.movement_forecaster = movement_forecaster

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Measure the panel's common movement.

        Parameters
        ----------
        X : DataFrame or Series
            A long panel: a ``(series_id, time)`` MultiIndex, or a
            ``series_id`` column beside a time index.
        y : None
            Ignored.

        Returns
        -------
        self : CommonTrendAdjuster
        """
        X = as_pandas(X)
        groups = self._groups(X)
        check_groups_share_times(groups, "CommonTrendAdjuster")
        columns = self._value_columns(groups[0][2])
        _check_no_panel_gap([table.index for _, _, table in groups])
        movements = {}
        for column in columns:
            series = [self._scale(sid, table[column], column) for sid, _, table in groups]
            wide = pd.concat(series, axis=1, keys=range(len(series)), sort=True)
            # a period's change averages the series present in it and the one before
            movements[column] = wide.diff().mean(axis=1, skipna=True).fillna(0.0).cumsum()
        self.index_ = pd.DataFrame(movements)
        self.columns_ = columns
        self.series_times_ = {sid: table.index for sid, _, table in groups}
        names = X.to_frame().columns if isinstance(X, pd.Series) else X.columns
        self.n_features_in_ = len(names)
        self.feature_names_in_ = np.asarray(names, dtype=object)
        return self

    def transform(self, X):
        """Remove the common movement from every row of the adjusted columns.

        Parameters
        ----------
        X : DataFrame or Series
            A panel in the fitted layout, dated within the fitted times.

        Returns
        -------
        X_adjusted : DataFrame or Series
            ``X`` with the adjusted columns replaced.
        """
        check_is_fitted(self)
        return self._apply(X, restore=False)

    def inverse_transform(self, X):
        """Put the common movement back: measured at fitted times, forecast after each series.

        Parameters
        ----------
        X : DataFrame or Series
            Adjusted rows, or forecasts of the adjusted panel as
            :func:`~sklstm.forecast` returns them (indexed by
            ``(series_id, future time)``). A row after its series' last
            fitted time must be one of the periods that follow it, in order.

        Returns
        -------
        X_restored : DataFrame or Series
            In the data's units.
        """
        check_is_fitted(self)
        return self._apply(X, restore=True)

    def _groups(self, X):
        if not isinstance(X, (pd.DataFrame, pd.Series)) or not is_panel(X, self.series_id):
            raise ValueError(
                "CommonTrendAdjuster needs a panel: a DataFrame or Series with a (series_id, "
                "time) MultiIndex, or a DataFrame with the column named by series_id; got "
                f"{type(X).__name__}. A single series has no common movement apart from itself."
            )
        return panel_groups(X, self.series_id)

    def _groups_of(self, X):
        """The series of ``X``, fitted panel's layout or the ``(series_id, time)`` of forecasts."""
        if (self.series_id is not None and isinstance(getattr(X, "index", None), pd.MultiIndex)
                and not (isinstance(X, pd.DataFrame) and self.series_id in X.columns)):
            # forecasts of a panel with an id column come back indexed (series_id, time)
            return panel_groups(X, None)
        return self._groups(X)

    def _value_columns(self, table):
        columns = list(table.columns) if self.columns is None else list(self.columns)
        missing = [c for c in columns if c not in table.columns]
        if missing or not columns:
            raise ValueError(
                f"columns={self.columns!r} names {missing or 'no column'}, but the panel's value "
                f"columns are {list(table.columns)}; pass some of those, or columns=None."
            )
        check_numeric_dtypes(table[columns], "X")
        return columns

    def _scale(self, sid, values, column):
        """One series' values on the scale its movement is measured on."""
        values = pd.to_numeric(values, errors="raise").astype(float)
        if not np.isfinite(values.to_numpy()).all():
            raise ValueError(
                f"series {sid!r}, column {column!r} has missing or infinite values; fill or "
                "drop them before measuring the common movement."
            )
        if self.kind == "multiplicative":
            if (values <= 0).any():
                raise ValueError(
                    f"series {sid!r}, column {column!r} has values <= 0, which "
                    "kind='multiplicative' cannot take the log of; use kind='additive', or "
                    "shift the column to positive values first."
                )
            return np.log(values)
        return values

    def _apply(self, X, restore):
        X = as_pandas(X)
        groups = self._groups_of(X)
        targets = self._targets(X)
        series = isinstance(X, pd.Series)
        result = X.astype(float) if series else X.astype({c: float for _, c in targets})
        forecasts = {}  # (column, origin) -> the movement's forecast, shared by its series
        for sid, positions, table in groups:
            for source, column in targets:
                movement = self._movement(sid, table.index, source, restore, forecasts)
                values = np.asarray(table[column], dtype=float)  # a Series comes framed
                if self.kind == "multiplicative":
                    adjusted = values * np.exp(movement) if restore else values / np.exp(movement)
                else:
                    adjusted = values + movement if restore else values - movement
                result.iloc[positions if series
                            else (positions, result.columns.get_loc(column))] = adjusted
        return result

    def _targets(self, X):
        """``(fitted column, column of X)`` pairs: a column, or its interval bounds."""
        if isinstance(X, pd.Series):
            name = X.to_frame().columns[0]  # as panel_groups reads it (0 when unnamed)
            if name not in self.columns_:
                raise ValueError(
                    f"the Series is named {X.name!r}, not one of the adjusted columns "
                    f"{self.columns_}; name it after the column it holds (series.rename(...))."
                )
            return [(name, name)]
        pairs = []
        for column in X.columns:
            if column in self.columns_:
                pairs.append((column, column))
            elif isinstance(column, str):
                pairs += [(source, column) for source in self.columns_ if isinstance(source, str)
                          and column.startswith((f"{source}_lower_", f"{source}_upper_"))]
        if not pairs:
            raise ValueError(
                f"X has none of the adjusted columns {self.columns_} (columns: "
                f"{list(X.columns)}); pass the panel or forecasts of it."
            )
        return pairs

    def _movement(self, sid, times, column, restore, forecasts):
        """The movement at ``times`` of series ``sid``: measured, or forecast past its end."""
        index = self.index_[column]
        fitted = self.series_times_.get(sid)
        if restore and fitted is not None:
            past = np.asarray(times <= fitted[-1])
        else:
            past = np.ones(len(times), bool)
        out = np.empty(len(times))
        known = index.reindex(times[past])
        if known.isna().any():
            raise ValueError(
                f"series {sid!r} has rows dated {list(times[past][known.isna().to_numpy()][:3])}, "
                f"outside the times the adjuster was fitted on ({index.index[0]} to "
                f"{index.index[-1]}); fit it on a panel that covers them, and restore forecasts "
                "of the fitted panel with inverse_transform."
            )
        out[past] = known.to_numpy()
        ahead = times[~past]
        if len(ahead):
            steps = future_index(fitted, len(ahead))
            if steps is None or not steps.equals(pd.Index(ahead)):
                raise ValueError(
                    f"series {sid!r}: its rows after its last fitted time ({fitted[-1]}) must be "
                    f"the periods that follow it, in order"
                    + ("" if steps is None else f" ({list(steps[:3])}...)")
                    + f"; got {list(ahead[:3])}.... Restore the forecasts of sklstm.forecast "
                    "as they come."
                )
            key = (column, fitted[-1])
            if key not in forecasts or len(forecasts[key]) < len(ahead):
                forecasts[key] = self._forecast(index.loc[:fitted[-1]], len(ahead), sid)
            out[~past] = forecasts[key][:len(ahead)]
        return out

    def _forecast(self, history, horizon, sid):
        """Same period last season plus the mean change per season over ``drift_seasons``."""
        if self.movement_forecaster is not None:
            return self._forecast_with(history, horizon)
        try:
            return seasonal_drift_forecast(history, horizon, self.season_length,
                                           self.drift_seasons)
        except ValueError as exc:  # its "too short" check, said of this series' origin
            raise ValueError(
                f"series {sid!r}: forecasting the common movement from its last time: {exc} "
                "Lower drift_seasons or season_length."
            ) from None

    def _forecast_with(self, history, horizon):
        """``movement_forecaster``'s forecast, refused unless it is ``horizon`` finite numbers."""
        answer = self.movement_forecaster(history.copy(), horizon)
        try:  # None would read as one NaN: say it returned nothing instead
            values = None if answer is None else np.asarray(answer, dtype=float)
        except (TypeError, ValueError):
            values = None
        if values is None or values.shape != (horizon,) or not np.isfinite(values).all():
            what = ("None" if answer is None else f"{type(answer).__name__} of non-numeric"
                    if values is None else f"{type(answer).__name__} of shape {values.shape}")
            raise ValueError(
                f"movement_forecaster returned {what}"
                + ("" if values is None or np.isfinite(values).all() else " with NaN or inf")
                + f" for a horizon of {horizon}; it must return {horizon} finite numbers "
                "continuing the movement it was given."
            )
        return values


def _check_no_panel_gap(indexes):
    """Refuse PeriodIndex times of a panel (its series' ``indexes`` together) that skip a period.

    A series missing a period only drops out of that period's mean change; a
    period no series has would turn a two-period change into one period's, and
    shift the seasonal positions its forecast reads by one.
    """
    times = indexes[0].append(indexes[1:]).unique().sort_values()
    if not isinstance(times, pd.PeriodIndex) or len(times) < 2:
        return
    missing = pd.period_range(times[0], times[-1], freq=times.freq).difference(times)
    if len(missing):
        shown = ", ".join(str(p) for p in missing[:3]) + (", ..." if len(missing) > 3 else "")
        raise ValueError(
            f"no series of the panel has a row in {shown} ({len(missing)} period(s)), so the "
            "common movement across them cannot be measured; fill those periods in the series "
            "first (e.g. reindex each series to every period and interpolate)."
        )
