#!/usr/bin/python3
"""Validates a SARIF file against the SARIF 2.1.0 JSON Schema (draft-04).

    validate_sarif.py SCHEMA SARIF

Exit status: 0 valid, 1 invalid (each error printed with its JSON path), 2 usage or unreadable
input, 3 the jsonschema module is missing (Debian: python3-jsonschema), so callers can skip.
"""

import json
import sys


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        import jsonschema
    except ImportError:
        print("validate_sarif: the jsonschema module is not installed", file=sys.stderr)
        return 3
    try:
        with open(argv[1], encoding="utf-8") as f:
            schema = json.load(f)
        with open(argv[2], encoding="utf-8") as f:
            document = json.load(f)
    except (OSError, ValueError) as error:
        print(f"validate_sarif: {error}", file=sys.stderr)
        return 2
    validator = jsonschema.Draft4Validator(schema)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    for error in errors:
        where = "/".join(str(part) for part in error.absolute_path) or "(document)"
        print(f"{where}: {error.message}")
    if errors:
        print(f"validate_sarif: {len(errors)} schema violation(s)", file=sys.stderr)
        return 1
    results = sum(len(run.get("results", [])) for run in document.get("runs", []))
    print(f"validate_sarif: valid SARIF {document.get('version')} with {results} result(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
