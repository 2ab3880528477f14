"""Hand-written evaluation complaints; never used for training."""

HOLDOUT: tuple[tuple[str, str], ...] = ()
