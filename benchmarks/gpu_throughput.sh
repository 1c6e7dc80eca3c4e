#!/usr/bin/env bash
# W3 throughput on every non-TensorFlow backend and both activations, beside
# PyTorch nn.LSTM: the GPU check behind the README's GPU table.
#   bash benchmarks/gpu_throughput.sh [n_samples]
set -u
n=${1:-50000}
for backend in jax torch; do
  for act in tanh relu; do
    KERAS_BACKEND=$backend python3 benchmarks/throughput.py --activation $act --n-samples "$n" --epochs 2 --repeats 1 \
      2>&1 | grep -E "samples/s|Error|error" | tail -3
  done
done
