#!/usr/bin/python3
"""Seeds src/integrity/sigstore/corpus/ for the fuzz_sigstore target from the committed
keyless fixtures: the trusted roots, the four bundles, and each bundle's checkpoint and
canonicalized Rekor body on their own (plus a Rekor v2 hashedrekord body built from v1.1.0).
"""
import base64
import hashlib
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
DATA = HERE.parent.parent / "testdata" / "sigstore"
CORPUS = HERE.parent / "corpus"


def main() -> None:
    CORPUS.mkdir(exist_ok=True)
    for root in DATA.glob("*trusted_root.json"):
        (CORPUS / root.name).write_bytes(root.read_bytes())
    for folder in sorted(DATA.glob("v*-sigstore")):
        version = folder.name.split("-")[0]
        raw = (folder / "model.sig").read_bytes()
        (CORPUS / f"bundle-{version}.json").write_bytes(raw)
        bundle = json.loads(raw)
        entry = bundle["verificationMaterial"]["tlogEntries"][0]
        checkpoint = entry["inclusionProof"]["checkpoint"]["envelope"]
        (CORPUS / f"checkpoint-{version}.txt").write_bytes(checkpoint.encode())
        body = base64.b64decode(entry["canonicalizedBody"])
        (CORPUS / f"body-dsse-{version}.json").write_bytes(body)
    v110 = json.loads((DATA / "v1.1.0-sigstore" / "model.sig").read_bytes())
    payload = base64.b64decode(v110["dsseEnvelope"]["payload"])
    pae = b"DSSEv1 28 application/vnd.in-toto+json %d " % len(payload) + payload
    hashed = {
        "apiVersion": "0.0.2",
        "kind": "hashedrekord",
        "spec": {"hashedRekordV002": {
            "data": {"algorithm": "SHA2_256",
                     "digest": base64.b64encode(hashlib.sha256(pae).digest()).decode()},
            "signature": {"content": v110["dsseEnvelope"]["signatures"][0]["sig"],
                          "verifier": {"x509Certificate": {
                              "rawBytes": v110["verificationMaterial"]["certificate"]["rawBytes"]},
                              "keyDetails": "PKIX_ECDSA_P256_SHA_256"}}}},
    }
    (CORPUS / "body-hashedrekord-v0.0.2.json").write_bytes(
        json.dumps(hashed, separators=(",", ":")).encode())


if __name__ == "__main__":
    main()
