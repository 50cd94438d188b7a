#!/usr/bin/env python3
"""Whole-sync figures of issue 6, measured against the HubSpot mock (docs/performance.md).

A sync is one `outflow run` process, so these figures come from a driver script rather than from the
ordo-one harness, which times functions inside one process. What it measures:

- requests per 100 profiles for a first sync by email, a re-run with nothing changed, and a re-run
  with 10% of the profiles changed (counted by the mock's own `/__mock/stats`);
- a 100k-profile sync under HubSpot's documented limit (190 requests per rolling 10 s) against its
  theoretical minimum 10 s x (ceil(R/190) - 1);
- end-to-end profiles/s with no rate limit, beside the hand-written SDK peer
  (`Benchmarks/peers/hubspot_peer.py`) on the same data, and the mock's own ceiling measured with wrk;
- `outflow run --dry-run` of the same profiles with no rate limit (a dry run always looks up and
  sends no write), from an empty state against an empty mock.

Every `outflow run` also reports its peak resident memory (`peakRSSMB`, from GNU time's %M).

The mock is pinned to core 1 and the client to core 0 (`taskset`), as the issue asks.

    swift build -c release --product outflow
    python3 -m venv /tmp/peer && /tmp/peer/bin/pip install hubspot-api-client
    python3 Benchmarks/sync/sync_bench.py --profiles 100000 --peer-python /tmp/peer/bin/python

Prints one JSON object per scenario (Benchmarks/report/run-report.sh reads them). `--only` picks
scenarios: sync (first sync, re-runs, mock ceiling), peer, rate-limited, dry-run; `--pairs N` adds N
alternating (Outflow first sync, peer) pairs and the median of their ratios.
"""
import argparse
import csv
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def generate(directory, count, changed_fraction=0.0, seed=7):
    """A CSV with the demo's columns and `count` profiles with unique emails, built from the demo rows."""
    with open(os.path.join(ROOT, "fixtures/profiles/customers.csv"), newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames
        rows = [row for row in reader if row.get("email")]
    rng = random.Random(seed)
    path = os.path.join(directory, "profiles.csv")
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        for i in range(count):
            row = dict(rows[i % len(rows)])
            row["id"] = str(i + 1)
            row["email"] = f"user{i + 1}@bench.example.com"
            if changed_fraction and rng.random() < changed_fraction:
                row["last_name"] = (row["last_name"] or "") + " Changed"
            writer.writerow(row)
    return path


def workspace(directory, csv_path, origin):
    """The demo workspace pointed at `csv_path` and at a HubSpot mock started by this script."""
    with open(os.path.join(ROOT, "fixtures/workspaces/demo.json"), encoding="utf-8") as f:
        ws = json.load(f)
    ws["warehouse"]["profiles"]["path"] = csv_path
    ws["connections"] = [
        {"id": 1, "name": "Bench HubSpot", "connector": "hubspot",
         "settings": {"baseURL": origin, "accessToken": "bench-token"}}
    ]
    ws["pipelines"] = [p for p in ws["pipelines"] if p["id"] == 101]
    path = os.path.join(directory, "outflow.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(ws, f)
    return path


class Mock:
    """`outflow mock hubspot` on core 1, stopped with SIGTERM."""

    def __init__(self, outflow, rate_limit):
        self.process = subprocess.Popen(
            ["taskset", "-c", "1", outflow, "mock", "hubspot", "--port", "0", "--rate-limit", rate_limit],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        self.origin = self.process.stdout.readline().strip()
        if not self.origin.startswith("http"):
            raise SystemExit("the mock did not start")

    def stats_total(self):
        with urllib.request.urlopen(self.origin + "/__mock/stats") as response:
            return int(json.load(response)["total"])

    def user_count(self):
        with urllib.request.urlopen(self.origin + "/__mock/users") as response:
            return len(json.load(response)["users"])

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def unlimited_connectors(directory):
    """A `--connectors` folder whose hubspot.json declares no useful rate limit.

    The client paces itself by the connector's declared limit (190 per 10 s), whatever the mock does,
    so the no-limit figures need the limit lifted on the client side too; this is the user-facing
    override mechanism (a connector file that replaces the built-in one).
    """
    # Not `connectors/` beside the workspace file: Outflow reads that folder by itself, so the lifted
    # limit would leak into the rate-limited scenario run later from the same directory.
    folder = os.path.join(directory, "lifted-connectors")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(ROOT, "connectors/hubspot.json"), encoding="utf-8") as f:
        connector = json.load(f)
    connector["rateLimit"]["groups"]["default"] = {"requests": 1000000, "per": "1s"}
    with open(os.path.join(folder, "hubspot.json"), "w", encoding="utf-8") as f:
        json.dump(connector, f)
    return folder


def run(outflow, ws, state, extra=()):
    """One `outflow run --json` on core 0; returns (seconds, the run's JSON line, peak RSS in MB).

    The peak RSS comes from GNU time (`/usr/bin/time -f %M`, Debian package `time`), not from this
    script's own wait4: Linux carries a process's high-water mark across exec, and a child forked
    from this script starts with this script's resident pages (the 100k users it read back from the
    mock), so wait4 reported about 255 MB for runs whose own peak was a quarter of that.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss_file:
        start = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", rss_file.name, "taskset", "-c", "0", outflow, "run", ws, "--json", "--state", state, *extra],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        seconds = time.perf_counter() - start
        rss_text = rss_file.read().strip().splitlines()
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    if not lines:
        raise SystemExit(f"outflow run printed nothing (exit {done.returncode})")
    rss = round(int(rss_text[-1]) / 1024, 1) if rss_text and rss_text[-1].isdigit() else None
    return seconds, json.loads(lines[-1]), rss


# A wrk script whose every request upserts 100 contacts never seen before, with the properties the
# first sync sends (email, firstname, lastname, phone, country, city): the mock's work per request is
# then that of a first sync, where creating a contact costs it more than re-writing an existing one.
NEW_CONTACTS_LUA = r"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer bench-token"
counter = 0
request = function()
  counter = counter + 1
  local parts = {}
  for i = 1, 100 do
    local email = string.format("wrk%d-%d@bench.example.com", counter, i)
    parts[i] = string.format('{"idProperty":"email","id":"%s","properties":{"email":"%s","firstname":"Ana","lastname":"L\\u00f3pez","phone":"+34981913525","country":"ES","city":"A Coru\\u00f1a"}}', email, email)
  end
  return wrk.format(nil, nil, nil, '{"inputs":[' .. table.concat(parts, ",") .. ']}')
end
"""


def wrk_ceiling(origin, seconds, new_contacts):
    """Requests/s the mock serves for a 100-contact batch/upsert, measured with wrk on core 0.

    `new_contacts`: every request creates 100 new contacts (a first sync's work); otherwise every
    request re-upserts the same 100 with three properties (updates, cheaper for the mock).
    """
    if shutil.which("wrk") is None:
        return None
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    if new_contacts:
        script.write(NEW_CONTACTS_LUA)
    else:
        inputs = [{"idProperty": "email", "id": f"wrk{i}@bench.example.com",
                   "properties": {"email": f"wrk{i}@bench.example.com", "firstname": "W", "lastname": "R"}}
                  for i in range(100)]
        body = json.dumps({"inputs": inputs})
        script.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                     'wrk.headers["Authorization"] = "Bearer bench-token"\n'
                     f"wrk.body = {json.dumps(body)}\n")
    script.close()
    done = subprocess.run(
        ["taskset", "-c", "0", "wrk", "-t1", "-c8", f"-d{seconds}s", "-s", script.name,
         origin + "/crm/v3/objects/contacts/batch/upsert"],
        stdout=subprocess.PIPE, text=True,
    )
    os.unlink(script.name)
    for line in done.stdout.splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split(":")[1])
    return None


def main():
    parser = argparse.ArgumentParser(description="Whole-sync benchmarks against the HubSpot mock.")
    parser.add_argument("--outflow", default=os.path.join(ROOT, ".build/release/outflow"))
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--peer-python", help="a python with hubspot-api-client installed; omit to skip the peer")
    parser.add_argument("--skip-rate-limited", action="store_true")
    parser.add_argument("--rate-limited-only", action="store_true", help="run only the 190-per-10-s sync")
    parser.add_argument("--only", action="append", choices=["sync", "peer", "rate-limited", "dry-run"],
                        help="run only these scenarios (repeatable); the peer still needs --peer-python")
    parser.add_argument("--wrk-seconds", type=int, default=10, help="how long wrk measures the mock's ceiling")
    parser.add_argument("--pairs", type=int, default=0,
                        help="also run N alternating pairs of (Outflow first sync, peer), each on a fresh mock, "
                             "and report the ratio of each pair (needs --peer-python); on a noisy machine the "
                             "median ratio says more than one run of each")
    args = parser.parse_args()
    if args.only:
        scenarios = set(args.only)
    elif args.rate_limited_only:
        scenarios = {"rate-limited"}
    else:
        scenarios = {"sync", "peer", "dry-run"} | (set() if args.skip_rate_limited else {"rate-limited"})
    if not args.peer_python:
        scenarios.discard("peer")
    results = {}
    with tempfile.TemporaryDirectory() as directory:
        csv_path = generate(directory, args.profiles)
        state = os.path.join(directory, "state.sqlite")

        if "sync" in scenarios:
            # Requests per 100 profiles and end-to-end speed, no rate limit (on either side).
            unlimited = ["--connectors", unlimited_connectors(directory)]
            mock = Mock(args.outflow, "off")
            ws = workspace(directory, csv_path, mock.origin)
            seconds, line, rss = run(args.outflow, ws, state, unlimited)
            first = mock.stats_total()
            results["first sync"] = {"seconds": round(seconds, 3), "requests": first,
                                     "requestsPer100": round(100 * first / args.profiles, 3),
                                     "profilesPerSecond": round(args.profiles / seconds), "counts": line["counts"],
                                     "mockUsers": mock.user_count(), "peakRSSMB": rss}
            seconds, line, rss = run(args.outflow, ws, state, unlimited)
            rerun = mock.stats_total() - first
            results["re-run unchanged"] = {"seconds": round(seconds, 3), "requests": rerun,
                                           "requestsPer100": round(100 * rerun / args.profiles, 3), "counts": line["counts"],
                                           "peakRSSMB": rss}
            generate(directory, args.profiles, changed_fraction=0.10)
            before = mock.stats_total()
            seconds, line, rss = run(args.outflow, ws, state, unlimited)
            changed = mock.stats_total() - before
            changed_profiles = line["counts"]["updated"] + line["counts"]["created"]
            results["re-run 10% changed"] = {"seconds": round(seconds, 3), "requests": changed,
                                             "changedProfiles": changed_profiles,
                                             "requestsPer100Changed": round(100 * changed / max(changed_profiles, 1), 3),
                                             "counts": line["counts"], "peakRSSMB": rss}
            ceiling = wrk_ceiling(mock.origin, args.wrk_seconds, new_contacts=False)
            results["mock ceiling (wrk, 100-contact upserts)"] = {
                "requestsPerSecond": ceiling, "contactsPerSecond": round(ceiling * 100) if ceiling else None,
                "seconds": args.wrk_seconds}
            mock.stop()
            # The first sync's own ceiling: a fresh mock, every request creating 100 new contacts.
            mock = Mock(args.outflow, "off")
            ceiling = wrk_ceiling(mock.origin, args.wrk_seconds, new_contacts=True)
            results["mock ceiling (wrk, 100 new contacts per upsert)"] = {
                "requestsPerSecond": ceiling, "contactsPerSecond": round(ceiling * 100) if ceiling else None,
                "seconds": args.wrk_seconds, "mockUsers": mock.user_count()}
            mock.stop()

        if "dry-run" in scenarios:
            # A dry run from an empty state: every profile is looked up (no upsert shortcut), nothing sent.
            generate(directory, args.profiles)
            mock = Mock(args.outflow, "off")
            ws = workspace(directory, csv_path, mock.origin)
            dry_state = os.path.join(directory, "dry-state.sqlite")
            seconds, line, rss = run(args.outflow, ws, dry_state,
                                     ["--dry-run", "--connectors", unlimited_connectors(directory)])
            results["dry run"] = {"seconds": round(seconds, 3), "requests": mock.stats_total(),
                                  "profilesPerSecond": round(args.profiles / seconds), "dryRun": line.get("dryRun"),
                                  "counts": line["counts"], "mockUsers": mock.user_count(), "peakRSSMB": rss}
            mock.stop()

        if "peer" in scenarios:
            generate(directory, args.profiles)
            mock = Mock(args.outflow, "off")
            done = subprocess.run(
                ["taskset", "-c", "0", args.peer_python, os.path.join(ROOT, "Benchmarks/peers/hubspot_peer.py"),
                 "--host", mock.origin, "--csv", csv_path, "--threads", "8"],
                stdout=subprocess.PIPE, text=True,
            )
            peer = json.loads(done.stdout.strip().splitlines()[-1])
            peer["mockUsers"] = mock.user_count()
            results["peer (hubspot-api-client, 8 threads)"] = peer
            mock.stop()

        if "rate-limited" in scenarios:
            generate(directory, args.profiles)
            mock = Mock(args.outflow, "default")
            ws = workspace(directory, csv_path, mock.origin)
            if os.path.exists(state):
                os.unlink(state)
            seconds, line, rss = run(args.outflow, ws, state)
            requests = mock.stats_total()
            minimum = 10 * (math.ceil(requests / 190) - 1)
            results["rate-limited 190/10s"] = {"seconds": round(seconds, 3), "requests": requests,
                                               "theoreticalMinimumSeconds": minimum,
                                               "ratio": round(seconds / minimum, 3) if minimum else None,
                                               "counts": line["counts"], "peakRSSMB": rss}
            mock.stop()

        if args.pairs > 0 and args.peer_python:
            # Alternating, so a slow spell of the machine hits both sides alike.
            generate(directory, args.profiles)
            unlimited = ["--connectors", unlimited_connectors(directory)]
            outflow_rates, peer_rates = [], []
            for _ in range(args.pairs):
                mock = Mock(args.outflow, "off")
                ws = workspace(directory, csv_path, mock.origin)
                for suffix in ("", "-wal", "-shm"):
                    if os.path.exists(state + suffix):
                        os.unlink(state + suffix)
                seconds, line, _ = run(args.outflow, ws, state, unlimited)
                created = line["counts"]["created"]
                mock.stop()
                if created != args.profiles:
                    raise SystemExit(f"a paired Outflow sync created {created} of {args.profiles}")
                outflow_rates.append(round(args.profiles / seconds))
                mock = Mock(args.outflow, "off")
                done = subprocess.run(
                    ["taskset", "-c", "0", args.peer_python, os.path.join(ROOT, "Benchmarks/peers/hubspot_peer.py"),
                     "--host", mock.origin, "--csv", csv_path, "--threads", "8"],
                    stdout=subprocess.PIPE, text=True,
                )
                mock.stop()
                peer_rates.append(json.loads(done.stdout.strip().splitlines()[-1])["profilesPerSecond"])
            ratios = [round(o / p, 2) for o, p in zip(outflow_rates, peer_rates)]
            results["first sync vs peer, alternating pairs"] = {
                "pairs": args.pairs, "outflowProfilesPerSecond": outflow_rates, "peerProfilesPerSecond": peer_rates,
                "ratios": ratios, "medianRatio": sorted(ratios)[len(ratios) // 2],
                "medianOutflow": sorted(outflow_rates)[len(outflow_rates) // 2],
                "medianPeer": sorted(peer_rates)[len(peer_rates) // 2]}

    for name, figures in results.items():
        print(json.dumps({"scenario": name, **figures}))


if __name__ == "__main__":
    main()
