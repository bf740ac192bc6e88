"""Generates the small sample files of wfm-forecast's ctest cases (examples/tests_forecast.cmake).

Run from the repository root:  python3 examples/data/make_forecast_samples.py
Standard library only; deterministic (seeded). A 30-minute series, weekdays 08:00-18:00, six
weeks with one absent holiday, Poisson counts around level x weekday factor x a two-peak
profile, and lognormal-mean AHT by time of day; then the next week's timestamps, a holiday file,
and a few deliberately broken files for the error cases.
"""
import datetime as dt
import math
import random
from pathlib import Path

here = Path(__file__).resolve().parent
rng = random.Random(2024)
start = dt.date(2024, 1, 1)  # a Monday
factor = [1.2, 1.05, 1.0, 0.95, 0.8]
slots = [dt.time(8 + k // 2, 30 * (k % 2)) for k in range(20)]  # 08:00 .. 17:30
shape = [0.4 + math.exp(-((k - 5) / 3) ** 2) + 0.7 * math.exp(-((k - 14) / 3) ** 2) for k in range(20)]
total = sum(shape)


def poisson(lam):
    # Knuth's multiplication method (small lambda) / normal approximation (large).
    if lam > 60:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    l, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= l:
            return k
        k += 1


holiday = start + dt.timedelta(days=15)  # Tuesday of week 3: absent
rows = []
for d in range(42):
    day = start + dt.timedelta(days=d)
    if day.weekday() >= 5 or day == holiday:
        continue
    for k, t in enumerate(slots):
        mu = 800 * factor[day.weekday()] * shape[k] / total
        aht = 240 * (1.25 if k >= 10 else 1.0) * math.exp(rng.gauss(0, 0.05))
        rows.append((f"{day} {t.strftime('%H:%M')}", poisson(mu), round(aht, 1)))

(here / "forecast_history.csv").write_text(
    "timestamp,volume,aht_s\n" + "".join(f"{a},{b},{c}\n" for a, b, c in rows))
future = [start + dt.timedelta(days=d) for d in range(42, 49)]
at = [f"{day} {t.strftime('%H:%M')}" for day in future if day.weekday() < 5 for t in slots]
(here / "forecast_at.csv").write_text("timestamp\n" + "".join(a + "\n" for a in at))
(here / "forecast_holidays.csv").write_text(f"date,name\n{holiday},Company day\n{future[2]},Company day\n")
# Broken inputs: a negative volume on data line 5, an off-grid target, a duplicate timestamp.
bad = rows[:]
bad[3] = (bad[3][0], -4, bad[3][2])
(here / "forecast_bad_volume.csv").write_text(
    "timestamp,volume,aht_s\n" + "".join(f"{a},{b},{c}\n" for a, b, c in bad))
(here / "forecast_bad_at.csv").write_text("timestamp\n" + at[0] + "\n" + at[1][:-2] + "10\n")
dup = rows[:10] + [rows[4]] + rows[10:]
(here / "forecast_dup.csv").write_text(
    "timestamp,volume\n" + "".join(f"{a},{b}\n" for a, b, c in dup))
short = [r for r in rows if r[0] < str(start + dt.timedelta(days=12))]
(here / "forecast_short.csv").write_text("timestamp,volume\n" + "".join(f"{a},{b}\n" for a, b, c in short))
print(f"{len(rows)} history rows, {len(at)} targets")
