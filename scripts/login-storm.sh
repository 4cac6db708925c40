#!/usr/bin/env bash
# The log-in storm (issue 13, item 2): a benchmark, not a test. Starts the release issuer on
# loopback (its production settings: no address is exempt from the throttle), with ACCOUNTS
# accounts, then sends CONNECTIONS concurrent API log-ins (POST /api/v1/sessions, right
# passwords, each a full Argon2id check) for DURATION seconds, and meanwhile measures:
#   - the stylesheet's and a logged-in page's (GET /account/visas) latency, idle and under the storm;
#   - the issuer's peak resident memory (VmHWM) and its resident memory 10 s after the storm;
#   - log-ins per second (201) against the hash's single-core rate (benches/argon2.rs) × cores,
#     and how many were told to come back (503 + Retry-After, 429).
# With BASELINE=<git revision> (e.g. main) that revision is built into target/baseline and
# measured the same way first, in the same run.
#
#   scripts/login-storm.sh
#   BASELINE=main scripts/login-storm.sh
#   BASELINE=main BASELINE_BIN=/path/to/main/issuer scripts/login-storm.sh   # already built
#   CONNECTIONS=50 DURATION=20 scripts/login-storm.sh
#   BACKOFF_MS=1000 scripts/login-storm.sh   # clients wait 1 s after a 503/429, as Retry-After asks
#   WRK_CPUS=2,3 scripts/login-storm.sh      # pin the storm's wrk with taskset (spare cores)
#
# Installs what it needs on a fresh Debian machine (wrk, curl, jq, sqlite3) with apt-get.
set -euo pipefail

CONNECTIONS=${CONNECTIONS:-200}
DURATION=${DURATION:-30}
ACCOUNTS=${ACCOUNTS:-200}
BASELINE=${BASELINE:-}
BASELINE_BIN=${BASELINE_BIN:-}
# The latency probes (stylesheet, session page) wait PACE_MS after each answer: ~100 requests/s
# each, so they measure the storm's effect instead of competing with it for the two cores.
PACE_MS=${PACE_MS:-10}
PASSWORD="tundra kettle 47 storm"

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
LUA=$ROOT/scripts/load/requests.lua

missing=()
for tool in wrk curl jq sqlite3; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

WORK=$(mktemp -d /tmp/evisa-storm.XXXXXX)
PID=""
stop() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
    kill "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  PID=""
}
cleanup() { stop; jobs -p | xargs -r kill 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM

free_port() {
  local port
  while :; do
    port=$((10000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
}

# wrk_p99 NAME SECONDS CONNECTIONS PATH [COOKIE]: "p99_ms requests ok" of GETs of PATH.
wrk_p99() {
  local name=$1 seconds=$2 connections=$3 path=$4 cookie=${5:-} out
  local file=$WORK/$name.req
  printf 'GET\t%s\t%s\t\n' "$path" "${cookie:+Cookie: $cookie}" >"$file"
  out=$(REQUESTS=$file PACE_MS=$PACE_MS wrk -t1 -c"$connections" -d"${seconds}s" --timeout 10s -s "$LUA" "http://127.0.0.1:$PORT")
  grep '^RESULT' <<<"$out" | sed -E 's/.*requests=([0-9]+).*p99_ms=([0-9.]+).*s2xx=([0-9]+).*/\2 \1 \3/'
}

rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$PID/status"; }
hwm_kb() { awk '/^VmHWM/ { print $2 }' "/proc/$PID/status"; }
# CPU ticks (user + system) of a /proc stat file; the comm field may hold spaces, so count from ')'.
ticks() { sed -E 's/.*\) //' "$1" 2>/dev/null | awk '{ print $12 + $13 }'; }
# cpu_ticks: "<argon2 threads' ticks> <whole issuer's ticks>".
cpu_ticks() {
  local a=0 t
  for task in /proc/$PID/task/*; do
    grep -q '^argon2' "$task/comm" 2>/dev/null && { t=$(ticks "$task/stat"); a=$((a + ${t:-0})); }
  done
  echo "$a $(ticks "/proc/$PID/stat")"
}

# storm LABEL BINARY: one full measurement; appends a line to $WORK/rows.
storm() {
  local label=$1 bin=$2
  local data=$WORK/data-$label
  PORT=$(free_port)
  local sandbox
  sandbox=$(free_port)
  "$bin" --addr "127.0.0.1:$PORT" --sandbox-addr "127.0.0.1:$sandbox" --data-dir "$data" \
    --key "$ROOT/keys/dev-issuer.key" --insecure-cookies >"$WORK/$label.log" 2>&1 &
  PID=$!
  for _ in $(seq 200); do curl -fsS -o /dev/null "http://127.0.0.1:$PORT/static/style.css" 2>/dev/null && break; sleep 0.05; done
  local base="http://127.0.0.1:$PORT"
  # One account through the API, then its row copied ACCOUNTS-1 times (the same hash: a sign-up
  # storm is not what is measured, and sign-ups are limited per address now).
  curl -fsS -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"email\":\"storm0@load.example\",\"full_name\":\"Storm\",\"password\":\"$PASSWORD\"}" "$base/api/v1/accounts"
  sqlite3 "$data/issuer.sqlite3" ".timeout 10000" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ACCOUNTS - 1)
    INSERT INTO users (email, full_name, password_hash, created_at)
    SELECT 'storm' || i || '@load.example', full_name, password_hash, created_at FROM users, n
    WHERE email = 'storm0@load.example'" >/dev/null
  # A logged-in browser, for the session page.
  local jar=$WORK/jar-$label csrf
  curl -fsS -c "$jar" -b "$jar" -o "$WORK/login.html" "$base/login"
  csrf=$(grep -o 'name="csrf" value="[^"]*"' "$WORK/login.html" | head -1 | sed 's/.*value="//; s/"$//')
  curl -sS -c "$jar" -b "$jar" -o /dev/null "$base/login" --data-urlencode "csrf=$csrf" \
    --data-urlencode "identifier=storm0@load.example" --data-urlencode "password=$PASSWORD" -d next=/account/visas
  local cookie
  cookie=$(awk '$6 == "session" { print $6 "=" $7 }' "$jar" | tail -1)
  [ -n "$cookie" ] || { echo "$label: the web log-in failed" >&2; return 1; }

  : >"$WORK/logins.req"
  for i in $(seq 0 $((ACCOUNTS - 1))); do
    printf 'POST\t/api/v1/sessions\tContent-Type: application/json\t{"identifier":"storm%d@load.example","password":"%s"}\n' "$i" "$PASSWORD" >>"$WORK/logins.req"
  done

  local idle_css idle_page
  idle_css=$(wrk_p99 idle-css 5 2 /static/style.css)
  idle_page=$(wrk_p99 idle-page 5 2 /account/visas "$cookie")
  local rss_before
  rss_before=$(rss_kb)

  local cpu_start wall_start
  cpu_start=$(cpu_ticks)
  wall_start=$(date +%s.%N)
  REQUESTS=$WORK/logins.req BACKOFF_MS=${BACKOFF_MS:-0} ${WRK_CPUS:+taskset -c "$WRK_CPUS"} wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s "$LUA" "$base" >"$WORK/storm-$label.out" &
  local storm_pid=$!
  (while kill -0 "$storm_pid" 2>/dev/null; do
     rss_kb >>"$WORK/rss-$label"
     ticks "/proc/$storm_pid/stat" >>"$WORK/wrkcpu-$label" || true
     sleep 0.2
   done) &
  local sampler=$!
  sleep 3
  local side=$((DURATION - 6))
  wrk_p99 storm-css "$side" 1 /static/style.css >"$WORK/css-$label" &
  local css_job=$!
  wrk_p99 storm-page "$side" 1 /account/visas "$cookie" >"$WORK/page-$label"
  wait "$css_job" "$storm_pid"
  wait "$sampler" 2>/dev/null || true
  local cpu_end wall
  cpu_end=$(cpu_ticks)
  wall=$(awk -v a="$wall_start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
  local peak sampled_peak
  peak=$(hwm_kb)
  sampled_peak=$(sort -n "$WORK/rss-$label" | tail -1)
  sleep 10
  local after
  after=$(rss_kb)
  local result
  result=$(grep '^RESULT' "$WORK/storm-$label.out")
  local seconds ok s4 s5 errors
  seconds=$(sed -E 's/.*seconds=([0-9.]+).*/\1/' <<<"$result")
  ok=$(sed -E 's/.* s2xx=([0-9]+).*/\1/' <<<"$result")
  s4=$(sed -E 's/.* s4xx=([0-9]+).*/\1/' <<<"$result")
  s5=$(sed -E 's/.* s5xx=([0-9]+).*/\1/' <<<"$result")
  errors=$(sed -E 's/.* socket_errors=([0-9]+).*/\1/' <<<"$result")
  local storm_css storm_page
  storm_css=$(cat "$WORK/css-$label")
  storm_page=$(cat "$WORK/page-$label")
  printf '%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n' "$label" "${idle_css%% *}" "${idle_page%% *}" \
    "${storm_css%% *}" "${storm_page%% *}" "$(awk -v o="$ok" -v s="$seconds" 'BEGIN { printf "%.1f", o / s }')" \
    "$ok" "$s5" "$s4" "$errors" "$((rss_before / 1024))" "$((peak / 1024)) (sampled $((sampled_peak / 1024)))" \
    "$((after / 1024))" >>"$WORK/rows"
  echo "$label: $(tail -1 "$WORK/rows")"
  # Where the CPU went: the hashing threads' share of a core, the issuer's, the storm's wrk's,
  # and what the hashing threads' CPU time buys (log-ins per CPU-second of hashing).
  local hz wrk_ticks
  hz=$(getconf CLK_TCK)
  wrk_ticks=$(sort -n "$WORK/wrkcpu-$label" 2>/dev/null | tail -1)
  awk -v s="$cpu_start" -v e="$cpu_end" -v w="$wall" -v hz="$hz" -v ok="$ok" -v wt="${wrk_ticks:-0}" -v r="$rate" -v l="$label" 'BEGIN {
    split(s, a, " "); split(e, b, " ")
    argon = (b[1] - a[1]) / hz; issuer = (b[2] - a[2]) / hz; wrk = wt / hz
    printf "%s|%.1f|%.2f|%.2f|%.2f|%.1f|%.1f|%.1f\n", l, w, argon / w, (issuer - argon) / w, wrk / w,
      ok / argon, r * argon / w, ok / w
  }' >>"$WORK/cpu"
  echo "$label CPU: $(tail -1 "$WORK/cpu")"
  stop
}

echo "building the release issuer…"
(cd "$ROOT" && cargo build --release -q -p issuer --bins)
echo "measuring the hash's single-core rate…"
rate=$(cd "$ROOT" && cargo bench -q -p issuer --bench argon2 2>/dev/null | sed -n 's/^RESULT hash_per_second=//p')
cores=$(nproc)
echo "Argon2id single-core rate: $rate/s"
: >"$WORK/rows"
: >"$WORK/cpu"
if [ -n "$BASELINE" ] && [ -n "$BASELINE_BIN" ]; then
  storm "$BASELINE" "$BASELINE_BIN"
elif [ -n "$BASELINE" ]; then
  echo "building $BASELINE into target/baseline…"
  mkdir -p "$WORK/baseline-src"
  git -C "$ROOT" archive "$BASELINE" | tar -x -C "$WORK/baseline-src"
  (cd "$WORK/baseline-src" && CARGO_TARGET_DIR=$TARGET/baseline cargo build --release -q -p issuer --bins)
  storm "$BASELINE" "$TARGET/baseline/release/issuer"
fi
storm "this tree" "$TARGET/release/issuer"

echo
echo "Argon2id single-core rate: $rate/s; × $cores cores = $(awk -v r="$rate" -v c="$cores" 'BEGIN { printf "%.1f", r * c }')/s"
echo "$CONNECTIONS concurrent log-ins for ${DURATION}s, $ACCOUNTS accounts; p99 in ms, memory in MiB"
echo "| build | css p99 idle | page p99 idle | css p99 storm | page p99 storm | log-ins/s | 201 | 503 | 4xx | socket errors | RSS before | peak RSS | RSS 10 s after |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
awk -F'|' '{ line = "|"; for (i = 1; i <= NF; i++) line = line " " $i " |"; print line }' "$WORK/rows"
echo
echo "Where the CPU went during the storm (cores' worth, i.e. CPU-seconds per second of wall time):"
echo "| build | wall s | hashing threads | rest of the issuer | storm's wrk | log-ins per hashing CPU-s | single-core rate × hashing cores got | log-ins/s (wall) |"
echo "|---|---|---|---|---|---|---|---|"
awk -F'|' '{ line = "|"; for (i = 1; i <= NF; i++) line = line " " $i " |"; print line }' "$WORK/cpu"
echo
echo "machine: $cores cores, $(uname -sr); wrk and the issuer on the same host"
