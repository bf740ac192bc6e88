"""Generates the sample agent schedule and state log of wfm-kpi's adherence cases
(examples/tests_kpi.cmake, python-bindings/tests/test_kpi.py).

Run from the repository root:  python3 examples/data/make_kpi_states.py
Standard library only; deterministic (seeded). The morning of kpi_contacts.csv (2026-03-02,
08:00-12:00): 16 agents a01..a16 on a 08:00-12:00 shift, each with a 15-minute break (staggered
09:30-10:45) and, for a03 and a04, a 11:00-11:30 meeting. The state log is what an ACD writes:
agents log in a few minutes early or late, cycle through available / on_contact / acw, take their
break a few minutes late and come back a few minutes late, log off around 12:00. On purpose, as
real logs come: rows in shuffled order, one duplicated row, a04 stays on the phones through its
meeting, a09 writes no row after coming back from its 10:00 break (its last row, 'available'
at 10:15:29, lasts until the end of its schedule under the default max_state_s of 12 h; with
--max-state 3600 the rest is 'missing'), and an agent x99 that has no schedule (listed as an
unknown agent). Also kpi_states_bad.csv: a16 in two different states at the same second (an
error naming the line).
"""
import datetime as dt
import random
from pathlib import Path

here = Path(__file__).resolve().parent
rng = random.Random(12)
day = dt.datetime(2026, 3, 2, 8, 0)
agents = [f"a{k:02d}" for k in range(1, 17)]


def stamp(seconds: float) -> str:
    return (day + dt.timedelta(seconds=int(seconds))).strftime("%Y-%m-%d %H:%M:%S")


schedule, states = [], []
for k, a in enumerate(agents):
    schedule.append([a, stamp(0), stamp(4 * 3600), "shift"])
    brk = 5400 + 900 * (k % 6)  # 09:30, 09:45, ..., 10:45
    schedule.append([a, stamp(brk), stamp(brk + 900), "break"])
    meeting = a in ("a03", "a04")
    if meeting:
        schedule.append([a, stamp(3 * 3600), stamp(3.5 * 3600), "meeting"])
    t = rng.uniform(-180, 300)  # login
    cycle = ["available", "on_contact", "acw"]
    blocks = [(brk + rng.uniform(0, 240), "break", brk + 900 + rng.uniform(0, 300))]
    if meeting and a == "a03":
        blocks.append((3 * 3600 + rng.uniform(0, 120), "meeting", 3.5 * 3600))
    end = 4 * 3600 + rng.uniform(-120, 240)
    i = 0
    for start, state, stop in blocks + [(end, "offline", None)]:
        while t < start:
            states.append([stamp(t), a, cycle[i % 3]])
            t += rng.uniform(20, 60) if cycle[i % 3] == "available" else rng.uniform(30, 300)
            i += 1
        states.append([stamp(start), a, state])
        if stop is None:
            break
        t, i = stop, 0
        if a == "a09":  # the lost logout: back from the break, then no more rows
            states.append([stamp(t), a, "available"])
            break
# Seconds are whole: drop a cycle row landing on the second of the block row that follows it.
seen = {}
for row in states:
    seen[(row[0], row[1])] = row  # the later row (the block) wins
states = list(seen.values())
states += [[stamp(3600), "x99", "available"], [stamp(3700), "x99", "offline"]]
states.append(list(states[5]))  # a harmless duplicate row
rng.shuffle(states)
rng.shuffle(schedule)
(here / "kpi_schedule.csv").write_text(
    "agent,start,end,activity\n" + "".join(",".join(r) + "\n" for r in schedule))
header = "timestamp,agent,state\n"
(here / "kpi_states.csv").write_text(header + "".join(",".join(r) + "\n" for r in states))
bad = states[:6] + [[stamp(1800), "a16", "available"], [stamp(1800), "a16", "break"]]
(here / "kpi_states_bad.csv").write_text(header + "".join(",".join(r) + "\n" for r in bad))
print(f"{len(schedule)} schedule rows, {len(states)} state rows")
