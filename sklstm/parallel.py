"""Parallel and distributed fits: thread limits per worker and engine-cache counters.

sklstm adds no scheduler: grid searches and cross-validation parallelise
through joblib, whose backends run the fits in threads (``threading``),
local processes (``loky``, the default for ``n_jobs>1``) or the processes
of a Dask cluster (``dask``). What each worker needs from sklstm is a bound
on the framework's own thread pools, so that ``workers x threads <= cores``:
TensorFlow and XLA (JAX) start one thread per core in every process, and
two such processes on two cores spent much of their time switching.

Set ``SKLSTM_NUM_THREADS`` in a worker's environment (loky workers inherit
the parent's; a Dask nanny takes ``env=``) and sklstm bounds the pools when
it is imported there: TensorFlow's intra- and inter-op pools and, for JAX,
XLA's CPU threads; it also sets ``OMP_NUM_THREADS`` if unset.
"""

import os

from . import _training
from ._validation import is_integer

__all__ = ["engine_cache_info", "limit_threads"]


def limit_threads(n_threads):
    """Bound this process's TensorFlow / XLA / OpenMP thread pools to ``n_threads``.

    Must run before the backend starts computing (TensorFlow fixes its pools
    at its first operation; XLA reads its flags when JAX starts); sklstm
    calls it on import when ``SKLSTM_NUM_THREADS`` is set. Returns whether
    the TensorFlow pools could still be set (``None`` on other backends).
    """
    # int() read 1.5 as 1 and True as 1, and SKLSTM_NUM_THREADS=abc stopped `import sklstm`
    # with int()'s "invalid literal for int() with base 10"
    text = isinstance(n_threads, str) and n_threads.strip().isdigit()
    if not (text or is_integer(n_threads)) or int(n_threads) < 1:
        raise ValueError(
            f"SKLSTM_NUM_THREADS / n_threads must be a positive integer (threads per worker, "
            f"e.g. SKLSTM_NUM_THREADS=1); got {n_threads!r}."
        )
    n = int(n_threads)
    os.environ.setdefault("OMP_NUM_THREADS", str(n))
    flags = os.environ.get("XLA_FLAGS", "")
    if "intra_op_parallelism_threads" not in flags:
        os.environ["XLA_FLAGS"] = (flags + " --xla_cpu_multi_thread_eigen=false "
                                   f"intra_op_parallelism_threads={n}").strip()
    if os.environ.get("KERAS_BACKEND", "tensorflow") != "tensorflow":
        return None
    import tensorflow as tf

    try:
        tf.config.threading.set_intra_op_parallelism_threads(n)
        tf.config.threading.set_inter_op_parallelism_threads(n)
    except RuntimeError:  # TensorFlow already started: its pools are fixed for this process
        return False
    return True


def engine_cache_info():
    """Counters of this process's compiled-engine cache.

    Returns
    -------
    info : dict
        ``compiles`` (engines built), ``hits`` (fits that reused one),
        ``size`` (engines held now) and ``pid``, so that
        ``client.run(engine_cache_info)`` on a Dask cluster says how often
        each worker compiled.

    Examples
    --------
    >>> from sklstm.parallel import engine_cache_info
    >>> sorted(engine_cache_info())
    ['compiles', 'hits', 'pid', 'size']
    """
    return {"pid": os.getpid(), **_training.cache_counts()}
