"""Complaint text classifier: normalization, training and prediction (no web imports)."""
