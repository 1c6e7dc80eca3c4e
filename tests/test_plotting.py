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
    # the panel as a one-column DataFrame, as forecast() took it, is one series per id too
    table = panel.to_frame()
    with pytest.raises(ValueError, match=r"draws one series.*history.loc\['a'\]"):
        plot_forecast(table, future)
    ax = plot_forecast(table.loc["b"], future.loc["b"])
    np.testing.assert_allclose(ax.lines[-1].get_ydata(), [history.iloc[-1] + 100] * 4)
    with pytest.raises(TypeError, match=r"history has columns \['level', 'other'\]; pass one"):
        plot_forecast(table.loc["b"].assign(other=1.0), future.loc["b"])


def test_monthly_periods_are_plotted_at_their_start_times(history):
    """A PeriodIndex (monthly data's usual index) raised matplotlib's "float() argument must
    be ... not 'Period'"."""
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    months = history.to_period("M")
    model = PersistenceForecaster().fit(*SWT(3).split(months))
    future = forecast(model, months, 6, framing=SWT(3), coverage=0.8, n_origins=30)
    ax = plot_forecast(months, future, last=12)
    drawn = [pd.DatetimeIndex(line.get_xdata()) for line in ax.get_lines()]
    assert drawn[0].equals(months.index[-12:].to_timestamp())
    assert drawn[1].equals(future.index.to_timestamp())
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), future["level"])


@pytest.mark.parametrize("freq, unit, last_x", [
    ("6h", "days", 19.75), ("15min", "hours", 19.75), ("2s", "minutes", 158 / 60),
    ("10ms", "seconds", 0.79)])
def test_elapsed_time_is_plotted_in_a_unit_it_spans(history, freq, unit, last_x):
    """A TimedeltaIndex was drawn in nanoseconds: ten hours ran from 0 to 4e13 on the axis."""
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    elapsed = history.set_axis(pd.timedelta_range("0s", periods=80, freq=freq))
    model = PersistenceForecaster().fit(*SWT(3).split(elapsed))
    future = forecast(model, elapsed, 4, framing=SWT(3), coverage=0.8, n_origins=20)
    ax = plot_forecast(elapsed, future)
    assert ax.get_xlabel() == f"elapsed {unit}"
    history_x, future_x = (line.get_xdata() for line in ax.get_lines())
    np.testing.assert_allclose([history_x[0], history_x[-1]], [0, last_x])
    codes = {"days": "D", "hours": "h", "minutes": "min", "seconds": "s"}
    step = pd.Timedelta(freq) / pd.Timedelta(1, codes[unit])
    np.testing.assert_allclose(future_x, last_x + step * np.arange(1, 5))
    np.testing.assert_allclose(ax.collections[0].get_paths()[0].vertices[:, 0].min(), last_x + step)


@pytest.mark.parametrize("last", [0, -5, 2.5, True])
def test_last_must_be_a_positive_integer(history, last):
    pytest.importorskip("matplotlib")
    # last=0 drew the whole history (iloc[-0:]) and last=-5 all but its first 5 points
    model = PersistenceForecaster().fit(*SWT(3).split(history))
    with pytest.raises(ValueError, match="last must be a positive integer"):
        plot_forecast(history, forecast(model, history, 3, framing=SWT(3)), last=last)
