#!/usr/bin/env bash
# Issuance over HTTP (issue 15, goal 2): real "paid" callbacks of the payment gateway, signed as
# the sandbox signs them, sent to the release issuer on loopback, each payment once, CONCURRENCY
# at a time (issuer/examples/callbacks.rs). Each round starts from a fresh data directory with
# VISAS confirmed applications whose payment orders are open (prepared before the issuer starts,
# each owner with a session), and runs two modes:
#   callback  — only the callbacks: the answer (204) comes once the payment and the visa are
#               durable (and, since issue 15 goal 2, the printout rendered and stored);
#   download  — each callback, then the owner downloads the visa's PDF (the first download
#               renders and stores it where issuance did not).
# After each run the database is checked (one visa per paid application, every paid application
# issued, integrity) and the stored printouts counted. With BASELINE_BIN, that issuer binary
# (e.g. main's, built from its commit) runs in the same rounds, alternately with this one.
#
#   scripts/load-issuance.sh                          # VISAS=2000 CONCURRENCY=64 ROUNDS=3
#   BASELINE_BIN=/path/to/main/issuer scripts/load-issuance.sh
#   SKIP_BUILD=1 MODES=callback scripts/load-issuance.sh
#
# Needs curl and sqlite3 (installed with apt-get when missing), besides Rust.
set -euo pipefail

VISAS=${VISAS:-2000}
CONCURRENCY=${CONCURRENCY:-64}
ROUNDS=${ROUNDS:-3}
MODES=${MODES:-"callback download"}

source "$(dirname "$0")/load/common.sh"

missing=()
for tool in curl sqlite3; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get install -y "${missing[@]}"
fi
ulimit -n 65536 2>/dev/null || ulimit -n 4096 2>/dev/null || true

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "building the release issuer and the load client…"
  (cd "$ROOT" && cargo build --release -q -p issuer --bin issuer --example callbacks)
fi
CLIENT=$TARGET/release/examples/callbacks
THIS_BIN=$ISSUER_BIN

WORK=$(mktemp -d /tmp/evisa-issuance-load.XXXXXX)
cleanup() {
  stop_issuer
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT INT TERM

builds=("this:$THIS_BIN")
[ -n "${BASELINE_BIN:-}" ] && builds+=("baseline:$BASELINE_BIN")

field() { grep -o "$1=[^ ]*" <<<"$2" | cut -d= -f2; }

echo
echo "| round | build | mode | visas | seconds | visas/s | callback p50 ms | callback p99 ms | callback+download p99 ms | printouts stored | issuer CPU ms/visa | 2 cores ÷ CPU (visas/s) |"
echo "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
failed=0
for round in $(seq 1 "$ROUNDS"); do
  for mode in $MODES; do
    for build in "${builds[@]}"; do
      name=${build%%:*}
      ISSUER_BIN=${build#*:}
      run=$WORK/$round-$mode-$name
      "$CLIENT" prepare "$run/data" "$VISAS" >/dev/null
      start_issuer "$run/data" "$(free_port)" "$(free_port)" "$run/issuer.log"
      extra=()
      [ "$mode" = download ] && extra=(download)
      out=$("$CLIENT" fire "$BASE" "$run/orders.tsv" "$CONCURRENCY" "${extra[@]}") || {
        echo "$name/$mode: the load client failed: $out" >&2
        failed=1
      }
      # The issuer's CPU time (user + system, all threads, start-up included) per visa: what a busy
      # machine does not inflate; 2 cores ÷ that is the rate two idle cores would sustain.
      ticks=$(awk '{ print $14 + $15 }' "/proc/$ISSUER_PID/stat")
      cpu_ms=$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" -v n="$VISAS" 'BEGIN { printf "%.2f", t * 1000 / hz / n }')
      capacity=$(awk -v c="$cpu_ms" 'BEGIN { printf "%.0f", 2000 / c }')
      stop_issuer
      db=$run/data/issuer.sqlite3
      problems=$(check_db "$db")
      visas=$(sqlite3 "$db" "SELECT COUNT(*) FROM visas")
      pdfs=$(sqlite3 "$db" "SELECT COUNT(*) FROM visa_pdfs")
      if [ -n "$problems" ] || [ "$visas" != "$VISAS" ]; then
        echo "$name/$mode: $visas visas of $VISAS; $problems" >&2
        failed=1
      fi
      printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$round" "$name" \
        "$mode" "$visas" "$(field seconds "$out")" "$(field visas_per_s "$out")" \
        "$(field callback_p50_ms "$out")" "$(field callback_p99_ms "$out")" \
        "$(field whole_p99_ms "$out")" "$pdfs" "$cpu_ms" "$capacity"
      rm -rf "$run"
    done
  done
done
echo
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $VISAS payments per run, $CONCURRENCY at a time; issuer and client on the same host"
exit "$failed"
