"""Forecast 1961 of the airline series with 80% and 95% prediction intervals, and plot it.

The LSTM learns the correction on top of "same month last year" on the log
series (``RelativeRegressor``); ``forecast(..., coverage=...)`` calibrates the
intervals on the forecasts of 20 earlier origins (one refit of a clone on the
data before the first of them), per horizon step.

    python examples/forecast_intervals.py [--plot forecast_airline.png]
"""

import argparse

import numpy as np
from sklearn.compose import TransformedTargetRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sklstm import LSTMForecaster, RelativeRegressor, SlidingWindowTransformer, forecast
from sklstm.datasets import load_airline


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plot", default="forecast_airline.png")
    parser.add_argument("--epochs", type=int, default=200)
    args = parser.parse_args(argv)

    y = load_airline()
    framing = SlidingWindowTransformer(n_steps_in=24, n_steps_out=12)
    model = TransformedTargetRegressor(
        make_pipeline(FunctionTransformer(np.log, np.exp),
                      RelativeRegressor(LSTMForecaster(units=32, activation="tanh",
                                                       epochs=args.epochs, random_state=0),
                                        baseline="seasonal", season_length=12)),
        func=np.log, inverse_func=np.exp)
    model.fit(*framing.split(y))
    future = forecast(model, y, 12, framing=framing, coverage=[0.8, 0.95], n_origins=20)
    print("Airline passengers, forecast for 1961 with 80% and 95% intervals (thousands):")
    print(future.round(1).to_string())

    if args.plot:
        try:
            import matplotlib
        except ImportError:
            print('\nno plot: matplotlib is not installed (pip install -e ".[plot]")')
            return
        matplotlib.use("Agg")
        from sklstm.plotting import plot_forecast

        ax = plot_forecast(y, future, last=48, title="Airline passengers: LSTM forecast for 1961")
        ax.set_ylabel("passengers (thousands)")
        ax.figure.tight_layout()
        ax.figure.savefig(args.plot, dpi=90)
        print(f"\nplot written to {args.plot}")


if __name__ == "__main__":
    main()
