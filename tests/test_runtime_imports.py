"""The app imports only what requirements.txt installs (development tools live in devtools/)."""

import json
import re
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, distribution, packages_distributions
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
IMPORT_WITHOUT = """
import json, sys
blocked = set(json.loads(sys.argv[1]))
class Unavailable:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in blocked:
            raise ModuleNotFoundError(f"No module named {name!r} (not in requirements.txt)", name=name)
sys.meta_path.insert(0, Unavailable())
import app
print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))
"""


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_distributions() -> set[str]:
    """requirements.txt and everything those packages require, as normalised distribution names."""
    pending = [line.split("==")[0].strip() for line in (REPO / "requirements.txt").read_text().splitlines()
               if line.strip() and not line.startswith("#")]
    seen: set[str] = set()
    while pending:
        name = normalise(pending.pop())
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = distribution(name).requires or []
        except PackageNotFoundError:  # an optional dependency for another platform, not installed here
            continue
        for requirement in requires:
            if "extra ==" not in requirement:
                pending.append(re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0])
    return seen


def test_the_app_imports_with_only_the_runtime_dependencies():
    """Import the app with every module that requirements.txt does not install made unimportable, as on a
    server set up from requirements.txt alone (optional imports such as Dash's IPython support just fail)."""
    allowed = runtime_distributions()
    blocked = sorted(module for module, owners in packages_distributions().items()
                     if not {normalise(d) for d in owners} & allowed)
    assert "selenium" in blocked and "pytest" in blocked  # the check has teeth
    result = subprocess.run([sys.executable, "-c", IMPORT_WITHOUT, json.dumps(blocked)], cwd=REPO,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "selenium" not in result.stdout.split() and "devtools" not in result.stdout.split()
