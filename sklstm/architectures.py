"""One small pure function per architecture of the tutorial.

Each builder takes ``(n_steps_in, n_features, output_shape, params)`` and
returns an uncompiled :class:`keras.Model` mapping windows of shape
``(n_steps_in, n_features)`` to ``output_shape``:

* ``()``: one value per window (one-step, one target);
* ``(k,)``: ``k`` values (several steps of one series, or one step of
  ``k`` parallel series);
* ``(n_steps_out, n_targets)``: several steps of several series.

``params`` holds the estimator's hyper-parameters (``units``, ``activation``,
``n_seq``, ``filters``, ``kernel_size``), ``unroll``, an execution hint
passed to every LSTM layer (same arithmetic, a static loop instead of a
symbolic one), and ``seed``: every random initializer gets its own seed
drawn from it, so a build never reads Python's global ``random`` (which
Keras falls back to for unseeded layers) and two threads building at once
get the same weights as either alone. The CNN-LSTM and ConvLSTM builders
reshape the window into ``n_seq`` subsequences inside the model, so every
architecture accepts the same 3-D input and can be grid-searched as a plain
parameter.

A builder of one's own has the same signature and is passed as
``LSTMForecaster(architecture=builder)``; :func:`layer_seeds` gives it the
seeds of its random layers, and :func:`unseeded_layers` names those it left
to Keras' global seed (refused when the fit has a ``random_state``).

Known-future inputs (``params["future_steps"] = f > 0``, see
:mod:`sklstm.known_future`): the window's last ``f`` steps are the known
values at the forecast steps. Each builder reads the past part as before; the
future part joins where it means something: concatenated to the encoder's
output before a hidden dense layer (a second head, every architecture but
the encoder-decoder) or to the decoder's input at each forecast step (the
encoder-decoder).
"""

import functools
import math

import keras
from keras import initializers, layers

from ._seeding import SeedStream
from .known_future import split_future_steps

__all__ = ["ARCHITECTURES", "build_model", "builder_name", "layer_seeds", "unseeded_layers"]


def _dense_seeds(seeds):
    """Seeded initializer of a Dense or Conv layer (Keras' default distribution)."""
    return {"kernel_initializer": initializers.GlorotUniform(seed=seeds())}


def _lstm_seeds(seeds):
    """Seeded initializers of an LSTM or ConvLSTM layer (Keras' default distributions)."""
    return {"kernel_initializer": initializers.GlorotUniform(seed=seeds()),
            "recurrent_initializer": initializers.Orthogonal(seed=seeds()),
            "seed": seeds()}  # the dropout stream: unused at dropout 0, but drawn if unseeded


def _lstm(params, seeds, **kwargs):
    return layers.LSTM(params["units"], activation=params["activation"], unroll=params["unroll"],
                       **_lstm_seeds(seeds), **kwargs)


def _window_input(n_steps_in, n_features, params):
    """``(inputs, past, future)``: the model's input and its past and known-future parts."""
    inputs = keras.Input((n_steps_in, n_features))
    future_steps = params.get("future_steps", 0)
    if not future_steps:
        return inputs, inputs, None
    return (inputs, *split_future_steps(inputs, future_steps))


def _vector_output(x, output_shape, seeds, future=None, params=None):
    """Dense head emitting every forecast value at once (the "vector output" model).

    With known-future values, they join the encoding through a hidden layer
    (a second input head), so the forecast can depend on them non-linearly.
    """
    if future is not None:
        x = layers.Concatenate()([x, layers.Flatten()(future)])
        x = layers.Dense(params["units"], activation=params["activation"],
                         **_dense_seeds(seeds))(x)
    x = layers.Dense(max(1, math.prod(output_shape)), **_dense_seeds(seeds))(x)
    if len(output_shape) > 1:
        x = layers.Reshape(output_shape)(x)
    return x


def _subsequences(n_steps_in, n_seq):
    if n_steps_in % n_seq:
        raise ValueError(
            f"n_seq={n_seq} must divide the window length n_steps_in={n_steps_in} "
            f"(CNN-LSTM and ConvLSTM read the window as n_seq subsequences); choose "
            f"n_seq among {[d for d in range(1, n_steps_in + 1) if n_steps_in % d == 0]}."
        )
    return n_steps_in // n_seq


def build_vanilla(n_steps_in, n_features, output_shape, params):
    """Vanilla LSTM: one LSTM layer and a dense output (tutorial "Vanilla LSTM")."""
    seeds = SeedStream(params["seed"])
    inputs, past, future = _window_input(n_steps_in, n_features, params)
    x = _lstm(params, seeds)(past)
    return keras.Model(inputs, _vector_output(x, output_shape, seeds, future, params))


def build_stacked(n_steps_in, n_features, output_shape, params):
    """Stacked LSTM: two LSTM layers, the first returning sequences (tutorial "Stacked LSTM")."""
    seeds = SeedStream(params["seed"])
    inputs, past, future = _window_input(n_steps_in, n_features, params)
    x = _lstm(params, seeds, return_sequences=True)(past)
    x = _lstm(params, seeds)(x)
    return keras.Model(inputs, _vector_output(x, output_shape, seeds, future, params))


def build_bidirectional(n_steps_in, n_features, output_shape, params):
    """Bidirectional LSTM reading the window both ways (tutorial "Bidirectional LSTM")."""
    seeds = SeedStream(params["seed"])
    inputs, past, future = _window_input(n_steps_in, n_features, params)
    # an explicit backward layer: copied from the forward one's config it would
    # start from the same seeded weights
    x = layers.Bidirectional(_lstm(params, seeds),
                             backward_layer=_lstm(params, seeds, go_backwards=True))(past)
    return keras.Model(inputs, _vector_output(x, output_shape, seeds, future, params))


def build_cnn_lstm(n_steps_in, n_features, output_shape, params):
    """CNN-LSTM: a Conv1D reads each of ``n_seq`` subsequences, an LSTM reads the results.

    Tutorial "CNN LSTM": ``TimeDistributed(Conv1D(64, 1))``,
    ``TimeDistributed(MaxPooling1D(2))``, ``TimeDistributed(Flatten())``, LSTM.
    """
    n_seq = params["n_seq"]
    seeds = SeedStream(params["seed"])
    inputs, past, future = _window_input(n_steps_in, n_features, params)
    steps = _subsequences(past.shape[1], n_seq)
    if params["kernel_size"] > steps:  # Keras said only "output size would be zero or negative"
        raise ValueError(
            f"kernel_size={params['kernel_size']} is longer than each subsequence the Conv1D "
            f"reads ({steps} steps: n_steps_in={past.shape[1]} split into n_seq={n_seq}); use "
            f"kernel_size <= {steps}, a smaller n_seq or longer windows."
        )
    x = layers.Reshape((n_seq, steps, n_features))(past)
    x = layers.TimeDistributed(
        layers.Conv1D(params["filters"], params["kernel_size"], activation=params["activation"],
                      **_dense_seeds(seeds))
    )(x)
    # the tutorial pools by 2; "same" padding keeps a 1-step subsequence valid
    x = layers.TimeDistributed(layers.MaxPooling1D(pool_size=2, padding="same"))(x)
    x = layers.TimeDistributed(layers.Flatten())(x)
    x = _lstm(params, seeds)(x)
    return keras.Model(inputs, _vector_output(x, output_shape, seeds, future, params))


def build_convlstm(n_steps_in, n_features, output_shape, params):
    """ConvLSTM: convolution inside the LSTM cell over ``n_seq`` subsequences.

    Tutorial "ConvLSTM": input ``(n_seq, 1, steps, n_features)``,
    ``ConvLSTM2D(64, kernel_size=(1, 2))`` then ``Flatten``.
    """
    n_seq = params["n_seq"]
    seeds = SeedStream(params["seed"])
    inputs, past, future = _window_input(n_steps_in, n_features, params)
    steps = _subsequences(past.shape[1], n_seq)
    x = layers.Reshape((n_seq, 1, steps, n_features))(past)
    # kernel (1, 2) as in the tutorial, narrowed to (1, 1) when a subsequence has one step
    x = layers.ConvLSTM2D(params["filters"], kernel_size=(1, min(2, steps)),
                          activation=params["activation"], **_lstm_seeds(seeds))(x)
    x = layers.Flatten()(x)
    return keras.Model(inputs, _vector_output(x, output_shape, seeds, future, params))


def build_encoder_decoder(n_steps_in, n_features, output_shape, params):
    """Encoder-decoder LSTM (tutorial "Encoder-Decoder Model").

    The encoder's final state is repeated ``n_steps_out`` times
    (``RepeatVector``) and decoded by a second LSTM whose every step is read by
    the same ``TimeDistributed(Dense(n_targets))``.
    """
    n_steps_out, n_targets = _steps_and_targets(output_shape)
    seeds = SeedStream(params["seed"])
    inputs, past, future = _window_input(n_steps_in, n_features, params)
    x = _lstm(params, seeds)(past)
    x = layers.RepeatVector(n_steps_out)(x)
    if future is not None:  # each decoder step also reads the known values of its own step
        if future.shape[1] != n_steps_out:
            raise ValueError(
                f"the encoder-decoder decodes {n_steps_out} steps, but the windows carry "
                f"{future.shape[1]} known-future steps; future_steps must be the framing's "
                "n_steps_out."
            )
        x = layers.Concatenate()([x, future])
    x = _lstm(params, seeds, return_sequences=True)(x)
    x = layers.TimeDistributed(layers.Dense(n_targets, **_dense_seeds(seeds)))(x)
    x = layers.Reshape(output_shape or (1,))(x) if len(output_shape) < 2 else x
    return keras.Model(inputs, x)


def _steps_and_targets(output_shape):
    """An encoder-decoder decodes a sequence: 1-D targets are steps of one series."""
    if len(output_shape) == 0:
        return 1, 1
    if len(output_shape) == 1:
        return output_shape[0], 1
    return output_shape


ARCHITECTURES = {
    "vanilla": build_vanilla,
    "stacked": build_stacked,
    "bidirectional": build_bidirectional,
    "cnn_lstm": build_cnn_lstm,
    "convlstm": build_convlstm,
    "encoder_decoder": build_encoder_decoder,
}


def layer_seeds(params):
    """Successive seeds for the random layers of a builder, drawn from the fit's ``random_state``.

    A builder of one's own (``LSTMForecaster(architecture=builder)``) gives
    each random initializer (and any dropout) its own seed from this stream,
    as the built-in builders do, so a fit with a ``random_state`` is
    repeatable, in a thread too.

    Examples
    --------
    >>> import math
    >>> import keras
    >>> from sklstm.architectures import layer_seeds, unseeded_layers
    >>> def gru(n_steps_in, n_features, output_shape, params):
    ...     seeds = layer_seeds(params)
    ...     inputs = keras.Input((n_steps_in, n_features))
    ...     x = keras.layers.GRU(
    ...         params["units"], activation=params["activation"],
    ...         kernel_initializer=keras.initializers.GlorotUniform(seed=seeds()),
    ...         recurrent_initializer=keras.initializers.Orthogonal(seed=seeds()))(inputs)
    ...     x = keras.layers.Dense(max(1, math.prod(output_shape)),
    ...                            kernel_initializer=keras.initializers.GlorotUniform(seed=seeds()))(x)
    ...     return keras.Model(inputs, keras.layers.Reshape(output_shape or (1,))(x))
    >>> model = gru(3, 1, (), {"units": 4, "activation": "tanh", "seed": 0})
    >>> model.output_shape, unseeded_layers(model)
    ((None, 1), [])
    """
    return SeedStream(params["seed"])


def _unseeded(config):
    """Whether a Keras config, at any depth, holds an initializer or active dropout without a seed."""
    if isinstance(config, list):
        return any(_unseeded(item) for item in config)
    if not isinstance(config, dict):
        return False
    inner = config.get("config")
    if isinstance(inner, dict) and "seed" in inner and inner["seed"] is None:
        return True  # a random initializer (GlorotUniform, Orthogonal, ...) seeded globally
    if "seed" in config and config["seed"] is None and any(
            isinstance(config.get(k), (int, float)) and config[k] > 0
            for k in ("rate", "dropout", "recurrent_dropout", "stddev")):
        return True  # dropout or noise that draws at every step
    return any(_unseeded(value) for value in config.values())


def unseeded_layers(model):
    """Names of ``model``'s layers whose randomness Keras would seed from its global stream.

    Keras seeds an initializer (or dropout) built without a seed from Python's
    global ``random``: fits with it are not repeatable, and depend on what
    other threads draw.
    """
    return [layer.name for layer in model.layers if _unseeded(layer.get_config())]


def builder_name(architecture):
    """How messages name an architecture: its name, a function's, or a callable's type."""
    if isinstance(architecture, str):
        return repr(architecture)
    inner = getattr(architecture, "func", architecture)  # functools.partial(builder, ...)
    return getattr(inner, "__name__", type(inner).__name__)


def builder_key(architecture):
    """What identifies an architecture in the compiled-engine cache.

    A name or a function is itself. A ``functools.partial`` is its function and
    arguments: ``clone`` deep-copies a partial, so keyed on the object a grid
    search over a builder's options compiled a new engine for every fit (3
    compiles for 3 clones, measured) although each clone builds the same
    model. Arguments that cannot be hashed fall back to the object (correct,
    recompiled).
    """
    if isinstance(architecture, functools.partial):
        key = ("partial", builder_key(architecture.func), architecture.args,
               tuple(sorted(architecture.keywords.items())))
        try:
            hash(key)
        except TypeError:
            return architecture
        return key
    return architecture


def build_model(architecture, n_steps_in, n_features, output_shape, params):
    """Build the named architecture (see :data:`ARCHITECTURES`), or call a builder of one's own.

    A callable ``architecture`` is called like the built-in builders and must
    return a ``keras.Model`` whose output has ``output_shape`` (``(1,)`` for one
    value per window).
    """
    output_shape = tuple(output_shape)
    if callable(architecture):
        name = builder_name(architecture)
        model = architecture(n_steps_in, n_features, output_shape, params)
        if not isinstance(model, keras.Model):
            raise TypeError(
                f"architecture={name} returned {type(model).__name__}; a builder returns an "
                "uncompiled keras.Model (sklstm compiles it with the optimizer and loss)."
            )
        expected = output_shape or (1,)
        if tuple(model.output_shape[1:]) != expected:
            raise ValueError(
                f"architecture={name} built a model with outputs of shape "
                f"{tuple(model.output_shape[1:])} per window; y needs {expected} (end the "
                f"model with Dense({math.prod(expected)}) and Reshape({expected}))."
            )
        return model
    try:
        builder = ARCHITECTURES[architecture]
    except KeyError:
        raise ValueError(
            f"architecture={architecture!r} is unknown; choose one of {sorted(ARCHITECTURES)}."
        ) from None
    return builder(n_steps_in, n_features, output_shape, params)
