"""``python -m sklstm``: forecast the bundled airline series with an LSTM.

Holds out 1960, scores the LSTM against seasonal persistence on it, then
refits on all 144 months and prints the forecast for 1961, beyond the data.

The LSTM learns yearly growth: ``RelativeRegressor(season_length=12)`` makes
it predict the correction on top of "same month last year" from the 12-month
differences of the log series inside each 24-month window (standardised), and
turns its forecasts back into passengers. With ~100 windows an LSTM cannot
learn trend and seasonality from raw passenger counts, but it can learn that
correction (see the README's notes on real series).
"""

import argparse

import numpy as np
import pandas as pd

from sklstm import LSTMForecaster, RelativeRegressor, SlidingWindowTransformer, forecast
from sklstm.datasets import load_airline

SEASON = HORIZON = 12


def forecast_next_year(series, random_state=0, epochs=200):
    """Forecast the 12 months after ``series`` (a monthly pandas Series)."""
    framing = SlidingWindowTransformer(n_steps_in=2 * SEASON, n_steps_out=HORIZON)
    model = RelativeRegressor(
        LSTMForecaster("vanilla", units=32, activation="tanh", epochs=epochs,
                       random_state=random_state),
        baseline="seasonal", season_length=SEASON)
    log = np.log(series)
    model.fit(*framing.split(log))
    return np.exp(forecast(model, log, HORIZON, framing=framing)).rename("forecast")


def _at_least(low):
    def parse(text):  # argparse's own error ("argument --epochs: ..."), not a traceback
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"{value} is below {low}")
        return value
    return parse


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m sklstm", description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=_at_least(1), default=200,
                        help="training epochs of each LSTM fit (default: 200)")
    parser.add_argument("--random-state", type=_at_least(0), default=0,
                        help="seed of the LSTM: the same seed gives the same forecasts "
                             "(default: 0)")
    args = parser.parse_args(argv)

    y = load_airline()
    train, test = y.iloc[:-HORIZON], y.iloc[-HORIZON:]
    lstm = forecast_next_year(train, args.random_state, args.epochs)
    naive = pd.Series(train.iloc[-SEASON:].to_numpy(), index=test.index)
    table = pd.DataFrame({"actual": test, "lstm": lstm.round(1), "seasonal naive": naive})
    print("Airline passengers, 1960 held out (thousands):")
    print(table.to_string())
    for name in ("lstm", "seasonal naive"):
        mape = float(np.mean(np.abs(table[name] - test) / test) * 100)
        print(f"MAPE {name}: {mape:.2f}%")

    future = forecast_next_year(y, args.random_state, args.epochs)
    print("\nForecast for 1961, beyond the data:")
    print(future.round(1).to_string())


if __name__ == "__main__":
    main()
