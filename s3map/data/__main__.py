"""`python -m s3map.data build|stats|import FILE` — the dataset's command line."""

from __future__ import annotations

import argparse
import json
import signal
import sys

from s3map.data.errors import BuildError
from s3map.data.sources import SourceError


class Interrupted(BaseException):
    """SIGINT or SIGTERM: unwinds like Ctrl-C, so every step removes what it had half written."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)


def _interrupt(signum, _frame):
    # A second signal during the clean-up must not cut the clean-up short.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Interrupted(signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m s3map.data", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="build the dataset from upstream files (atomic)")
    build_cmd.add_argument("--force", action="store_true", help="rebuild even if inputs are unchanged")
    commands.add_parser("stats", help="print a JSON summary of the built dataset")
    commands.add_parser("coder-eval", help="agreement of the coder with the hand-coded sample")
    import_cmd = commands.add_parser("import", help="add a strategy table (CSV/XLSX, documented schema)")
    import_cmd.add_argument("file")
    import_cmd.add_argument("--name", help="name to store it under (default: the file's name)")
    import_cmd.add_argument("--replace", action="store_true",
                            help="replace an existing strategy with the same territory, period and title")
    args = parser.parse_args(argv)

    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        if args.command == "build":
            from s3map.data.build import build
            build(force=args.force)
        elif args.command == "stats":
            from s3map.data.stats import dataset_stats
            print(json.dumps(dataset_stats(), indent=2, ensure_ascii=False))
        elif args.command == "coder-eval":
            from s3map.data.coder_eval import main as coder_eval
            coder_eval()
        elif args.command == "import":
            from s3map.data.importer import import_table
            import_table(args.file, name=args.name, replace=args.replace)
    except (BuildError, SourceError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (Interrupted, KeyboardInterrupt) as exc:
        name = str(exc) or "SIGINT"
        print(f"interrupted ({name}): nothing was changed; the previous dataset is still in place", file=sys.stderr)
        return 130 if name == "SIGINT" else 143
    except FileNotFoundError as exc:
        print(f"error: {exc}; run `python -m s3map.data build` first" if args.command == "stats" else f"error: {exc}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
