"""Dependencies are pinned by a lock file with hashes, and what the tests run on is what it pins.

`requirements.lock` (the application) and `requirements-test.lock` (and the tests' tools) are
generated from pyproject.toml by `uv pip compile … --generate-hashes` (the command is in their
first lines); `setup.sh` installs from them with `--require-hashes`. The audit of the pinned
versions is in bench/RESULTS.md, "Dependency audit".
"""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

pytestmark = pytest.mark.reliability("security", "dependencies pinned by a lock file with hashes")

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def pins(lock: str) -> dict[str, tuple[Version, str | None, int]]:
    """name → (version, environment marker, number of hashes) of every pin in `lock`."""
    found: dict[str, tuple[Version, str | None, int]] = {}
    current = None
    for line in (ROOT / lock).read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match.group(1))
            found[current] = (Version(match.group(2)), match.group(3), 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            v, marker, hashes = found[current]
            found[current] = (v, marker, hashes + 1)
    return found


def requirements(extra: str | None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    listed = project["dependencies"] + (project["optional-dependencies"][extra] if extra else [])
    return [Requirement(text) for text in listed]


@pytest.mark.parametrize(("lock", "extra"), [("requirements.lock", None), ("requirements-test.lock", "test")])
def test_every_dependency_in_pyproject_is_pinned_with_hashes_to_a_version_it_accepts(lock: str,
                                                                                    extra: str | None) -> None:
    pinned = pins(lock)
    assert len(pinned) > 50
    stale = []
    for requirement in requirements(extra):
        name = canonicalize_name(requirement.name)
        if name not in pinned:
            stale.append(f"{requirement} is not in {lock}")
        elif not requirement.specifier.contains(pinned[name][0], prereleases=True):
            stale.append(f"{requirement}: {lock} pins {pinned[name][0]}")
    assert not stale, "regenerate the lock (its first lines say how): " + "; ".join(stale)
    assert all(hashes >= 1 for _, _, hashes in pinned.values()), "every pin carries its --hash"


def test_the_tests_run_on_the_versions_the_lock_pins() -> None:
    environment = default_environment()
    differ = []
    for name, (pinned, marker, _) in pins("requirements-test.lock").items():
        if marker and not Requirement(f"x; {marker}").marker.evaluate(environment):
            continue
        try:
            installed = Version(version(name))
        except PackageNotFoundError:
            differ.append(f"{name} {pinned} is not installed")
            continue
        if installed != pinned:
            differ.append(f"{name}: installed {installed}, locked {pinned}")
    assert not differ, "run `bash setup.sh --test` (or regenerate the lock): " + "; ".join(differ)


def test_setup_installs_from_the_lock_checking_hashes() -> None:
    script = (ROOT / "setup.sh").read_text(encoding="utf-8")
    assert "--require-hashes -r \"$lock\"" in script
    assert "requirements.lock" in script and "requirements-test.lock" in script
