"""discover and run, concurrency with the GIL released, and hostile input from Python."""

import math
import threading
import time

import pytest
from conftest import QUICK

import ngd_verify


def test_discover_finds_the_law_of_xy_and_proposes_phi(xy_case):
    d = ngd_verify.discover(xy_case)
    assert d.quantities == ("x^2 - y^2",)
    assert d.discovery.completeness.laws_found == d.discovery.completeness.laws_exist == 1
    assert d.proposed_phi == "(x^2 - y^2)^2"
    assert d.proposal.vanishing.evidence == "proved"
    assert d.check is None and d.exit_status == 0
    assert "x^2 - y^2" in d._repr_markdown_()


def test_discover_from_an_expression_with_the_check():
    d = ngd_verify.discover("(x*y - 1)^2", variables=["x", "y"], check=True)
    assert d.proposed_phi == "(x^2 - y^2)^2"
    assert d.check is not None and d.check.c1.proved
    assert d.exit_status == d.check.exit_status


def test_run_counts_and_shards_partition_the_starts(xy_case):
    whole = ngd_verify.run(xy_case, starts=8, iterations=2000)
    assert [run.index for run in whole.runs] == list(range(8))
    assert whole.ngd.runs == 8 and 0.0 <= whole.fraction_near_flat <= 1.0
    parts = [xy_case.run(starts=8, iterations=2000, shard=(k, 2)) for k in (1, 2)]
    merged = sorted((run for part in parts for run in part.runs), key=lambda run: run.index)
    assert [run.to_dict() for run in merged] == [run.to_dict() for run in whole.runs]
    with pytest.raises(ValueError, match=r"1 <= K <= N, got 3/2"):
        xy_case.run(starts=8, iterations=2000, shard=(3, 2))


def test_run_writes_plots(xy_case, tmp_path):
    h = xy_case.run(starts=4, iterations=2000, plots=tmp_path)
    written = sorted(tmp_path.glob("*.svg"))
    assert written, "no plot written"
    for plot in written:
        assert f"plot written: {plot}" in h.to_markdown()
    not_a_folder = written[0]
    with pytest.raises(ValueError, match="exists and is not a folder"):
        xy_case.run(starts=4, iterations=2000, plots=not_a_folder)


def test_the_gil_is_released_while_the_work_runs(xy_case):
    """A Python thread keeps running during a long native call: were the GIL held, no
    bytecode of the main thread could run between the call's start and end."""
    span = {}

    def work():
        span["start"] = time.perf_counter()
        xy_case.run(starts=64, iterations=1_000_000)
        span["end"] = time.perf_counter()

    worker = threading.Thread(target=work)
    ticks = []
    worker.start()
    while worker.is_alive():
        ticks.append(time.perf_counter())
        time.sleep(0.001)
    worker.join()
    start, end = span["start"], span["end"]
    assert end - start > 0.05, "the call must last long enough to observe"
    middle = (start + 0.4 * (end - start), start + 0.6 * (end - start))
    assert any(middle[0] <= t <= middle[1] for t in ticks), (start, end, len(ticks))


def test_two_verifies_in_two_threads_both_finish_with_the_sequential_results():
    args = [("(x*y - 1)^2", "(x^2 - y^2)^2"), ("(x^3 + y^3 - 1)^2", "(1/x - 1/y)^2")]
    sequential = [ngd_verify.verify(f, phi, **QUICK).to_json() for f, phi in args]
    results = [None, None]

    def work(i):
        f, phi = args[i]
        results[i] = ngd_verify.verify(f, phi, **QUICK).to_json()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads)
    assert results == sequential


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: ngd_verify.verify("x*y", "x", box=(math.nan, 1)), ValueError, "finite"),
        (lambda: ngd_verify.verify("x*y", "x", box=(2, 1)), ValueError, "inverted"),
        (lambda: ngd_verify.verify("x" * (2 << 20), "x"), ValueError, "expression too long"),
        (lambda: ngd_verify.verify("x*y", "\ud800"), ValueError, "surrogates"),
        (lambda: ngd_verify.verify("x*y", "x", a0=math.inf), ValueError, "finite"),
        (lambda: ngd_verify.verify("1", "2"), ValueError, "no variables"),
        (
            lambda: ngd_verify.verify("x*y", "x", variables=["x[0]"]),
            ValueError,
            "--> variables:1:3",
        ),
        (
            lambda: ngd_verify.verify("x*y", "x", expect={"bogus": True}),
            ValueError,
            "unknown field `bogus`",
        ),
        (lambda: ngd_verify.verify("x*y", "x", starts=0), ValueError, "starts must be"),
        (lambda: ngd_verify.verify("x*y", "x", max_boxes=10**9), ValueError, "max_boxes"),
        (lambda: ngd_verify.verify(b"x*y", "x"), TypeError, "bytes"),
        (lambda: ngd_verify.verify("x*y", "x", variables="xy"), TypeError, "a list"),
        (lambda: ngd_verify.load_case("/dev/null/none.case"), ValueError, "cannot read case file"),
        (lambda: ngd_verify.check_identity("x*y", "x", radius="-1"), ValueError, "positive"),
    ],
)
def test_hostile_input_is_an_error_never_a_crash(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_harness_settings_out_of_range_are_value_errors(xy_case):
    with pytest.raises(ValueError, match="above the limit"):
        xy_case.run(starts=2_000_000)
    with pytest.raises(ValueError, match="a0 must be a positive number"):
        xy_case.run(starts=2, iterations=10, a0=-1.0)
    with pytest.raises(ValueError, match="degree must be from 1 to 12"):
        xy_case.discover(degree=13)
