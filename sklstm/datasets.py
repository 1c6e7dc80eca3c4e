"""Small real series bundled with sklstm (no download at run time)."""

from importlib import resources

import pandas as pd

__all__ = ["load_airline", "load_sunspots", "tutorial_multivariate", "tutorial_univariate"]


def _load(filename, name):
    with resources.files("sklstm").joinpath("data", filename).open("r") as fh:
        frame = pd.read_csv(fh)
    index = pd.DatetimeIndex(pd.to_datetime(frame.iloc[:, 0], format="%Y-%m"), freq="MS",
                             name="month")
    return pd.Series(frame.iloc[:, 1].to_numpy(dtype=float), index=index, name=name)


def load_airline():
    """Monthly international airline passengers (thousands), 1949-01 to 1960-12.

    144 values. Source: Box, Jenkins & Reinsel, *Time Series Analysis:
    Forecasting and Control*, series G (the same values ship as sktime's
    ``load_airline``).

    Returns
    -------
    y : pandas.Series
        Float values with a monthly ``DatetimeIndex`` (freq ``"MS"``).

    Examples
    --------
    >>> from sklstm.datasets import load_airline
    >>> y = load_airline()
    >>> len(y), y.index[0].strftime("%Y-%m"), float(y.iloc[0])
    (144, '1949-01', 112.0)
    """
    return _load("airline_passengers.csv", "passengers")


def load_sunspots():
    """Monthly mean sunspot numbers, 1749-01 to 1983-12.

    2,820 values. Source: R's ``sunspots`` dataset (as shipped by pmdarima's
    ``load_sunspots``), from the Royal Observatory of Belgium / SIDC, old
    version 1 numbering.

    Returns
    -------
    y : pandas.Series
        Float values with a monthly ``DatetimeIndex`` (freq ``"MS"``).

    Examples
    --------
    >>> from sklstm.datasets import load_sunspots
    >>> len(load_sunspots())
    2820
    """
    return _load("sunspots_monthly.csv", "sunspots")


def tutorial_univariate():
    """The tutorial's univariate series ``[10, 20, ..., 90]`` as a list.

    Examples
    --------
    >>> from sklstm import SlidingWindowTransformer
    >>> from sklstm.datasets import tutorial_univariate
    >>> X, y = SlidingWindowTransformer(n_steps_in=3).split(tutorial_univariate())
    >>> X[0].ravel().tolist(), float(y[0])
    ([10.0, 20.0, 30.0], 40.0)
    """
    return [10, 20, 30, 40, 50, 60, 70, 80, 90]


def tutorial_multivariate():
    """The tutorial's parallel series: two inputs and their sum, as a DataFrame.

    Columns ``in_seq1``, ``in_seq2`` and ``out_seq`` (``in_seq1 + in_seq2``),
    nine rows, as printed in the tutorial's "Multiple Input Series" section.

    Examples
    --------
    >>> from sklstm.datasets import tutorial_multivariate
    >>> tutorial_multivariate().iloc[0].tolist()
    [10, 15, 25]
    """
    in_seq1 = pd.Series(tutorial_univariate())
    in_seq2 = in_seq1 + 5
    return pd.DataFrame({"in_seq1": in_seq1, "in_seq2": in_seq2, "out_seq": in_seq1 + in_seq2})
