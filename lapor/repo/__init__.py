"""Repositories: one module per aggregate; each takes a connection and returns domain values."""
