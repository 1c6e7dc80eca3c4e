"""Multiple input multi-step output (tutorial "Multiple Input Multi-Step Output")."""
from sklstm import LSTMForecaster, SlidingWindowTransformer
from sklstm.datasets import tutorial_multivariate

EXPECTED = [185, 205]


def main(random_state=0):
    framing = SlidingWindowTransformer(n_steps_in=3, n_steps_out=2, target="out_seq")
    X, y = framing.split(tutorial_multivariate())  # (6, 3, 2), (6, 2)
    model = LSTMForecaster("stacked", units=100, epochs=200, random_state=random_state).fit(X, y)
    return model.predict([[[70, 75], [80, 85], [90, 95]]])


if __name__ == "__main__":
    print("forecast:", main().round(2), "tutorial expects:", EXPECTED)
