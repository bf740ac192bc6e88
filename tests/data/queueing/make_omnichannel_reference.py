#!/usr/bin/env python3
"""Reference tables for the omnichannel models of wfm::queueing (chat concurrency, Erlang X),
computed with mpmath, each value by two independent methods that must agree to 1e-25.

Run from anywhere:  python3 tests/data/queueing/make_omnichannel_reference.py

Precision: mpmath with 50 significant digits (quadrature at the same precision), values
written with 17 significant digits (round-trip doubles). Chains are summed until the geometric
bound of the remaining tail is below 1e-40 of the mass of the waiting states.

Chat with concurrency (chat_concurrency.csv; the model of include/wfm/queueing/
chat_concurrency.hpp: n agents, up to m chats each, handle time h_j at concurrency j, balanced
routing, exponential patience 1/theta, total completion rate sigma_k, c = n m slots):
  Method 1 (chain + beta law): pi_k from the balance equations over every state; per waiting
    state j = k - c, P(V_j <= t, answered) = s/(s+j+1) (1 - I_u(s+1, j+1)) and
    P(V_j <= t) = 1 - I_u(s, j+1) with mpmath.betainc, s = sigma_c / theta, u = e^{-theta t};
    P(ab) = theta E[Q] / lambda.
  Method 2 (chain below c + Mandelbaum-Zeltyn integrals): pi_k for k <= c from the chain; the
    queue mass pi_c M(1; s+1; z) (z = lambda/theta; hyp1f1) instead of the chain's tail; and
    the waiting part as integrals of the density of theta V over waiting customers,
    pi_c s e^{-s x + z (1 - e^{-x})} (Mandelbaum & Zeltyn 2007, section 3, with n mu -> sigma_c):
      P(V <= t, answered) = int_0^{theta t} e^{-x} (.) dx,  P(V <= t) = int_0^{theta t} (.) dx,
      P(ab) = int_0^inf (1 - e^{-x}) (.) dx,  theta E[V; answered] = int_0^inf x e^{-x} (.) dx.
  The table holds method 2's values; the script stops if the methods differ by > 1e-25.

Erlang X (erlang_x.csv; include/wfm/queueing/erlang_x.hpp): n agents, N lines, Erlang A queue
cut at N (arrivals at N are blocked), redial probability r after a block or an abandonment.
  Method 1: the finite chain 0..N with the beta law per waiting state (as above).
  Method 2: pi_k for k <= n in closed form (Poisson terms), the queue by the integral of the
    truncated density pi_n s e^{-s x} sum_{j<N-n} y^j / j!, y = z (1 - e^{-x}),
    = pi_n s e^{-s x + y} Q(N - n, y) (Q the regularized upper incomplete gamma).
  The redial fixed point lambda_eff = lambda + r lambda_eff L(lambda_eff) (L the lost fraction
  per attempt, from method 1) by two root finders: mpmath.findroot (Anderson-Bjorck) and
  bisection; the metrics at the root by both methods.
"""
import csv
import os
import sys

import mpmath as mp

HERE = os.path.dirname(os.path.abspath(__file__))
mp.mp.dps = 50
TAIL = mp.mpf("1e-40")


def fmt(x):
    x = mp.mpf(x)
    return repr(float(x)) if x == 0 or abs(x) > mp.mpf("1e-305") else "0.0"


def service_rate(n, hs, k):
    q, r = divmod(k, n)
    rate = lambda j: mp.mpf(0) if j == 0 else mp.mpf(j) / hs[j - 1]
    return (n - r) * rate(q) + (r * rate(q + 1) if r else 0)


def beta_law(pi, c, end, s, u):
    """Method 1 sums over waiting states c .. end-1 (arrivals join there)."""
    ans = vir = wait = mp.mpf(0)
    for k in range(c, end):
        j = k - c
        share = s / (s + j + 1)
        ans += pi[k] * share * mp.betainc(s + 1, j + 1, u, 1, regularized=True)
        vir += pi[k] * mp.betainc(s, j + 1, u, 1, regularized=True)
        wait += pi[k] * share * mp.fsum(1 / (s + 1 + i) for i in range(j + 1))
    return ans, vir, wait


def chat_method1(n, lam, hs, patience, t):
    m = len(hs)
    c, theta = n * m, 1 / patience
    sigma = service_rate(n, hs, c)
    w = [mp.mpf(1)]
    k = 0
    while True:
        k += 1
        death = service_rate(n, hs, k) if k <= c else sigma + (k - c) * theta
        w.append(w[-1] * lam / death)
        r = lam / (sigma + (k + 1 - c) * theta) if k >= c else 1
        if k > c and r < 1 and w[-1] * r / (1 - r) < TAIL * w[c]:  # relative to the queue mass
            break
    total = mp.fsum(w)
    pi = [x / total for x in w]
    s, u = sigma / theta, mp.exp(-theta * t)
    no_wait = mp.fsum(pi[:c])
    eq = mp.fsum((k - c) * pi[k] for k in range(c + 1, len(pi)))
    ans, vir, wait = beta_law(pi, c, len(pi), s, u)
    return dict(wait_probability=1 - no_wait, abandon_probability=theta * eq / lam,
                sl_answered_within=no_wait + ans, sl_virtual_wait_within=no_wait + vir,
                answered_wait=wait, mean_queue_length=eq)


def chat_method2(n, lam, hs, patience, t):
    m = len(hs)
    c, theta = n * m, 1 / patience
    sigma = service_rate(n, hs, c)
    s, z = sigma / theta, lam / theta
    w = [mp.mpf(1)]
    for k in range(1, c + 1):
        w.append(w[-1] * lam / service_rate(n, hs, k))
    queue = w[c] * mp.hyp1f1(1, s + 1, z)  # sum_{j>=0} w_c z^j / (s+1)_j
    total = mp.fsum(w[:c]) + queue
    pic = w[c] / total
    no_wait = mp.fsum(w[:c]) / total
    dens = lambda x: pic * s * mp.exp(-s * x + z * (1 - mp.exp(-x)))
    xt = theta * t
    top = max(mp.mpf(1), 60 / max(s - z, mp.mpf(1)), 2 * mp.log(max(z / s, mp.mpf(2))) + 60 / s)
    pts = [0, xt, top, 4 * top, mp.inf] if xt > 0 else [0, top, 4 * top, mp.inf]
    pts = sorted(set(pts), key=lambda v: float(v))
    quad = lambda f, a, b: mp.quad(f, [p for p in pts if a <= p <= b] if b != a else [a, a])
    ans = quad(lambda x: mp.exp(-x) * dens(x), 0, xt) if xt > 0 else mp.mpf(0)
    vir = quad(dens, 0, xt) if xt > 0 else mp.mpf(0)
    pab = quad(lambda x: -mp.expm1(-x) * dens(x), 0, mp.inf)
    wait = quad(lambda x: x * mp.exp(-x) * dens(x), 0, mp.inf)
    return dict(wait_probability=queue / total, abandon_probability=pab,
                sl_answered_within=no_wait + ans, sl_virtual_wait_within=no_wait + vir,
                answered_wait=wait, mean_queue_length=pab * z)


CHAT_COLS = ["case", "agents", "arrival_rate", "h1", "h2", "h3", "patience", "target_time",
             "wait_probability", "abandon_probability", "mean_queue_length", "asa_all",
             "asa_answered", "sl_answered_within", "sl_virtual_wait_within",
             "sl_wait_within", "sl_answered_given_answered"]


def chat_row(case, n, lam, hs, patience, t):
    lam, patience, t = mp.mpf(lam), mp.mpf(patience), mp.mpf(t)
    hs = [mp.mpf(h) for h in hs]
    a, b = chat_method1(n, lam, hs, patience, t), chat_method2(n, lam, hs, patience, t)
    for key in a:
        if abs(a[key] - b[key]) > mp.mpf("1e-25") * max(abs(b[key]), mp.mpf("1e-300")):
            sys.exit(f"chat methods disagree: {case} n={n} {key}: {a[key]} vs {b[key]}")
    theta = 1 / patience
    u = mp.exp(-theta * t)
    served = 1 - b["abandon_probability"]
    tail = b["wait_probability"] - (b["sl_virtual_wait_within"] - (1 - b["wait_probability"]))
    hh = (hs + [mp.mpf(0), mp.mpf(0)])[:3]
    return dict(case=case, agents=n, arrival_rate=lam, h1=hh[0], h2=hh[1], h3=hh[2],
                patience=patience, target_time=t, wait_probability=b["wait_probability"],
                abandon_probability=b["abandon_probability"],
                mean_queue_length=b["mean_queue_length"], asa_all=b["mean_queue_length"] / lam,
                asa_answered=b["answered_wait"] / theta / served,
                sl_answered_within=b["sl_answered_within"],
                sl_virtual_wait_within=b["sl_virtual_wait_within"],
                sl_wait_within=1 - u * tail,
                sl_answered_given_answered=b["sl_answered_within"] / served)


def write(name, header, rows, comment):
    path = os.path.join(HERE, name)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([r[k] if isinstance(r[k], (str, int)) else fmt(r[k]) for k in header])
    print(f"{name}: {len(rows)} rows ({comment})", file=sys.stderr)


def chat_rows():
    rows = []
    example = [300, 420, 540]
    for n in range(3, 10):  # the worked example of issue 12
        rows.append(chat_row("example", n, mp.mpf(120) / 3600, example, 120, 60))
    sets = {"m1": [256], "m2": [256, 384], "m3": example}
    for name, hs in sets.items():
        m = len(hs)
        for n in (1, 4, 20, 100):
            for rho in ("0.7", "1.0", "1.3"):  # lambda / (n m / h_m)
                lam = mp.mpf(rho) * n * m / hs[-1]
                for pat in (64, 512):
                    for t in (0, 30, 240):
                        rows.append(chat_row(name, n, lam, hs, pat, t))
        # one large case per m: 1,000 agents at slot load 0.95
        for t in (30, 240):
            rows.append(chat_row(name, 1000, mp.mpf("0.95") * 1000 * m / hs[-1], hs, 64, t))
        print(f"  chat {name} done", file=sys.stderr)
    return rows


def x_method1(n, N, lam, h, patience, t):
    """Erlang X at attempt rate lam (no redials): the chain 0..N with the beta law."""
    mu, theta = 1 / h, 1 / patience
    w = [mp.mpf(1)]
    for k in range(1, N + 1):
        w.append(w[-1] * lam / (min(k, n) * mu + max(k - n, 0) * theta))
    total = mp.fsum(w)
    pi = [x / total for x in w]
    s, u = n * mu / theta, mp.exp(-theta * t)
    no_wait = mp.fsum(pi[:n])
    eq = mp.fsum((k - n) * pi[k] for k in range(n + 1, N + 1))
    ans, _, _ = beta_law(pi, n, N, s, u)
    return dict(blocking=pi[N], abandon=theta * eq / lam, sl=no_wait + ans)


def x_method2(n, N, lam, h, patience, t):
    """The same from Poisson terms below n and the truncated Mandelbaum-Zeltyn density."""
    mu, theta = 1 / h, 1 / patience
    a, s, z, J = lam * h, n * mu / theta, lam / theta, N - n
    # pi_k / pi_0 = a^k / k! for k <= n; pi_{n+j} / pi_n = z^j / (s+1)_j
    head = [a**k / mp.factorial(k) for k in range(n + 1)]
    queue = mp.fsum(z**j / mp.rf(s + 1, j) for j in range(J + 1))
    total = mp.fsum(head[:n]) + head[n] * queue
    pin = head[n] / total
    no_wait = mp.fsum(head[:n]) / total
    blocking = pin * z**J / mp.rf(s + 1, J)
    # density of theta V over joining attempts: pi_n s e^{-s x} sum_{j<J} y^j/j!, y = z(1-e^-x)
    dens = lambda x: pin * s * mp.exp(-s * x + z * (1 - mp.exp(-x))) * (
        mp.gammainc(J, z * (1 - mp.exp(-x)), mp.inf, regularized=True))
    xt = theta * t
    ans = mp.quad(lambda x: mp.exp(-x) * dens(x), [0, xt]) if (xt > 0 and J > 0) else 0
    pab = mp.quad(lambda x: -mp.expm1(-x) * dens(x), [0, 1, 10, mp.inf]) if J > 0 else 0
    return dict(blocking=blocking, abandon=pab, sl=no_wait + ans)


def x_fixed_point(n, N, lam, h, patience, r, solver):
    """The attempt rate solving x = lam + r x L(x) (L from method 1) by `solver`:
    'anderson' (mpmath.findroot) or 'bisection'."""
    lost = lambda x: (lambda m: m["blocking"] + m["abandon"])(x_method1(n, N, x, h, patience, 0))
    g = lambda x: lam + r * x * lost(x) - x
    if r == 0:
        return lam
    if solver == "anderson":
        return mp.findroot(g, (lam, lam / (1 - r)), solver="anderson", tol=mp.mpf("1e-40"))
    lo, hi = mp.mpf(lam), lam / (1 - r)
    for _ in range(100):  # bisection: g(lo) >= 0 >= g(hi); width 2^-100
        mid = (lo + hi) / 2
        if g(mid) >= 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


X_COLS = ["agents", "lines", "arrival_rate", "handle_time", "patience", "redial_probability",
          "target_time", "effective_arrival_rate", "blocking_probability", "abandon_probability",
          "service_level", "lost_probability"]


def x_rows():
    rows = []
    with mp.workdps(40):
        for n, N in ((1, 1), (1, 4), (5, 5), (5, 9), (20, 26), (50, 80)):
            for rho in ("0.8", "1.3"):
                for r in ("0", "0.5", "0.9"):
                    lam, h, patience, r = mp.mpf(rho) * n / 128, mp.mpf(128), mp.mpf(64), mp.mpf(r)
                    x1 = x_fixed_point(n, N, lam, h, patience, r, "anderson")
                    x2 = x_fixed_point(n, N, lam, h, patience, r, "bisection")
                    if abs(x1 / x2 - 1) > mp.mpf("1e-25"):
                        sys.exit(f"Erlang X fixed points disagree n={n} N={N}: {x1} vs {x2}")
                    for t in (0, 20):
                        a, b = x_method1(n, N, x2, h, patience, t), x_method2(n, N, x2, h, patience, t)
                        for key in a:
                            if abs(a[key] - b[key]) > mp.mpf("1e-25") * max(abs(b[key]), mp.mpf("1e-300")):
                                sys.exit(f"Erlang X methods disagree n={n} N={N} {key}: {a[key]} vs {b[key]}")
                        lost = b["blocking"] + b["abandon"]
                        rows.append(dict(agents=n, lines=N, arrival_rate=lam, handle_time=h,
                                         patience=patience, redial_probability=r, target_time=t,
                                         effective_arrival_rate=x2, blocking_probability=b["blocking"],
                                         abandon_probability=b["abandon"], service_level=b["sl"],
                                         lost_probability=lost * (1 - r) / (1 - r * lost)))
    return rows


def main():
    rows = x_rows()
    write("erlang_x.csv", X_COLS, rows, "chain+beta vs Poisson terms+integral; findroot vs bisection")
    rows = chat_rows()
    write("chat_concurrency.csv", CHAT_COLS, rows, "chain+beta vs chain+integral, 1e-25")


if __name__ == "__main__":
    main()
