#!/usr/bin/env bash
# Prints an RS256 bearer token signed with dev-credentials.sh's key.
#
#   scripts/security/dev-token.sh DIR SUBJECT ROLES [PROJECTS] [MINUTES]
#   ROLES, PROJECTS: comma-separated (pmo_admin, pmo_analyst, project_manager,
#   service); issuer https://id.pmo.local, audience pmo, 60 minutes.
set -euo pipefail
dir="${1:?usage: dev-token.sh DIR SUBJECT ROLES [PROJECTS] [MINUTES]}"
subject="${2:?subject}"; roles="${3:?roles}"; projects="${4:-}"; minutes="${5:-60}"
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
header="$(printf '{"alg":"RS256","kid":"dev-1","typ":"JWT"}' | b64url)"
claims="$(python3 - "$subject" "$roles" "$projects" "$minutes" <<'PY'
import json, sys, time
subject, roles, projects, minutes = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
now = int(time.time())
print(json.dumps({"iss": "https://id.pmo.local", "aud": "pmo", "sub": subject,
                  "pmo_roles": [r for r in roles.split(",") if r],
                  "pmo_projects": [p for p in projects.split(",") if p],
                  "nbf": now, "exp": now + 60 * minutes}, separators=(",", ":")), end="")
PY
)"
payload="$(printf '%s' "$claims" | b64url)"
signature="$(printf '%s.%s' "$header" "$payload" |
  openssl dgst -sha256 -sign "$dir/jwt-key.pem" -binary | b64url)"
printf '%s.%s.%s\n' "$header" "$payload" "$signature"
