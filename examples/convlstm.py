"""ConvLSTM, univariate one-step (tutorial section "ConvLSTM")."""
from sklstm import LSTMForecaster, SlidingWindowTransformer
from sklstm.datasets import tutorial_univariate

EXPECTED = [100]


def main(random_state=0):
    X, y = SlidingWindowTransformer(n_steps_in=4).split(tutorial_univariate())
    model = LSTMForecaster("convlstm", n_seq=2, filters=64, epochs=500, random_state=random_state)
    return model.fit(X, y).predict([[60, 70, 80, 90]])


if __name__ == "__main__":
    print("forecast:", main().round(2), "tutorial expects:", EXPECTED)
