#!/usr/bin/env bash
# Fault runs (issue 7, item 4).
#
# Issuer: CYCLES times, a storm of duplicate signed "paid" callbacks (wrk) runs while the issuer
# is killed with SIGKILL at a random moment; it is restarted on the same data directory and the
# invariants are checked: PRAGMA integrity_check, at most one visa per application, every
# application with a paid payment has its visa after the restart (the issuer completes paid but
# unissued applications on start), no visa without a paid payment, and every issued visa's PDF
# downloads whole (%PDF- … %%EOF) and pdftotext reads it.
#
# Kiosk: KIOSK_CYCLES times, `verifier-kiosk record --direction entry` for a new visa is killed
# with SIGKILL, either right after it printed its decision or at a random moment while it runs;
# then `verifier-kiosk ledger verify` must pass, and recording the same visa again must leave
# exactly one entry for it in the ledger (a second is refused as already used).
#
#   scripts/faults.sh                                  # CYCLES=20 PER_CYCLE=3 KIOSK_CYCLES=40
#   PER_CYCLE=20 EARLY_MS="1 40" scripts/faults.sh issuer   # aim at the issuing window
#   CYCLES=50 scripts/faults.sh issuer                 # only the issuer part (or: kiosk)
#   KEEP=1 scripts/faults.sh                           # keep the temporary directory
#
# Needs wrk, curl, jq, openssl, sqlite3 and poppler-utils (pdftotext), besides Rust.
set -euo pipefail

CYCLES=${CYCLES:-20}
PER_CYCLE=${PER_CYCLE:-3}
KIOSK_CYCLES=${KIOSK_CYCLES:-40}
# The SIGKILL comes this many milliseconds (from–to) after the storm starts; odd cycles use
# EARLY_MS, while the cycle's first callbacks are being issued, even cycles LATE_MS.
EARLY_MS=${EARLY_MS:-5 250}
LATE_MS=${LATE_MS:-20 1500}
PART=${1:-all}

source "$(dirname "$0")/load/common.sh"

WORK=$(mktemp -d /tmp/evisa-faults.XXXXXX)
WRK_PID=""
KIOSK_PID=""
cleanup() {
  for pid in "$WRK_PID" "$KIOSK_PID"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  stop_issuer
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT INT TERM

# A random delay in seconds between $1 and $2 milliseconds.
random_delay() { awk -v lo="$1" -v hi="$2" -v r="$RANDOM" 'BEGIN { printf "%.3f", (lo + (hi - lo) * r / 32767) / 1000 }'; }

echo "building release binaries…"
build_release
failures=0

issuer_faults() {
  local data=$WORK/data log=$WORK/issuer.log port sandbox db
  port=$(free_port)
  sandbox=$(free_port)
  db=$data/issuer.sqlite3
  start_issuer "$data" "$port" "$sandbox" "$log"
  local total=$((CYCLES * PER_CYCLE)) i id
  echo "issuer: preparing $total applications with payment orders…"
  mkdir -p "$WORK/jars"
  : >"$WORK/apps"
  for i in $(seq 1 "$total"); do
    sign_up "$WORK/jars/$i" "owner$i@faults.example"
    id=$(apply_and_order "$WORK/jars/$i" "$(new_invitation "$data")")
    printf '%s\n' "$id" >>"$WORK/apps"
  done
  local cycle restart_retries=0 kills_mid_issue=0 completed_on_start=0 answered=0 errors5=0 breaches=0 pdfs=0
  # 2xx/5xx: callbacks answered before the kill; paid_unissued: applications paid but without a
  # visa in the database as the kill left it (the restart must complete them).
  printf '%-6s %-9s %-7s %-5s %-6s %-14s %s\n' cycle kill_at 2xx 5xx visas paid_unissued invariants
  for cycle in $(seq 1 "$CYCLES"); do
    # This cycle's new orders plus every earlier one again (duplicates), signed now.
    local upto=$((cycle * PER_CYCLE)) ids where
    ids=$(head -n "$upto" "$WORK/apps" | sed "s/.*/'&'/" | paste -sd,)
    where="application_id IN ($ids)"
    signed_callbacks "$db" "$where" >"$WORK/storm.req"
    REQUESTS=$WORK/storm.req wrk -t2 -c16 -d3s -s "$ROOT/scripts/load/requests.lua" "$BASE" \
      >"$WORK/wrk.out" 2>&1 &
    WRK_PID=$!
    local delay
    # Odd cycles kill early, while this cycle's first callbacks are being issued; even ones later.
    # shellcheck disable=SC2086 # two numbers
    if [ $((cycle % 2)) = 1 ]; then delay=$(random_delay $EARLY_MS); else delay=$(random_delay $LATE_MS); fi
    sleep "$delay"
    stop_issuer -KILL
    wait "$WRK_PID" || true
    WRK_PID=""
    local line requests s5 before
    line=$(grep '^RESULT' "$WORK/wrk.out" || echo "RESULT requests=0 s5xx=0")
    requests=$(sed -n 's/.* s2xx=\([0-9]*\).*/\1/p' <<<"$line")
    s5=$(sed -n 's/.* s5xx=\([0-9]*\).*/\1/p' <<<"$line")
    answered=$((answered + ${requests:-0}))
    errors5=$((errors5 + ${s5:-0}))
    # While it is down: the database as SIGKILL left it.
    local down
    down=$(check_db "$db" | grep -v '^paid without a visa' || true)
    before=$(sqlite3 "$db" "SELECT count(*) FROM applications a WHERE EXISTS (SELECT 1 FROM payments p
      WHERE p.application_id = a.id AND p.status = 'paid') AND NOT EXISTS (SELECT 1 FROM visas v WHERE v.application_id = a.id)")
    [ "$before" = 0 ] || kills_mid_issue=$((kills_mid_issue + 1))
    # A restart is retried (and counted) only if the issuer exits at once, e.g. a port still held.
    local attempt
    for attempt in 1 2 3 4 5; do
      start_issuer "$data" "$port" "$sandbox" "$log" && break
      restart_retries=$((restart_retries + 1))
      [ "$attempt" = 5 ] && { echo "the issuer does not restart" >&2; exit 1; }
      sleep 1
    done
    local after
    after=$(check_db "$db")
    local visas
    visas=$(sqlite3 "$db" "SELECT count(*) FROM visas")
    completed_on_start=$((completed_on_start + before))
    local verdict=held
    if [ -n "$down$after" ]; then
      verdict="BROKEN: $(printf '%s %s' "$down" "$after" | tr '\n' ';')"
      breaches=$((breaches + 1))
    fi
    # Every issued visa's PDF, downloaded by its owner.
    local n=0 bad
    while read -r id; do
      n=$((n + 1))
      if [ "$(sqlite3 "$db" "SELECT count(*) FROM visas WHERE application_id = '$id'")" = 1 ]; then
        bad=$(check_pdf "$WORK/jars/$n" "$id")
        pdfs=$((pdfs + 1))
        if [ -n "$bad" ]; then
          verdict="BROKEN: $bad"
          breaches=$((breaches + 1))
        fi
      fi
    done <"$WORK/apps"
    printf '%-6s %-9s %-7s %-5s %-6s %-14s %s\n' "$cycle" "${delay}s" "${requests:-0}" "${s5:-0}" \
      "$visas" "$before" "$verdict"
  done
  local paid
  paid=$(sqlite3 "$db" "SELECT count(DISTINCT application_id) FROM payments WHERE status = 'paid'")
  echo "issuer: $CYCLES cycles, $answered callbacks answered 2xx, $errors5 answered 5xx;"
  echo "  killed while a paid application had no visa yet: $kills_mid_issue cycles, completed on restart: $completed_on_start"
  echo "  final: $paid applications paid, $(sqlite3 "$db" "SELECT count(*) FROM visas") visas; $pdfs PDF downloads checked"
  echo "  cycles with a broken invariant: $breaches; restarts retried: $restart_retries"
  if [ "$breaches" != 0 ] || [ "$errors5" != 0 ]; then failures=$((failures + 1)); fi
  stop_issuer
}

kiosk_faults() {
  local ledger=$WORK/kiosk.db at=2026-12-05T10:00:00+05:00 i token number mode
  local committed=0 lost=0 broken=0 verify_failures=0 kills=0
  mkdir -p "$WORK/visas"
  echo "kiosk: $KIOSK_CYCLES records, each sent SIGKILL…"
  # killed: whether SIGKILL found it running (no: it had already exited); first: the verdict it
  # printed before dying (none: nothing); entries: in the ledger after the kill -> after a rescan.
  printf '%-6s %-12s %-11s %-7s %-9s %-9s %s\n' cycle visa kill killed first entries ledger_verify
  for i in $(seq 1 "$KIOSK_CYCLES"); do
    number=$(printf 'KZ26%05d' "$((40000 + i))")
    jq --arg n "$number" '.visa_number = $n' "$ROOT/shared/tests/vectors/visa.json" >"$WORK/visas/$i.json"
    token=$("$ISSUER_BIN" sign --key "$ROOT/keys/dev-issuer.key" "$WORK/visas/$i.json")
    # Removed first: the shell opens the new output only in the child, after the loop below
    # may already look at it.
    rm -f "$WORK/record.out"
    "$KIOSK_BIN" record --trust "$ROOT/keys/dev-trust" --port NQZ --ledger "$ledger" --direction entry \
      --at "$at" --kiosk-id NQZ-09 --text "$token" >"$WORK/record.out" 2>/dev/null &
    KIOSK_PID=$!
    if [ $((i % 2)) = 0 ]; then
      # Right after the decision is printed (it is written to the ledger, fsynced, before).
      mode=after-print
      while kill -0 "$KIOSK_PID" 2>/dev/null && ! [ -s "$WORK/record.out" ]; do sleep 0.001; done
    else
      mode=random
      sleep "$(random_delay 0 12)"
    fi
    local killed=no status=0
    kill -KILL "$KIOSK_PID" 2>/dev/null || true
    wait "$KIOSK_PID" 2>/dev/null || status=$?
    [ "$status" = 137 ] && { killed=yes; kills=$((kills + 1)); }
    KIOSK_PID=""
    local first=none
    [ -s "$WORK/record.out" ] && first=$(jq -r .verdict "$WORK/record.out" 2>/dev/null || echo garbled)
    local entries_after_kill=0
    [ -f "$ledger" ] && entries_after_kill=$(sqlite3 "$ledger" "SELECT count(*) FROM records WHERE kind = 'entry' AND visa_number = '$number'" 2>/dev/null) || entries_after_kill=unreadable
    [ "$first" = valid ] && [ "$entries_after_kill" != 1 ] && lost=$((lost + 1))
    # The officer scans the same printout again.
    "$KIOSK_BIN" record --trust "$ROOT/keys/dev-trust" --port NQZ --ledger "$ledger" --direction entry \
      --at "$at" --kiosk-id NQZ-09 --text "$token" >"$WORK/again.out" 2>/dev/null || true
    local entries
    entries=$(sqlite3 "$ledger" "SELECT count(*) FROM records WHERE kind = 'entry' AND visa_number = '$number'")
    [ "$entries_after_kill" = 1 ] && committed=$((committed + 1))
    local verify=ok
    if ! "$KIOSK_BIN" ledger verify --ledger "$ledger" >"$WORK/verify.out" 2>&1; then
      verify="FAILED $(head -c 200 "$WORK/verify.out")"
      verify_failures=$((verify_failures + 1))
    fi
    [ "$entries" = 1 ] || broken=$((broken + 1))
    printf '%-6s %-12s %-11s %-7s %-9s %-9s %s\n' "$i" "$number" "$mode" "$killed" "$first" \
      "$entries_after_kill->$entries" "$verify"
  done
  echo "kiosk: $KIOSK_CYCLES cycles, $kills found running and killed; entry in the ledger right after: $committed;"
  echo "  printed VALID but not in the ledger: $lost; visas without exactly one entry: $broken; ledger verify failures: $verify_failures"
  if [ "$lost" != 0 ] || [ "$broken" != 0 ] || [ "$verify_failures" != 0 ]; then failures=$((failures + 1)); fi
}

case $PART in
  all) issuer_faults; kiosk_faults ;;
  issuer) issuer_faults ;;
  kiosk) kiosk_faults ;;
  *) echo "usage: $0 [all|issuer|kiosk]" >&2; exit 64 ;;
esac
echo "machine: $(nproc) cores, $(uname -sr)"
exit "$failures"
