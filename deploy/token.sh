#!/usr/bin/env bash
# Mints a signed demo token (RS256 JWT) for one of the local run's demo users, with the development
# key pair in deploy/dev-jwt/ (never used outside the local run: production verifies the identity
# provider's keys, see docs/security.md). Needs only bash and openssl.
#
#   deploy/token.sh                 lists the demo users
#   deploy/token.sh wk-zhang        prints a token for the wukang dispatcher 张伟
#   deploy/token.sh wk-zf-1-m2      any demo unit member <unit>-m<n>: field role bound to <unit>
#   TOKEN_TTL=600 deploy/token.sh op-chen
#
#   curl -H "Authorization: Bearer $(deploy/token.sh op-chen)" localhost:8101/api/categories
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KEY="${HOTLINE_DEV_JWT_KEY:-$DIR/dev-jwt/private.pem}"
ISSUER="${HOTLINE_DEV_JWT_ISSUER:-https://hotline.local/dev}"
TTL="${TOKEN_TTL:-28800}" # a shift: 8 hours

# user | roles (groups) | extra claims (JSON members) | who
USERS=$(cat <<'T'
op-chen|operator||12345 hotline operator 陈静
wk-zhang|dispatcher|"street":"wukang"|wukang command-room dispatcher 张伟
wk-li|dispatcher|"street":"wukang"|wukang command-room dispatcher 李娜
wk-wang|supervisor|"area":"wukang"|wukang street supervisor 王强
county-sup|supervisor|"area":"county"|county 12345 centre supervisor
wk-pcs-north-m1|field|"unit":"wk-pcs-north","member":"wk-pcs-north-m1"|field: 王建国, 武康派出所城北警务区
wk-cg-1-m1|field|"unit":"wk-cg-1","member":"wk-cg-1-m1"|field: 市政组 first member
wk-dqs-1-m1|field|"unit":"wk-dqs-1","member":"wk-dqs-1-m1"|field: 徐美华, 德清嫂调解队（英溪）
admin|admin||system administrator (units, rosters, policies, audit)
grafana|monitoring||Grafana / SLA monitoring (read-only)
T
)

if [[ $# -ne 1 ]]; then
  echo "usage: deploy/token.sh <user>   (prints a bearer token)" >&2
  echo "demo users:" >&2
  while IFS='|' read -r u r _ who; do printf '  %-16s %-11s %s\n' "$u" "$r" "$who" >&2; done <<<"$USERS"
  echo "  <unit>-m<n>      field       any member of a demo unit, e.g. wk-zf-1-m2" >&2
  exit 2
fi

line="$(grep -E "^$1\|" <<<"$USERS" || true)"
if [[ -z "$line" && "$1" =~ ^(wk-[a-z0-9-]+)-m[0-9]+$ ]]; then
  # any member of a demo unit (demo/units.sql names them <unit>-m1, <unit>-m2)
  line="$1|field|\"unit\":\"${BASH_REMATCH[1]}\",\"member\":\"$1\"|field member"
fi
[[ -n "$line" ]] || { echo "unknown demo user: $1 (run without arguments for the list)" >&2; exit 2; }
IFS='|' read -r user roles claims _ <<<"$line"

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
header='{"alg":"RS256","typ":"JWT","kid":"dev"}'
payload="{\"iss\":\"$ISSUER\",\"aud\":\"${HOTLINE_DEV_JWT_AUDIENCE:-hotline}\",\"sub\":\"$user\",\"upn\":\"$user\",\"groups\":[\"$roles\"],\"iat\":$now,\"exp\":$((now + TTL)),\"jti\":\"$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')\"${claims:+,$claims}}"
signing_input="$(printf '%s' "$header" | b64url).$(printf '%s' "$payload" | b64url)"
signature="$(printf '%s' "$signing_input" | openssl dgst -sha256 -sign "$KEY" -binary | b64url)"
printf '%s.%s\n' "$signing_input" "$signature"
