#!/usr/bin/env bash
# Re-fetches the screens' one third-party browser library, oidc-client-ts (OpenID Connect
# authorization code + PKCE), from the npm registry at its pinned version, checks npm's published
# integrity hash, and copies its browser bundle where dispatch-service serves it
# (/vendor/oidc-client-ts-<version>/). The bundle is committed, so a build needs no npm; run this
# only to verify it or to move to another version (then change VERSION and INTEGRITY, and the
# <script> tag in index.html).
set -euo pipefail
VERSION=3.5.0
INTEGRITY='sha512-l2q8l9CTCTOlbX+AnK4p3M+4CEpKpyQhle6blQkdFhm0IsBqsxm15bYaSa11G7pWdsYr6epdsRZxJpCyCRbT8A=='
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/dispatch-service/src/main/resources/META-INF/resources/vendor/oidc-client-ts-$VERSION"
command -v npm >/dev/null || { echo "npm is needed (apt-get install npm)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "oidc-client-ts@$VERSION" >/dev/null)
tgz="$work/oidc-client-ts-$VERSION.tgz"
got="sha512-$(openssl dgst -sha512 -binary "$tgz" | openssl base64 -A)"
[[ "$got" == "$INTEGRITY" ]] || { echo "integrity mismatch: $got" >&2; exit 1; }
tar -xzf "$tgz" -C "$work"
mkdir -p "$DEST"
if [[ "${1:-}" == "--check" ]]; then
  cmp "$work/package/dist/browser/oidc-client-ts.min.js" "$DEST/oidc-client-ts.min.js" && echo "vendored oidc-client-ts $VERSION matches npm"
else
  cp "$work/package/dist/browser/oidc-client-ts.min.js" "$work/package/LICENSE" "$DEST/"
  echo "oidc-client-ts $VERSION copied to $DEST"
fi
