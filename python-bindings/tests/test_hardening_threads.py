"""Every public entry point called from 8 Python threads at once gives the serial results, bit
for bit (issue 14: concurrent schedule.solve corrupted CBC's shared parameters and returned a
wrong "optimal"). The compiled calls release the GIL, so the threads really overlap in C++.
"""
from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import hardening_entries as E  # noqa: E402

THREADS = 8


def variants(name):
    """8 different valid calls of one entry point (so that a mix-up between threads shows)."""
    fn, base = E.ENTRIES[name]
    out = []
    for k in range(THREADS):
        kw = {key: (list(v) if isinstance(v, list) else v) for key, v in base.items()}
        if name == "schedule_solve":
            kw["requirement"] = [r + (k % 3) for r in kw["requirement"]]
            kw["seed"] = k
        elif name == "global_service_level":
            kw["arrival_rate"] = [r * (1 + 0.1 * k) for r in kw["arrival_rate"]]
        elif name in ("simulate",):
            kw["seed"] = k + 1
            kw["threads"] = 2
        elif name == "simulate_frame":
            kw["volume"] = [v + k for v in kw["volume"]]
        elif name == "forecast_fit":
            kw["values"] = [25.0 + k]
        elif name == "parse_model_json":
            kw["demand"] = [d + k % 2 for d in kw["demand"]]
        elif name == "evaluate_staffing":
            kw["volumes"] = [v * (1 + 0.1 * k) for v in kw["volumes"]]
        elif name == "plan_horizon":
            kw["volumes"] = [v * (1 + 0.2 * k) for v in kw["volumes"]]
        elif name == "simulated_queue":
            kw["agents"] = 10.0 + k
        elif "arrival_rate" in kw and not isinstance(kw["arrival_rate"], list):
            kw["arrival_rate"] = kw["arrival_rate"] * (1 + 0.1 * k)
        out.append(kw)
    return fn, out


@pytest.mark.parametrize("name", sorted(E.ENTRIES))
def test_eight_threads_equal_serial(name):
    fn, calls = variants(name)
    serial = [fn(**kw) for kw in calls]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        # Twice over, so that the same call also overlaps with itself.
        parallel = list(pool.map(lambda kw: fn(**kw), calls + calls))
    for k, got in enumerate(parallel):
        assert got == serial[k % THREADS], f"{name} call {k % THREADS}"
