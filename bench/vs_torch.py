#!/usr/bin/env python3
"""Times the particle step of `varflow bench` in PyTorch on the GPU, for the comparison with varflow's cuda backend.

  python3 bench/vs_torch.py [--sizes L,XL] [--precision float32,float64] [--repeats 10] [--warmup 2]

The step is the one varflow's `particles` discretization takes and bench/vs_numpy.py writes in NumPy: one
explicit-Euler step of the mean-field two-layer network f(x) = (1/m) sum_j a_j relu(w_j . x) under the squared
loss, n samples, m particles, d inputs (sizes as in `varflow bench`: S 1024/256/16, M 8192/2048/64,
L 16384/4096/256, XL 65536/16384/256). TF32 is switched off, as in varflow, so float32 products are float32.
Prints one JSON object: {"torch": version, "device": name, "results": [{size, precision, seconds}]}; a case that
fails (e.g. out of memory) carries "error" instead of "seconds".
"""
import argparse
import json
import math
import statistics
import sys
import time

SIZES = {"S": (1024, 256, 16), "M": (8192, 2048, 64), "L": (16384, 4096, 256), "XL": (65536, 16384, 256)}


def step_seconds(torch, n, m, d, dtype, repeats, warmup):
    g = torch.Generator(device="cuda").manual_seed(0)
    x = torch.randn(n, d, device="cuda", dtype=dtype, generator=g)
    y = torch.randn(n, device="cuda", dtype=dtype, generator=g)
    a = torch.randn(m, device="cuda", dtype=dtype, generator=g)
    w = torch.randn(m, d, device="cuda", dtype=dtype, generator=g) / math.sqrt(d)
    h = 1e-3
    times = []
    for _ in range(warmup + repeats):
        torch.cuda.synchronize()
        t = time.perf_counter()
        z = x @ w.T                                    # n x m pre-activations
        s = torch.relu(z)
        r = s @ a * (1.0 / m) - y                      # residual f - y
        va = s.T @ r * (-1.0 / n)                      # -(1/n) S^T r
        dz = (z > 0).to(dtype)                         # relu'
        vw = (dz.T @ (x * r[:, None])) * (-1.0 / n) * a[:, None]
        a += h * va
        w += h * vw
        torch.cuda.synchronize()
        times.append(time.perf_counter() - t)
        del z, s, r, va, dz, vw
    return statistics.median(times[warmup:])


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="L,XL")
    p.add_argument("--precision", default="float32,float64")
    p.add_argument("--repeats", type=int, default=10)
    p.add_argument("--warmup", type=int, default=2)
    args = p.parse_args()
    try:
        import torch
    except ImportError:
        print(json.dumps({"error": "PyTorch is not installed"}))
        return 1
    if not torch.cuda.is_available():
        print(json.dumps({"torch": torch.__version__, "error": "torch.cuda.is_available() is false"}))
        return 1
    torch.backends.cuda.matmul.allow_tf32 = False
    doc = {"torch": torch.__version__, "cuda": torch.version.cuda, "device": torch.cuda.get_device_name(0),
           "results": []}
    for size in args.sizes.split(","):
        n, m, d = SIZES[size]
        for precision in args.precision.split(","):
            dtype = torch.float32 if precision == "float32" else torch.float64
            row = {"size": size, "precision": precision, "n": n, "m": m, "d": d}
            try:
                row["seconds"] = step_seconds(torch, n, m, d, dtype, args.repeats, args.warmup)
            except Exception as e:  # noqa: BLE001 - reported per case
                row["error"] = "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")
            torch.cuda.empty_cache()
            doc["results"].append(row)
    print(json.dumps(doc, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
