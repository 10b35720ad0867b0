#!/bin/sh
# Generates the test keys and certificates of the integrity tests (run once; the outputs are
# committed). Test material only: never use these keys for anything else.
#   cd src/integrity/testdata/keys && sh make_keys.sh
set -eu
umask 022
for curve in P-256 P-384 P-521; do
  name=$(echo "$curve" | tr 'A-Z-' 'a-z_' | tr -d _)   # p256, p384, p521
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:$curve -out $name.pem
  openssl pkey -in $name.pem -pubout -out $name.pub.pem
done
# A different P-256 key, for "wrong key" tests.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out other_p256.pem
openssl pkey -in other_p256.pem -pubout -out other_p256.pub.pem
# Encrypted forms of p256.pem, passphrase "correct horse": PKCS#8 and legacy SEC1 PEM encryption.
openssl pkcs8 -topk8 -in p256.pem -v2 aes-256-cbc -passout pass:'correct horse' \
  -out p256.encrypted.pem
openssl ec -in p256.pem -aes256 -passout pass:'correct horse' -out p256.sec1.encrypted.pem
# Unencrypted SEC1 ("EC PRIVATE KEY") with text before the PEM block.
{ echo "Key generated for tests; text before the block must be skipped."; echo;
  openssl ec -in p384.pem; } > p384.sec1.leading-text.pem
# Unsupported key types.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.pem
openssl genpkey -algorithm ED25519 -out ed25519.pem
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -out secp256k1.pem

# A CA hierarchy (EC): root -> intermediate -> leaf certificates for signing.
cat > ca.ext <<'EXT'
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EXT
cat > leaf.ext <<'EXT'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=codeSigning
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EXT
cat > leaf-tls.ext <<'EXT'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EXT
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out root-ca.key.pem
openssl req -x509 -new -key root-ca.key.pem -subj "/CN=modelgate test root CA" -days 7300 \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
  -out root-ca.pem
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out int-ca.key.pem
openssl req -new -key int-ca.key.pem -subj "/CN=modelgate test intermediate CA" -out int-ca.csr
openssl x509 -req -in int-ca.csr -CA root-ca.pem -CAkey root-ca.key.pem -CAcreateserial \
  -days 7300 -extfile ca.ext -out int-ca.pem
sign_leaf() {  # key-file subject extfile out [days]
  openssl req -new -key "$1" -subj "$2" -out leaf.csr
  openssl x509 -req -in leaf.csr -CA int-ca.pem -CAkey int-ca.key.pem -CAcreateserial \
    -days "${5:-7300}" -extfile "$3" -out "$4"
}
sign_leaf p256.pem "/CN=modelgate test signer" leaf.ext signer-p256.pem
sign_leaf p521.pem "/CN=modelgate test signer P-521" leaf.ext signer-p521.pem
sign_leaf p256.pem "/CN=modelgate test TLS server" leaf-tls.ext tls-p256.pem
# An expired signing certificate: valid for one day in 2020 (openssl >= 3.0 -not_before/-not_after
# are not in Debian 12's 3.0, so use x509 -days with a fixed start through a CA config).
cat > expired.cnf <<'EXT'
[ca]
default_ca=test_ca
[test_ca]
database=index.txt
new_certs_dir=.
serial=expired.srl
policy=anything
default_md=sha384
copy_extensions=none
[anything]
commonName=supplied
[leaf]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=codeSigning
EXT
: > index.txt
echo 01 > expired.srl
openssl req -new -key p256.pem -subj "/CN=modelgate expired signer" -out leaf.csr
openssl ca -batch -config expired.cnf -cert int-ca.pem -keyfile int-ca.key.pem -in leaf.csr \
  -startdate 20200101000000Z -enddate 20200102000000Z -extensions leaf -notext \
  -out expired-p256.pem
rm -f leaf.csr int-ca.csr index.txt* expired.srl* *.srl 01.pem ca.ext leaf.ext leaf-tls.ext \
  expired.cnf
