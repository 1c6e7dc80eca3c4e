"""Walk-forward validation of an LSTM against baselines on the airline series.

Grid-searches the window length and the architecture of an LSTM pipeline with
TimeSeriesSplit, then scores the best LSTM, persistence, seasonal persistence
and Ridge on identical folds, prints one table (mean +- std over folds of
MAE and RMSE) and plots the last fold.

    python examples/walk_forward_airline.py [--plot walk_forward_airline.png]
"""

import argparse

import numpy as np
import pandas as pd
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from sklstm import LSTMForecaster, PersistenceForecaster, SlidingWindowTransformer
from sklstm.datasets import load_airline


def log_scaler():
    """log, then standardise: invertible, so forecasts come back in passengers."""
    return make_pipeline(FunctionTransformer(np.log, np.exp, feature_names_out="one-to-one"),
                         StandardScaler())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plot", default="walk_forward_airline.png")
    parser.add_argument("--epochs", type=int, default=150)
    parser.add_argument("--n-jobs", type=int, default=2)
    args = parser.parse_args(argv)

    # Row-aligned framing: X[t] = passengers in month t, y[t] = passengers in month t + 1.
    X, y = SlidingWindowTransformer().align(load_airline())
    cv = TimeSeriesSplit(n_splits=4, test_size=12)  # walk forward one year at a time

    lstm = TransformedTargetRegressor(
        make_pipeline(log_scaler(), SlidingWindowTransformer(n_steps_in=12),
                      LSTMForecaster(units=32, activation="tanh", epochs=args.epochs, random_state=0),
                      ).set_output(transform="pandas"),  # keeps the index: test folds get their past
        transformer=log_scaler())
    search = GridSearchCV(
        lstm,
        {"regressor__slidingwindowtransformer__n_steps_in": [12, 24],
         "regressor__lstmforecaster__architecture": ["vanilla", "stacked"]},
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
    }
    rows, last_fold = {}, {}
    scoring = {"MAE": "neg_mean_absolute_error", "RMSE": "neg_root_mean_squared_error"}
    for name, model in models.items():
        result = cross_validate(model, X, y, cv=cv, scoring=scoring, return_estimator=True,
                                return_indices=True, n_jobs=1)
        mae, rmse = -result["test_MAE"], -result["test_RMSE"]
        rows[name] = {"MAE": f"{mae.mean():6.2f} ± {mae.std():5.2f}",
                      "RMSE": f"{rmse.mean():6.2f} ± {rmse.std():5.2f}",
                      "MAE per fold": " ".join(f"{v:5.1f}" for v in mae)}
        test = result["indices"]["test"][-1]
        last_fold[name] = pd.Series(result["estimator"][-1].predict(X.iloc[test]), index=y.index[test])

    table = pd.DataFrame(rows).T
    print(f"\nOne-step-ahead forecasts, {cv.n_splits} walk-forward folds of 12 months "
          "(passengers, thousands):")
    print(table.to_string())

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


if __name__ == "__main__":
    main()
