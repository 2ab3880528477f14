"""`python -m lapor.cli`."""

from lapor.cli import main

raise SystemExit(main())
