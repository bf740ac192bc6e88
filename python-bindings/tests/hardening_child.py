"""Child process of test_hardening_inputs.py: reads a pickled list of (entry, kwargs) cases from
stdin, runs each, and prints one JSON line per case as soon as it finishes (so a crash or a hang
points at its case): {"i", "kind": "result" | "ValueError" | "TypeError" | "other", "message",
"bad": [NaN or out-of-range outputs], "seconds"}."""
import json
import math
import pickle
import sys
import time
import warnings

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import hardening_entries as E  # noqa: E402

warnings.simplefilter("ignore")


def main():
    cases = pickle.load(sys.stdin.buffer)
    for i, (name, kwargs) in enumerate(cases):
        fn, _ = E.ENTRIES[name]
        t0 = time.perf_counter()
        rec = {"i": i, "kind": "result", "message": "", "bad": []}
        try:
            out = fn(**kwargs)
            rec["bad"] = E.bad_numbers(out)
        except ValueError as e:
            rec.update(kind="ValueError", message=str(e))
        except TypeError as e:
            rec.update(kind="TypeError", message=str(e))
        except Exception as e:  # noqa: BLE001 - reported, the parent fails the case
            rec.update(kind="other", message=f"{type(e).__name__}: {e}")
        rec["seconds"] = time.perf_counter() - t0
        print(json.dumps(rec, default=str), flush=True)


if __name__ == "__main__":
    main()
