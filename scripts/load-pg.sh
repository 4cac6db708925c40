#!/usr/bin/env bash
# Issuance and the portal on SQLite and on PostgreSQL with one and two issuer instances (issue 16,
# item 6), all in one run on the same machine. For each configuration of CONFIGS:
#   sqlite:1  one issuer on the SQLite file of its data directory (as scripts/load-issuance.sh);
#   pg:N      a fresh throw-away PostgreSQL cluster (scripts/pg-test-server) and N issuer
#             instances on it (--database-url), each with its own data directory and sandbox.
# Each configuration starts from VISAS confirmed applications with open payment orders
# (issuer/examples/callbacks.rs prepare, on that database), fires their real signed "paid"
# callbacks CONCURRENCY at a time, split round-robin over the instances (callbacks fire
# BASE1,BASE2,…), then, with the instances still up, runs wrk on the cabinet's "Visas" page
# (`/account/visas`, a session page that reads the database) at CONNECTIONS connections in all,
# split evenly over the instances (one wrk per instance, side by side; the p99 is the worst of
# them, req/s their sum). After the instances stop, the database is checked: one visa per paid
# application, every paid application issued, one payment record per gateway payment, no visa
# without a paid payment (and SQLite's integrity_check).
#
#   scripts/load-pg.sh                                   # VISAS=2000 CONCURRENCY=64 ROUNDS=1
#   CONFIGS="pg:1 pg:2" ROUNDS=2 SKIP_BUILD=1 scripts/load-pg.sh
#
# Needs curl, sqlite3, psql, wrk and Debian's postgresql server (scripts/install-deps), besides Rust.
set -euo pipefail

VISAS=${VISAS:-2000}
CONCURRENCY=${CONCURRENCY:-64}
ROUNDS=${ROUNDS:-1}
CONFIGS=${CONFIGS:-"sqlite:1 pg:1 pg:2"}
CONNECTIONS=${CONNECTIONS:-200}
DURATION=${DURATION:-10}
TIMEOUT=${TIMEOUT:-5s}

source "$(dirname "$0")/load/common.sh"

for tool in curl sqlite3 psql wrk; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: run scripts/install-deps" >&2; exit 2; }
done
ulimit -n 65536 2>/dev/null || ulimit -n 4096 2>/dev/null || true

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "building the release issuer and the load client…"
  (cd "$ROOT" && cargo build --release -q -p issuer --bin issuer --example callbacks)
fi
CLIENT=$TARGET/release/examples/callbacks

WORK=$(mktemp -d /tmp/evisa-pg-load.XXXXXX)
PIDS=()
PG_URL=""
stop_all() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}
cleanup() {
  stop_all
  [ -n "$PG_URL" ] && "$ROOT/scripts/pg-test-server" --stop "$PG_URL" || true
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT INT TERM

# start_instance DATA_DIR LOG [DATABASE_URL]: one more issuer; appends its base to BASES.
start_instance() {
  local data=$1 log=$2 url=${3:-} port i
  port=$(free_port)
  local args=(--addr "127.0.0.1:$port" --sandbox-addr "127.0.0.1:$(free_port)" --data-dir "$data"
    --key "$ROOT/keys/dev-issuer.key" --insecure-cookies --unthrottled 127.0.0.1)
  [ -n "$url" ] && args+=(--database-url "$url")
  mkdir -p "$data"
  "$ISSUER_BIN" "${args[@]}" >>"$log" 2>&1 &
  PIDS+=($!)
  for i in $(seq 1 200); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/services" 2>/dev/null && break
    kill -0 "${PIDS[-1]}" 2>/dev/null || { echo "an issuer did not start; see $log" >&2; return 1; }
    sleep 0.05
  done
  BASES+=("http://127.0.0.1:$port")
}

# The invariants on PostgreSQL; one line per breach, nothing when all hold.
check_pg() {
  psql -Atq "$1" -v ON_ERROR_STOP=1 <<'SQL'
SELECT 'two visas for ' || application_id FROM visas GROUP BY application_id HAVING count(*) > 1;
SELECT 'paid without a visa: ' || a.id FROM applications a
  WHERE EXISTS (SELECT 1 FROM payments p WHERE p.application_id = a.id AND p.status = 'paid')
    AND NOT EXISTS (SELECT 1 FROM visas v WHERE v.application_id = a.id);
SELECT 'issued without a paid payment: ' || v.application_id FROM visas v
  WHERE NOT EXISTS (SELECT 1 FROM payments p WHERE p.application_id = v.application_id AND p.status = 'paid');
SELECT 'status issued without a visa: ' || id FROM applications a WHERE status = 'issued'
  AND NOT EXISTS (SELECT 1 FROM visas v WHERE v.application_id = a.id);
SELECT 'two payment records for ' || gateway_payment_id FROM payments
  WHERE gateway_payment_id IS NOT NULL GROUP BY gateway_payment_id HAVING count(*) > 1;
SQL
}

to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000
    printf "%.2f", n }'
}
field() { grep -o "$1=[^ ]*" <<<"$2" | cut -d= -f2; }

echo
echo "| round | database | instances | visas | visas/s | callback p50 ms | callback p99 ms | issuer CPU ms/visa | PostgreSQL CPU ms/visa | \"Visas\" page req/s | \"Visas\" page p50 ms | p99 ms | errors | load avg (1 min) at issuance end |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
failed=0
for round in $(seq 1 "$ROUNDS"); do
  for config in $CONFIGS; do
    engine=${config%%:*}
    n=${config#*:}
    run=$WORK/$round-$engine-$n
    mkdir -p "$run"
    PG_URL=""
    [ "$engine" = pg ] && PG_URL=$("$ROOT/scripts/pg-test-server" 2>/dev/null)
    "$CLIENT" prepare "$run/data1" "$VISAS" ${PG_URL:+"$PG_URL"} >/dev/null
    BASES=()
    for i in $(seq 1 "$n"); do
      start_instance "$run/data$i" "$run/issuer$i.log" "$PG_URL"
    done
    out=$("$CLIENT" fire "$(IFS=,; echo "${BASES[*]}")" "$run/orders.tsv" "$CONCURRENCY") || {
      echo "$config: the load client failed: $out" >&2
      failed=1
    }
    # The instances' CPU time (user + system, all threads, start-up included) per visa.
    ticks=0
    for pid in "${PIDS[@]}"; do ticks=$((ticks + $(awk '{ print $14 + $15 }' "/proc/$pid/stat"))); done
    cpu_ms=$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" -v n="$VISAS" 'BEGIN { printf "%.2f", t * 1000 / hz / n }')
    # PostgreSQL's CPU time per visa (the postmaster, its live backends and those that exited).
    pg_ms="—"
    if [ -n "$PG_URL" ]; then
      port=${PG_URL##*:}; port=${port%%/*}
      master=$(head -1 "$(cat "/tmp/evisa-pg-$port")/pg/postmaster.pid")
      pticks=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$master/stat")
      for pid in $(pgrep -P "$master"); do
        pticks=$((pticks + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
      done
      pg_ms=$(awk -v t="$pticks" -v hz="$(getconf CLK_TCK)" -v n="$VISAS" 'BEGIN { printf "%.2f", t * 1000 / hz / n }')
    fi
    load=$(cut -d' ' -f1 /proc/loadavg)
    # The portal: the "Visas" page of the first order's owner (issued now), CONNECTIONS in all.
    session=$(head -1 "$run/orders.tsv" | cut -f5)
    per=$((CONNECTIONS / n))
    wrks=()
    for i in $(seq 1 "$n"); do
      wrk -t1 -c"$per" -d"${DURATION}s" --latency --timeout "$TIMEOUT" -H "Cookie: session=$session" \
        "${BASES[$((i - 1))]}/account/visas" >"$run/wrk$i.txt" &
      wrks+=($!)
    done
    for pid in "${wrks[@]}"; do wait "$pid"; done
    rps=0; p50=0; p99=0; errors=0
    for i in $(seq 1 "$n"); do
      w=$(cat "$run/wrk$i.txt")
      rps=$(awk -v a="$rps" -v b="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$w")" 'BEGIN { printf "%.0f", a + b }')
      p50=$(awk -v a="$p50" -v b="$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$w")")" 'BEGIN { print (b > a ? b : a) }')
      p99=$(awk -v a="$p99" -v b="$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$w")")" 'BEGIN { print (b > a ? b : a) }')
      sock=$(awk '/Socket errors/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' <<<"$w")
      non2xx=$(awk '/Non-2xx or 3xx responses/ { print $5 }' <<<"$w")
      errors=$((errors + ${sock:-0} + ${non2xx:-0}))
    done
    stop_all
    if [ "$engine" = pg ]; then
      problems=$(check_pg "$PG_URL")
      visas=$(psql -Atq "$PG_URL" -c "SELECT COUNT(*) FROM visas")
      "$ROOT/scripts/pg-test-server" --stop "$PG_URL"
      PG_URL=""
    else
      problems=$(check_db "$run/data1/issuer.sqlite3")
      visas=$(sqlite3 "$run/data1/issuer.sqlite3" "SELECT COUNT(*) FROM visas")
    fi
    if [ -n "$problems" ] || [ "$visas" != "$VISAS" ]; then
      echo "$config: $visas visas of $VISAS; $problems" >&2
      failed=1
    fi
    [ "$errors" = 0 ] || failed=1
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$round" \
      "$([ "$engine" = pg ] && echo PostgreSQL || echo SQLite)" "$n" "$visas" \
      "$(field visas_per_s "$out")" "$(field callback_p50_ms "$out")" "$(field callback_p99_ms "$out")" \
      "$cpu_ms" "$pg_ms" "$rps" "$p50" "$p99" "$errors" "$load"
    if [ "$failed" = 1 ]; then
      grep -h -v ' INFO ' "$run"/issuer*.log | sort | uniq -c | sort -rn | head -5 >&2 || true
    fi
    [ "${KEEP:-0}" = 1 ] || rm -rf "$run"
  done
done
echo
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $VISAS payments per run, $CONCURRENCY at a time; wrk $CONNECTIONS connections in all for ${DURATION}s; issuers, PostgreSQL and the clients on the same host"
[ "$failed" = 0 ] && echo "every database checked: one visa per paid application, no errors"
exit "$failed"
