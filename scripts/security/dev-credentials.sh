#!/usr/bin/env bash
# Development credentials for trying a secured PMO locally (docs/security.md):
# a CA, a server certificate for 127.0.0.1/localhost, a client certificate,
# an RS256 signing key and its JWKS. Never for production: the keys are
# unprotected files.
#
#   scripts/security/dev-credentials.sh /tmp/pmo-sec
#   pmo --tls_cert_file /tmp/pmo-sec/server.pem --tls_key_file /tmp/pmo-sec/server-key.pem \
#       --tls_client_ca_file /tmp/pmo-sec/ca.pem \
#       --jwks_file /tmp/pmo-sec/jwks.json --jwt_issuer https://id.pmo.local
#   scripts/security/dev-token.sh /tmp/pmo-sec alice project_manager <project-id> > token
#
# PMO_DEV_SERVER_SAN replaces the server certificate's names (default
# IP:127.0.0.1,DNS:localhost), e.g. with the compose service names
# (deploy/compose/dev-credentials.sh).
set -euo pipefail
dir="${1:?usage: dev-credentials.sh DIR}"
mkdir -p "$dir"
cd "$dir"
ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
openssl req -x509 "${ec[@]}" -keyout ca-key.pem -out ca.pem -days 30 -subj /CN=pmo-dev-ca 2>/dev/null
issue() {  # name cert key extension
  openssl req "${ec[@]}" -keyout "$3" -out "$3.csr" -subj "/CN=$1" 2>/dev/null
  printf '%s\n' "$4" > "$3.ext"
  openssl x509 -req -in "$3.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 30 \
    -out "$2" -extfile "$3.ext" 2>/dev/null
  rm -f "$3.csr" "$3.ext"
}
issue pmo-server server.pem server-key.pem \
  "subjectAltName=${PMO_DEV_SERVER_SAN:-IP:127.0.0.1,DNS:localhost}"
issue pmo-client client.pem client-key.pem "extendedKeyUsage=clientAuth"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out jwt-key.pem 2>/dev/null
modulus="$(openssl rsa -in jwt-key.pem -noout -modulus | cut -d= -f2)"
python3 - "$modulus" > jwks.json <<'PY'
import base64, json, sys
n = base64.urlsafe_b64encode(bytes.fromhex(sys.argv[1])).rstrip(b"=").decode()
print(json.dumps({"keys": [{"kty": "RSA", "kid": "dev-1", "use": "sig", "alg": "RS256",
                            "n": n, "e": "AQAB"}]}))
PY
chmod 600 ./*-key.pem
echo "$dir: ca.pem server.pem server-key.pem client.pem client-key.pem jwt-key.pem jwks.json"
