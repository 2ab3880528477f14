"""`lapor ...` run in this process, as a person would type it, for the CLI tests.

A subprocess costs seconds of imports (scikit-learn, WeasyPrint) per command; the entry
function is the same code. What a process would have had of its own is given here: its
environment (without the caller's LAPOR_* settings), its standard input, output and error, its
exit status (argparse's SystemExit included), and a thread of its own, since the commands run
their own event loop with asyncio.run."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import threading
from collections.abc import Mapping

from lapor import cli


def run_cli(
    *args: str, env: Mapping[str, str], stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    saved_environ = dict(os.environ)
    saved_stdin = sys.stdin
    out, err = io.StringIO(), io.StringIO()
    outcome: list[int] = []

    def command() -> None:
        try:
            outcome.append(cli.main(list(args)))
        except SystemExit as exit_:  # as the interpreter ends a process: a message means 1
            code = exit_.code
            if code is not None and not isinstance(code, int):
                print(code, file=sys.stderr)
            outcome.append(code if isinstance(code, int) else 0 if code is None else 1)

    os.environ.clear()
    os.environ.update({k: v for k, v in saved_environ.items() if not k.startswith("LAPOR_")})
    os.environ.update(env)
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            thread = threading.Thread(target=command, name="lapor-cli")
            thread.start()
            thread.join(120)
    finally:
        sys.stdin = saved_stdin
        os.environ.clear()
        os.environ.update(saved_environ)
    assert outcome, f"lapor {' '.join(args)} did not finish: {err.getvalue()}"
    return subprocess.CompletedProcess(["lapor", *args], outcome[0], out.getvalue(), err.getvalue())
