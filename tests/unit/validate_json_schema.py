#!/usr/bin/env python3
"""Validates a JSON document against a JSON Schema (any draft jsonschema knows).

Usage: validate_json_schema.py SCHEMA DOCUMENT
Exit codes: 0 valid, 1 invalid (errors on stdout), 77 jsonschema is not installed (the calling
test skips; Debian: apt-get install python3-jsonschema).
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed")
    sys.exit(77)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    with open(sys.argv[2], encoding="utf-8") as f:
        document = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.path)))
    for error in errors[:20]:
        print("/" + "/".join(map(str, error.path)) + ": " + error.message)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
