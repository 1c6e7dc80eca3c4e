"""Each builder makes the tutorial's layers and the requested output shape."""

import pytest

from sklstm.architectures import ARCHITECTURES, build_model

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
