"""Walk-forward validation of an LSTM against baselines on the airline series.

Grid-searches the window length and the architecture of an LSTM pipeline with
TimeSeriesSplit, then scores the best LSTM, persistence, seasonal persistence
and Ridge on identical folds, prints one table (mean +- std over folds of
MAE and RMSE) and plots the last fold. The LSTM (and one Ridge row) learn
the correction on top of "same month last year" (``RelativeRegressor``) on
the log series; one row averages the LSTM and that Ridge (a ``VotingRegressor``,
which ``sklstm.forecast`` also rolls forward as one model).

A second table scores direct 12-month forecasts: every horizon step of every
test origin, with ``TimeSeriesSplit(gap=11)`` so that no training target
reaches into the test fold, in MAE and MASE (scaled by the seasonal-naive
error of the data before the first test fold).

The first search picks its window on the same folds it is scored on, which
flatters it; one more LSTM row is chosen by a search inside each training
fold (nested walk-forward), so no test fold takes part in its choice.

    python examples/walk_forward_airline.py [--plot walk_forward_airline.png]
"""

import argparse

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.compose import TransformedTargetRegressor
from sklearn.ensemble import VotingRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from sklstm import LSTMForecaster, PersistenceForecaster, RelativeRegressor, SlidingWindowTransformer
from sklstm.datasets import load_airline
from sklstm.metrics import make_mase_scorer


def log_scaler():
    """log, then standardise: invertible, so forecasts come back in passengers."""
    return make_pipeline(FunctionTransformer(np.log, np.exp, feature_names_out="one-to-one"),
                         StandardScaler())


def log_target(pipeline):
    """Fit on log passengers, answer in passengers."""
    return TransformedTargetRegressor(pipeline.set_output(transform="pandas"),
                                      func=np.log, inverse_func=np.exp)


def relative(regressor, n_steps_in=24):
    """Windows of the log series; the model learns the correction on seasonal naive."""
    return log_target(make_pipeline(
        FunctionTransformer(np.log, np.exp, feature_names_out="one-to-one"),
        SlidingWindowTransformer(n_steps_in=n_steps_in),
        RelativeRegressor(regressor, baseline="seasonal", season_length=12)))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plot", default="walk_forward_airline.png")
    parser.add_argument("--epochs", type=int, default=150)
    parser.add_argument("--n-jobs", type=int, default=2)
    args = parser.parse_args(argv)

    # Row-aligned framing: X[t] = passengers in month t, y[t] = passengers in month t + 1.
    X, y = SlidingWindowTransformer().align(load_airline())
    cv = TimeSeriesSplit(n_splits=4, test_size=12)  # walk forward one year at a time

    # pandas all the way (set_output): test folds continue the fitted dates and get their past
    lstm = relative(LSTMForecaster(units=32, activation="tanh", epochs=args.epochs, random_state=0))
    search = GridSearchCV(
        lstm,
        {"regressor__slidingwindowtransformer__n_steps_in": [18, 24],
         "regressor__relativeregressor__regressor__architecture": ["vanilla", "stacked"]},
        cv=cv, scoring="neg_mean_absolute_error", n_jobs=args.n_jobs)
    search.fit(X, y)
    best = {k.split("__")[-1]: v for k, v in search.best_params_.items()}
    print("best LSTM:", best)

    models = {
        f"LSTM ({best['architecture']}, window {best['n_steps_in']})": search.best_estimator_,
        "persistence": make_pipeline(SlidingWindowTransformer(n_steps_in=12), PersistenceForecaster()),
        "seasonal persistence": make_pipeline(SlidingWindowTransformer(n_steps_in=12),
                                              PersistenceForecaster(season_length=12)),
        "Ridge (12 lags)": TransformedTargetRegressor(
            make_pipeline(log_scaler(), SlidingWindowTransformer(n_steps_in=12), Ridge(alpha=1.0)
                          ).set_output(transform="pandas"),
            transformer=log_scaler()),
        "Ridge (relative, window 24)": relative(Ridge(alpha=1.0)),
    }
    # the two relative models averaged, a combination fixed in advance (no weights tuned)
    models["LSTM + Ridge (VotingRegressor)"] = VotingRegressor(
        [("lstm", clone(search.best_estimator_)), ("ridge", relative(Ridge(alpha=1.0)))])
    # the search above chose its window on the folds it is then scored on; here each outer
    # fold's search sees only that fold's training months (three inner 12-month folds)
    models["LSTM, chosen inside each training fold"] = GridSearchCV(
        lstm, search.param_grid, cv=TimeSeriesSplit(n_splits=3, test_size=12),
        scoring="neg_mean_absolute_error", n_jobs=args.n_jobs)
    rows, last_fold = {}, {}
    scoring = {"MAE": "neg_mean_absolute_error", "RMSE": "neg_root_mean_squared_error"}
    for name, model in models.items():
        result = cross_validate(model, X, y, cv=cv, scoring=scoring, return_estimator=True,
                                return_indices=True, n_jobs=1)
        mae, rmse = -result["test_MAE"], -result["test_RMSE"]
        if isinstance(model, GridSearchCV):  # what each training fold chose
            print(f"{name}:", [{k.split("__")[-1]: v for k, v in fitted.best_params_.items()}
                               for fitted in result["estimator"]])
        rows[name] = {"MAE": f"{mae.mean():6.2f} ± {mae.std():5.2f}",
                      "RMSE": f"{rmse.mean():6.2f} ± {rmse.std():5.2f}",
                      "MAE per fold": " ".join(f"{v:5.1f}" for v in mae)}
        test = result["indices"]["test"][-1]
        last_fold[name] = pd.Series(result["estimator"][-1].predict(X.iloc[test]), index=y.index[test])

    table = pd.DataFrame(rows).T
    print(f"\nOne-step-ahead forecasts, {cv.n_splits} walk-forward folds of 12 months "
          "(passengers, thousands):")
    print(table.to_string())

    multi_step_table(best, args.epochs)

    if args.plot:
        try:
            import matplotlib
        except ImportError:
            print('\nno plot: matplotlib is not installed (pip install -e ".[plot]")')
            return
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        test = list(cv.split(X))[-1][1]
        # y[t] is the value of month t + 1: plot against the forecast month
        months = y.index[test] + pd.offsets.MonthBegin(1)
        fig, ax = plt.subplots(figsize=(9, 4.5))
        ax.plot(months, y.iloc[test].to_numpy(), "k-o", label="actual", linewidth=2)
        for name, pred in last_fold.items():
            ax.plot(months, pred.to_numpy(), "--", label=name)
        ax.set_title("Last walk-forward fold: one-step-ahead forecasts")
        ax.set_ylabel("passengers (thousands)")
        ax.legend()
        fig.tight_layout()
        fig.savefig(args.plot, dpi=100)
        print(f"\nplot written to {args.plot}")


def multi_step_table(best, epochs):
    """Direct 12-month forecasts from every test origin, every horizon step scored.

    Multi-step folds need a gap of h - 1 windows (a window's target holds
    the next 12 months, so the last 11 training targets would reach into
    the test fold); across a gap a row-aligned transformer cannot know the
    skipped rows, so these models take complete 3-D windows from ``split``,
    each carrying its own past.
    """
    h, n_in = 12, best["n_steps_in"]
    y = load_airline()
    X, Y = SlidingWindowTransformer(n_steps_in=n_in, n_steps_out=h).split(y)
    cv = TimeSeriesSplit(n_splits=4, test_size=12, gap=h - 1)
    first_test = next(cv.split(X))[1][0]
    scoring = {"MAE": "neg_mean_absolute_error",
               # scaled by seasonal naive on the months before the first test window's target
               "MASE": make_mase_scorer(y.iloc[:first_test + n_in], season_length=12)}

    def log_relative(regressor):
        return TransformedTargetRegressor(
            make_pipeline(FunctionTransformer(np.log, np.exp),
                          RelativeRegressor(regressor, baseline="seasonal", season_length=12)),
            func=np.log, inverse_func=np.exp)

    direct = {
        f"LSTM ({best['architecture']}, window {n_in})": log_relative(
            LSTMForecaster(best["architecture"], units=32, activation="tanh", epochs=epochs,
                           random_state=0)),
        "seasonal persistence": PersistenceForecaster(season_length=12),
        f"Ridge (relative, window {n_in})": log_relative(Ridge(alpha=1.0)),
    }
    rows = {}
    for name, model in direct.items():
        result = cross_validate(model, X, Y, cv=cv, scoring=scoring)
        mae, mase = -result["test_MAE"], -result["test_MASE"]
        rows[name] = {"MAE": f"{mae.mean():6.2f} ± {mae.std():5.2f}",
                      "MASE": f"{mase.mean():5.2f} ± {mase.std():4.2f}"}
    print(f"\nDirect {h}-month forecasts, every step of 12 origins per fold, {cv.n_splits} folds "
          f"(gap={h - 1}; passengers, thousands):")
    print(pd.DataFrame(rows).T.to_string())


if __name__ == "__main__":
    main()
