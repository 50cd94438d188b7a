#!/usr/bin/env bash
# The performance report (issue 9): every figure the earlier issues named, measured in one session
# on one machine by the existing harnesses, printed as one Markdown table (docs/performance.md,
# "Report"). Run from anywhere; under the shared build lock on a shared machine:
#
#   flock /tmp/outflow-build.lock bash Benchmarks/report/run-report.sh [--quick] [--out DIR]
#         [--peer-python PATH] [--skip-build]
#
#   --quick        small sizes (20k profiles, 2,000 requests): checks the whole chain in a few
#                  minutes; its figures are not the report's. Never run by CI.
#   --out DIR      where the raw outputs and report.md go (default /tmp/outflow-report-DATE).
#   --peer-python  a python with hubspot-api-client (default /tmp/peervenv/bin/python).
#   --skip-build   use the release builds already there.
#
# What it runs, in this order (the pinning of the HTTP and sync harnesses, kept for all: work
# measured on core 0, servers on core 1):
#   1. release builds: `outflow`, and the Benchmarks package (ordo-one plugin + HTTPBench);
#   2. the ordo-one benchmarks (Benchmarks/Benchmarks/SourceBenchmarks) pinned to core 0: CSV
#      decode, decode + filter, decode + filter + mapping, Python and JavaScript functions in-process
#      and in the worker host, the plain Python loop, peak memory of the 10M-row read;
#   3. Benchmarks/http/run-http-bench.sh: HTTPClient vs raw libcurl multi in one process, in
#      interleaved slices, nginx on core 1;
#   4. Benchmarks/sync/sync_bench.py: requests per 100 profiles, dry run, end to end vs the
#      hubspot-api-client peer (three alternating pairs), the mock's wrk ceilings, the rate-limited
#      sync; mock on core 1.
# Then Benchmarks/report/report_table.py prints the table (also written to DIR/report.md).
# It installs nothing: a missing tool is reported with the line that installs it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

mode=full
out=""
peer_python=/tmp/peervenv/bin/python
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) mode=quick ;;
    --out) out=$2; shift ;;
    --peer-python) peer_python=$2; shift ;;
    --skip-build) build=0 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "run-report.sh: unknown option $1 (see --help)" >&2; exit 64 ;;
  esac
  shift
done

if [ "$mode" = quick ]; then
  rows=20000; rows_label=20k; memory_rows=200000; memory_label=200k
  http_requests=4000; http_slices=4; http_processes=2; sync_profiles=20000; sync_label=20k; wrk_seconds=3; pairs=1
else
  rows=1000000; rows_label=1M; memory_rows=10000000; memory_label=10M
  http_requests=80000; http_slices=80; http_processes=8; sync_profiles=100000; sync_label=100k; wrk_seconds=10; pairs=3
fi
out=${out:-/tmp/outflow-report-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
started=$(date +%s)
log() { printf '[%4ds] %s\n' $(( $(date +%s) - started )) "$*" >&2; }

# --- What the run needs; nothing is installed here. ---
missing=()
command -v taskset >/dev/null || missing+=("taskset: apt-get install -y util-linux")
command -v nginx >/dev/null || missing+=("nginx: apt-get install -y nginx-light")
command -v wrk >/dev/null || missing+=("wrk: apt-get install -y wrk")
[ -x /usr/bin/time ] || missing+=("GNU time (the runs' peak RSS): apt-get install -y time")
command -v cc >/dev/null || missing+=("a C compiler: apt-get install -y gcc")
[ -f /usr/include/curl/curl.h ] || [ -f /usr/include/x86_64-linux-gnu/curl/curl.h ] || missing+=("libcurl headers: apt-get install -y libcurl4-openssl-dev")
[ -x /usr/bin/python3.11 ] || missing+=("/usr/bin/python3.11 (the plain Python loop runs in the interpreter Outflow embeds): apt-get install -y python3.11")
command -v python3 >/dev/null || missing+=("python3: apt-get install -y python3")
command -v swift >/dev/null || missing+=("swift 6.3.1 (swift.org toolchain)")
"$peer_python" -c 'import hubspot' 2>/dev/null || missing+=("the SDK peer's Python ($peer_python): python3 -m venv /tmp/peervenv && /tmp/peervenv/bin/pip install hubspot-api-client")
[ "$(nproc)" -ge 2 ] || missing+=("two cores (servers are pinned to core 1, clients to core 0); this machine has $(nproc)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "run-report.sh: missing, install and run again:" >&2
  printf '  %s\n' "${missing[@]}" >&2
  exit 2
fi

# --- Builds (release). ---
outflow="$root/.build/release/outflow"
if [ "$build" = 1 ]; then
  log "building outflow (release)"
  (cd "$root" && swift build -c release --product outflow 2>&1 | grep -E "error|warning: |Compiling|Build" | tail -3) >&2
  log "building the Benchmarks package (release; the ordo-one plugin and HTTPBench)"
  (cd "$root" && swift package --package-path Benchmarks benchmark list >"$out/ordo-build.log" 2>&1) || {
    tail -20 "$out/ordo-build.log" >&2; exit 1; }
  (cd "$root" && swift build -c release --package-path Benchmarks --product HTTPBench 2>&1 | grep -E "error|Build" | tail -2) >&2
fi
[ -x "$outflow" ] || { echo "run-report.sh: no $outflow (run without --skip-build)" >&2; exit 1; }

# --- The session's facts, and each row's command (read by report_table.py). ---
quick_env=""
[ "$mode" = quick ] && quick_env="OUTFLOW_BENCH_ROWS=$rows OUTFLOW_BENCH_MEMORY_ROWS=$memory_rows "
ordo="${quick_env}OUTFLOW_BIN=.build/release/outflow taskset -c 0 swift package --package-path Benchmarks benchmark --filter"
sync="python3 Benchmarks/sync/sync_bench.py --profiles $sync_profiles"
python3 - "$out/meta.json" <<PY
import json, os, platform, subprocess, sys, datetime
def sh(*args):
    try:
        return subprocess.run(args, capture_output=True, text=True, cwd="$root").stdout.strip()
    except OSError:
        return ""
cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
memory = next((int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal")), 0)
swift = sh("swift", "--version").splitlines()
meta = {
    "mode": "$mode",
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "machine": f"{os.cpu_count()} cores ({cpu}), {memory / 1024 / 1024:.0f} GiB, {platform.system()} {platform.release()}, {swift[0] if swift else 'swift ?'}",
    "loadAverageAtStart": os.getloadavg(),
    "commit": sh("git", "rev-parse", "--short", "HEAD") + (" + local changes" if sh("git", "status", "--porcelain", "--untracked-files=no") else ""),
    "rows": $rows, "rowsLabel": "$rows_label", "memoryRows": $memory_rows, "memoryRowsLabel": "$memory_label",
    "httpRequests": $http_requests, "syncProfiles": $sync_profiles, "syncProfilesLabel": "$sync_label",
    "commands": {
        "decode": "$ordo '^CSV decode, $rows_label '",
        "filter": "$ordo '^CSV decode \\\\+ filter, $rows_label '",
        "memory": "$ordo 'peak memory'",
        "mapping": "$ordo 'mapping'",
        "python": "$ordo '^Python function, six'",
        "javascript": "$ordo '^JavaScript function, six'",
        "pythonWorker": "$ordo '^Python function, worker'",
        "javascriptWorker": "$ordo '^JavaScript function, worker'",
        "http": "bash Benchmarks/http/run-http-bench.sh $http_requests 8 $http_slices $http_processes",
        "sync": "$sync --only sync",
        "dryRun": "$sync --only dry-run",
        "peer": "$sync --only sync --only peer --peer-python $peer_python",
        "pairs": "$sync --only sync --pairs $pairs --peer-python $peer_python",
        "rateLimited": "$sync --only rate-limited",
    },
}
json.dump(meta, open(sys.argv[1], "w"), indent=1)
PY
log "machine: $(python3 -c "import json;m=json.load(open('$out/meta.json'));print(m['machine'], '| load', ' '.join(f'{x:.2f}' for x in m['loadAverageAtStart']))")"

# --- 1. ordo-one benchmarks, pinned to core 0 (their inputs are written on the first run). ---
log "ordo-one benchmarks ($rows_label rows, $memory_label for peak memory), core 0"
rm -rf "$out/ordo" && mkdir -p "$out/ordo"
(cd "$root" && OUTFLOW_BENCH_ROWS=$rows OUTFLOW_BENCH_MEMORY_ROWS=$memory_rows OUTFLOW_BIN="$outflow" \
  taskset -c 0 swift package --package-path Benchmarks --allow-writing-to-directory "$out/ordo" \
  benchmark --format histogramPercentiles --time-units microseconds --path "$out/ordo" --no-progress \
  >"$out/ordo.stdout" 2>"$out/ordo.stderr") || log "ordo-one benchmarks failed (see $out/ordo.stderr)"

# --- 2. HTTP client beside raw libcurl multi: nginx on core 1, clients on core 0. ---
log "HTTP client vs raw libcurl multi ($http_requests requests per client, $http_slices interleaved slices, $http_processes processes)"
(cd "$root" && bash Benchmarks/http/run-http-bench.sh "$http_requests" 8 "$http_slices" "$http_processes" >"$out/http.jsonl" 2>"$out/http.stderr") \
  || log "run-http-bench.sh failed (see $out/http.stderr)"

# --- 3. Whole syncs against the HubSpot mock: mock on core 1, outflow and the peer on core 0. ---
log "whole syncs ($sync_label profiles): requests, dry run, peer, wrk ceiling, rate-limited"
(cd "$root" && python3 Benchmarks/sync/sync_bench.py --outflow "$outflow" --profiles "$sync_profiles" \
  --peer-python "$peer_python" --wrk-seconds "$wrk_seconds" --pairs "$pairs" >"$out/sync.jsonl" 2>"$out/sync.stderr") \
  || log "sync_bench.py failed (see $out/sync.stderr)"

log "done in $(( $(date +%s) - started )) s; outputs in $out"
python3 "$here/report_table.py" "$out" | tee "$out/report.md"
