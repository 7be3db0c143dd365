#!/usr/bin/env python3
"""Validates a JSON document against a JSON Schema (with the schemas beside it for
relative $refs), as the scanner's format tests need: CycloneDX 1.6 (draft-07) and
SARIF 2.1.0 (draft-04). Prints every error with its path; exit 1 when invalid.
  validate_schema.py SCHEMA DOCUMENT
"""
import json
import os
import sys

import jsonschema

schema_path, document_path = sys.argv[1], sys.argv[2]
with open(schema_path) as f:
    schema = json.load(f)
with open(document_path) as f:
    document = json.load(f)
folder = os.path.dirname(os.path.abspath(schema_path))
store = {}
for name in os.listdir(folder):
    if name.endswith(".json"):
        with open(os.path.join(folder, name)) as f:
            try:
                other = json.load(f)
            except ValueError:
                continue
        store[name] = other
        for key in ("$id", "id"):
            if isinstance(other, dict) and isinstance(other.get(key), str):
                store[other[key]] = other
resolver = jsonschema.RefResolver(base_uri="file://" + folder + "/", referrer=schema, store=store)
validator_class = jsonschema.validators.validator_for(schema)
errors = sorted(validator_class(schema, resolver=resolver).iter_errors(document),
                key=lambda e: list(e.absolute_path))
for e in errors[:20]:
    print("/".join(str(p) for p in e.absolute_path) or "(root)", ":", e.message[:300])
sys.exit(1 if errors else 0)
