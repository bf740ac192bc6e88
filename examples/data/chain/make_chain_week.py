"""Generates the data of the chained-programs test (examples/tests_chain.cmake).

Run from the repository root:  python3 examples/data/chain/make_chain_week.py
Standard library only (zoneinfo with the system's tzdata); deterministic (seed 2026).

A contact centre in Europe/Berlin, 30-minute intervals, open around the clock except a daily
maintenance window 05:00-07:00 local (closed: no rows). History: the four weeks Monday
2026-09-21 .. Sunday 2026-10-18 (all CEST). The planned week, Monday 2026-10-19 .. Sunday
2026-10-25, contains the end of daylight-saving time (2026-10-25 03:00 CEST -> 02:00 CET): that
Sunday has 25 hours, and its intervals 02:00 and 02:30 occur twice, once at +02:00 and once at
+01:00. Timestamps are written in ISO 8601 local time with their UTC offset, as the programs
write them ("2026-10-25T02:00:00+02:00").

Volumes are Poisson around a level x weekday factor x a two-peak day profile with a night
trough; AHT is about 240 s, a little longer at night.

Files, in berlin/: history.csv (timestamp,volume,aht_s), at.csv (timestamp: the planned
week's open intervals); the same in utc/ for a centre in UTC (no clock change, timestamps
without offset); shifts.json (the wfm-schedule model: 8-hour shifts with a break and 4-hour
part-time shifts, starting at any half hour).
"""
import datetime as dt
import json
import math
import random
from pathlib import Path
from zoneinfo import ZoneInfo

here = Path(__file__).resolve().parent
zone = ZoneInfo("Europe/Berlin")
rng = random.Random(2026)
with_offset = True
step = dt.timedelta(minutes=30)
weekday_factor = [1.15, 1.05, 1.0, 1.0, 0.95, 0.7, 0.6]


def poisson(lam):
    # Knuth's multiplication method (small lambda) / normal approximation (large).
    if lam > 60:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def profile(hour):
    # Night trough, peaks at 10:00 and 15:00 local time [contacts per 30 minutes at factor 1].
    return 4 + 40 * math.exp(-((hour - 10) / 2.2) ** 2) + 30 * math.exp(-((hour - 15) / 2.5) ** 2)


def open_intervals(first_day, days):
    """Open interval starts (aware datetimes), stepping in absolute time through DST changes."""
    start = dt.datetime.combine(first_day, dt.time(0), tzinfo=zone)
    end = dt.datetime.combine(first_day + dt.timedelta(days=days), dt.time(0), tzinfo=zone)
    t = start.astimezone(dt.timezone.utc)
    while t < end.astimezone(dt.timezone.utc):
        local = t.astimezone(zone)
        if not (5 <= local.hour < 7):
            yield local
        t += step


def stamp(local):
    if not with_offset:
        return f"{local:%Y-%m-%d %H:%M}"
    off = local.utcoffset()
    sign = "+" if off >= dt.timedelta(0) else "-"
    minutes = abs(int(off.total_seconds())) // 60
    return f"{local:%Y-%m-%dT%H:%M:%S}{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def write_week(folder):
    folder.mkdir(exist_ok=True)
    rows = ["timestamp,volume,aht_s"]
    for local in open_intervals(dt.date(2026, 9, 21), 28):
        hour = local.hour + local.minute / 60
        volume = poisson(profile(hour) * weekday_factor[local.weekday()])
        aht = rng.gauss(240 + (25 if hour < 7 or hour >= 22 else 0), 12)
        rows.append(f"{stamp(local)},{volume},{aht:.1f}")
    (folder / "history.csv").write_text("\n".join(rows) + "\n")
    at = ["timestamp"] + [stamp(t) for t in open_intervals(dt.date(2026, 10, 19), 7)]
    (folder / "at.csv").write_text("\n".join(at) + "\n")


def main():
    global zone, rng, with_offset
    write_week(here / "berlin")
    zone, rng, with_offset = ZoneInfo("UTC"), random.Random(2026), False
    write_week(here / "utc")
    all_day = {"from": "00:00", "to": "23:30", "step_s": 1800}
    model = {
        "name": "chain-week",
        "interval_length_s": 1800,
        "cyclic": False,
        "hard_cover": True,
        "shift_templates": [
            {"name": "F8", "length": 17, "paid": 16, "cost": 16.0, "start_times": all_day,
             "breaks": [{"length": 1, "earliest_offset": 7, "latest_offset": 10}]},
            {"name": "P4", "length": 8, "paid": 8, "cost": 8.8, "start_times": all_day},
        ],
    }
    (here / "shifts.json").write_text(json.dumps(model, indent=1) + "\n")


if __name__ == "__main__":
    main()
