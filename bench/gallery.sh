#!/usr/bin/env bash
# Runs every entry of the gallery (varflow examples) as a study and checks its measured outcome twice: against the
# figures the README's "Gallery" table quotes (to one unit of their last printed digit; the studies are seeded, so a
# larger difference is a change of behaviour, not noise), and against the theory the entry illustrates (a slope's 95%
# interval holding the predicted exponent, a decay rate of at least 2λ, …). Prints each entry's wall time. Exits 1 when
# a figure or a prediction does not hold, 0 when all do. About five minutes on two cores.
#
#   bench/gallery.sh [OUT [NAME...]]      OUT: where the studies go (default target/gallery); NAME: only these entries
#   VARFLOW=CMD bench/gallery.sh          runs CMD instead of the launcher ./varflow (e.g. one that does not rebuild)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
varflow="${VARFLOW:-$root/varflow}"
out="${1:-$root/target/gallery}"
shift || true
mkdir -p "$out"
cd "$root"
names=("$@")
if [[ ${#names[@]} == 0 ]]; then
  mapfile -t names < <($varflow examples 2>/dev/null | awk 'NF == 0 { exit } { print $1 }')
fi
if [[ ${#names[@]} == 0 ]]; then
  echo "FAIL  varflow examples lists no entry"
  exit 1
fi
failed=0
for name in "${names[@]}"; do
  dir="$out/$name"
  rm -rf "$dir"
  start=$(date +%s.%N)
  $varflow study --example "$name" --out "$dir" > "$dir.log" 2>&1
  code=$?
  seconds=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }')
  if [[ $code != 0 ]]; then
    echo "FAIL  $name: the study exited with $code after $seconds s (see $dir.log)"
    failed=1
    continue
  fi
  # the README's row: | `NAME` | expected | measured | time |; the measured cell's numbers, in order
  row="$(grep -m1 "^| \`$name\` |" README.md)"
  if [[ -z "$row" ]]; then
    echo "FAIL  $name: README.md's Gallery table has no row for it"
    failed=1
    continue
  fi
  if ! python3 - "$name" "$dir" "$row" "$seconds" <<'PY'
import csv, json, re, sys
name, d, row, seconds = sys.argv[1:5]
cell = row.split("|")[3].replace("\u2212", "-")
quoted = re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", cell)
rates = json.load(open(d + "/rates.json"))
fits = rates["rates"]
rows = list(csv.DictReader(open(d + "/study.csv")))

def fit(fixed=None):
    return next(r for r in fits if fixed is None or r["fixed"] == fixed)

def covers(r, value):
    return r["interval"] is not None and r["interval"][0] <= value <= r["interval"][1]

def last(run, column):
    return float(list(csv.DictReader(open(run + "/history.csv")))[-1][column])

def stopping(width):  # the seed mean of final / minimal test risk along the flow
    ratios = []
    for r in rows:
        if r["discretization.width"] == width:
            h = [float(x["test_risk"]) for x in csv.DictReader(open(f"{d}/runs/discretization.width={width}/seed-{r['seed']}/history.csv"))]
            ratios.append(h[-1] / min(h))
    return sum(ratios) / len(ratios)

if name == "width-law":
    r = fit(); measured = [r["slope"]]; theory = ("interval holds -1", covers(r, -1))
elif name == "convex-decay":
    r = fit(); measured = [-r["slope"]]; theory = ("rate >= 2 alpha = 0.1", -r["slope"] >= 0.1 and r["r2"] > 0.99)
elif name == "early-stopping":
    a, b = stopping("100"), stopping("2000")
    measured = [a, b]; theory = ("final/min larger at m = n than at m = 20n, both > 1", a > b > 1)
elif name == "mean-field-vs-kernel":
    kernel = rates["reference"]["values"]["1"]
    test = {(r["model.kind"], r["discretization.width"]): float(r["test_risk"]) for r in rows}
    mf, rf, rf64 = test[("two-layer", "4096")], test[("random-features", "4096")], test[("random-features", "64")]
    measured = [mf, rf, kernel]
    theory = ("mean field < kernel / 100 < random features, which approach the kernel", mf < kernel / 100 and kernel < rf < rf64)
elif name == "density-grid":
    r = fit(); measured = [r["slope"]]; theory = ("interval holds -2", covers(r, -2))
elif name == "density-spectral":
    r = fit(); measured = [-r["slope"]]; theory = ("geometric: a straight line on semi-log axes (R^2 > 0.99)", r["r2"] > 0.99)
elif name == "sampled-networks":
    r = fit(); measured = [r["slope"]]; theory = ("interval holds -1", covers(r, -1))
elif name == "generalization-gap":
    r = fit(); measured = [r["slope"]]; theory = ("exponent above the bound's -1 (gap <= C/alpha)", r["slope"] > -1)
else:
    print(f"FAIL  {name}: bench/gallery.sh does not know how to check it"); sys.exit(1)

ok = len(quoted) == len(measured)
for q, m in zip(quoted, measured):
    mantissa = q.split("e")[0]
    exponent = int(q.split("e")[1]) if "e" in q else 0
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    ok = ok and abs(m - float(q)) <= 10 ** (exponent - decimals) * (1 + 1e-9)
shown = ", ".join(f"{m:.4g}" for m in measured)
print(f"{'ok  ' if ok else 'FAIL'}  {name}: {shown} (README: {', '.join(quoted) or 'nothing'}), {seconds} s")
print(f"{'ok  ' if theory[1] else 'FAIL'}  {name}: {theory[0]}")
sys.exit(0 if ok and theory[1] else 1)
PY
  then
    failed=1
  fi
done
exit $failed
