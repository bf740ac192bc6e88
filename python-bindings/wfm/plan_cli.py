"""wfm-plan: from a history CSV to a folder with the whole plan and its report.

    wfm-plan history.csv -o out/

Reads the history (timestamp, volume, optional aht_s), plans the next week with wfm.plan and
writes out/forecast.csv, staffing.csv, schedule.csv, breaks.csv, coverage.csv, tours.csv,
simulation.csv, summary.csv and report.html (columns in wfm's vocabulary). With --chat or
--email (a chat or email queue beside the phone queue, each with its own history CSV) also
queues.csv and queue_summary.csv, and the queue's own files in out/chat/ or out/email/.
Everything is
written into a temporary folder beside out/ and moved into place only when all of it is
written: on any failure out/ is left as it was.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

#: wfm::exit_code (include/wfm/core/status.hpp).
EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_TIME_LIMIT = 0, 1, 2, 3, 4

#: wfm::exit_code_for: the exit code of a run whose worst status is the key.
_EXIT_FOR = {"ok": EXIT_OK, "optimal": EXIT_OK, "feasible": EXIT_OK, "not_converged": EXIT_OK,
             "infeasible": EXIT_INFEASIBLE, "time_limit": EXIT_TIME_LIMIT,
             "stopped": EXIT_TIME_LIMIT, "error": EXIT_FAILURE}


class BadInput(ValueError):
    """Bad input: the message names the file, line and column."""


def _where(path, line: int, column: int) -> str:
    return f"{path}:{line}:{column}"


def _rows(path: Path, required: tuple, optional: tuple):
    """(line number, {column: (column number, text)}) of every data row of a CSV file."""
    try:
        f = open(path, newline="", encoding="utf-8")
    except OSError as e:
        raise BadInput(f"{path}: cannot open: {e.strerror}") from None
    with f:
        reader = csv.reader(f)
        header = [h.strip() for h in next(reader, [])]
        for name in required:
            if name not in header:
                raise BadInput(f"{_where(path, 1, 1)}: header has no column '{name}' "
                               f"(header: {','.join(header) or 'empty'})")
        cols = {n: header.index(n) for n in required + optional if n in header}
        for row in reader:
            line = reader.line_num
            if not row or all(not x.strip() for x in row):
                continue
            if len(row) != len(header):
                raise BadInput(f"{_where(path, line, min(len(row), len(header)) + 1)}: "
                               f"{len(row)} fields, the header has {len(header)}")
            yield line, {n: (i + 1, row[i].strip()) for n, i in cols.items()}


def _number(path, line, col, name, text, *, positive=False) -> float:
    try:
        x = float(text)
    except ValueError:
        raise BadInput(f"{_where(path, line, col)}: {name} '{text}' is not a number") from None
    if not math.isfinite(x) or x < 0 or (positive and x == 0):
        raise BadInput(f"{_where(path, line, col)}: {name} {text} must be finite and "
                       f"{'> 0' if positive else '>= 0'}")
    return x


def read_history(path, time_zone: str | None = None) -> pd.DataFrame:
    """The history CSV as a DataFrame indexed by timestamp; BadInput names file, line, column.

    Timestamps with a UTC offset keep their local time: in ``time_zone`` (an IANA name) when
    given, else in their one fixed offset (several offsets, i.e. a clock change, need the
    zone). Naive timestamps stay naive unless ``time_zone`` is given."""
    path = Path(path)
    stamps, lines, data = [], [], {"volume": [], "aht_s": []}
    for line, row in _rows(path, ("timestamp", "volume"), ("aht_s",)):
        col, text = row["timestamp"]
        try:
            stamps.append(pd.Timestamp(text))
        except (ValueError, TypeError):
            raise BadInput(f"{_where(path, line, col)}: timestamp '{text}' is not an ISO 8601 "
                           "time") from None
        if (stamps[-1].tz is None) != (stamps[0].tz is None):
            raise BadInput(f"{_where(path, line, col)}: timestamp '{text}' mixes times with "
                           "and without a UTC offset")
        lines.append(line)
        for name in data:
            if name in row:
                c, t = row[name]
                data[name].append(_number(path, line, c, name, t, positive=name == "aht_s"))
    if len(stamps) < 2:
        raise BadInput(f"{path}: needs at least two rows of history, got {len(stamps)}")
    index = _localise(path, stamps, lines, time_zone)
    order = np.argsort(index.asi8, kind="stable")
    dup = np.flatnonzero(np.diff(index.asi8[order]) == 0)
    if len(dup):
        a, b = sorted((lines[order[dup[0]]], lines[order[dup[0] + 1]]))
        raise BadInput(f"{_where(path, b, 1)}: timestamp {stamps[order[dup[0]]]} repeats line {a}")
    frame = pd.DataFrame({k: v for k, v in data.items() if v}, index=index)
    return frame.iloc[order]


def _localise(path, stamps, lines, time_zone) -> pd.DatetimeIndex:
    if stamps[0].tz is None:
        index = pd.DatetimeIndex(stamps)
        if time_zone is None:
            return index
        try:
            return index.tz_localize(time_zone, ambiguous="infer", nonexistent="raise")
        except Exception as e:  # pytz/zoneinfo errors differ by version
            raise BadInput(f"{path}: timestamps in time zone {time_zone}: {e}") from None
    utc = pd.DatetimeIndex([t.tz_convert("UTC") for t in stamps])
    if time_zone is None:
        offsets = {t.utcoffset() for t in stamps}
        if len(offsets) > 1:
            raise BadInput(f"{path}: timestamps have {len(offsets)} UTC offsets (a clock change): "
                           "give the zone with --time-zone (e.g. Europe/Berlin)")
        return utc.tz_convert(stamps[0].tz)
    local = utc.tz_convert(time_zone)
    wall = np.array([t.tz_localize(None) for t in stamps], dtype="datetime64[ns]")
    bad = np.flatnonzero(local.tz_localize(None).to_numpy(dtype="datetime64[ns]") != wall)
    if len(bad):
        raise BadInput(f"{_where(path, lines[bad[0]], 1)}: timestamp {stamps[bad[0]]} has not "
                       f"the UTC offset of {time_zone} at that time")
    return local


def read_holidays(path) -> dict:
    """date -> name from a CSV with columns date, name."""
    out = {}
    for line, row in _rows(Path(path), ("date", "name"), ()):
        col, text = row["date"]
        try:
            out[pd.Timestamp(text).strftime("%Y-%m-%d")] = row["name"][1]
        except (ValueError, TypeError):
            raise BadInput(f"{_where(path, line, col)}: date '{text}' is not a date") from None
    return out


def read_shifts(path, interval_length_s: float):
    """Shift templates from JSON: a list of {name, length_s, paid_length_s (default length_s),
    cost, breaks: [{length_s, earliest_s, latest_s}]} (times from the shift start [s], whole
    intervals); every start within opening hours."""
    from . import schedule as sc

    def n(value, what: str) -> int:
        k = float(value) / interval_length_s
        if not (math.isfinite(k) and k >= 0 and abs(k - round(k)) < 1e-9):
            raise BadInput(f"{path}: {what} {value} s is not a whole number of "
                           f"{interval_length_s:g}-second intervals")
        return int(round(k))

    try:
        spec = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise BadInput(f"{path}: cannot open: {e.strerror}") from None
    except json.JSONDecodeError as e:
        raise BadInput(f"{_where(path, e.lineno, e.colno)}: {e.msg}") from None
    out = []
    try:
        for i, t in enumerate(spec):
            where = f"template {i} ({t.get('name', '?')})"
            out.append(sc.ShiftTemplate(
                name=str(t.get("name", f"shift-{i}")), length=n(t["length_s"], f"{where} length_s"),
                paid_length=n(t.get("paid_length_s", t["length_s"]), f"{where} paid_length_s"),
                cost=float(t["cost"]), starts=[],
                breaks=[sc.BreakWindow(length=n(b["length_s"], f"{where} break length_s"),
                                       earliest_offset=n(b["earliest_s"], f"{where} earliest_s"),
                                       latest_offset=n(b["latest_s"], f"{where} latest_s"))
                        for b in t.get("breaks", [])]))
    except (KeyError, TypeError, AttributeError) as e:
        raise BadInput(f"{path}: each template needs length_s and cost (and breaks with "
                       f"length_s, earliest_s, latest_s): {e!r}") from None
    return out


_EPILOG = """\
defaults: the 7 days after the history's last day, open when the history was (by weekday and
time of day); service level 0.8 answered within 20 s; Erlang C (no --patience) or Erlang A;
shrinkage 0 beyond the templates' breaks; shift templates full-8h (8.5 h on site, 8 h paid:
two 15-minute rests and a 30-minute meal) and part-4h (one 15-minute rest); prediction
interval 0.8; scheduling time limit 10 s; 50 simulation replications.

input: history CSV with header timestamp,volume[,aht_s]: ISO 8601 interval starts (with UTC
offset, or naive local time), contacts per interval, average handle time [s]; only open
intervals (closed hours absent). Holidays CSV: date,name. Shifts JSON: a list of {"name",
"length_s", "paid_length_s", "cost", "breaks": [{"length_s", "earliest_s", "latest_s"}]}.

output folder: forecast.csv staffing.csv coverage.csv simulation.csv (one row per open
interval, the same timestamps), schedule.csv breaks.csv tours.csv summary.csv report.html.

other queues: --chat CSV (a chat queue: --chat-aht, --chat-patience, --chat-handle-time-factors)
and --email CSV (an email / back-office queue: --email-aht, --email-deadline, --email-share,
--email-staffing), histories like the phone's (timestamp,volume): each is forecast, staffed
with its own model, scheduled with the same shift templates and simulated (chat) or evaluated
(email) as the phone queue, named chat and email: queues.csv (every queue per interval),
queue_summary.csv (planned and scheduled rows per queue) and chat/, email/ with the queue's
own files as above.

exit codes: 0 ok, 1 failure or output not written, 2 bad input (nothing written),
3 no feasible plan, 4 time limit or stopped (outputs written for 3 and 4)."""


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="wfm-plan", description="Plan a contact centre from its history: forecast, "
        "staffing, shifts with breaks, weekly lines, a simulated check and an HTML report.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input", metavar="HISTORY.csv", help="history (see input below)")
    ap.add_argument("-o", "--output", required=True, metavar="DIR", help="output folder")
    ap.add_argument("--holidays", metavar="CSV", help="special days: date,name")
    ap.add_argument("--shifts", metavar="JSON", help="shift templates (default: see below)")
    ap.add_argument("--time-zone", metavar="ZONE", help="IANA zone of the timestamps, e.g. "
                    "Europe/Berlin (needed when the history crosses a clock change)")
    ap.add_argument("--aht", type=float, metavar="S", help="handle time [s] when the history "
                    "has no aht_s column")
    ap.add_argument("--patience", type=float, metavar="S", help="mean patience [s]: Erlang A "
                    "and simulated abandonment (default: none, Erlang C)")
    ap.add_argument("--service-level", type=float, default=0.8, metavar="F",
                    help="goal: fraction answered within --target-time (default 0.8)")
    ap.add_argument("--target-time", type=float, default=20.0, metavar="S",
                    help="[s] (default 20)")
    ap.add_argument("--definition", default="answered_within",
                    help="service-level definition (default answered_within)")
    ap.add_argument("--max-asa", type=float, metavar="S", help="goal: ASA at most [s]")
    ap.add_argument("--max-abandon-rate", type=float, metavar="F", help="goal: fraction")
    ap.add_argument("--max-occupancy", type=float, metavar="F", help="goal: fraction")
    ap.add_argument("--shrinkage", type=float, default=0.0, metavar="F",
                    help="fraction of paid time off the phones beyond breaks (default 0)")
    ap.add_argument("--level", type=float, default=0.8, metavar="F",
                    help="prediction-interval coverage, a fraction (default 0.8)")
    ap.add_argument("--interval-length", type=float, metavar="S",
                    help="[s] (default: the smallest gap between timestamps)")
    ap.add_argument("--horizon", nargs=2, metavar=("START", "END"),
                    help="plan from START to END (local dates/times; default: the next week)")
    ap.add_argument("--time-limit", type=float, default=10.0, metavar="S",
                    help="scheduling search [s] (default 10)")
    ap.add_argument("--replications", type=int, default=50, help="simulation (default 50)")
    ap.add_argument("--seed", type=int, default=1, help="(default 1)")
    ap.add_argument("--threads", type=int, default=0, help="0 = all cores (default)")
    ap.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    chat = ap.add_argument_group("chat queue (planned beside the phone queue)")
    chat.add_argument("--chat", metavar="CSV", help="chat history: timestamp,volume")
    chat.add_argument("--chat-aht", type=float, metavar="S",
                      help="[s] handle time of a chat when its agent holds one")
    chat.add_argument("--chat-patience", type=float, metavar="S", help="[s] mean patience")
    chat.add_argument("--chat-handle-time-factors", default="1", metavar="F,F,...",
                      help="handle time at concurrency 1, 2, ... over --chat-aht (e.g. "
                      "1,1.4,1.8: agents hold up to 3 chats; default 1)")
    email = ap.add_argument_group("email / back-office queue (planned beside the phone queue)")
    email.add_argument("--email", metavar="CSV", help="email history: timestamp,volume")
    email.add_argument("--email-aht", type=float, metavar="S", help="[s] per item")
    email.add_argument("--email-deadline", type=float, metavar="S",
                       help="[s] an item is on time if done within this of arriving")
    email.add_argument("--email-share", type=float, default=1.0, metavar="F",
                       help="goal: share of items on time (default 1)")
    email.add_argument("--email-staffing", default="per_day",
                       choices=("per_day", "level", "just_in_time"),
                       help="the least staffing the schedule covers (default per_day)")
    return ap


def _iso(values) -> list:
    return [t.isoformat() for t in pd.DatetimeIndex(values)]


def _csv(frame: pd.DataFrame, path: Path, index: bool) -> None:
    out = frame.copy()
    for col in ("start", "end"):
        if col in out.columns:
            out[col] = _iso(out[col])
    if index:
        out.index = pd.Index(_iso(out.index), name="timestamp")
    out.to_csv(path, index=index, float_format="%.10g")


def _write_frames(plan, folder: Path) -> None:
    for name in ("forecast", "staffing", "coverage", "simulation"):
        _csv(getattr(plan, name), folder / f"{name}.csv", index=True)
    for name in ("schedule", "breaks", "tours"):
        _csv(getattr(plan, name), folder / f"{name}.csv", index=False)
    plan.summary.to_csv(folder / "summary.csv", index_label="row", float_format="%.10g")


def write_outputs(plan, folder: Path) -> None:
    """Every file of the plan into ``folder`` (which exists and is empty)."""
    _write_frames(plan, folder)
    if plan.queue_plans:
        _csv(plan.queues, folder / "queues.csv", index=True)
        plan.queue_summary.to_csv(folder / "queue_summary.csv", float_format="%.10g")
        for name, sub in plan.queue_plans.items():
            (folder / name).mkdir()
            _write_frames(sub, folder / name)
    plan.to_html(folder / "report.html")


def _move_into_place(tmp: Path, out: Path) -> None:
    """tmp becomes out; an old out is removed only after the swap."""
    if out.exists():
        if not out.is_dir():
            raise OSError(f"{out}: exists and is not a folder")
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".wfm-old", dir=out.parent))
        os.rename(out, old / out.name)
        os.rename(tmp, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(tmp, out)


def format_summary(plan) -> str:
    s = plan.summary
    p, m = s.loc["planned"], s.loc["simulated"]
    lines = [f"plan status: {plan.status}" + (f" ({plan.message})" if plan.message else ""),
             f"  intervals       {len(plan.forecast)} open, {plan.interval_length_s / 60:g} min",
             f"  volume          {p['volume']:,.0f} contacts forecast "
             f"({m['volume']:,.0f} simulated)",
             f"  agents          {p['headcount']:.0f} weekly lines, {p['paid_hours']:,.1f} paid "
             f"hours, cost {p['cost']:,.1f} (lower bound {p['lower_bound']:,.1f})",
             f"  service level   planned {p['service_level']:.3f}, simulated "
             f"{m['service_level']:.3f} (95 % CI {m['service_level_lower']:.3f} to "
             f"{m['service_level_upper']:.3f}) within {plan.target_time_s:g} s",
             f"  ASA             planned {p['asa_s']:.1f} s, simulated {m['asa_s']:.1f} s",
             f"  abandon rate    planned {p['abandon_rate']:.3f}, simulated "
             f"{m['abandon_rate']:.3f}"]
    for name, sub in plan.queue_plans.items():
        r = plan.queue_summary.loc[name]
        head = f"  {name:<15} {sub.status}, {r.loc['scheduled', 'headcount']:.0f} weekly lines"
        if r["channel"].iloc[0] == "email":
            lines.append(f"{head}, within deadline planned "
                         f"{r.loc['planned', 'within_deadline_total']:.3f}, scheduled "
                         f"{r.loc['scheduled', 'within_deadline_total']:.3f}")
        else:
            lines.append(f"{head}, service level planned {r.loc['planned', 'service_level']:.3f}"
                         f", simulated {r.loc['scheduled', 'service_level']:.3f}")
    return "\n".join(lines)


def _progress(quiet: bool):
    last = {"step": None, "t": -1e9}

    def report(pr) -> bool:
        if quiet:
            return True
        now = time.monotonic()
        if pr.step != last["step"] or now - last["t"] >= 2.0:
            if "schedule:" in pr.step:
                queue, _, phase = pr.step.rpartition("schedule:")
                what = f"  {queue}search ({phase}): {pr.done:.1f} of {pr.total:g} s"
            elif pr.step == "done":
                what = "done"
            else:
                what = f"{pr.step} (step {pr.done + 1:.0f} of {pr.total:.0f})"
            print(f"[wfm-plan] {pr.elapsed_s:6.1f} s  {what}", file=sys.stderr, flush=True)
            last.update(step=pr.step, t=now)
        return True

    return report


def _factors(text: str) -> list:
    try:
        out = [float(x) for x in text.split(",")]
    except ValueError:
        raise BadInput(f"--chat-handle-time-factors: '{text}' is not a list of numbers") from None
    if not all(math.isfinite(x) and x > 0 for x in out):
        raise BadInput(f"--chat-handle-time-factors: each must be finite and > 0, got '{text}'")
    return out


def _queues(args) -> list:
    """The chat and email queues of the command line (each needs its own parameters)."""
    from .planning import ChatQueue, EmailQueue

    out = []
    if args.chat:
        if args.chat_aht is None or args.chat_patience is None:
            raise BadInput("--chat: needs --chat-aht and --chat-patience")
        out.append(ChatQueue("chat", read_history(args.chat, args.time_zone),
                             [args.chat_aht * f for f in _factors(args.chat_handle_time_factors)],
                             patience_s=args.chat_patience))
    if args.email:
        if args.email_aht is None or args.email_deadline is None:
            raise BadInput("--email: needs --email-aht and --email-deadline")
        out.append(EmailQueue("email", read_history(args.email, args.time_zone),
                              aht_s=args.email_aht, deadline_s=args.email_deadline,
                              share=args.email_share, staffing=args.email_staffing))
    return out


def _inputs(args):
    if args.time_zone is not None:
        try:
            pd.Timestamp("2000-01-01", tz=args.time_zone)
        except Exception:
            raise BadInput(f"--time-zone: unknown time zone '{args.time_zone}'") from None
    history = read_history(args.input, args.time_zone)
    holidays = read_holidays(args.holidays) if args.holidays else None
    templates = None
    if args.shifts:
        from .planning import _interval_length
        length = _interval_length(history.index, args.interval_length)
        templates = read_shifts(args.shifts, length)
    return history, holidays, templates


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    from . import planning

    out = Path(args.output)
    try:
        history, holidays, templates = _inputs(args)
        plan = planning.plan(
            history, aht_s=args.aht, patience_s=args.patience, holidays=holidays,
            service_level=args.service_level, target_time_s=args.target_time,
            definition=args.definition, max_asa_s=args.max_asa,
            max_abandon_rate=args.max_abandon_rate, max_occupancy=args.max_occupancy,
            shrinkage=args.shrinkage, templates=templates, horizon=args.horizon,
            level=args.level, interval_length_s=args.interval_length,
            time_limit_s=args.time_limit, replications=args.replications, seed=args.seed,
            threads=args.threads, progress=_progress(args.quiet), queues=_queues(args))
    except ValueError as e:  # BadInput and the library's bad-argument errors
        print(f"wfm-plan: error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as e:  # noqa: BLE001 - every failure becomes a message and an exit code
        print(f"wfm-plan: error: {type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_FAILURE
    tmp = None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".wfm-tmp", dir=out.parent))
        from .report import _umask
        tmp.chmod(0o777 & ~_umask())  # as an ordinary new folder (mkdtemp makes it 0700)
        write_outputs(plan, tmp)
        _move_into_place(tmp, out)
    except Exception as e:  # noqa: BLE001
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        print(f"wfm-plan: error: cannot write {out}: {e}", file=sys.stderr)
        return EXIT_FAILURE
    print(format_summary(plan))
    print(f"report: {(out / 'report.html').resolve()}")
    return _EXIT_FOR.get(plan.status, EXIT_FAILURE)


if __name__ == "__main__":
    sys.exit(main())
