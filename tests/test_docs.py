"""The README is part of the product: its Quick start, commands and settings match the code."""

from __future__ import annotations

import re
from pathlib import Path

from policykg.cli import build_parser
from policykg.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```[a-z]*\n(.*?)```", section, re.S)
    assert len(blocks) == 1, "Quick start holds exactly one fenced block"
    return [line for line in blocks[0].splitlines() if line.strip() and not line.startswith("#")]


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_second():
    commands = _quick_start_commands()
    assert len(commands) == 2
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci


def test_every_subcommand_is_documented():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name in sub.choices:
        assert f"policykg {name}" in README, f"policykg {name} is not in README.md"


def test_every_setting_is_documented():
    for name in Settings.model_fields:
        assert f"POLICYKG_{name.upper()}" in README, f"POLICYKG_{name.upper()} is not in README.md"
