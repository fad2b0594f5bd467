"""The command line's shared contract: help lists every subcommand, unbuilt ones say what they wait for."""

from __future__ import annotations

import subprocess
import sys

from studio.cli import SUBCOMMANDS, build_parser


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "studio", *args], capture_output=True, text=True, timeout=120)


def test_help_lists_every_subcommand_of_the_contract():
    result = run_cli("--help")
    assert result.returncode == 0
    for name in ["gui", "blocks", "check", "codegen", "train", "diagnose", "cam", "export", "transcribe", "bench"]:
        assert name in result.stdout


def test_unbuilt_subcommands_exit_2_naming_what_they_wait_for():
    _, modules = build_parser()
    unbuilt = [s for s in SUBCOMMANDS if modules[s.name] is None]
    for spec in unbuilt:
        result = run_cli(spec.name)
        assert result.returncode == 2, spec.name
        assert spec.waits_for in result.stderr
        assert "Traceback" not in result.stderr


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.startswith("Studio ")
