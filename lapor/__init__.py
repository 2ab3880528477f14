"""lapor: citizen complaint and reporting service for Indonesian local governments."""

__version__ = "0.1.0"
