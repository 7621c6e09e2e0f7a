#!/usr/bin/env python3
"""Times varflow's benchmark cases in NumPy, on the same machine in the same sitting, and prints
varflow's figures beside them.

  python3 bench/vs_numpy.py [--repeats 10] [--warmup 2] [--backend nd4j-cpu,jvm]

Cases (the same as `./varflow bench --sizes L`):
  step  one explicit-Euler step of the mean-field particle flow, size L: n = 16384 samples, m = 4096
        particles, d = 256 inputs, float32, ReLU, squared loss (two hand-written matrix products, as
        varflow's `particles` discretization does); median of --repeats steps after --warmup.
  products  the step's two matrix products alone (X·Wᵀ and Ψᵀ·(X⊙r) on random operands of its shapes): the
        floor a step cannot go below; varflow times the same on each backend.
  ridge the random feature ridge fit, n = 20000, m = 2000, d = 32, float64: features Phi = relu(X W^T),
        Gram matrix Phi^T Phi / (n m) + alpha I (syrk), right-hand side, Cholesky solve; median of 3.
Without NumPy, only varflow's figures are printed. Nothing here sets a BLAS environment variable: both
sides run with whatever the environment holds (OPENBLAS_NUM_THREADS, OPENBLAS_CORETYPE, ...), which the
header reports.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def numpy_step(np, repeats, warmup):
    n, m, d = 16384, 4096, 256
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, d), dtype=np.float32)
    y = rng.standard_normal(n, dtype=np.float32)
    a = rng.standard_normal(m, dtype=np.float32)
    w = (rng.standard_normal((m, d), dtype=np.float32) / np.float32(np.sqrt(d)))
    h = np.float32(1e-3)
    times = []
    for _ in range(warmup + repeats):
        t = time.perf_counter()
        z = x @ w.T                                   # n x m
        s = np.maximum(z, 0)                          # relu
        r = s @ a * np.float32(1 / m) - y             # residual f - y
        va = s.T @ r * np.float32(-1 / n)             # -(1/n) S^T r
        dz = (z > 0).astype(np.float32)               # relu'
        vw = (dz.T @ (x * r[:, None])) * np.float32(-1 / n) * a[:, None]
        a += h * va
        w += h * vw
        times.append(time.perf_counter() - t)
    return statistics.median(times[warmup:])


def numpy_products(np, repeats, warmup):
    """The step's two products alone, X·Wᵀ and Ψᵀ·(X⊙r), on random operands of the step's shapes."""
    n, m, d = 16384, 4096, 256
    rng = np.random.default_rng(1)
    x = rng.standard_normal((n, d), dtype=np.float32)
    w = rng.standard_normal((m, d), dtype=np.float32)
    psi = rng.standard_normal((n, m), dtype=np.float32)
    times = []
    for _ in range(warmup + repeats):
        t = time.perf_counter()
        x @ w.T
        psi.T @ x
        times.append(time.perf_counter() - t)
    return statistics.median(times[warmup:])


def numpy_ridge(np, runs=3, warmup=1):
    n, m, d, alpha = 20000, 2000, 32, 1e-3
    rng = np.random.default_rng(7)
    x = rng.standard_normal((n, d))
    y = rng.standard_normal(n)
    wf = rng.standard_normal((m, d)) / np.sqrt(d)
    try:
        from scipy.linalg import cho_factor, cho_solve
    except ImportError:
        cho_factor = None
    times = []
    for _ in range(warmup + runs):
        t = time.perf_counter()
        phi = np.maximum(x @ wf.T, 0)                  # features, n x m
        a = phi.T @ phi                                # NumPy detects the Gram product and calls syrk
        a /= n * m
        a[np.diag_indices(m)] += alpha
        b = phi.T @ y / n
        if cho_factor is not None:
            sol = cho_solve(cho_factor(a, lower=True), b)
        else:
            lower = np.linalg.cholesky(a)
            sol = np.linalg.solve(lower.T, np.linalg.solve(lower, b))
        times.append(time.perf_counter() - t)
    assert np.all(np.isfinite(sol))
    return statistics.median(times[warmup:])


def varflow(repeats, warmup, backends):
    cmd = [os.path.join(ROOT, "varflow"), "bench", "--json", "--sizes", "L", "--repeats", str(repeats),
           "--warmup", str(warmup)]
    if backends:
        cmd += ["--backend", backends]
    done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    if not done.stdout.strip():
        sys.exit("varflow bench printed nothing (exit status %d)" % done.returncode)
    return json.loads(done.stdout)


def cpu():
    """The CPU model and its widest vector extension, from /proc/cpuinfo where there is one."""
    try:
        with open("/proc/cpuinfo") as f:
            info = f.read()
    except OSError:
        return platform.processor() or platform.machine()
    model = next((l.split(":", 1)[1].strip() for l in info.splitlines() if l.startswith("model name")), platform.machine())
    flags = next((l.split(":", 1)[1].split() for l in info.splitlines() if l.startswith("flags")), [])
    simd = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "no AVX2"
    return "%s (%s)" % (model, simd)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeats", type=int, default=10)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--backend", default=None, help="varflow backends, comma-separated (default: every available one)")
    args = p.parse_args()

    print("machine: %s, %d CPUs; %s" % (cpu(), os.cpu_count(),
          ", ".join("%s=%s" % (k, v) for k, v in os.environ.items() if k.startswith(("OPENBLAS_", "OMP_"))) or
          "no OPENBLAS_*/OMP_* variables set"))
    rows = []
    try:
        import numpy as np
        print("numpy %s" % np.__version__)
        rows.append(("numpy", "float32", "step L", numpy_step(np, args.repeats, args.warmup)))
        rows.append(("numpy", "float32", "products L", numpy_products(np, args.repeats, args.warmup)))
        rows.append(("numpy", "float64", "ridge", numpy_ridge(np)))
    except ImportError:
        print("NumPy is not installed: varflow's figures only")
    doc = varflow(args.repeats, args.warmup, args.backend)
    for b in doc["backends"]:
        print("%s: %s" % (b["id"], b["describe"]))
    for r in doc["results"]:
        if r["size"] == "RF":
            case = "ridge"
        elif r.get("case") == "the step's two products alone":
            case = "products " + r["size"]
        elif "case" in r:  # the mean-field variants' rows
            continue
        else:
            case = "step " + r["size"]
        if case not in ("step L", "products L", "ridge") or (case != "ridge" and r["precision"] != "float32"):
            continue
        seconds = r.get("seconds", r.get("seconds_per_step"))
        rows.append((r["backend"], r["precision"], case, seconds if "error" not in r else r["error"]))
    reference = {case: s for (who, _, case, s) in rows if who == "numpy"}
    print()
    print("%-10s %-8s %-10s %10s %10s" % ("who", "precision", "case", "seconds", "vs numpy"))
    for who, precision, case, s in sorted(rows, key=lambda r: (r[2], r[0] != "numpy", r[0])):
        if isinstance(s, str):
            print("%-10s %-8s %-10s failed: %s" % (who, precision, case, s))
            continue
        ratio = "%.2fx" % (s / reference[case]) if case in reference else "-"
        print("%-10s %-8s %-10s %10.3f %10s" % (who, precision, case, s, ratio))


if __name__ == "__main__":
    main()
