"""verify / check_identity / load_case: proofs, refutations as values, located input errors."""

import json
import re
from pathlib import Path

import pytest
from conftest import QUICK

import ngd_verify

CUBIC_F = "(x^3 + y^3 - 1)^2"
CUBIC_PHI = "(1/x - 1/y)^2"


def test_verify_proves_c1_on_the_cubic_and_finds_its_flat_point():
    r = ngd_verify.verify(CUBIC_F, CUBIC_PHI, variables=["x", "y"], box=(-3, 3), **QUICK)
    assert r.c1.proved and r.c1.evidence == "proved"
    assert r.c1.canonical == "0"
    assert r.case.objective == CUBIC_F and r.case.regularizer == CUBIC_PHI
    assert r.case.title == f"f = {CUBIC_F}, phi = {CUBIC_PHI}"
    assert r.case.search_box == (("x", "-3", "3"), ("y", "-3", "3"))
    assert [p.point.closed_form for p in r.flat_points] == [("2^(-1/3)", "2^(-1/3)")]
    assert r.c6.proved
    # Without the case's [expect] table, C5 (f + phi is not coercive) decides: refuted, 1.
    assert r.c5.refuted
    assert r.verdict.exit_status == r.exit_status == r["verdict"]["exit_code"] == 1


def test_the_shipped_cubic_case_holds_as_on_the_command_line(cases_dir: Path):
    case = ngd_verify.load_case(cases_dir / "cubic.case")
    r = case.verify()
    assert r.case.source == str(cases_dir / "cubic.case")
    # C4 holds near S (the d_lyapunov claim) and is refuted elsewhere on M.
    assert r.c1.proved and r.c4.local == "proved" and r.c4.refuted
    assert [c.status for c in r.expectations] == ["matched"] * 4
    assert r.exit_status == 0


def test_the_same_case_built_in_python_holds_too():
    r = ngd_verify.verify(
        CUBIC_F,
        CUBIC_PHI,
        box=(-3, 3),
        a0=0.1,
        power=0.25,
        expect={
            "conserved": True,
            "coercive": False,
            "d_lyapunov": True,
            "flat_minima": [["2^(-1/3)", "2^(-1/3)"]],
        },
        **QUICK,
    )
    assert r.case.variables == ("x", "y")  # inferred in order of appearance
    assert r.exit_status == 0, r.to_markdown()


def test_a_refuted_identity_is_a_value_with_a_witness():
    r = ngd_verify.check_identity("(x*y - 1)^2", "x^2 + y^2")
    assert r.c1.refuted and not r.c1.proved
    witness = r.c1.nonzero_witness
    assert witness is not None and len(witness.point) == 2
    assert r.exit_status == 1
    assert r.minima is None and r.c4 is None  # check-identity runs C1 only


def test_a_conserved_identity_is_proved_with_declared_variables():
    r = ngd_verify.check_identity(
        "(x*y - 1)^2", "(x^2 - y^2)^2", variables=["x", "y"], radius="5/2"
    )
    assert r.c1.proved and r.exit_status == 0
    assert r.case.search_box[0] == ("x", "-5/2", "5/2")


def test_a_wrong_regularizer_gives_a_report_not_an_exception():
    r = ngd_verify.verify("(x*y - 1)^2", "x^2 + y^2", **QUICK)
    assert r.c1.refuted
    assert r.exit_status == 1


def test_bad_expressions_raise_value_error_with_the_cli_span_message():
    with pytest.raises(ValueError) as err:
        ngd_verify.verify("(x*y - 1)^", "x")
    assert str(err.value).splitlines() == [
        "error: unexpected end of expression",
        " --> f:1:11",
        "  |",
        "1 | (x*y - 1)^",
        "  |           ^ here",
        "help: an operand (a number, a name or `(`) is missing here",
    ]
    with pytest.raises(ValueError, match=r"(?s)unknown function `sin`.*--> phi:1:1"):
        ngd_verify.check_identity("x*y", "sin(x)")


def test_a_broken_case_file_names_its_line_and_column(tmp_path: Path):
    path = tmp_path / "broken.case"
    path.write_text('title = "t"\nvariables = ["x"]\nobjective = "x^2 +"\n')
    with pytest.raises(ValueError) as err:
        ngd_verify.load_case(path)
    text = str(err.value)
    assert text.startswith("error: in objective: unexpected end of expression")
    assert f"--> {path}:3:" in text


def test_every_shipped_case_loads_with_its_title(cases_dir: Path):
    paths = sorted(cases_dir.glob("*.case"))
    assert len(paths) >= 10
    for path in paths:
        case = ngd_verify.load_case(path)
        text = path.read_text()
        assert case.title == _top_level_value(text, "title"), path
        assert list(case.variables) == _top_level_value(text, "variables"), path
        assert case.name == str(path)
        assert ngd_verify.Case.from_source(case.source, case.name).summary == case.summary


def _top_level_value(case_text: str, key: str):
    """A one-line string or list of strings of a case file (TOML and JSON agree on these)."""
    line = re.search(rf"^{key} = (.*)$", case_text, re.MULTILINE)
    assert line is not None, key
    return json.loads(line.group(1).split("  #")[0].strip())


def test_the_json_round_trip_keeps_every_field(xy_case):
    r = xy_case.run(**QUICK)
    again = ngd_verify.HarnessRun.from_json(r.to_json())
    assert again == r and again.to_dict() == r.to_dict()
    report = ngd_verify.check_identity("(x*y - 1)^2", "(x^2 - y^2)^2")
    text = report.to_json()
    assert json.loads(text)["schema_version"] == report.schema_version
    back = ngd_verify.Report.from_json(text)
    assert back == report and back.exit_status == report.exit_status == 0
    assert back.to_json() == text and back.c1.proved
    assert back.to_markdown() is None  # renderings are not part of the JSON


def test_results_render_for_notebooks_and_are_read_only():
    r = ngd_verify.check_identity("(x*y - 1)^2", "(x^2 - y^2)^2")
    assert r._repr_markdown_().startswith("# ngd-verify ")
    assert "C1 conservation: PROVED" in r._repr_markdown_()
    html = r._repr_html_()
    assert html.startswith("<!DOCTYPE html>") and "C1 conservation" in html
    with pytest.raises(AttributeError, match="read-only"):
        r.c1.evidence = "refuted"
    with pytest.raises(AttributeError, match="no field 'nonsense'"):
        _ = r.c1.nonsense
    assert "conserved" in dir(r.c1)
