#!/usr/bin/env bash
# Reruns the figures README's "Mean-field dynamics" and "Wide networks" sections quote and checks each against the
# README's value (relative 3%; the runs are seeded, so a larger difference is a change of behaviour, not noise). Exits
# 1 when a figure does not match, 0 when all do. About eleven minutes on two cores.
#
#   bench/mean-field-figures.sh [OUT]      OUT: where the runs go (default target/mean-field-figures)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/target/mean-field-figures}"
mkdir -p "$out"
failed=0

# column VALUE of the row at STEP (or the last row) of DIR/history.csv
column() {
  awk -F, -v name="$2" -v step="${3:-}" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
    step == "" || $1 == step { v = $c } END { print v }' "$1/history.csv"
}

# check WHAT ACTUAL EXPECTED: within 3% relative
check() {
  if awk -v a="$2" -v e="$3" 'BEGIN { d = a - e; if (d < 0) d = -d; exit !(a != "" && d <= 0.03 * (e < 0 ? -e : e)) }'; then
    echo "ok    $1: $2 (README: $3)"
  else
    echo "FAIL  $1: ${2:-missing} (README: $3)"
    failed=1
  fi
}

run() {
  local dir="$out/$1"; shift
  "$root/varflow" run "$@" --set backend=nd4j-cpu --out "$dir" --force > "$dir.log" 2>&1
}

cd "$root"
run sav-euler examples/sav.yaml
code=$?
if [[ $code == 3 ]] && grep -q "diverged at step 72" "$out/sav-euler.log"; then
  echo "ok    explicit Euler on examples/sav.yaml diverges at step 72 (exit 3)"
else
  echo "FAIL  explicit Euler on examples/sav.yaml: exit $code, $(grep -o 'diverged at step [0-9]*' "$out/sav-euler.log")"
  failed=1
fi
check "its energy at step 60" "$(column "$out/sav-euler" energy 60)" 4.6e244
run sav examples/sav.yaml --set solver.kind=sav
check "SAV: test risk at step 100" "$(column "$out/sav" test_risk)" 0.00176
check "SAV: modified energy at step 100" "$(column "$out/sav" modified_energy)" 0.00348
if awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "modified_energy") c = i; next }
    NR > 2 && $c > prev { bad = 1 } { prev = $c } END { exit bad }' "$out/sav/history.csv"; then
  echo "ok    SAV: the modified energy never increases"
else
  echo "FAIL  SAV: the modified energy increases"
  failed=1
fi

langevin=(--set "solver={kind: langevin, step: 0.5, steps: 400, record_every: 400}")
run gd --set "regularizers=[{kind: weight-decay, strength: 1.0e-3}]" --set "solver={step: 0.5, steps: 400, record_every: 400}"
check "gradient descent: test risk" "$(column "$out/gd" test_risk)" 1.43e-4
for row in "1e-4 2.65e-4 -2.51" "1e-3 1.14e-3 -11.8" "1e-2 5.28e-2 -23.2"; do
  read -r tau risk entropy <<< "$row"
  run "langevin-$tau" --set "regularizers=[{kind: weight-decay, strength: 1.0e-3}, {kind: entropy, temperature: $tau}]" \
    "${langevin[@]}"
  check "Langevin τ = $tau: test risk" "$(column "$out/langevin-$tau" test_risk)" "$risk"
  check "Langevin τ = $tau: ∫ρ log ρ" "$(column "$out/langevin-$tau" entropy)" "$entropy"
done

run conic examples/conic.yaml --set solver.record_every=400
run particles examples/conic.yaml --set solver.record_every=400 --set "discretization={kind: particles, width: 64}"
for pair in "400 3.17e-4 1.34e-3" "800 1.36e-4 5.12e-4" "2000 5.49e-5 1.66e-4" "4000 2.97e-5 8.32e-5"; do
  read -r step conic particles <<< "$pair"
  check "conic particles at step $step: test risk" "$(column "$out/conic" test_risk "$step")" "$conic"
  check "particles at step $step: test risk" "$(column "$out/particles" test_risk "$step")" "$particles"
done

# "Wide networks": the quickstart to t = 50 at growing width (the million takes about five minutes)
for row in "1000 1.110e-3 1.274e-3" "10000 1.174e-3 1.353e-3" "100000 1.165e-3 1.340e-3" "1000000 1.162e-3 1.337e-3"; do
  read -r m train test <<< "$row"
  run "wide-$m" --set discretization.width="$m" --set solver.steps=100 --set solver.record_every=25
  check "width $m: train risk" "$(column "$out/wide-$m" train_risk)" "$train"
  check "width $m: test risk" "$(column "$out/wide-$m" test_risk)" "$test"
done

if [[ $failed == 0 ]]; then echo "verdict: every mean-field figure of the README matches"; else echo "verdict: MISMATCH"; fi
exit $failed
