"""Command line: ``coopanalysis ingest|check|report|export|stated``.

Exit statuses: 0 ok; 1 findings with severity ``error`` (check) or a failed notebook (report);
2 unusable input, with a one-line message on stderr (``--debug`` shows the traceback).
Messages never carry raw control characters or undecodable bytes from the input: they are shown
as escapes (``\\x1b``), see :func:`coopanalysis.io.safeio.printable`.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback

from coopanalysis.errors import CoopAnalysisError
from coopanalysis.io.safeio import display_path, printable

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2
COMMANDS = ("ingest", "check", "report", "export", "stated")


def build_parser() -> argparse.ArgumentParser:
    import importlib

    parser = argparse.ArgumentParser(
        prog="coopanalysis",
        description="Ingest, check and report on Thai multi-year action plans (amounts in million baht).",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks (for developers)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"coopanalysis.commands.{name}").add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    if debug:
        argv.remove("--debug")
        argv.insert(0, "--debug")
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return int(args.func(args) or 0)
    except CoopAnalysisError as exc:
        if debug:
            traceback.print_exc()
        print(f"coopanalysis: error: {printable(exc)}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("coopanalysis: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        if debug:
            traceback.print_exc()
        name = getattr(exc, "filename", None)
        where = f"{display_path(name)}: " if isinstance(name, (str, bytes, os.PathLike)) and name else ""
        print(f"coopanalysis: error: {printable(where + str(exc.strerror or exc))}", file=sys.stderr)
        return EXIT_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
