#!/usr/bin/env bash
# The trust bundle at scale (issue 16, docs/performance.md "Trust bundle"): seeds VISAS issued
# visas, EXPIRED of them issued 400 days ago, every one entered once at Astana (as imported kiosk
# ledgers record it), then exports the bundle with main's binaries (BASE_BIN) and this branch's
# (NEW_BIN) from copies of the same database, imports each into a fresh kiosk and verifies a
# valid, used visa there (`record` for entry: the bundle's used list is searched). Prints size, export, import and verify times side by side.
#
#   BASE_BIN=/tmp/main-bin NEW_BIN=target/release VISAS=1000000 EXPIRED=700000 scripts/bundle-bench.sh
#
# BASE_BIN holds `issuer` and `verifier-kiosk` built from main (git archive main | tar -x; cargo
# build). main's schema lacks this branch's last migration (the index of the visas' last day):
# its copy of the database has that index dropped and user_version lowered by one, which is
# exactly main's schema.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${BASE_BIN:?BASE_BIN: a directory with the issuer and verifier-kiosk of main}"
NEW_BIN=${NEW_BIN:-target/release}
VISAS=${VISAS:-1000000}
EXPIRED=${EXPIRED:-700000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/new" "$work/keys"
cp keys/dev-issuer.cert "$work/keys/"
echo "seeding $VISAS visas ($EXPIRED expired), each entered once …"
ISSUER_SEED_PASSWORD='bundle-bench-Kz-2026-pw' "$NEW_BIN/issuer" seed --visas "$VISAS" \
  --expired "$EXPIRED" --entered --data-dir "$work/new" --key keys/dev-issuer.key
sqlite3 "$work/new/issuer.sqlite3" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
cp -r "$work/new" "$work/base"
version=$(sqlite3 "$work/base/issuer.sqlite3" 'PRAGMA user_version;')
sqlite3 "$work/base/issuer.sqlite3" \
  "DROP INDEX visas_valid_until; PRAGMA user_version = $((version - 1));"
# The newest visa: valid, and used (entered) at NQZ-01.
token=$(sqlite3 "$work/new/issuer.sqlite3" 'SELECT token FROM visas ORDER BY number DESC LIMIT 1;')

seconds() { # runs "$@" and prints its wall time in seconds (and its peak RSS in MB on stderr)
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/out" 2>&1 || true
  read -r wall rss < <(tail -1 "$work/time")
  echo "$wall s, $((rss / 1024)) MB"
}

printf '%-6s | %-12s | %-22s | %-22s | %-22s | %s\n' side bytes export import verify verdict
for side in base new; do
  bin=$BASE_BIN
  [ "$side" = new ] && bin=$NEW_BIN
  file="$work/$side.kztrust"
  export_time=$(seconds "$bin/issuer" bundle export --root keys/root/dev-root.key \
    --key-dir "$work/keys" --out "$file" --data-dir "$work/$side")
  size=$(stat -c %s "$file")
  trust="$work/trust-$side"
  mkdir -p "$trust"
  cp keys/root/dev-root.pub "$trust/root.pub"
  import_time=$(seconds "$bin/verifier-kiosk" bundle import --trust "$trust" "$file")
  # Judged for entry against the bundle's used entries (this kiosk's own ledger is empty).
  verify_time=$(seconds "$bin/verifier-kiosk" record --trust "$trust" --ledger "$trust/ledger.db" \
    --kiosk-id NQZ-01 --port NQZ --direction entry --text "$token")
  verdict=$(grep -o '"reason":"[a-z_]*"' "$work/out" | head -1)
  printf '%-6s | %-12s | %-22s | %-22s | %-22s | %s\n' "$side" "$size" "$export_time" \
    "$import_time" "$verify_time" "$verdict"
done
