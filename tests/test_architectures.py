"""Each builder makes the tutorial's layers and the requested output shape; builders of one's own."""

import functools
import math
import pickle

import keras
import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from sklstm import LSTMForecaster, SlidingWindowTransformer
from sklstm.architectures import ARCHITECTURES, build_model, builder_key, layer_seeds, unseeded_layers

PARAMS = dict(units=50, activation="relu", n_seq=2, filters=64, kernel_size=1, unroll=False, seed=0)


def layer_names(model):
    return [type(layer).__name__ for layer in model.layers]


def test_vanilla_matches_tutorial():
    model = build_model("vanilla", 3, 1, (), PARAMS)
    assert layer_names(model) == ["InputLayer", "LSTM", "Dense"]
    assert model.layers[1].units == 50 and model.output_shape == (None, 1)
    # tutorial: LSTM(50) on 1 feature has 4*50*(50+1+1) weights, Dense(1) 51
    assert model.count_params() == 4 * 50 * 52 + 51


def test_stacked_has_two_lstm_layers():
    model = build_model("stacked", 3, 3, (3,), {**PARAMS, "units": 100})
    assert layer_names(model).count("LSTM") == 2 and model.output_shape == (None, 3)
    assert model.layers[1].return_sequences


def test_bidirectional_wraps_lstm():
    model = build_model("bidirectional", 3, 1, (), PARAMS)
    assert "Bidirectional" in layer_names(model)


def test_cnn_lstm_reads_subsequences():
    model = build_model("cnn_lstm", 4, 1, (), PARAMS)
    names = layer_names(model)
    assert names[:2] == ["InputLayer", "Reshape"] and names.count("TimeDistributed") == 3
    assert model.layers[1].output.shape[1:] == (2, 2, 1)


def test_convlstm_shape():
    model = build_model("convlstm", 4, 1, (), PARAMS)
    assert "ConvLSTM2D" in layer_names(model)
    assert model.layers[1].output.shape[1:] == (2, 1, 2, 1)


def test_encoder_decoder_output_sequence():
    model = build_model("encoder_decoder", 3, 3, (2, 3), {**PARAMS, "units": 200})
    names = layer_names(model)
    assert "RepeatVector" in names and names[-1] == "TimeDistributed"
    assert model.output_shape == (None, 2, 3)


def test_vector_output_three_dimensional_target():
    model = build_model("vanilla", 3, 3, (2, 3), PARAMS)
    assert model.output_shape == (None, 2, 3)


def test_unknown_architecture():
    with pytest.raises(ValueError, match="architecture='gru' is unknown"):
        build_model("gru", 3, 1, (), PARAMS)


def test_every_architecture_registered():
    assert set(ARCHITECTURES) == {"vanilla", "stacked", "bidirectional", "cnn_lstm",
                                  "convlstm", "encoder_decoder"}


@pytest.mark.parametrize("known_future", [False, True])
@pytest.mark.parametrize("output_shape", [(), (2,), (2, 3)])
@pytest.mark.parametrize("name", sorted(ARCHITECTURES))
def test_every_builtin_seeds_every_random_layer(name, output_shape, known_future):
    # an unseeded initializer draws from Python's global random: fits would not repeat
    future_steps = (output_shape or (1,))[0] if known_future else 0
    model = build_model(name, 4 + future_steps, 3, output_shape,
                        {**PARAMS, "units": 4, "filters": 4, "future_steps": future_steps})
    assert unseeded_layers(model) == []


def gru(n_steps_in, n_features, output_shape, params):
    """A builder of one's own: a GRU, seeded as the README shows."""
    seeds = layer_seeds(params)
    inputs = keras.Input((n_steps_in, n_features))
    x = keras.layers.GRU(params["units"], activation=params["activation"],
                         kernel_initializer=keras.initializers.GlorotUniform(seed=seeds()),
                         recurrent_initializer=keras.initializers.Orthogonal(seed=seeds()))(inputs)
    x = keras.layers.Dense(max(1, math.prod(output_shape)),
                           kernel_initializer=keras.initializers.GlorotUniform(seed=seeds()))(x)
    return keras.Model(inputs, keras.layers.Reshape(output_shape or (1,))(x))


def unseeded_gru(n_steps_in, n_features, output_shape, params):
    inputs = keras.Input((n_steps_in, n_features))
    x = keras.layers.Dropout(0.1, seed=1)(keras.layers.GRU(4)(inputs))  # seeded dropout passes
    return keras.Model(inputs, keras.layers.Dense(1)(x))  # one output, whatever y needs


def test_a_builder_of_ones_own_fits_repeatably_searches_and_pickles():
    X, y = SlidingWindowTransformer(3, n_steps_out=2).split(np.sin(np.arange(60) / 3.0))
    first = LSTMForecaster(gru, units=4, epochs=300, learning_rate=0.01, random_state=0).fit(X, y)
    again = LSTMForecaster(gru, units=4, epochs=300, learning_rate=0.01, random_state=0).fit(X, y)
    assert first.model_.layers[1].__class__.__name__ == "GRU"
    np.testing.assert_array_equal(first.predict(X), again.predict(X))
    assert first.predict(X).shape == (len(X), 2)
    assert np.abs(first.predict(X) - y).mean() < 0.25 * np.abs(y).mean()  # it learned the sine
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(first)).predict(X), first.predict(X))
    search = GridSearchCV(LSTMForecaster(units=4, epochs=3, random_state=0),
                          {"architecture": ["vanilla", gru]}, cv=TimeSeriesSplit(2)).fit(X, y)
    assert len(search.cv_results_["params"]) == 2


def test_a_builder_of_ones_own_is_checked():
    X, y = SlidingWindowTransformer(3).split(np.arange(20.0))
    with pytest.raises(ValueError, match=r"random_state=0 asks for a repeatable fit, but the "
                                         r"layers \['gru.*', 'dense.*'\] of "
                                         r"architecture=unseeded_gru .*layer_seeds"):
        LSTMForecaster(unseeded_gru, epochs=1, random_state=0).fit(X, y)
    inputs = keras.Input((3, 1))
    noisy = keras.layers.Dropout(0.2, name="noisy")(inputs)
    quiet = keras.layers.Dropout(0.2, seed=3, name="quiet")(inputs)
    zeros = keras.initializers.Zeros()  # not random: nothing to seed
    joined = keras.layers.Concatenate()([noisy, quiet])
    model = keras.Model(inputs, keras.layers.Dense(1, kernel_initializer=zeros)(joined))
    assert unseeded_layers(model) == ["noisy"]
    # a partial of a builder (a way to grid-search its own options) is named by its function
    with pytest.raises(ValueError, match=r"architecture=unseeded_gru draw"):
        LSTMForecaster(functools.partial(unseeded_gru), epochs=1, random_state=0).fit(X, y)
    # without a random_state no repeatability is promised
    assert LSTMForecaster(unseeded_gru, epochs=1).fit(X, y).predict(X).shape == (len(X),)
    with pytest.raises(ValueError, match=r"outputs of shape \(1,\) per window; y needs \(2,\)"):
        LSTMForecaster(unseeded_gru, epochs=1).fit(X, np.c_[y, y])
    with pytest.raises(TypeError, match="returned Sequential|returned list"):
        LSTMForecaster(lambda *args: [keras.layers.Dense(1)], epochs=1).fit(X, y)


def wide_gru(n_steps_in, n_features, output_shape, params, width=4):
    return gru(n_steps_in, n_features, output_shape, {**params, "units": width})


def test_clones_of_a_partial_builder_share_one_engine():
    # clone deep-copies a partial: keyed on the object, every fit of a search compiled anew
    from sklearn.base import clone

    from sklstm._training import cache_counts

    X, y = SlidingWindowTransformer(3).split(np.sin(np.arange(40) / 3.0))
    model = LSTMForecaster(functools.partial(wide_gru, width=3), epochs=2, random_state=0)
    before = cache_counts()
    fits = [clone(model).fit(X, y) for _ in range(3)]
    after = cache_counts()
    engines = keras.backend.backend() != "torch"  # torch trains in Keras' loop, no engines
    if engines:
        assert (after["compiles"] - before["compiles"], after["hits"] - before["hits"]) == (1, 2)
    np.testing.assert_array_equal(fits[0].predict(X), fits[2].predict(X))
    # other arguments are another model: its own engine, its own width
    other = LSTMForecaster(functools.partial(wide_gru, width=5), epochs=2, random_state=0).fit(X, y)
    assert cache_counts()["compiles"] == after["compiles"] + engines
    assert other.model_.layers[1].units == 5 and fits[0].model_.layers[1].units == 3
    # arguments that cannot be hashed still fit, keyed on the object
    listed = functools.partial(wide_gru, width=3, output_shape=[])
    assert builder_key(listed) is listed and builder_key("vanilla") == "vanilla"


def dropout_gru(n_steps_in, n_features, output_shape, params):
    """The README's GRU with seeded dropout: its masks come from a seed generator's state."""
    seeds = layer_seeds(params)
    inputs = keras.Input((n_steps_in, n_features))
    x = keras.layers.GRU(params["units"], dropout=0.3, seed=seeds(),
                         kernel_initializer=keras.initializers.GlorotUniform(seed=seeds()),
                         recurrent_initializer=keras.initializers.Orthogonal(seed=seeds()))(inputs)
    x = keras.layers.Dropout(0.5, seed=seeds())(x)
    x = keras.layers.Dense(1, kernel_initializer=keras.initializers.GlorotUniform(seed=seeds()))(x)
    return keras.Model(inputs, x)


def test_seeded_dropout_repeats_whatever_was_fitted_before():
    # the shared engine kept the seed generators' states its last fit left: the same
    # random_state drew other masks on its second fit and forecast differently
    X, y = SlidingWindowTransformer(3).split(np.sin(np.arange(40) / 3.0))
    model = LSTMForecaster(dropout_gru, units=4, epochs=10, random_state=1)
    first = model.fit(X, y).predict(X)
    other = LSTMForecaster(dropout_gru, units=4, epochs=10, random_state=0).fit(X, y).predict(X)
    again = LSTMForecaster(dropout_gru, units=4, epochs=10, random_state=1).fit(X, y).predict(X)
    np.testing.assert_array_equal(first, again)
    assert np.abs(first - other).max() > 1e-4  # the seeds do draw different masks
