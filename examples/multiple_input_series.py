"""Multiple input series: out_seq depends on in_seq1 and in_seq2 (tutorial "Multiple Input Series")."""
from sklstm import LSTMForecaster, SlidingWindowTransformer
from sklstm.datasets import tutorial_multivariate

EXPECTED = [205]


def main(random_state=0):
    framing = SlidingWindowTransformer(n_steps_in=3, target="out_seq")
    X, y = framing.split(tutorial_multivariate())  # (7, 3, 2), (7,)
    model = LSTMForecaster("vanilla", units=50, epochs=200, random_state=random_state).fit(X, y)
    return model.predict([[[80, 85], [90, 95], [100, 105]]])


if __name__ == "__main__":
    print("forecast:", main().round(2), "tutorial expects:", EXPECTED)
