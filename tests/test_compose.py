"""docker-compose.yml, Dockerfile and docker/entrypoint.sh agree with the code.

No Docker engine runs in CI, so these files are checked statically: service names, ports and
environment variable names against policykg/settings.py, and every `policykg` command line of
the entrypoint against the real argument parser (policykg.cli.build_parser).
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml

from policykg.cli import build_parser
from policykg.settings import Settings, neo4j_auth

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"
_VAR = re.compile(r"\$\{(\w+)(?::?-([^}]*))?\}|\$(\w+)")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def _interpolate(value: str, env: dict[str, str] | None = None) -> str:
    """Compose's ${VAR:-default} with an empty environment: the value a user gets by default."""
    env = env or {}

    def one(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(3)
        return env.get(name) or (match.group(2) or "")

    return _VAR.sub(one, value.replace("$$", "\0")).replace("\0", "$")


def _environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):  # the KEY=value list form
        env = dict(item.split("=", 1) for item in env)
    return {k: _interpolate(str(v)) for k, v in env.items()}


def _container_ports(service: dict[str, Any]) -> set[int]:
    ports = set()
    for entry in service.get("ports", []):
        if isinstance(entry, dict):  # long syntax
            ports.add(int(entry["target"]))
        else:  # [ip:][host:]container[/proto]
            ports.add(int(str(entry).split("/")[0].rsplit(":", 1)[-1]))
    return ports


def _settings_env_names() -> set[str]:
    prefix = Settings.model_config.get("env_prefix", "")
    # POLICYKG_DATA is read by settings.default_data_dir, outside the Settings model
    return {f"{prefix}{name}".upper() for name in Settings.model_fields} | {"POLICYKG_DATA"}


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


# -- docker-compose.yml ------------------------------------------------------------------------


def test_services(compose) -> None:
    assert set(compose["services"]) == {"neo4j", "api"}


def test_neo4j_service(compose) -> None:
    neo4j = compose["services"]["neo4j"]
    assert neo4j["image"] == "neo4j:5.26-community"
    assert {7474, 7687} <= _container_ports(neo4j)
    volume, _, mount = neo4j["volumes"][0].partition(":")
    assert mount == "/data" and volume in compose["volumes"], "the database lives in a named volume"
    env = _environment(neo4j)
    # the image turns every other NEO4J_* variable into a setting (and refuses unknown ones)
    assert set(env) == {"NEO4J_AUTH"}
    user, _, password = env["NEO4J_AUTH"].partition("/")
    assert user == "neo4j" and len(password) >= 8, "Neo4j refuses passwords under 8 characters"
    check = " ".join(neo4j["healthcheck"]["test"])
    assert ("cypher-shell" in check and "7687" in check) or ("wget" in check and "7474" in check)


def test_api_service_matches_settings(compose, monkeypatch) -> None:
    api = compose["services"]["api"]
    neo4j = compose["services"]["neo4j"]
    assert api["build"] in (".", {"context": "."})
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    port = Settings.model_fields["port"].default
    assert _container_ports(api) == {port}

    env = _environment(api)
    unknown = {k for k in env if k.startswith("POLICYKG_")} - _settings_env_names()
    assert not unknown, f"not settings of policykg/settings.py: {sorted(unknown)}"
    assert int(env.get("POLICYKG_PORT", port)) == port

    # the store URL names the neo4j service and its Bolt port
    url = urlparse(env["POLICYKG_STORE"])
    assert url.scheme in {"bolt", "neo4j"} and url.hostname == "neo4j"
    assert url.port in _container_ports(neo4j)
    # and the credentials are read under the names compose passes, and match NEO4J_AUTH
    for name in ("NEO4J_USER", "NEO4J_PASSWORD"):
        monkeypatch.setenv(name, env[name])
    assert neo4j_auth() == tuple(_environment(neo4j)["NEO4J_AUTH"].split("/", 1))
    # a password set by the user reaches both services
    custom = {"NEO4J_PASSWORD": "a-custom-secret"}
    assert _interpolate(api["environment"]["NEO4J_PASSWORD"], custom) == "a-custom-secret"
    assert _interpolate(neo4j["environment"]["NEO4J_AUTH"], custom) == "neo4j/a-custom-secret"


def test_published_ports_stay_on_loopback(compose) -> None:
    """The default password is public (it is in this file): ports are published on 127.0.0.1."""
    for service in compose["services"].values():
        for entry in service.get("ports", []):
            assert str(entry).startswith("127.0.0.1:"), entry


# -- Dockerfile ----------------------------------------------------------------------------------


def _dockerfile_lines() -> list[str]:
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_dockerfile() -> None:
    lines = _dockerfile_lines()
    stages = [line.split()[1] for line in lines if line.upper().startswith("FROM ")]
    assert stages[-1] == "python:3.11-slim", "the image that runs is python:3.11-slim"
    exposed = {int(p) for line in lines if line.startswith("EXPOSE ") for p in line.split()[1:]}
    assert exposed == {Settings.model_fields["port"].default}
    entrypoint = next(line for line in lines if line.startswith("ENTRYPOINT "))
    assert "/app/docker/entrypoint.sh" in entrypoint
    assert any(line.startswith("WORKDIR /app") for line in lines)
    assert any("pip install" in line for line in lines)
    env_lines = [line for line in lines if line.startswith("ENV ")]
    env_names = {m.group(1) for line in env_lines for m in re.finditer(r"(\w+)=", line)}
    assert not {n for n in env_names if n.startswith("POLICYKG_")} - _settings_env_names()


def test_dockerignore_keeps_what_the_image_needs() -> None:
    ignored = {
        line.strip().rstrip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".git", ".venv", "node_modules"} <= ignored
    needed = {"corpus", "corpus/seeds", "ontology.ttl", "graph", "graph/shapes.ttl", "README.md", "docker"}
    assert not needed & ignored
    assert (ROOT / "corpus" / "seeds").is_dir() and any((ROOT / "corpus" / "seeds").iterdir())


# -- docker/entrypoint.sh ------------------------------------------------------------------------


def _policykg_commands() -> list[list[str]]:
    """Every `policykg …` command line of the entrypoint, each shell variable replaced by "1"
    (a value every option of these commands accepts, --port included)."""
    text = ENTRYPOINT.read_text(encoding="utf-8").replace("\\\n", " ")
    commands = []
    for line in text.splitlines():
        code = line.split(" #", 1)[0].strip()
        if code.startswith("#"):
            continue
        for match in re.finditer(r"(?:^|[\s;|&(])policykg\s+([^;|&]*)", code):
            words = shlex.split(_VAR.sub("1", match.group(1)))
            commands.append([w for w in words if w not in {"then", "do"}])
    return commands


def test_entrypoint_commands_exist_in_the_cli() -> None:
    commands = _policykg_commands()
    names = [c[0] for c in commands]
    assert names == ["schema", "ingest", "serve"], names
    subcommands = _subcommands()
    for words in commands:
        assert words[0] in subcommands, f"policykg {words[0]} is not a subcommand"
        # argparse exits on an unknown option or a missing argument
        args = build_parser().parse_args(words)
        assert args.command == words[0]
    serve = build_parser().parse_args(commands[-1])
    assert serve.host == "0.0.0.0", "inside a container the API must listen on every interface"


def test_entrypoint_environment_and_syntax() -> None:
    text = ENTRYPOINT.read_text(encoding="utf-8")
    assert text.startswith("#!/bin/sh")
    assert os.access(ENTRYPOINT, os.X_OK), "docker/entrypoint.sh must be executable"
    used = {m.group(1) or m.group(3) for m in _VAR.finditer(text)}
    unknown = {n for n in used if n.startswith("POLICYKG_")} - _settings_env_names()
    assert not unknown, f"the entrypoint reads POLICYKG_ variables settings.py lacks: {sorted(unknown)}"
    assert "POLICYKG_STORE" in used
    assert re.search(r"^exec policykg serve .*--host 0\.0\.0\.0", text, re.MULTILINE)
    # the variables the entrypoint relies on are set by compose or the Dockerfile
    compose_env = _environment(yaml.safe_load(COMPOSE.read_text())["services"]["api"])
    dockerfile_env = {m.group(1) for m in re.finditer(r"(\w+)=", DOCKERFILE.read_text())}
    assert {"POLICYKG_STORE", "SEED_CORPUS"} <= compose_env.keys() | dockerfile_env
    if shutil.which("sh"):
        subprocess.run(["sh", "-n", str(ENTRYPOINT)], check=True)
