"""Complete complaints written one by one for training (not templated)."""

HANDWRITTEN: tuple[tuple[str, str], ...] = ()
