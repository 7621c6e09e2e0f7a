#!/usr/bin/env python3
"""Times the particle step of `varflow bench` in PyTorch on the GPU, for the comparison with varflow's cuda backend.

  python3 bench/vs_torch.py [--sizes L,XL,RESNET] [--precision float32,float64] [--repeats 10] [--warmup 2]
                            [--device cuda|cpu]

The step is the one varflow's `particles` discretization takes and bench/vs_numpy.py writes in NumPy: one
explicit-Euler step of the mean-field two-layer network f(x) = (1/m) sum_j a_j relu(w_j . x) under the squared
loss, n samples, m particles, d inputs (sizes as in `varflow bench`: S 1024/256/16, M 8192/2048/64,
L 16384/4096/256, XL 65536/16384/256). TF32 is switched off, as in varflow, so float32 products are float32.
Size RESNET is the step of varflow's `resnet` discretization that `varflow bench` times with size M: n = 4096
samples in D = 32 dimensions (identity embedding), L = 16 layers of M = 128 particles,
z_{l+1} = z_l + (1/(LM)) relu(z_l W_l^T) a_l, f = 1^T z_L, its gradient by autograd (the backward sweep varflow
writes as a discrete adjoint) and the velocity scaled by L*M.
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


def resnet_seconds(torch, device, n, dim, layers, width, dtype, repeats, warmup):
    g = torch.Generator(device=device).manual_seed(0)
    x = torch.randn(n, dim, device=device, dtype=dtype, generator=g)
    y = torch.randn(n, device=device, dtype=dtype, generator=g)
    a = torch.randn(layers, width, dim, device=device, dtype=dtype, generator=g).requires_grad_()
    w = (torch.randn(layers, width, dim, device=device, dtype=dtype, generator=g) / math.sqrt(dim)).requires_grad_()
    h = 1e-3
    scale = 1.0 / (layers * width)
    times = []
    for _ in range(warmup + repeats):
        sync(torch, device)
        t = time.perf_counter()
        z = x                                          # z(0) = Vx, V the identity
        for l in range(layers):
            z = z + scale * torch.relu(z @ w[l].T) @ a[l]
        loss = 0.5 * ((z.sum(dim=1) - y) ** 2).mean()  # (1/2n) sum (f - y)^2
        ga, gw = torch.autograd.grad(loss, (a, w))
        with torch.no_grad():
            a -= h * layers * width * ga               # velocity -(LM) grad E: solver time is depth-continuum time
            w -= h * layers * width * gw
        sync(torch, device)
        times.append(time.perf_counter() - t)
    return statistics.median(times[warmup:])


def sync(torch, device):
    if device == "cuda":
        torch.cuda.synchronize()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="L,XL")
    p.add_argument("--precision", default="float32,float64")
    p.add_argument("--repeats", type=int, default=10)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--device", default="cuda", choices=["cuda", "cpu"])
    args = p.parse_args()
    try:
        import torch
    except ImportError:
        print(json.dumps({"error": "PyTorch is not installed"}))
        return 1
    if args.device == "cuda" and not torch.cuda.is_available():
        print(json.dumps({"torch": torch.__version__, "error": "torch.cuda.is_available() is false"}))
        return 1
    torch.backends.cuda.matmul.allow_tf32 = False
    doc = {"torch": torch.__version__, "cuda": torch.version.cuda,
           "device": torch.cuda.get_device_name(0) if args.device == "cuda" else "cpu", "results": []}
    for size in args.sizes.split(","):
        n, m, d = SIZES[size] if size != "RESNET" else (4096, 16 * 128, 32)
        for precision in args.precision.split(","):
            dtype = torch.float32 if precision == "float32" else torch.float64
            row = {"size": size, "precision": precision, "n": n, "m": m, "d": d}
            try:
                if size == "RESNET":
                    row["seconds"] = resnet_seconds(torch, args.device, n, d, 16, 128, dtype, args.repeats, args.warmup)
                elif args.device != "cuda":
                    raise ValueError("the particle sizes are timed on the GPU only")
                else:
                    row["seconds"] = step_seconds(torch, n, m, d, dtype, args.repeats, args.warmup)
            except Exception as e:  # noqa: BLE001 - reported per case
                row["error"] = "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")
            if args.device == "cuda":
                torch.cuda.empty_cache()
            doc["results"].append(row)
    print(json.dumps(doc, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
