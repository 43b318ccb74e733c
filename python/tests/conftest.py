"""Shared fixtures: the shipped cases of the repository and a quick harness setting."""

from pathlib import Path

import pytest

import ngd_verify

CASES = Path(__file__).resolve().parents[2] / "cases"

# A short harness: the checks are what these tests are about.
QUICK = {"starts": 8, "iterations": 5000}


@pytest.fixture(scope="session")
def cases_dir() -> Path:
    assert CASES.is_dir(), f"the shipped cases are expected at {CASES}"
    return CASES


@pytest.fixture(scope="session")
def xy_case(cases_dir: Path) -> ngd_verify.Case:
    return ngd_verify.load_case(cases_dir / "xy.case")
