#!/usr/bin/env bash
# Client-vs-raw-libcurl benchmark (issue 5): requests/s of Outflow's HTTP client posting 20 KB JSON
# bodies (a 100-contact HubSpot batch upsert) to nginx on loopback, beside a raw libcurl multi loop in C
# (Benchmarks/http/RawMulti, sending the same request bytes) in the same process. The Swift client runs
# in five modes (see Benchmarks/http/HTTPBench/main.swift): HTTPClient from tasks on the cooperative
# pool and from tasks preferring its task executor, RetryingHTTPClient from the pool and from its
# executor (the connectors' path), and the same with one task per request. Each mode sends REQUESTS
# requests in SLICES slices, spread over PROCESSES processes of its own; every slice of a process runs
# raw multi and the mode once each, in a random order, so the mode is compared with raw multi run a
# few dozen milliseconds before or after it (the VM's speed moves by tens of percent over seconds),
# and over several processes (one process can sit a few points above or below another for the whole
# of its run). One mode per process: a process that had run the pool modes ran the executor modes
# about nine points slower (glibc's heap trimming then costs the loop thread a page fault every few
# requests; docs/performance.md). The report takes the median slice of each mode.
# nginx runs on core 1, the processes on core 0. Prints one JSON line per process, client and slice
# (Benchmarks/report/run-report.sh reads them).
#   apt-get install -y nginx-light            # or nginx
#   bash Benchmarks/http/run-http-bench.sh [REQUESTS] [IN_FLIGHT] [SLICES] [PROCESSES]   # defaults 80000 8 80 8
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
requests=${1:-80000}
inflight=${2:-8}
slices=${3:-80}
processes=${4:-8}
if [ "$slices" -lt "$processes" ] || [ "$requests" -lt "$slices" ]; then
  echo "run-http-bench.sh: need REQUESTS >= SLICES >= PROCESSES" >&2
  exit 64
fi
work=/tmp/outflow-http-bench
mkdir -p "$work"

python3 - "$work/body.json" <<'PY'
import json, sys
inputs = [{"idProperty": "email", "id": f"person{i}@example.com",
           "properties": {"email": f"person{i}@example.com", "firstname": "Firstname" + str(i),
                          "lastname": "Lastname" + str(i), "phone": "+3498765" + str(1000 + i),
                          "country": "ES", "city": "A Coruña"}}
          for i in range(100)]
body = json.dumps({"inputs": inputs})
open(sys.argv[1], "w").write(body)
print(f"body: {len(body)} bytes", file=sys.stderr)
PY

swift build -c release --package-path "$root/Benchmarks" --product HTTPBench >/dev/null
bench=$(swift build -c release --package-path "$root/Benchmarks" --show-bin-path)/HTTPBench

taskset -c 1 nginx -c "$here/nginx.conf" &
nginx_pid=$!
trap 'kill $nginx_pid 2>/dev/null || true' EXIT
sleep 1
url=http://127.0.0.1:18089/crm/v3/objects/contacts/batch/upsert
modes=(client client-executor retrying retrying-executor retrying-executor-tasks)
process=0
for round in $(seq 0 $((processes - 1))); do
  # This round's share of the slices and requests (the first rounds take what does not divide evenly).
  share_slices=$(( slices / processes + (round < slices % processes ? 1 : 0) ))
  share_requests=$(( requests / processes + (round < requests % processes ? 1 : 0) ))
  for mode in "${modes[@]}"; do
    taskset -c 0 "$bench" "$url" "$work/body.json" "$share_requests" "$inflight" "raw,$mode" "$share_slices" \
      | sed "s/^{/{\"process\":$process,/"
    process=$((process + 1))
  done
done
