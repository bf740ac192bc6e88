"""wfm.queueing from Python against the C++ reference tables in tests/data/queueing.

The tables are mpmath values at 60 digits (generator and provenance:
tests/data/queueing/make_reference.py and README.md); the C++ tests check the same rows at
1e-10 relative, and so does this file, through the bindings.
"""
import csv
from pathlib import Path

import pytest

from wfm import queueing as q

DATA = Path(__file__).resolve().parents[2] / "tests" / "data" / "queueing"
REL = 1e-10
TINY = 1e-280  # values below this may come back as 0 (README: not representable to full precision)


def rows(name):
    path = DATA / name
    if not path.exists():
        pytest.skip(f"{path} is not in this checkout")
    with path.open() as f:
        return [{k: float(v) for k, v in r.items()} for r in csv.DictReader(f)]


def close(got, ref):
    if abs(ref) < TINY:
        return abs(got) < 1e-270
    if ref == float("inf"):
        return got == ref
    return abs(got - ref) <= REL * abs(ref)


def check(failures, name, r, got, ref):
    if not close(got, ref):
        failures.append(f"{name} at {r}: got {got!r}, reference {ref!r}")


def test_erlang_b_reference():
    failures = []
    table = rows("erlang_b.csv")
    for r in table:
        b = q.ErlangB(arrival_rate=r["arrival_rate"], handle_time=r["handle_time"])
        check(failures, "blocking_probability", r, b.blocking_probability(r["agents"]),
              r["blocking_probability"])
    assert len(table) > 300
    assert not failures, "\n".join(failures[:20])


def test_erlang_c_reference():
    failures = []
    table = rows("erlang_c.csv")
    for r in table:
        c = q.ErlangC(arrival_rate=r["arrival_rate"], handle_time=r["handle_time"])
        n = r["agents"]
        check(failures, "wait_probability", r, c.wait_probability(n), r["wait_probability"])
        check(failures, "service_level", r, c.service_level(n, target_time=r["target_time"]),
              r["service_level"])
        check(failures, "asa", r, c.average_speed_of_answer(n), r["asa"])
    assert len(table) > 500
    assert not failures, "\n".join(failures[:20])


@pytest.mark.parametrize("name", ["erlang_a.csv", "erlang_a_chain.csv", "erlang_a_random.csv"])
def test_erlang_a_reference(name):
    failures = []
    table = rows(name)
    defs = ["answered_within", "wait_within", "virtual_wait_within", "answered_given_answered"]
    for r in table:
        a = q.ErlangA(arrival_rate=r["arrival_rate"], handle_time=r["handle_time"],
                      patience=r["patience"])
        n, t = r["agents"], r["target_time"]
        check(failures, "wait_probability", r, a.wait_probability(n), r["wait_probability"])
        check(failures, "abandon_probability", r, a.abandon_probability(n),
              r["abandon_probability"])
        check(failures, "mean_queue_length", r, a.mean_queue_length(n), r["mean_queue_length"])
        check(failures, "asa all", r, a.average_speed_of_answer(n, over="all"), r["asa_all"])
        check(failures, "asa answered", r, a.average_speed_of_answer(n, over="answered"),
              r["asa_answered"])
        check(failures, "occupancy", r, a.occupancy(n), r["occupancy"])
        for d in defs:
            check(failures, d, r, a.service_level(n, target_time=t, definition=d), r["sl_" + d])
    assert len(table) >= 40
    assert not failures, "\n".join(failures[:20])


def test_square_root_reference():
    failures = []
    for r in rows("halfin_whitt.csv"):
        check(failures, "alpha", r, q.halfin_whitt_wait_probability(r["beta"]), r["alpha"])
    for r in rows("gmr.csv"):
        g = q.GarnettMandelbaumReiman(arrival_rate=r["arrival_rate"],
                                      handle_time=r["handle_time"], patience=r["patience"])
        n = r["agents"]
        check(failures, "gmr wait_probability", r, g.wait_probability(n), r["wait_probability"])
        check(failures, "gmr abandon_probability", r, g.abandon_probability(n),
              r["abandon_probability"])
        check(failures, "gmr service_level", r, g.service_level(n, target_time=r["target_time"]),
              r["sl_virtual_wait_within"])
    assert not failures, "\n".join(failures[:20])
