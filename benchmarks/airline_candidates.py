"""Every airline LSTM candidate of ``accuracy.py``, scored by its folds and on the test years.

    python benchmarks/airline_candidates.py            # 300 epochs, 3 seeds (about 2 minutes, JAX)
    python benchmarks/airline_candidates.py --quick    # 100 epochs, 1 seed

A post-hoc record, not a way to choose: ``accuracy.py`` picks the candidate with the best
walk-forward fold score inside 1949-57 and reports only that one. This script shows what each
candidate of the same grid (window, baseline, log scale) would have scored on 1958-60, fitted the
same way (the seed ensemble on the whole training part, one origin, horizon 36), so the README can
say how much the single 36-month origin depends on the growth assumption the folds preferred.

It also scores each candidate on folds at the full horizon, which ``accuracy.py`` cannot use for
every window: three one-origin folds (``TimeSeriesSplit(3, test_size=1, gap=35)``), each a
36-month forecast from an origin inside 1949-57 after 20+ training windows. Only window 13 leaves
that many (window 24: 11); its column is empty for window 24.
"""

import argparse
import warnings

import numpy as np
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit, cross_val_score

from accuracy import (MIN_FIRST_FOLD, SERIES, WindowModel, best_candidate, fold_scores, framing,
                      lstm)
from sklstm import SeedEnsembleRegressor
from sklstm.metrics import seasonal_naive_mae

warnings.filterwarnings("ignore")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    spec = SERIES["airline"]
    values = spec["load"]().to_numpy(float)
    m, h = spec["season"], spec["horizon"]
    train, test = values[:-spec["test"]], values[-spec["test"]:]
    epochs, seeds = (100, 1) if args.quick else (300, 3)
    scored = fold_scores(lambda log, baseline, n, fs: lstm(m, log, baseline, epochs, n),
                         spec, train, h, m, True)
    chosen = best_candidate(scored)
    rows = []
    for score, n_in, baseline, log in scored:
        n_windows = len(train) - n_in - h + 1
        ensemble = SeedEnsembleRegressor(lstm(m, log, baseline, epochs, n_windows),
                                         n_estimators=seeds, random_state=0)
        forecast = WindowModel(ensemble, n_in).fit(train, h)(train, h, m)
        rows.append({"window": n_in, "baseline": baseline, "log": log,
                     "fold MAE": -score,
                     "h36 fold MAE": full_horizon_score(m, log, baseline, epochs, train, n_in, h),
                     "chosen by the folds": (score, n_in, baseline, log) == chosen,
                     "test MASE": np.mean(np.abs(forecast - test)) / seasonal_naive_mae(train, m),
                     "test MAPE %": 100 * np.mean(np.abs(forecast - test) / test)})
    print(f"airline, LSTM candidates: {epochs} epochs, {seeds} seed(s); fold MAE on the "
          "one-season-ahead folds inside 1949-57 (accuracy.py's choice), h36 fold MAE on three "
          "one-origin 36-month folds inside 1949-57, test on 1958-60 (horizon 36)")
    print(pd.DataFrame(rows).round(3).to_string(index=False))


def full_horizon_score(m, log, baseline, epochs, train, n_in, h, n_splits=3):
    """Mean MAE of one-origin folds at horizon ``h`` (NaN when the first training fold would
    hold fewer than ``MIN_FIRST_FOLD`` windows, as ``accuracy.fold_scores`` requires)."""
    X, Y = framing(n_in, h).split(train)
    if len(X) - n_splits - (h - 1) < MIN_FIRST_FOLD:
        return np.nan
    cv = TimeSeriesSplit(n_splits, test_size=1, gap=h - 1)
    return -cross_val_score(lstm(m, log, baseline, epochs, len(X)), X, Y, cv=cv,
                            scoring="neg_mean_absolute_error").mean()


if __name__ == "__main__":
    main()
