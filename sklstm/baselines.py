"""Baseline forecasters that read the same windows as LSTMForecaster."""
