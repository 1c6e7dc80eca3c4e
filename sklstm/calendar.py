"""Calendar features from a DatetimeIndex: the known-future inputs nobody should hand-write."""

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted

from ._tables import as_pandas, inferred_offset, table_library

__all__ = ["CalendarFeatures"]

# pandas computes every field from the index; the period says where a cycle wraps
_FIELDS = {"month": (lambda i: i.month, 12), "dayofweek": (lambda i: i.day_of_week, 7),
           "hour": (lambda i: i.hour, 24), "dayofyear": (lambda i: i.day_of_year, 366),
           "halfhour": (lambda i: i.hour * 2 + i.minute // 30, 48)}
# how long one cycle of each field lasts: data whose step is that long or longer sees it constant
# (the hour of monthly periods) or aliased (the weekday of each month's first day: noise)
_CYCLES = {"month": pd.Timedelta(days=365), "dayofyear": pd.Timedelta(days=365),
           "dayofweek": pd.Timedelta(days=7), "hour": pd.Timedelta(days=1),
           "halfhour": pd.Timedelta(days=1)}


class CalendarFeatures(TransformerMixin, BaseEstimator):
    """Add calendar columns (month, day of week, hour, holidays) read from the table's dates.

    Calendar values are known for any future date, so they are natural
    ``known_future`` columns of a :class:`~sklstm.SlidingWindowTransformer`;
    the same transformer applied to a table of future dates gives the values
    :func:`~sklstm.forecast` asks for. pandas' DatetimeIndex fields do the
    work (no dependency is needed for this; holiday calendars such as the
    ``holidays`` package can supply the ``holidays`` list).

    Parameters
    ----------
    features : list of {"month", "dayofweek", "hour", "dayofyear", "halfhour"}, \
            default=("month", "dayofweek")
        Calendar fields to add, as integers (``"month"`` 1-12, ``"dayofweek"``
        0 = Monday), or as sine/cosine pairs when ``cyclic``. A field whose
        cycle is no longer than the data's step (the hour of daily data, the
        day of week of monthly data, read from the index's frequency) is
        refused: it would be constant, or aliased into noise.
    cyclic : bool, default=False
        Encode each field as ``<field>_sin``, ``<field>_cos`` on its cycle, so
        December sits next to January.
    holidays : list of dates or None, default=None
        Dates flagged in a ``"holiday"`` column (1.0 on any time of those
        days, else 0.0; with a PeriodIndex, 1.0 for a period holding one of
        them, e.g. December for Christmas in monthly data).

    Attributes
    ----------
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Input column names, when they are strings.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm.calendar import CalendarFeatures
    >>> days = pd.DataFrame({"sales": [1.0, 2.0, 3.0]},
    ...                     index=pd.date_range("2024-12-24", periods=3, freq="D"))
    >>> CalendarFeatures(holidays=["2024-12-25"]).fit_transform(days)
                sales  month  dayofweek  holiday
    2024-12-24    1.0   12.0        1.0      0.0
    2024-12-25    2.0   12.0        2.0      1.0
    2024-12-26    3.0   12.0        3.0      0.0
    """

    _parameter_constraints = {
        "features": [list, tuple],
        "cyclic": ["boolean"],
        "holidays": ["array-like", None],
    }

    def __init__(self, features=("month", "dayofweek"), *, cyclic=False, holidays=None):
        self.features = features
        self.cyclic = cyclic
        self.holidays = holidays

    def fit(self, X, y=None):
        """Check the parameters and record the input columns.

        Parameters
        ----------
        X : DataFrame or Series with a DatetimeIndex (or PeriodIndex)
        y : None
            Ignored.

        Returns
        -------
        self : CalendarFeatures
        """
        self._validate_params()
        unknown = [f for f in self.features if f not in _FIELDS]
        if unknown:
            raise ValueError(
                f"features has unknown calendar fields {unknown}; choose among {sorted(_FIELDS)}."
            )
        if self.holidays is not None:
            self._holiday_days()
        frame, _ = self._frame(X)
        self._check_names_free(frame)
        self.n_features_in_ = frame.shape[1]
        if all(isinstance(c, str) for c in frame.columns):
            self.feature_names_in_ = np.asarray(frame.columns, dtype=object)
        elif hasattr(self, "feature_names_in_"):  # a refit on unnamed columns: not the old names
            del self.feature_names_in_
        return self

    def _frame(self, X):
        """``(frame, dates)``: the table and the dates of its rows.

        A panel's ``(series_id, time)`` MultiIndex gives its time level.
        """
        frame = as_pandas(X)
        library = table_library(X) if frame is not X else None  # converted from polars/pyarrow
        frame = frame.to_frame() if isinstance(frame, pd.Series) else frame
        index = getattr(frame, "index", None)
        if isinstance(index, pd.MultiIndex):
            index = index.get_level_values(-1)
        if not isinstance(frame, pd.DataFrame) or not isinstance(
                index, (pd.DatetimeIndex, pd.PeriodIndex)):
            raise TypeError(
                "CalendarFeatures reads the dates from the index: pass a DataFrame or Series "
                "with a DatetimeIndex or PeriodIndex (e.g. df.set_index('time')), or a panel "
                "whose MultiIndex ends with such a time level"
                + (" (polars tables have no index: X.to_pandas().set_index('time'))."
                   if library == "polars" else
                   " (a pyarrow table keeps pandas' index only when made by "
                   "pa.Table.from_pandas: X.to_pandas().set_index('time'))."
                   if library == "pyarrow" else ".")
            )
        if isinstance(frame.index, pd.MultiIndex):  # one series' times tell the panel's step
            ids = frame.index.get_level_values(0)
            self._check_fields_vary(index[ids == ids[0]] if len(ids) else index)
        else:
            self._check_fields_vary(index)
        return frame, index

    def _check_fields_vary(self, index):
        """Refuse a field whose cycle is no longer than the data's step (constant or aliased)."""
        offset = index.freq if isinstance(index, pd.PeriodIndex) else inferred_offset(index)
        if offset is None:  # an irregular or too short index cannot tell its step
            return
        # two consecutive steps from a Monday: anchored offsets (W-SUN, MonthEnd) first roll
        # forward to their anchor, so the first step alone can be shorter than the rest
        start = pd.Timestamp("2001-01-01")
        step = (start + 2 * offset) - (start + offset)
        coarse = [name for name in self.features if step >= _CYCLES[name]]
        if coarse:
            fits = [name for name in _FIELDS if step < _CYCLES[name]]
            shown = str(step).replace(" 00:00:00", "")
            raise ValueError(
                f"features {coarse} cannot vary on data of frequency {offset.freqstr!r} (a step "
                f"of {shown}): the field goes through a whole cycle (or more) between rows, so "
                "it is constant or aliased (the hour of monthly data, the weekday of each "
                f"month's first day). Use fields whose cycle is longer than the step "
                f"({fits or 'none at this frequency'}), or holidays=."
            )

    def _holiday_days(self):
        """The ``holidays`` as normalised dates, with the parameter named when one is not a date."""
        try:
            return pd.DatetimeIndex(pd.to_datetime(list(self.holidays))).normalize()
        except (ValueError, TypeError) as exc:
            raise ValueError(
                "holidays must be dates (strings like '2024-12-25', Timestamps or datetimes): "
                f"{exc}"
            ) from None

    def transform(self, X):
        """Return ``X`` with the calendar columns appended.

        Parameters
        ----------
        X : DataFrame or Series with a DatetimeIndex (or PeriodIndex)
            Its columns pass through whatever they are (the fields depend on
            the dates alone): a table with no columns
            (``pd.DataFrame(index=future_dates)``) gives the calendar of
            future dates, one with the known-future columns alone their
            values for ``forecast(future=...)``. For a panel, a
            ``(series_id, time)`` MultiIndex: the dates are its last level.

        Returns
        -------
        Xt : DataFrame
        """
        check_is_fitted(self, "n_features_in_")
        frame, index = self._frame(X)
        self._check_names_free(frame)
        periods = index if isinstance(index, pd.PeriodIndex) else None
        if periods is not None:
            index = periods.to_timestamp()
        out = frame.copy()
        for name in self.features:
            field, period = _FIELDS[name]
            values = np.asarray(field(index), dtype=np.float64)
            if self.cyclic:
                out[f"{name}_sin"] = np.sin(2 * np.pi * values / period)
                out[f"{name}_cos"] = np.cos(2 * np.pi * values / period)
            else:
                out[name] = values
        if self.holidays is not None:
            days = self._holiday_days()
            if periods is not None:  # a month (or week) is flagged when a holiday falls in it
                flagged = periods.isin(days.to_period(periods.freq))
            else:
                local = index.tz_localize(None) if index.tz is not None else index
                flagged = local.normalize().isin(days)
            out["holiday"] = np.asarray(flagged, dtype=np.float64)
        return out

    def _check_names_free(self, frame):
        """Refuse input columns named like the calendar columns: they would be overwritten."""
        taken = [name for name in self._added_names() if name in frame.columns]
        if taken:
            raise ValueError(
                f"X already has column(s) {taken}, which CalendarFeatures would overwrite; "
                "rename them first (e.g. df.rename(columns={...}))."
            )

    def _added_names(self):
        names = []
        for name in self.features:
            names += [f"{name}_sin", f"{name}_cos"] if self.cyclic else [name]
        return names + (["holiday"] if self.holidays is not None else [])

    def get_feature_names_out(self, input_features=None):
        """Input column names followed by the calendar column names."""
        check_is_fitted(self, "n_features_in_")
        # sklearn's rule: the fitted names, else input_features checked against them, else
        # x0, x1, ... (an empty list had named only the calendar columns of a wider output)
        names = list(_check_feature_names_in(self, input_features))
        return np.asarray(names + self._added_names(), dtype=object)
