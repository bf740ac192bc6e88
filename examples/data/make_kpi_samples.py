"""Generates the sample contact log of wfm-kpi's ctest cases (examples/tests_kpi.cmake).

Run from the repository root:  python3 examples/data/make_kpi_samples.py
Standard library only; deterministic (seeded). One morning, 08:00-12:00, of a single FCFS queue
simulated event by event (M/M/n+M: Poisson arrivals with a mid-morning peak, 16 agents, lognormal
talk time, exponential hold and after-call work, exponential patience of mean 90 s), written as
an ACD log in *shuffled* row order (wfm-kpi must not rely on sorting); customers repeat now and
then (first-contact resolution), a few transfers and CSAT scores. Also the staffing file
(timestamp,agents) and one deliberately broken log (a negative wait on line 5).
"""
import datetime as dt
import heapq
import math
import random
from pathlib import Path

here = Path(__file__).resolve().parent
rng = random.Random(11)
day = dt.datetime(2026, 3, 2, 8, 0)
agents = 16
horizon = 4 * 3600


def rate(t):  # arrivals per second: 150/h rising to 230/h at 10:00
    return (150 + 80 * math.exp(-(((t / 3600) - 2.0) / 0.8) ** 2)) / 3600


# Arrivals by thinning (Lewis & Shedler 1979).
arrivals, t = [], 0.0
while True:
    t += rng.expovariate(230 / 3600)
    if t >= horizon:
        break
    if rng.random() < rate(t) / (230 / 3600):
        arrivals.append(t)

free = [0.0] * agents  # time each agent becomes free (a heap)
heapq.heapify(free)
rows = []
for i, a in enumerate(arrivals):
    patience = rng.expovariate(1 / 90)
    talk = rng.lognormvariate(math.log(200), 0.6)
    hold = rng.expovariate(1 / 20) if rng.random() < 0.3 else 0.0
    acw = rng.expovariate(1 / 30)
    customer = f"C{rng.randrange(400):04d}"
    start = max(a, free[0])
    stamp = (day + dt.timedelta(seconds=int(a))).strftime("%Y-%m-%d %H:%M:%S")
    if start - a > patience:
        rows.append([stamp, "abandoned", f"{patience:.1f}", "", "", "", customer, "0", ""])
        continue
    heapq.heapreplace(free, start + talk + hold + acw)
    csat = str(rng.randint(1, 5)) if rng.random() < 0.2 else ""
    transferred = "1" if rng.random() < 0.08 else "0"
    rows.append([stamp, "answered", f"{start - a:.1f}", f"{talk:.1f}", f"{hold:.1f}",
                 f"{acw:.1f}", customer, transferred, csat])
rng.shuffle(rows)
header = "arrival,outcome,wait_s,talk_s,hold_s,acw_s,customer,transferred,csat\n"
(here / "kpi_contacts.csv").write_text(header + "".join(",".join(r) + "\n" for r in rows))
staff = "timestamp,agents\n" + "".join(
    f"{(day + dt.timedelta(minutes=15 * k)).strftime('%Y-%m-%d %H:%M')},{agents}\n"
    for k in range(16))
(here / "kpi_agents.csv").write_text(staff)
bad = rows[:3] + [[rows[3][0], "answered", "-4", "100", "0", "5", "C0001", "0", ""]] + rows[4:8]
(here / "kpi_contacts_bad.csv").write_text(header + "".join(",".join(r) + "\n" for r in bad))
print(f"{len(rows)} contacts, {sum(r[1] == 'abandoned' for r in rows)} abandoned")
