#!/usr/bin/env bash
# Development credentials for the secured compose deployment
# (docker-compose.yml), into deploy/compose/credentials/ (or DIR):
#
#   ca.pem                  the CA every service and client trusts
#   server.pem, server-key.pem
#                           every service's certificate, valid for the compose
#                           service names (projection, reporting, ...) and for
#                           127.0.0.1/localhost (the ports published on the host)
#   client.pem, client-key.pem
#                           a client certificate for mutual TLS: pmo-reporting
#                           calling pmo-projection, and pmoctl on the host
#   jwt-key.pem, jwks.json  the RS256 token signing key and the set the
#                           services verify with (issuer https://id.pmo.local)
#   service.token           a `service` token for pmo-reporting's calls
#                           (30 days; reporting re-reads it when it changes)
#
#   deploy/compose/dev-credentials.sh
#   docker-compose up -d
#   scripts/security/dev-token.sh deploy/compose/credentials admin pmo_admin > admin.token
#   pmoctl --tls-ca deploy/compose/credentials/ca.pem \
#     --tls-cert deploy/compose/credentials/client.pem \
#     --tls-key deploy/compose/credentials/client-key.pem \
#     --token-file admin.token --addr 127.0.0.1:50061 projects list
#   curl --cacert deploy/compose/credentials/ca.pem \
#     -H "Authorization: Bearer $(cat admin.token)" https://127.0.0.1:8080/risks
#                           (the dashboard: HTTPS with server.pem, no client
#                           certificate)
#
# A second run keeps the CA and keys and renews only the service token;
# --renew makes everything anew. Development only: the TLS keys are
# unprotected files, readable by the containers' user (uid 10001); the
# token signing key is readable by its owner only.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
renew=false
if [[ "${1:-}" == "--renew" ]]; then renew=true; shift; fi
dir="${1:-$here/credentials}"
command -v openssl >/dev/null || { echo "dev-credentials.sh: openssl is required" >&2; exit 2; }

if $renew || [[ ! -f "$dir/ca.pem" || ! -f "$dir/jwt-key.pem" ]]; then
  rm -rf "$dir"
  services="configuration projects resources risks projection reporting"
  san="IP:127.0.0.1,DNS:localhost"
  for s in $services; do san="$san,DNS:$s"; done
  PMO_DEV_SERVER_SAN="$san" "$root/scripts/security/dev-credentials.sh" "$dir" >/dev/null
  rm -f "$dir/ca-key.pem" "$dir/ca.srl"  # nothing more is signed with it
fi
# The service token, valid 30 days.
"$root/scripts/security/dev-token.sh" "$dir" service:reporting service "" 43200 \
  > "$dir/service.token.new"
mv "$dir/service.token.new" "$dir/service.token"
# The containers run as uid 10001, not as the user running this script.
chmod 755 "$dir"
chmod 644 "$dir"/*
chmod 600 "$dir/jwt-key.pem"  # signs tokens; no service needs it
echo "$dir: ca.pem server.pem server-key.pem client.pem client-key.pem jwks.json service.token"
