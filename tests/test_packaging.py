"""Reproducible installs: the lock files pin (with hashes) a version of every dependency that
pyproject.toml declares, the Makefile, the Dockerfile and so CI install from them, and a built
wheel carries the page, its vendored libraries and the data files, without setuptools warnings."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
TEST_LOCK = ROOT / "requirements" / "test.lock"
RUNTIME_LOCK = ROOT / "requirements" / "runtime.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+?)(?:\s*;.*?)?\s*\\?$")


def _pins(lock: Path) -> dict[str, str]:
    """name → pinned version; fails on a pin without a hash."""
    lines = lock.read_text(encoding="utf-8").splitlines()
    pins: dict[str, str] = {}
    for i, line in enumerate(lines):
        match = PIN.match(line)
        if match:
            assert i + 1 < len(lines) and "--hash=sha256:" in lines[i + 1], f"{lock.name}: {line} has no hash"
            pins[canonicalize_name(match[1])] = match[2]
    return pins


def _check(requirements: list[str], pins: dict[str, str], lock: Path) -> None:
    for text in requirements:
        req = Requirement(text)
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is in pyproject.toml but not in {lock.name}: run make lock"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"{lock.name} pins {req.name}=={pins[name]}, pyproject.toml wants {req.specifier}: run make lock"
        )


def test_test_lock_pins_every_dependency_with_hashes() -> None:
    pins = _pins(TEST_LOCK)
    project = PYPROJECT["project"]
    _check(project["dependencies"] + project["optional-dependencies"]["test"], pins, TEST_LOCK)
    _check(PYPROJECT["build-system"]["requires"], pins, TEST_LOCK)  # --no-build-isolation


def test_runtime_lock_pins_the_runtime_only_and_agrees_with_the_test_lock() -> None:
    runtime, test = _pins(RUNTIME_LOCK), _pins(TEST_LOCK)
    runtime_requirements = PYPROJECT["project"]["dependencies"] + PYPROJECT["build-system"]["requires"]
    _check(runtime_requirements, runtime, RUNTIME_LOCK)
    assert "pytest" not in runtime
    assert {name: v for name, v in runtime.items() if test.get(name) != v} == {}


def test_installs_use_the_locks() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements/test.lock" in makefile
    assert re.search(r"^lock:", makefile, re.M), "no `make lock`"
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements/runtime.lock" in dockerfile
    assert "pip install --no-deps" in dockerfile
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_license_is_an_spdx_string() -> None:
    assert PYPROJECT["project"]["license"] == "MIT"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("wheel")
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "--no-build-isolation"]
    done = subprocess.run(
        [*pip_wheel, "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (built,) = out.glob("policykg-*.whl")
    return built, done.stdout + done.stderr


def test_wheel_builds_without_setuptools_warnings(wheel: tuple[Path, str]) -> None:
    _, log = wheel
    # (setuptools' BuildBackendWarning / SetuptoolsDeprecationWarning; "byte-compiling is
    # disabled" is pip's note about PYTHONDONTWRITEBYTECODE, not about the project)
    warnings = [
        line
        for line in log.splitlines()
        if re.search(r"Warning|deprecat", line, re.I) and "byte-compiling is disabled" not in line
    ]
    assert warnings == []


def test_wheel_carries_the_page_and_the_data(wheel: tuple[Path, str]) -> None:
    built, _ = wheel
    names = set(zipfile.ZipFile(built).namelist())
    static = [p for p in (ROOT / "api" / "static").rglob("*") if p.is_file() and not p.name.startswith(".")]
    vendor = [p for p in static if "vendor" in p.parts]
    assert vendor, "api/static/vendor is empty: run `make static` (api/build_static.py) first"
    data = [p for folder in ("graph", "ingest") for p in (ROOT / folder / "data").glob("*") if p.is_file()]
    # api/, graph/ and ingest/ install as policykg.api, policykg.graph, policykg.ingest
    expected = {"policykg/" + p.relative_to(ROOT).as_posix() for p in [*static, *data]}
    assert expected - names == set(), "not in the wheel"
    queries = (ROOT / "queries").glob("*")
    named = {f"policykg/queries/{p.name}" for p in queries if p.suffix in {".cypher", ".rq"}}
    assert {"policykg/queries/implementations_of_document.rq", "policykg/graph/shapes.ttl"} <= names
    assert named - names == set()
