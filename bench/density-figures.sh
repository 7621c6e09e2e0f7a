#!/usr/bin/env bash
# Reruns the README figure too large for the tests: the test risk of examples/density.yaml on the grid of 129 points
# per axis (16641 unknowns: a dense system of 2.2 GB; seconds on two cores) and checks it against the README's
# density table, to half a unit of its last printed digit (the run is seeded; the backends agree to ~1e-10). The
# table's other columns, the spectral and random-features tables, the exported network and examples/density-circle.yaml
# are checked by the app's ReadmeFiguresTest. Exits 1 when the figure does not match, 0 when it does.
#
#   bench/density-figures.sh [OUT]      OUT: where the run goes (default target/density-figures)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/target/density-figures}"
mkdir -p "$out"
points=129

# the README's table: | grid `points` | 9 | … | 129 |, a separator, then | test risk | 2.739e-3 | … | 3.808e-3 (11 s) |
expected="$(grep -A2 -m1 '^| grid `points` |' "$root/README.md" | awk -F'|' -v p="$points" '
  NR == 1 { for (i = 2; i < NF; i++) { gsub(/ /, "", $i); if ($i == p) c = i } }
  NR == 3 && c { v = $c; sub(/\(.*\)/, "", v); gsub(/ /, "", v); print v }')"
if [[ -z "$expected" ]]; then
  echo "FAIL  README.md has no test risk for the grid of $points points"
  exit 1
fi

cd "$root"
dir="$out/grid-$points"
if ! "$root/varflow" run examples/density.yaml --set discretization.points=$points --out "$dir" --force > "$dir.log" 2>&1; then
  echo "FAIL  grid, $points points: the run failed (see $dir.log)"
  exit 1
fi
actual="$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "test_risk") c = i; next } { v = $c } END { print v }' \
  "$dir/history.csv")"

# |actual − expected| ≤ half a unit of expected's last digit (3.808e-3: 5e-7)
if awk -v a="$actual" -v e="$expected" 'BEGIN {
    split(tolower(e), parts, "e"); mantissa = parts[1]; exponent = (2 in parts) ? parts[2] + 0 : 0
    decimals = index(mantissa, ".") ? length(mantissa) - index(mantissa, ".") : 0
    half = 0.5 * 10 ^ (exponent - decimals); d = a - e; if (d < 0) d = -d
    exit !(a != "" && d <= half * (1 + 1e-9)) }'; then
  echo "ok    grid, $points points: test risk $actual (README: $expected)"
else
  echo "FAIL  grid, $points points: test risk ${actual:-missing} (README: $expected)"
  exit 1
fi
