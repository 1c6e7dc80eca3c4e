"""Training and inference loops behind LSTMForecaster.

Almost all of a small LSTM fit is framework overhead, not arithmetic (see
``benchmarks/speed.py``): compiling and tracing a new model (~1 s on
TensorFlow), and per-epoch data-pipeline set-up (~30 ms an epoch). The fast
path removes both without changing what is optimised:

* one compiled model per configuration lives in a module-level cache and is
  reused by every fit with that configuration (GridSearchCV clones
  estimators, so the cache cannot live on the estimator); each fit loads
  freshly initialised, seeded weights and zeroed optimizer state into it;
* all epochs run as one Keras epoch of pre-shuffled batches, in a single
  ``steps_per_execution`` call where the backend allows it. Each epoch is
  still its own permutation cut into the same batches Keras would use; the
  last, partial batch is padded to full size with zero-weight rows and its
  real rows weighted ``batch_size / n_real``, so its gradient equals the
  partial batch's mean loss (and no new batch shape forces a retrace).

The fitted estimator keeps its own Keras model (``model_``), so fits never
share weights; the cached model is only a compiled engine. Every use of an
engine (fit or predict) works with the weights ``model_`` holds at that
moment: a fit loads them, and a predict reloads them unless the engine
provably holds exactly those (``_load_weights``), so edits to ``model_``
(``set_weights``, ``model_.fit``, unpickling) are always what ``predict``
answers with.

Randomness is local to the fit: batches are shuffled by a ``RandomState``
seeded from ``random_state``, on both paths, never by the backend's global
seed.
"""

import collections
import contextlib
import logging
import threading

import keras
import numpy as np

_ENGINES = collections.OrderedDict()  # config key -> compiled keras.Model
_MAX_ENGINES = 16
_MAX_FAST_BYTES = 256 * 2**20  # larger pre-shuffled epochs use Keras' own loop
# one call for the whole run; TF and JAX stop when the data ends
_ONE_EXECUTION = 2**30
_LOCK = threading.RLock()
_COUNTS = {"compiles": 0, "hits": 0}
# engine key -> (model whose weights it holds, their values); kept off the engine
# itself, where Keras would track a model attribute as a sub-layer
_LOADED = {}


class _RetracingNotice(logging.Filter):
    """Drops TensorFlow's "triggered tf.function retracing" warning.

    Each model configuration compiles its own train and predict functions
    (once on the fast path, once per fit in Keras' loop). From the sixth
    within a few calls, TensorFlow logs that warning with advice for code
    that re-creates ``tf.function`` in a loop: a grid search over six values
    of ``units``, or six architectures in a row, printed it although nothing
    was traced twice for one model and nothing the user could change.
    """

    def filter(self, record):
        return "triggered tf.function retracing" not in record.getMessage()


_RETRACING_NOTICE = _RetracingNotice()
_QUIET = {"users": 0, "lock": threading.Lock()}


@contextlib.contextmanager
def _quiet_retracing():
    """Silence :class:`_RetracingNotice`'s warning during sklstm's own fits and predictions."""
    logger = logging.getLogger("tensorflow")
    with _QUIET["lock"]:
        if not _QUIET["users"]:
            logger.addFilter(_RETRACING_NOTICE)
        _QUIET["users"] += 1
    try:
        yield
    finally:
        with _QUIET["lock"]:
            _QUIET["users"] -= 1
            if not _QUIET["users"]:
                logger.removeFilter(_RETRACING_NOTICE)


def cache_counts():
    """Engines compiled and reused by this process, and the number held."""
    return {**_COUNTS, "size": len(_ENGINES)}


def uses_fast_path(estimator, X, epochs):
    """Whether this fit can take the fused path (same optimisation, less overhead)."""
    if estimator.callbacks or estimator.validation_split or estimator.verbose:
        return False  # per-epoch callbacks, validation or progress were asked for
    if keras.backend.backend() == "torch":
        # no retrace to save and at most one step per call: measured 10-20% slower
        # than Keras' own loop on an H200 (README, GPU table)
        return False
    batch = min(estimator.batch_size, len(X))
    n_batches = -(-len(X) // batch)
    return epochs * n_batches * batch * X[0].nbytes <= _MAX_FAST_BYTES


def _engine(key, build):
    model = _ENGINES.get(key)
    _COUNTS["hits" if model is not None else "compiles"] += 1
    if model is None:
        model = build()
        model.optimizer.build(model.trainable_variables)
        model._sklstm_optimizer_start = [_copy_of(v) for v in model.optimizer.variables]
        _ENGINES[key] = model
        while len(_ENGINES) > _MAX_ENGINES:
            _LOADED.pop(_ENGINES.popitem(last=False)[0], None)
    _ENGINES.move_to_end(key)
    return model


def _copy_of(variable):
    """A NumPy copy of a Keras variable.

    ``np.array(variable)`` raises NumPy 2's DeprecationWarning (an ``__array__`` without
    ``copy=``) on every backend; TensorFlow's ``variable.numpy()`` and the other backends' arrays
    (``variable.value``) convert without it (checked on TensorFlow and JAX).
    """
    if keras.backend.backend() == "tensorflow":
        return np.array(variable.numpy())
    return np.array(keras.ops.convert_to_numpy(variable.value))


def weights_of(model):
    """``model.get_weights()`` without its DeprecationWarning on JAX (see :func:`_copy_of`)."""
    return [_copy_of(variable) for variable in model.weights]


def seed_states(model):
    """The state variables of ``model``'s seed generators (dropout, noise), in layer order.

    They are variables but not weights (``get_weights`` leaves them out). A
    shared engine kept the state its last fit advanced them to: with a
    seeded ``Dropout`` in a builder, two fits with the same ``random_state``
    drew different masks and disagreed, and a fit depended on the fits run
    before it in the process. The fused path copies them in and out with
    the weights.
    """
    weights = {id(variable) for variable in model.weights}
    return [variable for variable in model.variables
            if id(variable) not in weights and variable.name == "seed_generator_state"]


def copy_seed_states(source, target):
    """Give ``target``'s seed generators the states of ``source``'s (same builder, same order)."""
    for mine, theirs in zip(seed_states(target), seed_states(source), strict=True):
        mine.assign(_copy_of(theirs))


def epoch_batches(n, batch, epochs, shuffle, rng):
    """Row indices and sample weights for ``epochs`` epochs of full-size batches.

    Each epoch is a permutation of the ``n`` rows (or ``range(n)`` without
    ``shuffle``) padded to a whole number of batches; padding rows weigh 0 and
    the real rows of the last batch ``batch / n_real``.
    """
    n_batches = -(-n // batch)
    index = np.empty((epochs, n_batches * batch), dtype=np.int64)
    weight = np.ones((epochs, n_batches * batch), dtype=np.float32)
    real_in_last = n - (n_batches - 1) * batch
    for epoch in range(epochs):
        order = rng.permutation(n) if shuffle else np.arange(n)
        index[epoch, :n] = order
        index[epoch, n:] = order[: n_batches * batch - n]  # padding rows, weight 0
    weight[:, n:] = 0.0
    weight[:, (n_batches - 1) * batch: n] = batch / real_in_last
    return index.ravel(), weight.ravel()


def train(estimator, X, y, *, epochs, initial_epoch, warm_start, seed, build, sample_weight=None):
    """Fit ``estimator.model_`` on ``(X, y)``; return the Keras history dict.

    ``build`` makes a fresh compiled model of the estimator's configuration.
    ``sample_weight`` (one per window, or None) multiplies each window's loss
    in every batch, on either path.
    Continued training (``warm_start``, ``partial_fit``) keeps the model's own
    optimizer state, so it runs on the estimator's model with Keras' loop.
    """
    estimator._engine_key_ = None
    estimator.best_epoch_ = None  # set by early stopping, on either path
    if warm_start or not uses_fast_path(estimator, X, epochs):
        with _quiet_retracing():
            return _train_keras_loop(estimator, X, y, epochs, initial_epoch, seed, sample_weight)

    with _LOCK, _quiet_retracing():  # engines are shared: one fit or predict at a time
        return _train_fused(estimator, X, y, epochs, seed, build, sample_weight)


def loss_weights(weight, y_shape):
    """One sample weight per loss element: mse keeps the step axis of (n, steps, targets) y."""
    ndim = len(y_shape)
    return np.ascontiguousarray(np.broadcast_to(
        weight.reshape(-1, *[1] * (ndim - 2)), (len(weight), *y_shape[1:max(1, ndim - 1)])))


class _EpochBatches(keras.utils.PyDataset):
    """Keras' per-epoch loop fed with the fused path's batches, shuffled by the fit's seed.

    ``model.fit(shuffle=True)`` would shuffle with the backend's global seed,
    which a seeded fit would have to set (restarting the caller's TensorFlow
    random stream) and which threads share. Batch ``i`` of the endless stream
    is a pure function of ``i`` (epoch ``i // n_batches`` is the permutation
    drawn from ``(seed, epoch)``), so prefetching threads cannot reorder
    anything; every batch is full-size (padding rows weigh 0, as in the fused
    path), so no partial batch forces a retrace.
    """

    def __init__(self, X, y, batch_size, shuffle, seed, sample_weight=None):
        super().__init__()
        self.X, self.y, self.batch, self.shuffle, self.seed = X, y, batch_size, shuffle, seed
        self.sample_weight = sample_weight
        self.n_batches = -(-len(X) // batch_size)
        self._epoch, self._lock = None, threading.Lock()

    @property
    def num_batches(self):
        return None  # endless: Keras keeps one iterator across epochs (steps_per_epoch)

    def __getitem__(self, i):
        epoch, b = divmod(i, self.n_batches)
        with self._lock:
            if self._epoch != epoch:
                rng = np.random.RandomState([self.seed, epoch])
                self._index, self._weight = weighted_batches(len(self.X), self.batch, 1,
                                                             self.shuffle, rng, self.sample_weight)
                self._epoch = epoch
            rows = self._index[b * self.batch:(b + 1) * self.batch]
            weight = self._weight[b * self.batch:(b + 1) * self.batch]
        y = self.y[rows]
        return self.X[rows], y, loss_weights(weight, y.shape)


def _train_keras_loop(estimator, X, y, epochs, initial_epoch, seed, sample_weight=None):
    """Keras' own loop: callbacks, validation and progress display, one epoch at a time."""
    n_val = int(np.floor(len(X) * estimator.validation_split))
    validation, callbacks = None, list(estimator._fit_callbacks)
    stopper = None
    if estimator.early_stopping:
        X, y, sample_weight, *validation = split_validation(estimator, X, y, sample_weight)
        stopper = keras.callbacks.EarlyStopping(patience=estimator.n_iter_no_change,
                                                restore_best_weights=True)
        callbacks.append(stopper)
    elif n_val:  # the last windows in time order, as Keras' validation_split takes them
        X, y, sample_weight, *validation = _held_out(X, y, sample_weight, n_val)
    if validation is not None:  # weights, if any, one per loss element as in the batches
        X_val, y_val, w_val = validation
        validation = ((X_val, y_val) if w_val is None
                      else (X_val, y_val, loss_weights(w_val, y_val.shape)))
    batches = _EpochBatches(X, y, min(estimator.batch_size, len(X)), estimator.shuffle, seed,
                            sample_weight)
    history = estimator.model_.fit(
        batches, epochs=initial_epoch + epochs, initial_epoch=initial_epoch,
        steps_per_epoch=batches.n_batches, shuffle=False, validation_data=validation,
        callbacks=callbacks, verbose=estimator.verbose)
    estimator.n_iter_ = len(history.history["loss"])
    if stopper is not None:  # Keras counts epochs from 0, and from the first fit's
        estimator.best_epoch_ = stopper.best_epoch + 1 - initial_epoch
    return history.history


def split_validation(estimator, X, y, sample_weight=None):
    """The last ``validation_fraction`` windows in time order, held out for early stopping.

    Returns ``X, y, sample_weight`` to train on, then ``X, y, sample_weight``
    held out (weights None when not given).
    """
    n_val = int(np.ceil(len(X) * estimator.validation_fraction))
    if n_val < 1 or n_val >= len(X):
        raise ValueError(
            f"early_stopping holds out validation_fraction={estimator.validation_fraction} of "
            f"{len(X)} windows, which leaves {len(X) - n_val} to train on and {n_val} to "
            "validate; both need at least one. Use more windows or another validation_fraction."
        )
    return _held_out(X, y, sample_weight, n_val)


def _held_out(X, y, sample_weight, n_val):
    """``X, y, w`` without their last ``n_val`` rows, then those rows (``w`` may be None)."""
    w = ((None, None) if sample_weight is None
         else (sample_weight[:-n_val], sample_weight[-n_val:]))
    return X[:-n_val], y[:-n_val], w[0], X[-n_val:], y[-n_val:], w[1]


def weighted_batches(n, batch, epochs, shuffle, rng, sample_weight=None):
    """:func:`epoch_batches`, each row's weight multiplied by its ``sample_weight``.

    Keras averages the weighted losses over the full batch size, as it does for
    ``model.fit(sample_weight=...)``, so a batch of weights 2 steps twice as far
    as one of weights 1 with SGD (Adam normalises the scale away).
    """
    index, weight = epoch_batches(n, batch, epochs, shuffle, rng)
    if sample_weight is not None:
        weight = weight * np.asarray(sample_weight, dtype=np.float32)[index]
    return index, weight


# early stopping checks the validation loss every few epochs, not after each: every
# check is one more engine call (~20 ms set-up on TensorFlow) and one prediction
_CHECK_EVERY = 5


def _train_fused(estimator, X, y, epochs, seed, build, sample_weight=None):
    validation = None
    if estimator.early_stopping:
        X, y, sample_weight, *validation = split_validation(estimator, X, y, sample_weight)
    batch = min(estimator.batch_size, len(X))
    key = (estimator._config_key(), batch)
    engine = _engine(key, build)
    _LOADED.pop(key, None)  # training replaces what the engine held
    engine.set_weights(weights_of(estimator.model_))
    copy_seed_states(estimator.model_, engine)  # a fresh model_'s: its seeds' first draws
    for variable, start in zip(engine.optimizer.variables, engine._sklstm_optimizer_start):
        variable.assign(start)
    engine.steps_per_execution = _ONE_EXECUTION
    rng = np.random.RandomState(seed)

    def run(n_epochs):  # n_epochs more epochs, as one Keras epoch of pre-shuffled batches
        index, weight = weighted_batches(len(X), batch, n_epochs, estimator.shuffle, rng,
                                         sample_weight)
        y_batches = y[index]
        return engine.fit(X[index], y_batches, batch_size=batch, epochs=1, shuffle=False,
                          sample_weight=loss_weights(weight, y_batches.shape),
                          verbose=0).history

    if validation is None:
        # one fused epoch: its loss is the mean over every step of the run
        history = {name: list(values) for name, values in run(epochs).items()}
        estimator.n_iter_ = epochs
    else:
        history = _early_stopped(estimator, engine, run, *validation, epochs)
    model = estimator.model_
    model.set_weights(weights_of(engine))
    copy_seed_states(engine, model)  # a warm start draws on, as Keras' own loop does
    # the optimizer state too: a later warm start continues where this fit stopped,
    # and a pickled model_ carries a complete optimizer
    model.optimizer.build(model.trainable_variables)
    for mine, trained in zip(model.optimizer.variables, engine.optimizer.variables):
        mine.assign(trained)
    estimator._engine_key_ = key
    return history


def _early_stopped(estimator, engine, run, X_val, y_val, w_val, epochs):
    """Train in chunks until the validation loss has not improved for ``n_iter_no_change`` epochs.

    The weights of the best check are restored (sklearn's MLP and Keras'
    ``EarlyStopping(restore_best_weights=True)`` both end there). With sample
    weights, the validation loss is their weighted mean, as Keras weighs
    ``validation_data=(X, y, w)``.
    """
    loss = keras.losses.get(estimator.loss) if isinstance(estimator.loss, str) else estimator.loss
    chunk = max(1, min(_CHECK_EVERY, estimator.n_iter_no_change))
    history = {"loss": [], "val_loss": []}
    best, best_weights, best_epoch, done = np.inf, None, 0, 0
    while done < epochs:
        step = min(chunk, epochs - done)
        history["loss"].extend(run(step)["loss"])
        done += step
        # one row per window: a loss function then gives one value per window
        predicted = batched_predict(engine, X_val, estimator.batch_size).reshape(len(y_val), -1)
        truth = y_val.reshape(len(y_val), -1)
        if isinstance(loss, keras.losses.Loss):  # reduces itself, weights included
            value = float(keras.ops.convert_to_numpy(loss(truth, predicted, sample_weight=w_val)))
        else:
            losses = keras.ops.convert_to_numpy(loss(truth, predicted))
            value = float(np.average(losses, weights=w_val))
        history["val_loss"].append(value)
        if value < best:
            best, best_weights, best_epoch = value, weights_of(engine), done
        elif done - best_epoch >= estimator.n_iter_no_change:
            break
    if best_weights is not None:  # else every check was NaN: the fit refuses the weights
        engine.set_weights(best_weights)
    estimator.n_iter_, estimator.best_epoch_ = done, best_epoch
    return history


def batched_predict(model, X, batch):
    """``model``'s outputs for ``X`` through ``predict_on_batch`` on fixed-size batches."""
    n = len(X)
    padded = np.zeros((-(-n // batch) * batch, *X.shape[1:]), dtype=np.float32)
    padded[:n] = X
    out = [np.asarray(model.predict_on_batch(padded[i:i + batch]))
           for i in range(0, len(padded), batch)]
    return np.concatenate(out)[:n]


def predict_windows(estimator, X):
    """Model outputs for ``X``, in fixed-size batches.

    ``Model.predict`` costs ~50 ms per call on TensorFlow for setting up its
    data pipeline and retraces for every new input length (a second or more
    per grid-search fold); ``predict_on_batch`` on batches of one fixed shape
    (the last one zero-padded) is traced once. The compiled engine of the
    estimator's configuration serves the call when there is one, so a fresh
    fit needs no predict trace of its own.
    """
    with _LOCK, _quiet_retracing():
        return _predict(estimator, X)


def _predict(estimator, X):
    model = estimator.model_
    key = getattr(estimator, "_engine_key_", None)
    engine = _ENGINES.get(key)
    if engine is not None:
        _load_weights(key, engine, model)  # always the weights model_ holds now
        model = engine
    return batched_predict(model, X, estimator.batch_size)


def _load_weights(key, engine, model):
    """Copy ``model``'s weights into ``engine`` unless it holds exactly those already.

    The check is cheaper than the copy (W2 model, per predict: TensorFlow
    reads 0.8 ms against 2.0 ms to assign; JAX compares array identities,
    since its arrays are immutable and every assignment makes new ones).
    """
    held_model, held = _LOADED.get(key, (None, ()))
    if keras.backend.backend() == "jax":
        current = [variable.value for variable in model.weights]
        same = [a is b for a, b in zip(current, held)]
    else:
        current = weights_of(model)
        same = [np.array_equal(a, b) for a, b in zip(current, held)]
    if held_model is model and len(same) == len(current) and all(same):
        return
    engine.set_weights([np.asarray(v) for v in current])
    _LOADED[key] = (model, current)
