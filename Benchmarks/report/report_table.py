#!/usr/bin/env python3
"""Turns the outputs of one run-report.sh session into the report's Markdown table.

    python3 Benchmarks/report/report_table.py OUT_DIR

OUT_DIR holds what run-report.sh collected: `meta.json` (machine, sizes, the commands of each
harness), `ordo/*.histogram.percentiles.tsv` (ordo-one benchmark's percentiles per benchmark and
metric), `ordo.stderr` (the plain Python loop's time), `http.jsonl` (run-http-bench.sh) and
`sync.jsonl` (sync_bench.py). A figure whose output is missing prints as "not measured" with the
reason, so a partial run still gives a table. Python standard library only.
"""
import glob
import json
import os
import re
import statistics
import sys


def load_jsonl(path):
    rows = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    rows.append(json.loads(line))
    return rows


def ordo_percentiles(directory):
    """{(benchmark name, metric text): {"unit": str, "p0": float, "p50": float}} from the TSV export."""
    figures = {}
    for path in glob.glob(os.path.join(directory, "*.histogram.percentiles.tsv")):
        with open(path, encoding="utf-8") as f:
            lines = [line.rstrip("\n").split("\t") for line in f if line.strip()]
        if len(lines) < 52:
            continue
        header = lines[0][1]
        values = {int(row[0]): float(row[1]) for row in lines[1:] if len(row) == 2 and row[0].isdigit()}
        # The file name is "<baseline>.<target>.<benchmark>.<metric>.histogram.percentiles.tsv" with
        # the benchmark's name made shell-safe; the metric text is in the header.
        figures[(os.path.basename(path), header)] = {"p0": values.get(0), "p50": values.get(50)}
    return figures


def find(figures, name_pattern, metric_pattern):
    for (name, header), value in figures.items():
        if re.search(name_pattern, name) and re.search(metric_pattern, header, re.I):
            return header, value
    return None, None


def seconds_from(header, value):
    """A wall-clock percentile in seconds, from the unit in the header ("(ms)", "(s)", "(μs)", "(ns)")."""
    unit = re.search(r"\(([^)]*)\)[\s*]*$", header)
    scale = {"ns": 1e-9, "μs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}.get(unit.group(1) if unit else "ms")
    if scale is None:
        raise SystemExit(f"unknown time unit in {header!r}")
    return value * scale


def megabytes_from(header, value):
    """A peak-memory percentile in MB (10^6 bytes), from the scale in the header ("(M) *", "(K)", none)."""
    unit = re.search(r"\(([^)]*)\)[\s*]*$", header)
    scale = {"": 1e-6, "#": 1e-6, "K": 1e-3, "k": 1e-3, "M": 1.0, "G": 1e3}.get(unit.group(1) if unit else "", None)
    if scale is None:
        raise SystemExit(f"unknown memory unit in {header!r}")
    return value * scale


def milliseconds(seconds):
    return f"{seconds * 1000:,.0f}" if seconds >= 0.1 else f"{seconds * 1000:.1f}"


def rate(value):
    """Profiles/s in the report's style: 4.50M, 870.2k, 9,800."""
    if value is None:
        return "?"
    if value >= 1e6:
        return f"{value / 1e6:.2f}M"
    if value >= 1e4:
        return f"{value / 1e3:.1f}k"
    return f"{value:,.0f}"


def at_least(measured, goal, unit=""):
    if measured >= goal:
        return f"met ({measured / goal:.2f}x the goal)"
    return f"**not met**: {100 * measured / goal:.0f}% of the goal ({goal / measured:.2f}x short){unit}"


def at_most(measured, goal, what=""):
    if measured <= goal:
        return "met" + (f" ({what})" if what else "")
    return f"**not met**: {measured:g} vs at most {goal:g} (over by {measured - goal:.3g})" + (f"; {what}" if what else "")


def main():
    out = sys.argv[1]
    with open(os.path.join(out, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    commands = meta["commands"]
    rows_n = meta["rows"]
    size = meta["rowsLabel"]
    table = []

    def add(figure, goal, measured, verdict, command):
        table.append((figure, goal, measured, verdict, command))

    # --- ordo-one benchmarks (one process, pinned to core 0) ---
    figures = ordo_percentiles(os.path.join(out, "ordo"))
    missing = "not measured: the ordo-one run produced no figure (see ordo.stderr)"

    def throughput(name_pattern, figure, goal_text, goal, command_key):
        header, value = find(figures, name_pattern, r"wall")
        if not value or value["p0"] is None:
            add(figure, goal_text, missing, "", commands[command_key])
            return None
        p0 = rows_n / seconds_from(header, value["p0"])
        p50 = rows_n / seconds_from(header, value["p50"])
        measured = f"{rate(p0)} / {rate(p50)} profiles/s (p0 / p50; {milliseconds(seconds_from(header, value['p0']))} / {milliseconds(seconds_from(header, value['p50']))} ms)"
        verdict = at_least(p0, goal) if goal else "no goal"
        add(figure, goal_text, measured, verdict, commands[command_key])
        return p0

    throughput(r"CSV_decode,_" + size + r"_profiles_x", f"CSV decode, {size} profiles x 8 columns", "none (context for the next row)", None, "decode")
    throughput(r"CSV_decode_\+_filter,_" + size + r"_profiles_x", f"CSV decode + 3-condition filter, {size} profiles", ">= 5M profiles/s on one core (#2)", 5e6, "filter")
    header, value = find(figures, r"peak_memory", r"memory|resident")
    if value and value["p0"] is not None:
        mb = megabytes_from(header, value["p0"])
        add(f"peak RSS, decode + filter of {meta['memoryRowsLabel']} rows (streaming)", "<= 100 MB (#2)", f"{mb:.0f} MB",
            at_most(mb, 100, f"{mb / 100:.0%} of the bound") if mb <= 100 else at_most(mb, 100), commands["memory"])
    else:
        add(f"peak RSS, decode + filter of {meta['memoryRowsLabel']} rows (streaming)", "<= 100 MB (#2)", missing, "", commands["memory"])
    throughput(r"six-property_mapping", f"CSV decode + filter + six-property mapping, {size} profiles", ">= 3M profiles/s on one core (#3)", 3e6, "mapping")
    python = throughput(r"Python_function,_six_fields", f"Python function, six fields, {size} profiles, in-process", ">= 2M profiles/s (#4)", 2e6, "python")
    loop = None
    # The benchmark's setup prints it on standard error, which the ordo-one tool passes on to
    # either stream depending on its version: look in both.
    for stream in ("ordo.stderr", "ordo.stdout"):
        if loop is None and os.path.exists(os.path.join(out, stream)):
            with open(os.path.join(out, stream), encoding="utf-8", errors="replace") as f:
                match = re.search(r"plain Python loop over (\d+) prebuilt dicts: ([0-9.eE+-]+) s", f.read())
            if match:
                loop = int(match.group(1)) / float(match.group(2))
    if python and loop:
        ratio = loop / python
        add("Python function vs the same function in a plain Python loop", "within 2.5x of the plain loop (#4)",
            f"plain loop {rate(loop)} profiles/s; Outflow {ratio:.2f}x slower",
            at_most(ratio, 2.5), commands["python"])
    else:
        add("Python function vs the same function in a plain Python loop", "within 2.5x of the plain loop (#4)",
            "not measured: no plain-loop time in ordo.stdout or ordo.stderr" if python else missing, "", commands["python"])
    throughput(r"JavaScript_function,_six_fields", f"JavaScript function, six fields, {size} profiles, in-process", ">= 1M profiles/s (#4)", 1e6, "javascript")
    throughput(r"Python_function,_worker_host", f"Python function, worker host (`function-worker`), {size} profiles", "none", None, "pythonWorker")
    throughput(r"JavaScript_function,_worker_host", f"JavaScript function, worker host, {size} profiles", "none", None, "javascriptWorker")

    # --- whole syncs against the HubSpot mock ---
    sync = {row["scenario"]: row for row in load_jsonl(os.path.join(out, "sync.jsonl"))}
    profiles = meta["syncProfiles"]
    plabel = meta["syncProfilesLabel"]
    not_run = "not measured: sync_bench.py gave no figure (see sync.stderr)"

    dry = sync.get("dry run")
    if dry:
        add(f"`outflow run --dry-run`, {plabel} profiles, HubSpot mock, no rate limit", "none stated (#9 names the figure)",
            f"{rate(dry['profilesPerSecond'])} profiles/s ({dry['seconds']} s, {dry['requests']} lookups, {dry['mockUsers']} users written)",
            "no goal", commands["dryRun"])
    else:
        add(f"`outflow run --dry-run`, {plabel} profiles", "none stated", not_run, "", commands["dryRun"])

    # --- HTTP client beside raw libcurl multi ---
    http = load_jsonl(os.path.join(out, "http.jsonl"))
    # Keyed by process and slice: a mode is compared with raw multi of the same slice of the same process.
    raw = {(row.get("process", 0), row.get("slice", 0)): row["requestsPerSecond"] for row in http if row.get("client") == "raw libcurl multi"}
    body = "?"
    if os.path.exists(os.path.join(out, "http.stderr")):
        with open(os.path.join(out, "http.stderr"), encoding="utf-8", errors="replace") as f:
            match = re.search(r"body: (\d+) bytes", f.read())
        if match:
            body = f"{int(match.group(1)) / 1000:.0f} KB"
    # The goal is judged on the connectors' path (the engine's delivery tasks prefer the client's
    # executor); the other modes are shown beside it: what a caller on the cooperative pool pays, what
    # the retry layer and a task per request add.
    modes = [
        ("retrying-executor", "`RetryingHTTPClient.send` from tasks preferring `HTTPClient.taskExecutor` (the connectors' path)", True),
        ("client-executor", "`HTTPClient.send` from tasks preferring `HTTPClient.taskExecutor`", False),
        ("retrying-executor-tasks", "the connectors' path with one new task per request", False),
        ("client", "`HTTPClient.send` from tasks on the cooperative pool", False),
        ("retrying", "`RetryingHTTPClient.send` from tasks on the cooperative pool", False),
    ]
    for mode, label, judged in modes:
        ours = {(row.get("process", 0), row.get("slice", 0)): row["requestsPerSecond"] for row in http if row.get("client") == f"Outflow {mode}"}
        pairs = [(raw[s], ours[s]) for s in sorted(ours) if s in raw]
        if pairs:
            # Each slice compares the mode with raw multi run moments before or after it in one process.
            overheads = [r / o - 1 for r, o in pairs]
            median = statistics.median(overheads)
            quartiles = statistics.quantiles(overheads, n=4) if len(overheads) > 1 else [median, median, median]
            processes = len({key[0] for key in ours})
            measured = (f"{median:+.1%} time per request (median of {len(pairs)} interleaved slices in {processes} processes, quartiles "
                        f"{quartiles[0]:+.0%} to {quartiles[2]:+.0%}; medians raw multi {statistics.median(r for r, _ in pairs):,.0f}, "
                        f"client {statistics.median(o for _, o in pairs):,.0f} requests/s)")
            verdict = "met" if median <= 0.10 else f"**not met**: {median:.0%} vs 10% ({(1 + median) / 1.10:.2f}x the allowed time per request)"
            add(f"HTTP client overhead vs raw libcurl multi: {label}, {meta['httpRequests']:,} POSTs of {body}, 8 in flight",
                "<= 10% (#5, 20 KB bodies)" if judged else "none (shown beside the goal's row)", measured,
                verdict if judged else "", commands["http"])
        else:
            add(f"HTTP client overhead vs raw libcurl multi: {label}", "<= 10% (#5)",
                "not measured: run-http-bench.sh gave no pair of figures (see http.stderr)", "", commands["http"])

    first = sync.get("first sync")
    if first:
        add(f"requests per 100 profiles, first sync by email ({plabel})", "<= 1.05 (#6)",
            f"{first['requestsPer100']} ({first['requests']:,} requests)", at_most(first["requestsPer100"], 1.05), commands["sync"])
    else:
        add("requests per 100 profiles, first sync by email", "<= 1.05 (#6)", not_run, "", commands["sync"])
    rerun = sync.get("re-run unchanged")
    if rerun:
        unchanged = rerun["counts"].get("unchanged")
        add("requests per 100 profiles, re-run with nothing changed", "zero writes (#6)",
            f"{rerun['requestsPer100']} ({rerun['requests']} requests; {unchanged:,} `unchanged`, {rerun['seconds']} s)",
            "met" if rerun["requests"] == 0 else f"**not met**: {rerun['requests']} requests", commands["sync"])
    else:
        add("requests per 100 profiles, re-run with nothing changed", "zero writes (#6)", not_run, "", commands["sync"])
    changed = sync.get("re-run 10% changed")
    if changed:
        add("requests per 100 changed profiles, re-run with 10% changed", "none (#6 asks for the figure)",
            f"{changed['requestsPer100Changed']} ({changed['requests']} requests for {changed['changedProfiles']:,} changed)",
            "no goal", commands["sync"])
    else:
        add("requests per 100 changed profiles, re-run with 10% changed", "none", not_run, "", commands["sync"])

    limited = sync.get("rate-limited 190/10s")
    if limited and limited.get("ratio"):
        add(f"{plabel} sync under 190 requests per 10 s vs its theoretical minimum", "<= 1.05x (#6)",
            f"{limited['seconds']} s vs {limited['theoreticalMinimumSeconds']} s for {limited['requests']:,} requests = {limited['ratio']}x",
            at_most(limited["ratio"], 1.05), commands["rateLimited"])
    elif limited:
        add(f"{plabel} sync under 190 requests per 10 s", "<= 1.05x (#6)",
            f"{limited['seconds']} s for {limited['requests']} requests: too few requests for a minimum above 0 s", "", commands["rateLimited"])
    else:
        add("sync under 190 requests per 10 s vs its minimum", "<= 1.05x (#6)", not_run, "", commands["rateLimited"])

    peer = sync.get("peer (hubspot-api-client, 8 threads)")
    # A first sync creates every contact, so its ceiling is wrk creating new contacts with the same
    # properties; the re-upsert ceiling (cheaper updates of the same 100) is shown beside it.
    ceiling = sync.get("mock ceiling (wrk, 100 new contacts per upsert)")
    updates = sync.get("mock ceiling (wrk, 100-contact upserts)")
    ceiling_text = ""
    mock_bound = False
    if ceiling and ceiling.get("contactsPerSecond"):
        ceiling_text = f"; mock ceiling (wrk, new contacts as in a first sync) {rate(ceiling['contactsPerSecond'])} contacts/s"
        if updates and updates.get("contactsPerSecond"):
            ceiling_text += f" (re-upserting existing ones: {rate(updates['contactsPerSecond'])})"
        if first:
            mock_bound = first["profilesPerSecond"] >= 0.9 * ceiling["contactsPerSecond"]
            ceiling_text += f" ({first['profilesPerSecond'] / ceiling['contactsPerSecond']:.0%} reached: " + (
                "**mock-bound**)" if mock_bound else "not mock-bound)")
    elif first:
        ceiling_text = "; mock ceiling not measured (wrk missing or failed)"
    pairs = sync.get("first sync vs peer, alternating pairs")
    if pairs:
        # Judged on the median of alternating pairs: on a shared VM one run of each side can land in
        # different slow or fast spells; the pair ratios and the fastest runs are shown beside it.
        outflow_runs, peer_runs = pairs["outflowProfilesPerSecond"], pairs["peerProfilesPerSecond"]
        median_ratio = pairs["medianRatio"]
        bound_text = ""
        if ceiling and ceiling.get("contactsPerSecond"):
            share = pairs["medianOutflow"] / ceiling["contactsPerSecond"]
            bound_text = (f"; mock ceiling (wrk, new contacts as in a first sync) {rate(ceiling['contactsPerSecond'])} contacts/s, "
                          f"median Outflow at {share:.0%} of it ({'**mock-bound**' if share >= 0.9 else 'not mock-bound'})")
        add(f"end to end, {plabel} profiles, no rate limit: Outflow vs the `hubspot-api-client` peer (8 threads)", ">= 10x the peer (#6)",
            f"median of {pairs['pairs']} alternating pairs: Outflow {rate(pairs['medianOutflow'])} profiles/s vs peer {rate(pairs['medianPeer'])} = "
            f"{median_ratio:.1f}x (Outflow runs {', '.join(rate(r) for r in outflow_runs)}; peer runs {', '.join(rate(r) for r in peer_runs)}; "
            f"pair ratios {', '.join(f'{r:.1f}x' for r in pairs['ratios'])}; fastest runs {max(outflow_runs) / max(peer_runs):.1f}x){bound_text}",
            at_least(median_ratio, 10), commands["pairs"])
    elif first and peer:
        ratio = first["profilesPerSecond"] / peer["profilesPerSecond"]
        verdict = at_least(ratio, 10)
        if mock_bound and ratio < 10:
            verdict += "; mock-bound, so the figure is the mock's limit, not Outflow's"
        add(f"end to end, {plabel} profiles, no rate limit: Outflow vs the `hubspot-api-client` peer (8 threads)", ">= 10x the peer (#6)",
            f"Outflow {rate(first['profilesPerSecond'])} profiles/s ({first['seconds']} s) vs peer {rate(peer['profilesPerSecond'])} ({peer['seconds']} s) = {ratio:.1f}x{ceiling_text}",
            verdict, commands["peer"])
    elif first:
        add(f"end to end, {plabel} profiles, no rate limit, vs the SDK peer", ">= 10x the peer (#6)",
            f"Outflow {rate(first['profilesPerSecond'])} profiles/s ({first['seconds']} s); peer not run{ceiling_text}", "not measured (no peer)", commands["peer"])
    else:
        add("end to end vs the SDK peer", ">= 10x the peer (#6)", not_run, "", commands["peer"])

    runs = [(name, row["peakRSSMB"]) for name, row in sync.items() if "peakRSSMB" in row]
    if runs:
        first_rss = first["peakRSSMB"] if first else None
        top = max(runs, key=lambda item: item[1])
        measured = (f"{first_rss:.0f} MB in the first sync; " if first_rss is not None else "") + f"highest {top[1]:.0f} MB ({top[0]})"
        add(f"peak RSS of `outflow run`, {plabel} profiles", "none", measured, "no goal", commands["sync"])

    print(f"Measured {meta['date']} on {meta['machine']} (commit {meta['commit']}{', ' + meta['mode'] if meta['mode'] != 'full' else ''}).")
    print("Throughput goals are judged on the fastest run (p0); the median (p50) is beside it.")
    print()
    print("| figure | goal (issue) | measured | met? / by how much | reproduce this row |")
    print("| --- | --- | --- | --- | --- |")
    for figure, goal, measured, verdict, command in table:
        cells = [figure, goal, measured, verdict or "", f"`{command}`"]
        print("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")


if __name__ == "__main__":
    main()
