"""plot_forecast: history, forecast and bands on one Axes; a clear error without matplotlib."""

import builtins

import numpy as np
import pandas as pd
import pytest

from sklstm import PersistenceForecaster, SlidingWindowTransformer as SWT, forecast
from sklstm.plotting import plot_forecast


@pytest.fixture
def history():
    return pd.Series(np.cumsum(np.random.RandomState(0).normal(size=80)),
                     index=pd.date_range("2000-01-01", periods=80, freq="MS"), name="level")


def test_plot_draws_history_forecast_and_bands(history):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    model = PersistenceForecaster().fit(*SWT(3).split(history))
    future = forecast(model, history, 6, framing=SWT(3), coverage=[0.8, 0.95], n_origins=30)
    ax = plot_forecast(history, future, last=24)
    assert [line.get_label() for line in ax.get_lines()] == ["history", "forecast"]
    assert len(ax.collections) == 2  # one band per level
    assert len(ax.get_lines()[0].get_xdata()) == 24
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "95% interval" in labels and "80% interval" in labels


def test_missing_matplotlib_names_the_extra(monkeypatch, history):
    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError("No module named 'matplotlib'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    with pytest.raises(ImportError, match=r"sklstm\[plot\]"):
        plot_forecast(history, history.iloc[-3:])


def test_a_future_that_does_not_follow_the_history_is_refused(history):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    # a forecast of another stretch (here the history's own last months) was drawn over it
    with pytest.raises(ValueError, match="not after the history's end"):
        plot_forecast(history, history.iloc[-3:])


def test_a_panel_is_refused_with_the_selection_that_plots_one_series(history):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    panel = pd.concat({"a": history, "b": history + 100}, names=["store", "month"])
    framing = SWT(3)
    model = PersistenceForecaster().fit(*framing.split(panel.to_frame()))
    future = forecast(model, panel.to_frame(), 4, framing=framing)
    # a panel's (store, month) tuples compared as times gave "future starts at ('a', ...)"
    with pytest.raises(ValueError, match=r"draws one series.*history.loc\['a'\], future.loc\['a'\]"):
        plot_forecast(panel, future)
    ax = plot_forecast(panel.loc["b"], future.loc["b"])
    np.testing.assert_allclose(ax.lines[-1].get_ydata(), [history.iloc[-1] + 100] * 4)
