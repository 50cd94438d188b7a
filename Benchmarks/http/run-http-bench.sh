#!/usr/bin/env bash
# Client-vs-raw-libcurl benchmark (issue 5): requests/s of Outflow's HTTP client posting 20 KB JSON
# bodies (a 100-contact HubSpot batch upsert) to nginx on loopback, beside a raw libcurl multi loop in
# the same run, alternating ROUNDS times (a shared VM moves single runs by 10-20%, so the report takes
# the median round). nginx runs on core 1, the clients on core 0. The Swift client runs in five modes
# (see Benchmarks/http/HTTPBench/main.swift): HTTPClient from tasks on the cooperative pool and from
# tasks preferring its task executor, RetryingHTTPClient from the pool and from its executor (the
# connectors' path), and the same with one task per request. Prints one JSON line per client and
# round (Benchmarks/report/run-report.sh reads them).
#   apt-get install -y nginx-light            # or nginx
#   bash Benchmarks/http/run-http-bench.sh [REQUESTS] [IN_FLIGHT] [ROUNDS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
requests=${1:-20000}
inflight=${2:-8}
rounds=${3:-5}
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

cc -O2 -o "$work/raw_multi" "$here/raw_multi.c" -lcurl
swift build -c release --package-path "$root/Benchmarks" --product HTTPBench >/dev/null
bench=$(swift build -c release --package-path "$root/Benchmarks" --show-bin-path)/HTTPBench

taskset -c 1 nginx -c "$here/nginx.conf" &
nginx_pid=$!
trap 'kill $nginx_pid 2>/dev/null || true' EXIT
sleep 1
url=http://127.0.0.1:18089/crm/v3/objects/contacts/batch/upsert
for round in $(seq "$rounds"); do
  taskset -c 0 "$work/raw_multi" "$url" "$work/body.json" "$requests" "$inflight"
  for mode in client client-executor retrying retrying-executor retrying-executor-tasks; do
    taskset -c 0 "$bench" "$url" "$work/body.json" "$requests" "$inflight" "$mode"
  done
done
