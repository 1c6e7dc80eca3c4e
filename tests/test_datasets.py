import pandas as pd

from sklstm.datasets import load_airline, load_sunspots


def test_airline():
    y = load_airline()
    assert isinstance(y, pd.Series) and len(y) == 144
    assert isinstance(y.index, pd.DatetimeIndex) and y.index.freqstr == "MS"
    assert (y.iloc[0], y.iloc[-1]) == (112.0, 432.0)
    assert y.index[-1] == pd.Timestamp("1960-12-01")


def test_sunspots():
    y = load_sunspots()
    assert len(y) == 2820 and y.index[0] == pd.Timestamp("1749-01-01")
    assert y.index[-1] == pd.Timestamp("1983-12-01") and y.iloc[0] == 58.0
    assert y.notna().all()
