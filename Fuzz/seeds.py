#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (Fuzz/corpus/NAME/) from fixtures/ and the mapping tests.

Seeds are kept small (a header and a few records each) so that libFuzzer's default input size
stays small and each execution fast. Run from the repository root: python3 Fuzz/seeds.py
"""
import hashlib
import json
import os
import re
import shutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "Fuzz", "corpus")


def read(path):
    with open(os.path.join(ROOT, path), "rb") as f:
        return f.read()


def write(target, data):
    if isinstance(data, str):
        data = data.encode()
    directory = os.path.join(CORPUS, target)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
        f.write(data)


def groups(lines, size):
    return [lines[i:i + size] for i in range(0, len(lines), size)]


def csv_seeds():
    lines = read("fixtures/profiles/customers.csv").split(b"\n")
    header = lines[0]
    write("csv", b"\n".join(lines[:4]) + b"\n")
    write("csv", b"\xef\xbb\xbf" + b"\r\n".join(lines[:3]))
    malformed = read("fixtures/profiles/malformed.csv").split(b"\r\n")
    for group in groups(malformed[1:], 3):
        write("csv", b"\r\n".join([malformed[0]] + group))
    write("csv", header + b'\n7,"multi\nline ""quoted""",,,,,,,,,,,,,,,,,,,,,\n')
    write("csv", b"id,email\n1,a@b.c\n")


def json_seeds():
    rows = [json.loads(line) for line in read("fixtures/profiles/customers.ndjson").split(b"\n")[:3] if line.strip()]
    write("json", json.dumps(rows))
    write("json", json.dumps(rows[:1], indent=2))
    write("json", "[]")
    write("json", '[{"id":1,"tags":[],"traits":{"a":[1,{"b":null}]},"balance":1.5e2,"email":"\\u00e9\\ud83d\\ude00"}, 3, null]')
    malformed = [line for line in read("fixtures/profiles/malformed.ndjson").split(b"\n") if line.strip()]
    for group in groups(malformed, 4):
        write("json", b"[" + b",\n".join(group) + b"]")


def ndjson_seeds():
    lines = read("fixtures/profiles/customers.ndjson").split(b"\n")
    write("ndjson", b"\n".join(lines[:3]) + b"\n")
    write("ndjson", b"\r\n".join(lines[:2]))
    malformed = [line for line in read("fixtures/profiles/malformed.ndjson").split(b"\n")]
    for group in groups(malformed, 4):
        write("ndjson", b"\n".join(group) + b"\n")


def unescape(text):
    """The value of a Swift string literal's body (the escapes the tests use)."""
    simple = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", '"': '"', "'": "'", "\\": "\\"}

    def replace(match):
        if match.group(1):
            return chr(int(match.group(1), 16))
        return simple.get(match.group(2), match.group(0))

    return re.sub(r"\\(?:u\{([0-9a-fA-F]+)\}|(.))", replace, text)


def mapping_seeds():
    demo = json.loads(read("fixtures/workspaces/demo.json"))
    for pipeline in demo.get("pipelines", []):
        for expression in ((pipeline.get("transformation") or {}).get("mapping") or {}).values():
            write("mapping", expression)
    literal = re.compile(r'^\s*\((#?)"(.*?)"\1\s*,')
    for name in ["MappingFunctionTests", "MappingConversionTests", "MappingParserTests", "MappingOutputTests"]:
        for line in read(f"Tests/OutflowCoreTests/{name}.swift").decode().split("\n"):
            match = literal.match(line)
            if not match:
                continue
            text = match.group(2)
            if not match.group(1):
                text = unescape(text)
            write("mapping", text)


def workspace_seeds():
    for name in ["demo.json", "demo.yaml", "invalid.json"]:
        write("workspace", read(f"fixtures/workspaces/{name}"))
    demo = json.loads(read("fixtures/workspaces/demo.json"))
    small = dict(demo, pipelines=demo.get("pipelines", [])[:1], connections=demo.get("connections", [])[:1])
    write("workspace", json.dumps(small))
    write("workspace", "name: w\nwarehouse:\n  profiles:\n    path: p.csv\n    schema: {kind: object, properties: []}\n")


if __name__ == "__main__":
    shutil.rmtree(CORPUS, ignore_errors=True)
    csv_seeds()
    json_seeds()
    ndjson_seeds()
    mapping_seeds()
    workspace_seeds()
    for target in sorted(os.listdir(CORPUS)):
        files = os.listdir(os.path.join(CORPUS, target))
        size = sum(os.path.getsize(os.path.join(CORPUS, target, f)) for f in files)
        print(f"{target}: {len(files)} seeds, {size} bytes")
