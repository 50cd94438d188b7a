#!/usr/bin/env python3
"""The peer a user would write by hand: sync a CSV of customers to HubSpot contacts with HubSpot's
official Python SDK (`hubspot-api-client` on PyPI), the way its README shows, plus a thread pool.

It does what `outflow run` does for the demo pipeline (matching email -> email, CreateOrUpdate):
for each batch of 100 profiles, one batch/read by email (idProperty), then one batch/create for
the profiles with no contact and one batch/update for the others. Batches run on a thread pool.

    python3 -m venv /tmp/peer && /tmp/peer/bin/pip install hubspot-api-client
    /tmp/peer/bin/python Benchmarks/peers/hubspot_peer.py --host http://127.0.0.1:8089 \
        --csv /tmp/outflow-bench-data/customers-100k.csv --threads 8

It prints one JSON line: {"profiles", "created", "updated", "failed", "requests", "seconds", "profilesPerSecond"}.
Used by docs/performance.md for the end-to-end comparison (issue 6): the measured figure is the peer's,
not a guess.
"""
import argparse
import csv
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from hubspot import HubSpot
from hubspot.crm.contacts import (
    BatchInputSimplePublicObjectBatchInput,
    BatchInputSimplePublicObjectBatchInputForCreate,
    BatchReadInputSimplePublicObjectId,
    SimplePublicObjectBatchInput,
    SimplePublicObjectBatchInputForCreate,
    SimplePublicObjectId,
)
from hubspot.crm.contacts.exceptions import ApiException


def contact_properties(row):
    """The demo pipeline's mapping (fixtures/workspaces/demo.json, pipeline 101)."""
    first = row.get("first_name") or ""
    return {
        "firstname": first[:1].upper() + first[1:].lower(),
        "lastname": row.get("last_name") or "",
        "phone": row.get("phone") or "",
        "country": (row.get("address.country") or "").upper(),
        "city": row.get("address.city") or "Unknown",
    }


def sync_batch(client, rows):
    """One batch: read by email, then create the missing and update the found. Returns counts."""
    requests = 0
    emails = [row["email"] for row in rows if row.get("email")]
    read = client.crm.contacts.batch_api.read(
        batch_read_input_simple_public_object_id=BatchReadInputSimplePublicObjectId(
            id_property="email",
            properties=["email"],
            inputs=[SimplePublicObjectId(id=email) for email in emails],
        )
    )
    requests += 1
    found = {}
    for contact in read.results:
        email = (contact.properties or {}).get("email")
        if email:
            found[email.lower()] = contact.id
    creates, updates = [], []
    for row in rows:
        email = row.get("email")
        if not email:
            continue
        properties = contact_properties(row)
        contact_id = found.get(email.lower())
        if contact_id is None:
            creates.append(SimplePublicObjectBatchInputForCreate(properties=dict(properties, email=email)))
        else:
            updates.append(SimplePublicObjectBatchInput(id=contact_id, properties=properties))
    created = updated = failed = 0
    if creates:
        try:
            client.crm.contacts.batch_api.create(
                batch_input_simple_public_object_batch_input_for_create=BatchInputSimplePublicObjectBatchInputForCreate(inputs=creates)
            )
            created = len(creates)
        except ApiException:
            failed += len(creates)
        requests += 1
    if updates:
        try:
            client.crm.contacts.batch_api.update(
                batch_input_simple_public_object_batch_input=BatchInputSimplePublicObjectBatchInput(inputs=updates)
            )
            updated = len(updates)
        except ApiException:
            failed += len(updates)
        requests += 1
    return created, updated, failed, requests


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", required=True, help="origin of the HubSpot API (a mock: http://127.0.0.1:PORT)")
    parser.add_argument("--csv", required=True, help="the profiles (the demo's customers.csv columns)")
    parser.add_argument("--token", default="peer-token")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()

    client = HubSpot(access_token=args.token, host=args.host)
    with open(args.csv, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    batches = [rows[i : i + args.batch] for i in range(0, len(rows), args.batch)]
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.threads) as pool:
        results = list(pool.map(lambda batch: sync_batch(client, batch), batches))
    seconds = time.perf_counter() - start
    created = sum(r[0] for r in results)
    updated = sum(r[1] for r in results)
    failed = sum(r[2] for r in results)
    requests = sum(r[3] for r in results)
    json.dump(
        {
            "profiles": len(rows),
            "created": created,
            "updated": updated,
            "failed": failed,
            "requests": requests,
            "seconds": round(seconds, 3),
            "profilesPerSecond": round(len(rows) / seconds, 1),
        },
        sys.stdout,
    )
    print()


if __name__ == "__main__":
    main()
