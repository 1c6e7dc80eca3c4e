"""LSTMForecaster: the tutorial's LSTM architectures as one scikit-learn regressor."""

from numbers import Integral, Real

import keras
import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import _check_sample_weight, check_is_fitted
from scikeras.wrappers import BaseWrapper

from ._seeding import fit_seed
from ._validation import (as_sequences, fit_or_restore, forecast_r2_score, reject_bool_params,
                          validate_target, validate_windows, window_layout)
from ._training import predict_windows, train, weights_of
from .architectures import ARCHITECTURES, build_model, builder_key, builder_name, unseeded_layers

__all__ = ["LSTMForecaster"]

_MAX_UNROLL = 64  # longest sequence unrolled on TensorFlow; beyond, graphs grow too big
_INTEGER_PARAMS = ("units", "n_seq", "filters", "kernel_size", "n_features", "future_steps",
                   "epochs", "batch_size", "n_iter_no_change")
# what the compiled network is made of: a warm start cannot change these
_STRUCTURE_PARAMS = ("architecture", "units", "activation", "n_seq", "filters", "kernel_size",
                     "future_steps", "optimizer", "learning_rate", "loss")

# SciKeras 0.13 defines only the pre-1.6 ``_more_tags``; sklearn >= 1.6 reads
# ``__sklearn_tags__`` and rejects classes defining one without the other.
# Delegating to the next class changes nothing for SciKeras' own wrappers
# and lets our mixins (RegressorMixin) contribute their tags.
if "__sklearn_tags__" not in vars(BaseWrapper):
    def _delegate_sklearn_tags(self):
        return super(BaseWrapper, self).__sklearn_tags__()

    BaseWrapper.__sklearn_tags__ = _delegate_sklearn_tags


class _Same:
    """A key part equal only to itself: holds the object, so its id is never reused."""

    def __init__(self, obj):
        self.obj = obj

    def __eq__(self, other):
        return isinstance(other, _Same) and other.obj is self.obj

    def __hash__(self):
        return id(self.obj)


def _compile_key(value, keras_class):
    """How a loss or optimizer enters the compiled-engine key.

    A name is itself. An object of Keras' own classes is its class and
    configuration, plus a loss's repr (a ``LossFunctionWrapper``'s
    ``get_config`` omits the function's arguments, Huber's ``delta``, and its
    repr omits the ``reduction``): keyed on ``repr`` alone,
    ``MeanSquaredError(reduction="sum")`` reused the engine compiled for the
    default reduction and trained with that loss (the fit depended on what ran
    before it in the process). Anything else (a function, a class of one's own,
    whose ``get_config`` may not hold every option) is itself, held so that a
    dead object's id or repr cannot match a new one.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, keras_class) and type(value).__module__.startswith("keras."):
        loss_repr = repr(value) if keras_class is keras.losses.Loss else ""
        return (type(value).__qualname__, loss_repr, repr(sorted(value.get_config().items())))
    return _Same(value)


class LSTMForecaster(RegressorMixin, BaseWrapper):
    """LSTM regressor for windowed time series, built on SciKeras.

    One estimator covers every model of the tutorial: ``architecture`` picks
    the Keras builder (see :mod:`sklstm.architectures`) and the output layer
    follows ``y``: one value, a vector (several steps or several parallel
    series: the tutorial's "vector output" model) or a
    ``(n_steps_out, n_targets)`` block.

    Parameters
    ----------
    architecture : {"vanilla", "stacked", "bidirectional", "cnn_lstm", \
            "convlstm", "encoder_decoder"} or callable, default="vanilla"
        Which tutorial model to build, or a builder of one's own called as
        the built-in ones, ``builder(n_steps_in, n_features, output_shape,
        params)``, returning an uncompiled ``keras.Model`` with outputs of
        ``output_shape`` (``(1,)`` for one value per window). ``params``
        holds ``units``, ``activation``, ``n_seq``, ``filters``,
        ``kernel_size``, ``future_steps`` (the window's last steps are known
        future values), ``unroll`` and ``seed``; with a ``random_state``,
        every random layer must be seeded from
        :func:`sklstm.architectures.layer_seeds` (an unseeded one is refused,
        naming it). A module-level function pickles with the estimator.
    units : int, default=50
        LSTM units per layer.
    activation : str, default="relu"
        Activation of the LSTM (and convolution) layers, as in the tutorial.
        ``"tanh"`` is more stable on standardised real data.
    n_seq : int, default=2
        Subsequences per window for ``cnn_lstm`` and ``convlstm``; must divide
        ``n_steps_in``. Ignored by the other architectures.
    filters : int, default=64
        Convolution filters for ``cnn_lstm`` and ``convlstm``. Ignored by the
        other architectures.
    kernel_size : int, default=1
        Conv1D kernel size for ``cnn_lstm``; ignored by the other
        architectures (``convlstm`` keeps the tutorial's ``(1, 2)`` kernel,
        ``(1, 1)`` for one-step subsequences), so a grid over it is useful
        with ``cnn_lstm`` only.
    n_features : int or None, default=None
        Series per time step when ``X`` is 2-D (flattened windows). ``None``:
        read from window column names like ``"x(t-1)"`` if present, else 1.
        Ignored for 3-D ``X``.
    future_steps : int, default=0
        Known-future steps at the end of each window: the framing's
        ``n_steps_out`` when it has ``known_future`` columns
        (:mod:`sklstm.known_future`), else 0. The network reads the past
        steps as usual and the known-future ones through a second head (the
        decoder's input, for ``encoder_decoder``).
    optimizer : str or keras.optimizers.Optimizer, default="adam"
    learning_rate : float, default=0.001
        Used when ``optimizer`` is a string.
    loss : str, default="mse"
    epochs : int, default=200
    batch_size : int, default=32
    shuffle : bool, default=True
        Shuffle windows between epochs (windows are independent samples).
    validation_split : float, default=0.0
        Fraction of the *last* windows held out for Keras' validation loss
        (reported in ``history_``; training takes Keras' per-epoch loop).
    early_stopping : bool, default=False
        Hold out the last ``validation_fraction`` of the windows (time order)
        and stop when their loss has not improved for ``n_iter_no_change``
        epochs, restoring the best weights (sklearn's names, as in
        ``MLPRegressor``). Runs on the fast path, checking every
        ``min(5, n_iter_no_change)`` epochs; ``epochs`` is then the maximum.
    validation_fraction : float, default=0.1
        Share of the last windows held out when ``early_stopping``.
    n_iter_no_change : int, default=10
        Epochs without improvement of the validation loss before stopping.
    callbacks : list of keras.callbacks.Callback or None, default=None
        E.g. ``keras.callbacks.EarlyStopping``.
    verbose : int, default=0
        Keras progress display during ``fit`` (1 = progress bar, 2 = one line
        per epoch).
    random_state : int, RandomState or None, default=None
        Seed for initial weights and shuffling; an int makes ``fit``
        repeatable on CPU, alone or in threads. The seed is local to the fit:
        no global random stream (Python, NumPy, TensorFlow, Keras) is read or
        changed.
    warm_start : bool, default=False
        Keep training the existing model on the next ``fit``. Parameters that
        shape the network (architecture, units, activation, n_seq, filters,
        kernel_size, optimizer, learning_rate, loss) cannot change between
        warm-started fits: that raises a ``ValueError``.

    Attributes
    ----------
    model_ : keras.Model
        The fitted Keras model. ``predict`` always uses the weights it holds at
        the time of the call, also after ``model_.set_weights`` or
        ``model_.fit``.
    history_ : dict
        Training loss, and validation loss when used: per epoch on Keras'
        loop (``callbacks``, ``validation_split``, ``verbose``, warm starts,
        the torch backend); on the fused fast path one mean loss over all the
        epochs, or with ``early_stopping`` one training and one validation
        loss per check (every ``min(5, n_iter_no_change)`` epochs). Pass
        ``callbacks=[keras.callbacks.History()]`` for a per-epoch curve.
    n_iter_ : int
        Epochs trained by the last fit (fewer than ``epochs`` when early
        stopping ended it).
    best_epoch_ : int or None
        With ``early_stopping``, the epochs trained when the held-out loss
        was lowest: the weights kept are those (``None`` without it).
    n_features_in_ : int
        Columns of 2-D ``X`` (time steps of 3-D ``X``) seen in ``fit``.
    feature_names_in_ : ndarray of str
        Column names of ``X``, when it was a DataFrame with string columns.
    window_shape_ : tuple of int
        ``(n_steps_in, n_features)`` of one window.
    output_shape_ : tuple of int
        Shape of one target (``()``, ``(k,)`` or ``(n_steps_out, n_targets)``).

    Examples
    --------
    >>> from sklstm import SlidingWindowTransformer, LSTMForecaster
    >>> X, y = SlidingWindowTransformer(n_steps_in=3).split([10, 20, 30, 40, 50, 60, 70, 80, 90])
    >>> model = LSTMForecaster(epochs=200, random_state=0).fit(X, y)
    >>> model.predict([[70, 80, 90]]).shape
    (1,)
    """

    _parameter_constraints = {
        "architecture": [StrOptions(set(ARCHITECTURES)), callable],
        "units": [Interval(Integral, 1, None, closed="left")],
        "activation": [str],
        "n_seq": [Interval(Integral, 1, None, closed="left")],
        "filters": [Interval(Integral, 1, None, closed="left")],
        "kernel_size": [Interval(Integral, 1, None, closed="left")],
        "n_features": [Interval(Integral, 1, None, closed="left"), None],
        "future_steps": [Interval(Integral, 0, None, closed="left")],
        "optimizer": [str, keras.optimizers.Optimizer],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "loss": [str, callable],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "validation_split": [Interval(Real, 0, 1, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "callbacks": [list, None],
        "verbose": ["verbose"],
        "random_state": ["random_state"],
        "warm_start": ["boolean"],
    }

    def __init__(
        self,
        architecture="vanilla",
        *,
        units=50,
        activation="relu",
        n_seq=2,
        filters=64,
        kernel_size=1,
        n_features=None,
        future_steps=0,
        optimizer="adam",
        learning_rate=0.001,
        loss="mse",
        epochs=200,
        batch_size=32,
        shuffle=True,
        validation_split=0.0,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=10,
        callbacks=None,
        verbose=0,
        random_state=None,
        warm_start=False,
    ):
        self.architecture = architecture
        self.units = units
        self.activation = activation
        self.n_seq = n_seq
        self.filters = filters
        self.kernel_size = kernel_size
        self.n_features = n_features
        self.future_steps = future_steps
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.loss = loss
        self.epochs = epochs
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.validation_split = validation_split
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.callbacks = callbacks
        self.verbose = verbose
        self.random_state = random_state
        self.warm_start = warm_start

    # SciKeras keeps parameters in __dict__ and routes "prefix__name" ones;
    # sklearn's signature-based handling keeps clone/get_params exact.
    _get_param_names = classmethod(BaseEstimator._get_param_names.__func__)
    set_params = BaseEstimator.set_params
    __repr__ = BaseEstimator.__repr__

    # -- fitting ------------------------------------------------------------
    def _check_params(self):
        self._validate_params()
        reject_bool_params(self, _INTEGER_PARAMS)
        if self.early_stopping and self.validation_split:
            raise ValueError(
                "early_stopping holds out validation_fraction of the windows; set "
                "validation_split=0 (two held-out parts would overlap)."
            )
        for name, get, example in (("loss", keras.losses.get, "mse"),
                                   ("optimizer", keras.optimizers.get, "adam"),
                                   ("activation", keras.activations.get, "tanh")):
            value = getattr(self, name)
            if isinstance(value, str):
                try:
                    get(value)
                except ValueError:
                    raise ValueError(
                        f"{name}={value!r} is not a Keras {name}; use a name Keras knows "
                        f"(e.g. {example!r})"
                        f"{'' if name == 'activation' else ' or a Keras object'}."
                    ) from None
        if self.warm_start and hasattr(self, "model_"):
            changed = {name: (built, getattr(self, name))
                       for name, built in self._structure_.items()
                       if repr(built) != repr(getattr(self, name))}
            if changed:
                listed = ", ".join(f"{k} {a!r} -> {b!r}" for k, (a, b) in changed.items())
                raise ValueError(
                    f"warm_start=True continues the fitted network, but {listed} changed since "
                    "it was built; set warm_start=False to fit a new network with them."
                )

    def _fit_atomic(self, fit, X, y, *, in_place, sample_weight=None):
        """Run a fit that leaves the estimator as it was if it raises.

        ``in_place``: the fit trains the existing ``model_`` (warm start,
        ``partial_fit``), so its weights are saved too; a fresh fit builds a new
        model and leaves the old one untouched.
        """
        self._check_params()
        weights = weights_of(self.model_) if in_place and hasattr(self, "model_") else None
        try:
            return self._fit_seeded(fit, X, y, sample_weight)
        except BaseException:
            if weights is not None:  # a warm start trains model_ in place
                self.model_.set_weights(weights)
            raise

    @fit_or_restore  # the attributes, as every sklstm estimator's fit restores them
    def _fit_seeded(self, fit, X, y, sample_weight):
        self._seed = fit_seed(self.random_state)
        return fit(X, y, sample_weight=sample_weight)

    def fit(self, X, y, sample_weight=None):
        """Fit the LSTM on windows ``X`` and targets ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps_in, n_features) or \
                (n_samples, n_steps_in * n_features)
            Windows, as returned by :meth:`SlidingWindowTransformer.split`
            (3-D) or :meth:`SlidingWindowTransformer.transform` (2-D).
        y : array-like of shape (n_samples,), (n_samples, k) or \
                (n_samples, n_steps_out, n_targets)
            Targets; the model's output layer follows this shape.
        sample_weight : array-like of shape (n_samples,), default=None
            One non-negative weight per window, multiplying its loss (e.g. more
            weight on recent windows). Windows of weight 0 are left out, as
            sklearn estimators leave them out; with ``early_stopping`` the
            validation loss is weighted too.

        Returns
        -------
        self : LSTMForecaster
        """
        return self._fit_atomic(super().fit, X, y, in_place=self.warm_start,
                                sample_weight=sample_weight)

    def partial_fit(self, X, y, sample_weight=None):
        """Train the current model (or a new one) for one more epoch."""
        return self._fit_atomic(super().partial_fit, X, y, in_place=True,
                                sample_weight=sample_weight)

    @staticmethod
    def _validate_sample_weight(X, y, sample_weight):
        # SciKeras checks the shape and drops zero weights; a negative weight would turn its
        # window's gradient step into ascent, so it is refused rather than trained on
        _check_sample_weight(sample_weight, X, ensure_non_negative=True)
        return BaseWrapper._validate_sample_weight(X, y, sample_weight)

    def _validate_data(self, X=None, y=None, reset=False, y_numeric=True):
        # replaces SciKeras' checks: 3-D targets, sklearn's n_features_in_ rules
        if X is not None:
            X = validate_windows(self, X, reset=reset)
            layout = window_layout(self, X, self.n_features)
            if reset:
                self.window_shape_ = layout
            elif layout != self.window_shape_:
                raise ValueError(
                    f"X holds windows of shape {layout} (n_steps_in, n_features); this "
                    f"estimator was fitted on {self.window_shape_}."
                )
            X = as_sequences(X, layout)
        if y is not None or reset:
            y = validate_target(self, y, X)
            if reset:
                self.output_shape_ = y.shape[1:]
            elif y.shape[1:] != self.output_shape_:
                raise ValueError(
                    f"y has target shape {y.shape[1:]}; this estimator was fitted on "
                    f"{self.output_shape_}. Use warm_start only with targets of the same shape."
                )
            y = y.astype(np.float32, copy=False)
        return X, y

    @property
    def target_encoder(self):
        from sklearn.preprocessing import FunctionTransformer

        return FunctionTransformer()

    def _architecture_params(self):
        longest = max((self.window_shape_[0], *self.output_shape_[:1]))  # encoder or decoder
        return {"units": self.units, "activation": self.activation, "n_seq": self.n_seq,
                "filters": self.filters, "kernel_size": self.kernel_size,
                "future_steps": self.future_steps,
                # TensorFlow's symbolic time loop costs more than the arithmetic of a short
                # window: unrolled, a 24-step W2 fit ran 2.3x faster (benchmarks/speed.py)
                "unroll": keras.backend.backend() == "tensorflow" and longest <= _MAX_UNROLL,
                "seed": self._seed}

    def _build_keras_model(self):
        model = build_model(self.architecture, *self.window_shape_, self.output_shape_,
                            self._architecture_params())
        unseeded = unseeded_layers(model) if self.random_state is not None else []
        if unseeded:
            # Keras would seed them from Python's global random: the fit would not repeat
            raise ValueError(
                f"random_state={self.random_state!r} asks for a repeatable fit, but the layers "
                f"{unseeded} of architecture={builder_name(self.architecture)} "
                "draw their initial weights (or dropout) from Keras' global seed. Seed each "
                "from seeds = sklstm.architectures.layer_seeds(params) (e.g. "
                "kernel_initializer=keras.initializers.GlorotUniform(seed=seeds())), or pass "
                "random_state=None."
            )
        model.compile(optimizer=self._make_optimizer(), loss=self.loss)
        self._structure_ = {name: getattr(self, name) for name in _STRUCTURE_PARAMS}
        return model

    def _config_key(self):
        """Everything that shapes the compiled model: fits that share it share an engine."""
        # the global dtype policy too: a fit under mixed_bfloat16 after a float32 fit reused
        # the float32 engine (forecasts 0.01785 where a fresh mixed-precision fit gave 0.01794)
        return (keras.backend.backend(), keras.config.dtype_policy().name, keras.config.floatx(),
                builder_key(self.architecture), self.units, self.activation,
                self.n_seq, self.filters, self.kernel_size, self.future_steps, self.window_shape_,
                self.output_shape_, _compile_key(self.optimizer, keras.optimizers.Optimizer),
                self.learning_rate, _compile_key(self.loss, keras.losses.Loss))

    def _make_optimizer(self):
        if isinstance(self.optimizer, str):
            return keras.optimizers.get(
                {"class_name": self.optimizer, "config": {"learning_rate": self.learning_rate}}
            )
        # a fresh copy, so that refits start from a clean optimizer state
        return self.optimizer.__class__.from_config(self.optimizer.get_config())

    def _fit_keras_model(self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs):
        # SciKeras reads callbacks only when it builds a model: a warm start would keep
        # training with the callbacks of the first fit, whatever set_params said since
        self._initialize_callbacks()
        history = train(self, X, y, epochs=epochs, initial_epoch=initial_epoch,
                        warm_start=warm_start, seed=self._seed, build=self._build_keras_model,
                        sample_weight=sample_weight)
        loss = (history.get("loss") or [float("nan")])[-1]
        finite_loss = not history.get("loss") or np.isfinite(loss)
        if not (finite_loss and all(np.isfinite(w).all() for w in weights_of(self.model_))):
            # diverged weights made predict answer NaN for every window while the fit raised
            # nothing; refused as sklearn's MLPRegressor refuses them (_fit_atomic undoes it).
            # An infinite loss with finite weights (mae on targets near 1e36: every batch's
            # sum overflows float32) left a model that had learned nothing, kept as fitted
            rate = (f"learning_rate (now {self.learning_rate})" if isinstance(self.optimizer, str)
                    else f"the optimizer's learning rate ({type(self.optimizer).__name__})")
            raise ValueError(
                f"training diverged: the network's weights or its loss became NaN or infinite (last "
                f"training loss {loss:.3g}). Lower {rate}, "
                "scale the data (StandardScaler in a pipeline, TransformedTargetRegressor, or "
                "RelativeRegressor(scale='mean')), or use activation='tanh'."
            )
        if not warm_start or not hasattr(self, "history_"):
            self.history_ = {}
        for key, values in history.items():
            self.history_.setdefault(key, []).extend(values)

    # -- prediction -----------------------------------------------------------
    def predict(self, X):
        """Forecast for each window of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps_in, n_features) or \
                (n_samples, n_steps_in * n_features)
            Windows shaped like those seen in :meth:`fit`.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) + output_shape_
            float64, one forecast per window.
        """
        check_is_fitted(self, "model_")
        X, _ = self._validate_data(X, reset=False)
        y_pred = predict_windows(self, X)
        return y_pred.reshape(len(X), *self.output_shape_).astype(np.float64)

    def score(self, X, y, sample_weight=None):
        """R^2 of the forecasts, averaged over every output (steps and targets).

        Unlike ``RegressorMixin.score``, 3-D ``y`` (steps x targets) is accepted.
        """
        return forecast_r2_score(self, X, y, sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.regressor_tags.poor_score = True  # a few epochs on random data
        tags.input_tags.allow_nan = False
        tags.input_tags.sparse = False
        return tags
