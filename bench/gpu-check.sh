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
#                                      cuda at sizes S, M, L, XL and jvm at L, and the same particle step in
#                                      PyTorch if it is installed; writes everything to RESULTS (default
#                                      gpu-check.txt) and prints it.
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
  local size
  size="$(du -sb "$dir" | cut -f1)"
  echo "packed $dir: $((size / 1048576)) MiB ($(find "$dir/lib" -name '*.jar' | wc -l) jars, runtime $(du -sm "$dir/jre" | cut -f1) MiB)"
  if ((size >= limit)); then
    echo "gpu-check: $dir is $size bytes, over the 64 MiB a GPU machine accepts" >&2
    exit 1
  fi
}

# the driver's libcuda.so.1 and the CUDA 13 libraries the bindings need (toolkit or Python wheels), one path a line
cuda_files() {
  find / -xdev \( -path /proc -o -path /sys -o -path /dev \) -prune -o ! -path '*/.javacpp/*' \
    \( -name 'libcuda.so.1' -o -name 'libcublas.so.13*' -o -name 'libcublasLt.so.13*' -o -name 'libcudart.so.13*' \
    -o -name 'libnvrtc.so.13*' -o -name 'libcusolver.so.12*' -o -name 'libcusolverMg.so.12*' \
    -o -name 'libcusparse.so.12*' -o -name 'libnvJitLink.so.13*' \) -print 2>/dev/null
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
  {
    echo "# varflow GPU check, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "## machine"
    nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv 2>&1 || true
    echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), $(nproc) cores"
    echo "VARFLOW_CUDA_PATH=$VARFLOW_CUDA_PATH"
    echo "LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"
    echo
    echo "## backends"
    "$java" "${opts[@]}" -cp "$cp" org.varflow.app.Main plugins 2>&1 | grep '^backend' || true
    echo
    echo "## conformance (jvm, cuda)"
    "$java" "${opts[@]}" -Dvarflow.conformance.backends=jvm,cuda -cp "$cp" \
      org.junit.platform.console.ConsoleLauncher execute --disable-banner --details=summary \
      --details-theme=ascii --scan-classpath "$(echo "$here"/lib/varflow-backend-conformance-*-tests.jar)" 2>&1 | tail -40 || true
    echo
    echo "## the bundled quickstart (float64) on jvm and cuda: final values agree to 1e-10 relative?"
    local work
    work="$(mktemp -d)"
    for backend in jvm cuda; do
      "$java" "${opts[@]}" -cp "$cp" org.varflow.app.Main run --backend "$backend" --out "$work/$backend" 2>&1 | tail -2 || true
    done
    python3 - "$work" <<'PY' || true
import json, sys
try:
    final = {b: json.load(open("%s/%s/summary.json" % (sys.argv[1], b)))["final"] for b in ("jvm", "cuda")}
except OSError as e:
    sys.exit("no comparison: %s" % e)
for key in ("energy", "train_risk", "test_risk"):
    a, b = final["jvm"][key], final["cuda"][key]
    rel = abs(a - b) / abs(a)
    print("%-10s jvm %.17g cuda %.17g relative difference %.1e %s" % (key, a, b, rel, "ok" if rel <= 1e-10 else "DIFFERS"))
PY
    rm -rf "$work"
    echo
    echo "## varflow bench: cuda S, M, L, XL; jvm L"
    "$java" "${opts[@]}" -cp "$cp" org.varflow.app.Main bench --backend cuda --sizes S,M,L,XL 2>&1 || true
    "$java" "${opts[@]}" -cp "$cp" org.varflow.app.Main bench --backend jvm --sizes L --precision float32 2>&1 || true
    echo
    echo "## PyTorch, the same step"
    if command -v python3 > /dev/null; then
      python3 "$here/vs_torch.py" --sizes S,M,L,XL 2>&1 || true
    else
      echo "no python3"
    fi
  } 2>&1 | tee "$results"
}

case "${1:-}" in
  pack) shift; pack "$@" ;;
  run) shift; run "$@" ;;
  *) echo "usage: $0 pack [DIR] | run [RESULTS]" >&2; exit 2 ;;
esac
