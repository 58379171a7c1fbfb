#!/usr/bin/env bash
# Makes a local development CA, a server certificate for localhost/127.0.0.1, and one client
# certificate per device id given (subject CN = the device id, for mutual TLS).
# Usage: scripts/dev-certs.sh OUT_DIR [DEVICE_ID ...]    Development only: keys are unencrypted.
set -euo pipefail
out=${1:?usage: scripts/dev-certs.sh OUT_DIR [DEVICE_ID ...]}
shift
mkdir -p "$out"
cd "$out"
quiet() { "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; }

quiet openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=Vigil development CA" \
  -keyout ca-key.pem -out ca.pem

quiet openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server-key.pem -out server.csr
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > server.ext
quiet openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 825 \
  -extfile server.ext -out server.pem

for id in "$@"; do
  quiet openssl req -newkey rsa:2048 -nodes -subj "/CN=$id" -keyout "device-$id-key.pem" -out "device-$id.csr"
  printf 'extendedKeyUsage=clientAuth\n' > client.ext
  quiet openssl x509 -req -in "device-$id.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 825 \
    -extfile client.ext -out "device-$id.pem"
done
rm -f ./*.csr ./*.ext ./*.srl
echo "certificates in $out: ca.pem, server.pem, server-key.pem${*:+, device-<id>.pem and -key.pem for: $*}"
