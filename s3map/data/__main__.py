"""`python -m s3map.data build|stats|import FILE` — the dataset's command line."""

from __future__ import annotations

import argparse
import json
import sys

from s3map.data.errors import BuildError
from s3map.data.sources import SourceError


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
    args = parser.parse_args(argv)

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
            import_table(args.file, name=args.name)
    except (BuildError, SourceError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except FileNotFoundError as exc:
        print(f"error: {exc}; run `python -m s3map.data build` first" if args.command == "stats" else f"error: {exc}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
