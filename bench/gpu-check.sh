#!/usr/bin/env bash
# GPU check of the cuda backend, in two halves:
#
#   bench/gpu-check.sh pack [DIR]      on a build machine (JDK 17, Maven): builds varflow and packs into DIR
#                                      (default target/gpu-check) all a GPU machine without JDK or network needs:
#                                      a jlinked Java runtime, the varflow jars with the cuda backend and its JNI
#                                      bindings (no ND4J), the backend conformance suite with the JUnit console
#                                      launcher, vs_torch.py and this script. Fails if DIR reaches 64 MiB.
#   DIR/gpu-check.sh run [RESULTS]     on the GPU machine: finds the CUDA 13 libraries, runs the conformance suite
#                                      on jvm and cuda (float64 agreement to 1e-10 included), the quickstart on
#                                      both (final values compared), `varflow bench` on
#                                      cuda at sizes S, M, L, XL and jvm at L, the quickstart at m = 10^7 on
#                                      cuda (it must complete), and the same particle step in
#                                      PyTorch if it is installed; writes everything to RESULTS (default
#                                      gpu-check.txt) and prints it. Exits non-zero when a check fails: the suite
#                                      failing or running no test, a quickstart run failing or its final energy,
#                                      train or test risk differing by more than 1e-10 relative between jvm and
#                                      cuda, a bench exiting non-zero or printing a "failed:" row. The last line
#                                      is the verdict, e.g. "verdict: FAIL (conformance, quickstart)", followed by
#                                      "; kernel emulation: NOT RUN (...)" when pack could not run it. (PyTorch's
#                                      timings are a reference, not a check.)
#   bench/gpu-check.sh selftest        runs the checks and the verdict on canned outputs, passing and failing ones
#   bench/gpu-check.sh emulation       runs the kernel emulation test (as pack does, into the bundle's emulation.txt)
#                                      and prints whether it passed, or was NOT RUN and why (no g++); fails if it failed
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
limit=$((64 * 1024 * 1024))

pack() {
  local root dir version
  root="$(cd "$here/.." && pwd)"
  dir="$(mkdir -p "${1:-$root/target/gpu-check}" && cd "${1:-$root/target/gpu-check}" && pwd)"
  rm -rf "${dir:?}"/*
  mkdir -p "$dir/lib"
  (cd "$root" && ./mvnw -B -q -DskipTests package)
  version="$(sed -n 's:.*<junit.version>5\.\(.*\)</junit.version>.*:1.\1:p' "$root/pom.xml")"
  for artifact in "org.junit.platform:junit-platform-console-standalone:$version" \
    "org.assertj:assertj-core:$(sed -n 's:.*<assertj.version>\(.*\)</assertj.version>.*:\1:p' "$root/pom.xml")"; do
    (cd "$root" && ./mvnw -B -q dependency:copy -DoutputDirectory="$dir/lib" -Dartifact="$artifact")
  done
  # the app, its libraries and the plugins (on the class path: plots and ND4J are not needed here)
  cp "$root/app/target/varflow-app.jar" "$dir/lib/"
  find "$root/app/target/lib/modules" -name '*.jar' ! -name 'varflow-backend-nd4j-*' ! -name 'jfreechart-*' \
    -exec cp {} "$dir/lib/" \;
  cp "$root"/app/target/lib/classpath/javacpp-*.jar "$root"/app/target/lib/classpath/cuda-*.jar "$dir/lib/"
  cp "$root"/backends/conformance/target/varflow-backend-conformance-*-tests.jar "$dir/lib/"
  # java.base and what the class path uses: logging (Guice), XML and naming (Logback's configuration), management,
  # sun.misc.Unsafe (JavaCPP, Guava), jar file systems (JUnit scanning the suite) and the Vector API (the jvm backend's kernels)
  local jlink="${JAVA_HOME:+$JAVA_HOME/bin/}jlink"
  command -v "$jlink" > /dev/null || { echo "gpu-check: jlink not found (a JDK 17+ is needed to pack)" >&2; exit 1; }
  "$jlink" --add-modules java.base,java.logging,java.xml,java.naming,java.management,jdk.unsupported,jdk.zipfs,jdk.incubator.vector \
    --strip-debug --compress=2 --no-header-files --no-man-pages --output "$dir/jre" 2>&1 | grep -v incubator || true
  cp "$here/gpu-check.sh" "$here/vs_torch.py" "$dir/"
  # the kernel emulation (the CUDA kernels compiled with g++ and run on the CPU), for the GPU machine's report
  emulation | tee "$dir/emulation.txt"
  local size
  size="$(du -sb "$dir" | cut -f1)"
  echo "packed $dir: $((size / 1048576)) MiB ($(find "$dir/lib" -name '*.jar' | wc -l) jars, runtime $(du -sm "$dir/jre" | cut -f1) MiB)"
  if ((size >= limit)); then
    echo "gpu-check: $dir is $size bytes, over the 64 MiB a GPU machine accepts" >&2
    exit 1
  fi
}

# runs KernelEmulationTest and prints one line: "kernel emulation: passed", or "NOT RUN (reason)" when it was
# skipped (no g++); fails when it failed
emulation() {
  local root report log
  root="$(cd "$here/.." && pwd)"
  report="$root/backends/cuda/target/surefire-reports/TEST-org.varflow.backend.cuda.KernelEmulationTest.xml"
  log="$(mktemp)"
  rm -f "$report"
  if ! (cd "$root" && ./mvnw -B -q -pl backends/cuda -am test -Dtest=KernelEmulationTest \
    -Dsurefire.failIfNoSpecifiedTests=false) > "$log" 2>&1; then
    tail -40 "$log" >&2
    echo "kernel emulation: FAILED (KernelEmulationTest, output above)"
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
  if [[ ! -f "$report" ]]; then
    echo "kernel emulation: NOT RUN (no report of KernelEmulationTest)"
  elif grep -q '<skipped' "$report"; then
    echo "kernel emulation: NOT RUN ($(grep -o 'Assumption failed: [^<]*' "$report" | head -1 | sed 's/^Assumption failed: //'))"
  elif grep -q 'tests="1"' "$report" && grep -q 'failures="0"' "$report" && grep -q 'errors="0"' "$report"; then
    echo "kernel emulation: passed (KernelEmulationTest on $(uname -m), $(g++ --version | head -1))"
  else
    echo "kernel emulation: FAILED (see $report)"
    return 1
  fi
}

# the driver's libcuda.so.1 and the CUDA 13 libraries the bindings need (toolkit or Python wheels), one path a line
cuda_files() {
  find / -xdev \( -path /proc -o -path /sys -o -path /dev \) -prune -o ! -path '*/.javacpp/*' \
    \( -name 'libcuda.so.1' -o -name 'libcublas.so.13*' -o -name 'libcublasLt.so.13*' -o -name 'libcudart.so.13*' \
    -o -name 'libnvrtc.so.13*' -o -name 'libcusolver.so.12*' -o -name 'libcusolverMg.so.12*' \
    -o -name 'libcusparse.so.12*' -o -name 'libnvJitLink.so.13*' \) -print 2>/dev/null
}

# --- the checks: each reads what a step printed (and its exit status) and returns non-zero when the step failed ---

# conformance RC FILE: the console launcher's exit status and summary; passes only with tests run and none failed
check_conformance() {
  local rc="$1" file="$2" ok failed
  ok="$(sed -n 's/^\[ *\([0-9][0-9]*\) tests successful *\]$/\1/p' "$file" | tail -1)"
  failed="$(sed -n 's/^\[ *\([0-9][0-9]*\) tests failed *\]$/\1/p' "$file" | tail -1)"
  if [[ "$rc" != 0 ]]; then
    echo "conformance: FAIL (the suite exited with status $rc)"
  elif [[ -z "$ok" || -z "$failed" ]]; then
    echo "conformance: FAIL (no test summary in the suite's output)"
  elif ((failed > 0 || ok == 0)); then
    echo "conformance: FAIL ($ok tests successful, $failed failed)"
  else
    echo "conformance: ok ($ok tests successful, none failed)"
    return 0
  fi
  return 1
}

# the "final" entry KEY of a summary.json, as written (a number, NaN, Infinity), or nothing
final_value() {
  awk -v key="\"$2\"" '
    /^  "final" : \{/ { inside = 1; next }
    inside && /^  \}/ { inside = 0 }
    inside && $1 == key { v = $3; sub(/,$/, "", v); print v; exit }' "$1"
}

# completed NAME RC DIR: the run exited with status 0 and wrote a completed DIR/summary.json
check_completed() {
  if [[ "$2" != 0 ]]; then
    echo "$1 exited with status $2"
  elif ! grep -q '^  "status" : "completed",$' "$3/summary.json" 2> /dev/null; then
    echo "$1: no completed $3/summary.json"
  else
    return 0
  fi
  return 1
}

# quickstart DIR RC_JVM RC_CUDA: both runs completed and energy, train and test risk agree to 1e-10 relative
check_quickstart() {
  local dir="$1" bad=0 backend key a b line
  local -A rc=([jvm]="$2" [cuda]="$3")
  for backend in jvm cuda; do
    check_completed "quickstart on $backend" "${rc[$backend]}" "$dir/$backend" || bad=1
  done
  if ((bad == 0)); then
    for key in energy train_risk test_risk; do
      a="$(final_value "$dir/jvm/summary.json" "$key")"
      b="$(final_value "$dir/cuda/summary.json" "$key")"
      line="$(awk -v key="$key" -v a="$a" -v b="$b" 'BEGIN {
        number = "^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$"
        if (a !~ number || b !~ number) { printf "%-10s jvm %s cuda %s: not both finite numbers DIFFERS\n", key, a, b; exit }
        d = a - b; if (d < 0) d = -d
        s = a < 0 ? -a : a; t = b < 0 ? -b : b; if (t > s) s = t
        rel = d == 0 ? 0 : d / s
        printf "%-10s jvm %.17g cuda %.17g relative difference %.1e %s\n", key, a, b, rel, rel <= 1e-10 ? "ok" : "DIFFERS" }')"
      echo "$line"
      [[ "$line" == *ok ]] || bad=1
    done
  fi
  if ((bad)); then
    echo "quickstart: FAIL"
    return 1
  fi
  echo "quickstart: ok (cuda agrees with jvm to 1e-10 relative)"
}

# bench NAME RC FILE: `varflow bench` exited 0 and printed no "failed:" row
check_bench() {
  local name="$1" rc="$2" file="$3" rows
  rows="$(grep -c ' failed: ' "$file" || true)"
  if [[ "$rc" != 0 ]]; then
    echo "$name: FAIL (exited with status $rc, $rows failed rows)"
  elif ((rows > 0)); then
    echo "$name: FAIL ($rows failed rows)"
  elif ! grep -q '^[a-z0-9-]* *float' "$file"; then
    echo "$name: FAIL (no result rows)"
  else
    echo "$name: ok"
    return 0
  fi
  return 1
}

# verdict NOTE FAILED...: the last line; NOTE (may be empty) says what was not checked
verdict() {
  local note="$1"
  shift
  local text="PASS"
  if (($# > 0)); then
    text="FAIL ($(printf '%s, ' "$@" | sed 's/, $//'))"
  fi
  echo "verdict: $text${note:+; $note}"
}

# what pack found of the kernel emulation test on the build machine (emulation.txt in the bundle)
emulation_note() {
  local f="$here/emulation.txt"
  if [[ ! -f "$f" ]]; then
    echo "kernel emulation: NOT RUN (no emulation.txt from pack)"
  elif ! grep -q '^kernel emulation: passed' "$f"; then
    head -1 "$f"
  fi
}

run() {
  local results="${1:-gpu-check.txt}" java="$here/jre/bin/java" cp="$here/lib/*"
  local opts=(-Xmx16g --add-modules jdk.incubator.vector)
  local files driver
  files="$(cuda_files)"
  export VARFLOW_CUDA_PATH="${VARFLOW_CUDA_PATH:+$VARFLOW_CUDA_PATH:}$(grep -v '/libcuda\.so\.1$' <<< "$files" \
    | xargs -r -n1 dirname | sort -u | paste -sd:)"
  # the driver's libcuda.so.1 is found by the dynamic linker, not preloaded: make sure it can
  driver="$(grep -m1 '/libcuda\.so\.1$' <<< "$files" || true)"
  [[ -n "$driver" ]] && export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$(dirname "$driver")"
  local work
  work="$(mktemp -d)"
  {
    local failed=() rc rc_jvm rc_cuda note
    echo "# varflow GPU check, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "## machine"
    nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv 2>&1 || true
    echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), $(nproc) cores"
    echo "VARFLOW_CUDA_PATH=$VARFLOW_CUDA_PATH"
    echo "LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"
    echo
    echo "## kernel emulation (on the build machine, by pack)"
    cat "$here/emulation.txt" 2> /dev/null || echo "kernel emulation: NOT RUN (no emulation.txt from pack)"
    echo
    echo "## backends (information: the conformance suite fails if cuda is not found or cannot compute)"
    "$java" "${opts[@]}" -cp "$cp" org.varflow.app.Main plugins 2>&1 | grep '^backend' || true
    echo
    echo "## conformance (jvm, cuda)"
    rc=0
    "$java" "${opts[@]}" -Dvarflow.conformance.backends=jvm,cuda -cp "$cp" \
      org.junit.platform.console.ConsoleLauncher execute --disable-banner --details=summary --fail-if-no-tests \
      --details-theme=ascii --scan-classpath "$(echo "$here"/lib/varflow-backend-conformance-*-tests.jar)" \
      > "$work/conformance.txt" 2>&1 || rc=$?
    tail -40 "$work/conformance.txt"
    check_conformance "$rc" "$work/conformance.txt" || failed+=(conformance)
    echo
    echo "## the bundled quickstart (float64) on jvm and cuda: final values agree to 1e-10 relative?"
    rc_jvm=0
    "$java" "${opts[@]}" -cp "$cp" org.varflow.app.Main run --backend jvm --out "$work/jvm" 2>&1 | tail -2 || rc_jvm=$?
    rc_cuda=0
    "$java" "${opts[@]}" -cp "$cp" org.varflow.app.Main run --backend cuda --out "$work/cuda" 2>&1 | tail -2 || rc_cuda=$?
    check_quickstart "$work" "$rc_jvm" "$rc_cuda" || failed+=(quickstart)
    echo
    echo "## varflow bench: cuda S, M, L, XL; jvm L"
    rc=0
    "$java" "${opts[@]}" -cp "$cp" org.varflow.app.Main bench --backend cuda --sizes S,M,L,XL > "$work/bench-cuda.txt" 2>&1 || rc=$?
    cat "$work/bench-cuda.txt"
    check_bench "bench cuda" "$rc" "$work/bench-cuda.txt" || failed+=("bench cuda")
    rc=0
    "$java" "${opts[@]}" -cp "$cp" org.varflow.app.Main bench --backend jvm --sizes L --precision float32 > "$work/bench-jvm.txt" 2>&1 || rc=$?
    cat "$work/bench-jvm.txt"
    check_bench "bench jvm" "$rc" "$work/bench-jvm.txt" || failed+=("bench jvm")
    echo
    echo "## ten million particles on cuda: the quickstart at m = 10^7, three steps (blocks of activations)"
    rc=0
    "$java" "${opts[@]}" -cp "$cp" org.varflow.app.Main run --backend cuda --set discretization.width=10000000 \
      --set solver.steps=3 --set solver.record_every=3 --out "$work/wide" 2>&1 | tail -12 || rc=$?
    if check_completed "m = 10^7 on cuda" "$rc" "$work/wide"; then
      echo "m = 10^7 on cuda: ok"
    else
      failed+=("m = 10^7")
    fi
    echo
    echo "## PyTorch, the same step (a timing reference, not part of the verdict)"
    if command -v python3 > /dev/null; then
      python3 "$here/vs_torch.py" --sizes S,M,L,XL,RESNET 2>&1 || true
    else
      echo "no python3"
    fi
    echo
    note="$(emulation_note)"
    verdict "$note" "${failed[@]}"
    ((${#failed[@]} == 0))
  } 2>&1 | tee "$results"
  local status=("${PIPESTATUS[@]}")
  rm -rf "$work"
  return "${status[0]}"
}

# --- selftest: the checks and the verdict on canned outputs, each expected to pass or to fail ---
selftest() {
  local t errors=0
  t="$(mktemp -d)"
  expect() { # expect pass|fail DESCRIPTION COMMAND...
    local want="$1" what="$2" got=pass
    shift 2
    "$@" > "$t/out" 2>&1 || got=fail
    if [[ "$got" == "$want" ]]; then
      echo "ok    $what: ${want/%s/}s ($(tail -1 "$t/out"))"
    else
      echo "WRONG $what: should $want, did $got:"
      sed 's/^/      /' "$t/out"
      errors=$((errors + 1))
    fi
  }
  summary() { # summary OK FAILED
    printf '[%10d containers successful ]\n[%10d tests successful      ]\n[%10d tests failed          ]\n' 9 "$1" "$2"
  }
  summary 412 0 > "$t/conf-pass"
  summary 400 12 > "$t/conf-fail"
  summary 0 0 > "$t/conf-none"
  echo "Error: Could not find or load main class org.junit.platform.console.ConsoleLauncher" > "$t/conf-crash"
  expect pass "conformance, all successful" check_conformance 0 "$t/conf-pass"
  expect fail "conformance, 12 failed" check_conformance 1 "$t/conf-fail"
  expect fail "conformance, failures but status 0" check_conformance 0 "$t/conf-fail"
  expect fail "conformance, status 1 with a clean summary" check_conformance 1 "$t/conf-pass"
  expect fail "conformance, no tests" check_conformance 2 "$t/conf-none"
  expect fail "conformance, no tests but status 0" check_conformance 0 "$t/conf-none"
  expect fail "conformance, the launcher did not start" check_conformance 1 "$t/conf-crash"

  run_dir() { # run_dir DIR ENERGY TRAIN TEST [STATUS]
    mkdir -p "$1"
    cat > "$1/summary.json" << JSON
{
  "status" : "${5:-completed}",
  "spec" : "quickstart",
  "initial" : {
    "step" : 0,
    "energy" : 0.3780048191175799,
    "train_risk" : 0.377900193551542,
    "test_risk" : 0.4132599021731339
  },
  "final" : {
    "step" : 400,
    "energy" : $2,
    "train_risk" : $3,
    "test_risk" : $4,
    "wall_ms" : 1424.30637
  }
}
JSON
  }
  run_dir "$t/same/jvm" 3.950884100979867E-4 1.1276813832212795E-4 1.456882378083176E-4
  run_dir "$t/same/cuda" 3.9508841009798e-4 1.1276813832212795E-4 1.456882378083176E-4
  run_dir "$t/off/jvm" 3.950884100979867E-4 1.1276813832212795E-4 1.456882378083176E-4
  run_dir "$t/off/cuda" 3.950884100979867E-4 1.1276813832212795E-4 1.456882378283176E-4
  run_dir "$t/nan/jvm" 3.950884100979867E-4 1.1276813832212795E-4 1.456882378083176E-4
  run_dir "$t/nan/cuda" NaN 1.1276813832212795E-4 1.456882378083176E-4
  run_dir "$t/broken/jvm" 3.950884100979867E-4 1.1276813832212795E-4 1.456882378083176E-4
  run_dir "$t/broken/cuda" 3.950884100979867E-4 1.1276813832212795E-4 1.456882378083176E-4 failed
  mkdir -p "$t/missing/jvm"
  run_dir "$t/missing/cuda" 3.950884100979867E-4 1.1276813832212795E-4 1.456882378083176E-4
  expect pass "quickstart, agreeing to 2e-14" check_quickstart "$t/same" 0 0
  expect fail "quickstart, test risk off by 1.4e-10" check_quickstart "$t/off" 0 0
  expect fail "quickstart, NaN energy on cuda" check_quickstart "$t/nan" 0 0
  expect fail "quickstart, cuda run not completed" check_quickstart "$t/broken" 0 0
  expect fail "quickstart, no jvm summary" check_quickstart "$t/missing" 0 0
  expect fail "quickstart, cuda run exited 1" check_quickstart "$t/same" 0 1
  expect pass "a run that completed" check_completed "run" 0 "$t/same/cuda"
  expect fail "a run that exited 1" check_completed "run" 1 "$t/same/cuda"
  expect fail "a run without a completed summary" check_completed "run" 0 "$t/broken/cuda"

  cat > "$t/bench-pass" << 'TXT'
backend   precision size      n     m    d     seconds
cuda      float32  S       1024   256   16   0.0003123
cuda      float64  M       8192  2048   64    0.004567
TXT
  cp "$t/bench-pass" "$t/bench-fail"
  echo "cuda      float64  XL     65536 16384  256  failed: OutOfMemoryError: GPU memory exhausted" >> "$t/bench-fail"
  echo "error: backend 'cuda' unavailable: no CUDA driver" > "$t/bench-none"
  expect pass "bench, all rows timed" check_bench bench 0 "$t/bench-pass"
  expect fail "bench, one failed row, status 0" check_bench bench 0 "$t/bench-fail"
  expect fail "bench, status 3" check_bench bench 3 "$t/bench-pass"
  expect fail "bench, no rows" check_bench bench 0 "$t/bench-none"

  expect pass "verdict, nothing failed" verdict_is "verdict: PASS" ""
  expect pass "verdict, two failed" verdict_is "verdict: FAIL (conformance, bench cuda)" "" conformance "bench cuda"
  expect pass "verdict, emulation not run" verdict_is "verdict: PASS; kernel emulation: NOT RUN (no g++)" \
    "kernel emulation: NOT RUN (no g++)"
  echo "kernel emulation: passed (21 cases)" > "$t/emulation-ran"
  echo "kernel emulation: NOT RUN (no g++ on the build machine)" > "$t/emulation-skipped"
  expect pass "emulation note, ran" note_is "" "$t/emulation-ran"
  expect pass "emulation note, skipped" note_is "kernel emulation: NOT RUN (no g++ on the build machine)" "$t/emulation-skipped"
  expect pass "emulation note, not packed" note_is "kernel emulation: NOT RUN (no emulation.txt from pack)" "$t/none"
  rm -rf "$t"
  if ((errors > 0)); then
    echo "selftest: $errors WRONG"
    return 1
  fi
  echo "selftest: all as expected"
}

verdict_is() { # verdict_is EXPECTED NOTE FAILED...
  local want="$1" got
  shift
  got="$(verdict "$@")"
  echo "$got"
  [[ "$got" == "$want" ]]
}

note_is() { # note_is EXPECTED FILE
  local got
  got="$(here=/nonexistent; [[ -f "$2" ]] && { here="$(mktemp -d)"; cp "$2" "$here/emulation.txt"; }; emulation_note)"
  echo "${got:-(no note)}"
  [[ "$got" == "$1" ]]
}

case "${1:-}" in
  pack) shift; pack "$@" ;;
  run) shift; run "$@" ;;
  selftest) selftest ;;
  emulation) emulation ;;
  *) echo "usage: $0 pack [DIR] | run [RESULTS] | selftest | emulation" >&2; exit 2 ;;
esac
