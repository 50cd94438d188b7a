"""Shared pieces of scripts/soak and scripts/crash-loop (issue 9): profiles, a mock process, a
workspace pointed at it, and the comparison of the mock's users with the expected set.

Each bundled connector is described by `TARGETS[name]`: the credential its mock expects, the
outSchema paths the two mapped properties go to, and how to read a user-schema path from a user
in the shape `GET /__mock/users` prints (DESIGN 9b).
"""
import collections
import json
import os
import subprocess
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

# Last names with quotes, accents, non-Latin scripts and an ampersand: they travel through JSON,
# form encoding (Stripe) and query strings, and must arrive exactly as the mapping made them.
LAST_NAMES = ["Smith", "O'Brien", "Müller", "García", "Łukasiewicz", "山田", "Nguyễn", "Dupont & Fils", "Ó Briain", "Zoë \"Z\" Li"]


def _path(value, path):
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


class Target:
    """How to export to one bundled mock and read its users back."""

    def __init__(self, settings, first, last, envelope=None, match="email", in_flight=None):
        self.settings = settings          # the connection's settings besides baseURL
        self.in_flight = in_flight        # the soak's `outflow run --max-in-flight` (None: the engine's default)
        self.match = match                # matching.out: the user-schema path of the email
        self.first = first                # outSchema path of first_name
        self.last = last                  # outSchema path of last_name
        self.envelope = envelope          # the member of a /__mock/users user that holds the user-schema paths

    def read(self, user, path):
        return _path(user.get(self.envelope) if self.envelope else user, path)


# Work batches in flight (`outflow run --max-in-flight`) for the APIs that take one profile per
# request. An injected 429 carries the API's wait and pauses the whole connection, as it should;
# with the engine's default 4 batches (so 4 requests) in flight, a pause came every ~10 requests
# and 100k profiles took about 3 hours. With 256 in flight, each pause is shared by a few hundred
# requests. The faults, their rates and the waits are unchanged (docs/hardening.md, Soak).
SINGLE_PROFILE_IN_FLIGHT = 256

TARGETS = {
    "hubspot": Target({"accessToken": "soak-token"}, "firstname", "lastname", envelope="properties"),
    "mailchimp": Target({"apiKey": "soak-us1", "listId": "a1b2c3d4e5"}, "merge_fields.FNAME", "merge_fields.LNAME",
                        match="email_address"),
    "klaviyo": Target({"apiKey": "pk_soak"}, "first_name", "last_name", envelope="attributes", in_flight=SINGLE_PROFILE_IN_FLIGHT),
    "brevo": Target({"apiKey": "xkeysib-soak"}, "attributes.FIRSTNAME", "attributes.LASTNAME", in_flight=SINGLE_PROFILE_IN_FLIGHT),
    "intercom": Target({"accessToken": "soak-token"}, "name", "custom_attributes.last_name", in_flight=SINGLE_PROFILE_IN_FLIGHT),
    "mailerlite": Target({"apiKey": "soak-token"}, "fields.name", "fields.last_name"),
    "stripe": Target({"secretKey": "sk_test_soak"}, "name", "metadata.last_name", in_flight=SINGLE_PROFILE_IN_FLIGHT),
    "webhook": Target({}, "first_name", "last_name"),
}


def email(i):
    return f"soak{i}@example.org"


def first_name(i):
    return f"First{i}"


def last_name(i):
    return LAST_NAMES[i % len(LAST_NAMES)]


def write_profiles(directory, count):
    """profiles.csv: id, email, first_name, last_name; every email unique and lower-case."""
    path = os.path.join(directory, "profiles.csv")
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("id,email,first_name,last_name\n")
        for i in range(1, count + 1):
            last = last_name(i).replace('"', '""')
            f.write(f'{i},{email(i)},{first_name(i)},"{last}"\n')
    return path


def _out_schema(paths):
    """An object schema of string properties at dotted `paths` (one level of nesting)."""
    top, nested = [], collections.OrderedDict()
    for path in paths:
        head, _, rest = path.partition(".")
        if rest:
            if head not in nested:
                top.append(head)
            nested.setdefault(head, []).append(rest)
        else:
            top.append(head)
    string = {"kind": "string"}
    properties = []
    for name in top:
        if name in nested:
            members = [{"name": m, "type": string, "nullable": True} for m in nested[name]]
            properties.append({"name": name, "type": {"kind": "object", "properties": members}, "readOptional": True})
        else:
            properties.append({"name": name, "type": string, "nullable": True})
    return {"kind": "object", "properties": properties}


def write_workspace(directory, connector, origin, profiles_path):
    """outflow.json: one CreateOrUpdate pipeline by email, first and last name mapped, to `origin`."""
    target = TARGETS[connector]
    settings = dict(target.settings)
    if connector == "webhook":
        settings["url"] = origin + "/webhook"
    else:
        settings["baseURL"] = origin
    string = {"kind": "string"}
    in_schema = {"kind": "object", "properties": [
        {"name": "email", "type": string, "nullable": True},
        {"name": "first_name", "type": string, "nullable": True},
        {"name": "last_name", "type": string, "nullable": True},
    ]}
    workspace = {
        "name": "soak",
        "warehouse": {"profiles": {
            "path": profiles_path, "format": "csv", "key": "id",
            "schema": {"kind": "object", "properties": [{"name": "id", "type": {"kind": "int", "bitSize": 64}}] + in_schema["properties"]},
        }},
        "connections": [{"id": 1, "name": "Soak " + connector, "connector": connector, "settings": settings}],
        "pipelines": [{
            "id": 1, "name": "Soak", "connection": 1, "target": "User", "enabled": True, "filter": None,
            "matching": {"in": "email", "out": target.match},
            "exportMode": "CreateOrUpdate", "updateOnDuplicates": False,
            "transformation": {"mapping": {target.first: "first_name", target.last: "last_name"}},
            "inSchema": in_schema,
            "outSchema": _out_schema([target.match, target.first, target.last]),
        }],
    }
    path = os.path.join(directory, "outflow.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(workspace, f, ensure_ascii=False)
    return path


def unlimited_connectors(directory, connector):
    """A `--connectors` folder whose NAME.json is the built-in file with its request-rate windows lifted.

    The client paces itself by the connector's declared limits whatever the mock does (Klaviyo: 700
    per minute would make 100k single-profile creates take 2.4 hours), and the soak is about faults,
    not pacing (Benchmarks/sync measures pacing). A concurrency cap (Mailchimp's 10) is kept: it is
    part of how the connector talks to the API.
    """
    folder = os.path.join(directory, "connectors")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(ROOT, "connectors", connector + ".json"), encoding="utf-8") as f:
        spec = json.load(f)
    groups = (spec.get("rateLimit") or {}).get("groups") or {}
    for name in groups:
        groups[name] = {"requests": 1000000, "per": "1s"}
    with open(os.path.join(folder, connector + ".json"), "w", encoding="utf-8") as f:
        json.dump(spec, f)
    return folder


class Mock:
    """`outflow mock NAME --port 0 ...` as a child process; its origin is the one line it prints."""

    def __init__(self, binary, connector, log_path, fault=None, seed=None, rate_limit="off"):
        command = [binary, "mock", connector, "--port", "0", "--rate-limit", rate_limit]
        if fault:
            command += ["--fault", fault]
        if seed is not None:
            command += ["--seed", str(seed)]
        self.log = open(log_path, "w")
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.origin = self.process.stdout.readline().strip()
        if not self.origin.startswith("http"):
            self.stop()
            raise SystemExit(f"outflow mock {connector} did not start; see {log_path}")

    def get(self, path):
        with urllib.request.urlopen(self.origin + path, timeout=600) as response:
            return json.load(response)

    def users(self):
        return self.get("/__mock/users")["users"]

    def stats(self):
        """{"total": N, "byStatus": {"200": n, "429": n, "dropped": n, ...}} over every API route."""
        stats = self.get("/__mock/stats")
        by_status = collections.Counter()
        for outcomes in stats.get("routes", {}).values():
            for status, count in outcomes.items():
                by_status[status] += count
        return {"total": stats.get("total", 0), "byStatus": dict(sorted(by_status.items()))}

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def compare(connector, users, count):
    """The mock's users against profiles 1...count: lost, duplicated, unexpected, wrong values.

    Webhook: the mock's "users" are the deliveries it received. The connector delivers at least
    once, each item with a deterministic id (pipeline, matching value, payload hash) for the
    receiver to drop repeats by; so repeats of an item id are counted (`redelivered`) but are not
    duplicates, while one email under two item ids would be.
    """
    target = TARGETS[connector]
    expected = {email(i): i for i in range(1, count + 1)}
    figures = {}
    if connector == "webhook":
        items = {}
        deliveries = 0
        for delivery in users:
            deliveries += 1
            for item in (delivery.get("body") or {}).get("users", []):
                items.setdefault(item.get("id"), []).append(item.get("user") or {})
        redelivered = sum(len(v) - 1 for v in items.values())
        records = [v[0] for v in items.values()]
        figures.update(deliveries=deliveries, redelivered=redelivered)
        def read(user, path):
            return _path(user, path)
    else:
        records = users
        read = target.read
    seen = collections.Counter()
    wrong = []
    unexpected = 0
    for user in records:
        value = read(user, target.match)
        key = value.lower() if isinstance(value, str) else value
        seen[key] += 1
        i = expected.get(key)
        if i is None:
            unexpected += 1
            continue
        got = (read(user, target.first), read(user, target.last))
        if got != (first_name(i), last_name(i)):
            wrong.append({"email": key, "expected": [first_name(i), last_name(i)], "found": list(got)})
    lost = sum(1 for key in expected if seen[key] == 0)
    duplicated = sum(c - 1 for key, c in seen.items() if c > 1)
    figures.update(users=len(records), lost=lost, duplicated=duplicated, unexpected=unexpected,
                   wrongValues=len(wrong), exact=(lost == 0 and duplicated == 0 and unexpected == 0
                                                  and not wrong and len(records) == count))
    return figures, wrong[:3]


def run_outflow(binary, workspace, state, connectors_dir, timeout=None, in_flight=None):
    """One `outflow run --json` (with `--max-in-flight` when given); returns (exit code, its JSON line or None)."""
    extra = ["--max-in-flight", str(in_flight)] if in_flight else []
    done = subprocess.run(
        [binary, "run", workspace, "--json", "--state", state, "--connectors", connectors_dir] + extra,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, timeout=timeout,
    )
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return done.returncode, (json.loads(lines[-1]) if lines else None)


def default_binary():
    for build in ("release", "debug"):
        path = os.path.join(ROOT, ".build", build, "outflow")
        if os.path.exists(path):
            return path
    raise SystemExit("no outflow binary: build one (swift build -c release --product outflow) or pass --binary")
