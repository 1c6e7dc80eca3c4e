"""``python -m sklstm``: forecast the bundled airline series with an LSTM.

Holds out 1960, scores the LSTM against seasonal persistence on it, then
refits on all 144 months and prints the forecast for 1961, beyond the data.

The LSTM learns yearly growth: the 12-month difference of the log series,
standardised. With ~100 windows an LSTM cannot learn trend and seasonality
from raw passenger counts, but it can learn the correction on top of "same
month last year" (see the README's notes on real series).
"""

import argparse

import numpy as np
import pandas as pd

from sklstm import LSTMForecaster, SlidingWindowTransformer
from sklstm.datasets import load_airline
from sklstm._tables import future_index

SEASON = HORIZON = 12


def forecast_next_year(series, random_state=0, epochs=200):
    """Forecast the 12 months after ``series`` (a monthly pandas Series)."""
    log = np.log(series)
    growth = log.diff(SEASON).dropna()
    mean, std = growth.mean(), growth.std()
    X, y = SlidingWindowTransformer(n_steps_in=SEASON, n_steps_out=HORIZON).split((growth - mean) / std)
    model = LSTMForecaster("vanilla", units=32, activation="tanh", epochs=epochs,
                           random_state=random_state).fit(X, y)
    last_window = ((growth.iloc[-SEASON:] - mean) / std).to_numpy()[None, :]
    predicted_growth = model.predict(last_window)[0] * std + mean
    index = future_index(series.index, HORIZON)
    return pd.Series(np.exp(log.iloc[-SEASON:].to_numpy() + predicted_growth), index=index,
                     name="forecast")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--random-state", type=int, default=0)
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
