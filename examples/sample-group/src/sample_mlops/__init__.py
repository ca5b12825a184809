"""Iris species classifier: data, model, training and a small inference API."""

__version__ = "0.1.0"
