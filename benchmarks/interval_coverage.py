"""Empirical coverage and width of sklstm's conformal prediction intervals.

    python benchmarks/interval_coverage.py [--quick]

For each test origin ``t`` the model is fitted on the data before ``t`` and
``forecast(model, y[:t], horizon, coverage=[0.8, 0.95], n_origins=K)``
calibrates its intervals on the ``K`` origins before (one refit of a clone,
``K`` forecasts; K = 120 on sunspots, 19 on airline); the printed coverage is the share of
(origin, step) pairs whose actual value lies inside, the width the mean interval width.

* sunspots (bundled, monthly): last 360 points, horizon 12, 30 origins 12 steps apart;
* airline (bundled): 36 monthly origins 1957-01..1959-12 of a one-year horizon
  (forecasts inside 1957-02..1960-12).

Models: the LSTM pipeline (``RelativeRegressor(LSTMForecaster)``: the correction on
top of seasonal naive, log scale for airline) and seasonal naive itself, on the same
windows and origins.
"""

import argparse
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.compose import TransformedTargetRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sklstm import (LSTMForecaster, PersistenceForecaster, RelativeRegressor,
                    SlidingWindowTransformer, forecast)
from sklstm.datasets import load_airline, load_sunspots

warnings.filterwarnings("ignore")
LEVELS = (0.8, 0.95)


def lstm(season, log, epochs):
    model = RelativeRegressor(LSTMForecaster(units=32, activation="tanh", epochs=epochs,
                                             early_stopping=True, validation_fraction=0.15,
                                             n_iter_no_change=20, random_state=0),
                              baseline="seasonal", season_length=season)
    if not log:
        return model
    return TransformedTargetRegressor(make_pipeline(FunctionTransformer(np.log, np.exp), model),
                                      func=np.log, inverse_func=np.exp)


def run(name, y, origins, horizon, n_in, season, log, n_calibration, epochs):
    framing = SlidingWindowTransformer(n_steps_in=n_in, n_steps_out=horizon)
    models = {"LSTM pipeline": lambda: lstm(season, log, epochs),
              "seasonal naive": lambda: PersistenceForecaster(season_length=season)}
    rows = []
    for label, make in models.items():
        start = time.perf_counter()
        inside = {level: [] for level in LEVELS}
        width = {level: [] for level in LEVELS}
        for t in origins:
            history = y.iloc[:t]
            model = make().fit(*framing.split(history))
            out = forecast(model, history, horizon, framing=framing, coverage=list(LEVELS),
                           n_origins=n_calibration)
            actual = y.iloc[t:t + horizon].to_numpy()
            for level in LEVELS:
                pct = f"{level * 100:g}"
                lower = out[f"{y.name}_lower_{pct}"].to_numpy()
                upper = out[f"{y.name}_upper_{pct}"].to_numpy()
                inside[level].extend((lower <= actual) & (actual <= upper))
                width[level].extend(upper - lower)
        rows.append({"series": name, "model": label,
                     **{f"coverage {lv * 100:g}%": 100 * np.mean(inside[lv]) for lv in LEVELS},
                     **{f"width {lv * 100:g}%": np.mean(width[lv]) for lv in LEVELS},
                     "fits": 2 * len(origins), "wall s": time.perf_counter() - start})
        print(pd.DataFrame(rows[-1:]).round(1).to_string(index=False), flush=True)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--series", nargs="*", default=["sunspots", "airline"])
    args = parser.parse_args(argv)
    epochs = 30 if args.quick else 200
    step = 3 if args.quick else 1
    sunspots, airline = load_sunspots(), load_airline()
    # 120 calibration origins: ten years, most of a sunspot cycle (40, about three years, gave
    # 73% for 80%: errors late in a cycle are not exchangeable with errors early in it)
    rows = []
    if "sunspots" in args.series:
        origins = list(range(len(sunspots) - 360, len(sunspots), 12))[::step]
        rows += run("sunspots", sunspots, origins, 12, 48, 12, False, 120, epochs)
    if "airline" in args.series:
        rows += run("airline", airline, list(range(96, 132))[::step], 12, 24, 12, True, 19, epochs)
    print(pd.DataFrame(rows).round(1).to_string(index=False))


if __name__ == "__main__":
    main()
