#!/usr/bin/env bash
# The portal under 200 and 1,000 concurrent connections (issue 15, goal 4), beside a minimal axum
# server in the same run (issuer/examples/hello.rs). Builds the release binaries, fills a fresh
# data directory with `issuer seed` (SEED issued visas, each with its own account), starts the
# issuer on loopback, logs in as the first seeded applicant (whose visa is the first one), downloads
# its PDF once (the first download renders and stores it), then runs wrk on every GET page a user
# reaches: without a session `/`, `/services`, `/login` and the stylesheet; with the session
# cookie `/services`, the cabinet's "Visas" page, the application's result and receipt pages and
# the PDF download. Prints one table row per page and connection count: requests/s, the ratio to
# the hello-world server, p50/p99 latency, errors (socket errors, timeouts, 4xx/5xx).
#
#   scripts/load-portal.sh                                # SEED=100000 CONNECTIONS="200 1000"
#   SEED=1000000 scripts/load-portal.sh                   # the figures at a million visas
#   DATA=/path/seeded SKIP_BUILD=1 scripts/load-portal.sh # reuse a seeded data directory
#   KEEP=1 scripts/load-portal.sh                         # keep the temporary directory
#
# Needs wrk, curl, sqlite3 and openssl (installed here with apt-get when missing), besides Rust.
set -euo pipefail

DURATION=${DURATION:-10}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-"200 1000"}
SEED=${SEED:-100000}
TIMEOUT=${TIMEOUT:-5s}

source "$(dirname "$0")/load/common.sh"

missing=()
for tool in wrk curl sqlite3 openssl; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get install -y "${missing[@]}"
fi
# wrk opens one descriptor per connection, and so does the server.
ulimit -n 65536 2>/dev/null || ulimit -n 4096 2>/dev/null || true

WORK=$(mktemp -d /tmp/evisa-portal-load.XXXXXX)
HELLO_PID=""
cleanup() {
  stop_issuer
  if [ -n "$HELLO_PID" ]; then kill "$HELLO_PID" 2>/dev/null || true; wait "$HELLO_PID" 2>/dev/null || true; fi
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT INT TERM

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "building release binaries…"
  (cd "$ROOT" && cargo build --release --bins -q && cargo build --release -q -p issuer --example hello)
fi

SEED_PASSWORD=$(openssl rand -hex 12)
if [ -n "${DATA:-}" ]; then
  echo "using the seeded data directory $DATA"
  [ -n "${ISSUER_SEED_PASSWORD:-}" ] || { echo "set ISSUER_SEED_PASSWORD to the seeded accounts' password" >&2; exit 2; }
  SEED_PASSWORD=$ISSUER_SEED_PASSWORD
else
  DATA=$WORK/data
  echo "seeding $SEED issued visas…"
  ISSUER_SEED_PASSWORD=$SEED_PASSWORD "$ISSUER_BIN" seed --data-dir "$DATA" --visas "$SEED" \
    --key "$ROOT/keys/dev-issuer.key"
fi
DB=$DATA/issuer.sqlite3
VISAS=$(sqlite3 "$DB" "SELECT MAX(rowid) FROM visas")
LOG=$WORK/issuer.log
start_issuer "$DATA" "$(free_port)" "$(free_port)" "$LOG"
echo "issuer at $BASE, $VISAS visas in the database"

# Log in as the holder of the first seeded visa.
JAR=$WORK/jar
EMAIL=$(sqlite3 "$DB" "SELECT u.email FROM users u JOIN applications a ON a.user_id = u.id
  JOIN visas v ON v.application_id = a.id WHERE u.email LIKE 'seed%@seed.example' ORDER BY v.number LIMIT 1")
APP=$(sqlite3 "$DB" "SELECT a.id FROM applications a JOIN users u ON u.id = a.user_id WHERE u.email = '$EMAIL'")
curl -fsS -c "$JAR" -b "$JAR" -o "$WORK/login.html" "$BASE/login"
code=$(curl -sS -c "$JAR" -b "$JAR" -o /dev/null -w '%{http_code}' "$BASE/login" \
  --data-urlencode "csrf=$(csrf_in "$WORK/login.html")" --data-urlencode "identifier=$EMAIL" \
  --data-urlencode "password=$SEED_PASSWORD" --data-urlencode "next=/account/visas")
[ "$code" = 303 ] || { echo "log-in as $EMAIL answered $code" >&2; exit 1; }
COOKIE=$(cookie_of "$JAR")
start=$(date +%s%N)
curl -fsS -b "$JAR" -o "$WORK/visa.pdf" "$BASE/applications/$APP/visa.pdf"
first_pdf_ms=$(( ($(date +%s%N) - start) / 1000000 ))
head -c 5 "$WORK/visa.pdf" | grep -q '%PDF-' || { echo "the PDF download is not a PDF" >&2; exit 1; }
echo "logged in as $EMAIL; the first download of its PDF (rendered and stored) took ${first_pdf_ms} ms"

HELLO_OUT=$WORK/hello.addr
"$TARGET/release/examples/hello" "127.0.0.1:$(free_port)" >"$HELLO_OUT" &
HELLO_PID=$!
for _ in $(seq 1 100); do [ -s "$HELLO_OUT" ] && break; sleep 0.05; done
HELLO="http://$(cat "$HELLO_OUT")"

# to_ms 12.34ms|567.00us|1.20s → milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000
    printf "%.2f", n }'
}

RESULTS=$WORK/results
declare -A BASELINE
# bench LABEL URL CONNECTIONS [COOKIE]: one wrk run; prints and records a table row.
bench() {
  local label=$1 url=$2 c=$3 cookie=${4:-} out rps p50 p99 sock non2xx errors ratio
  local args=(-t"$THREADS" -c"$c" -d"${DURATION}s" --latency --timeout "$TIMEOUT")
  [ -n "$cookie" ] && args+=(-H "Cookie: $cookie")
  out=$(wrk "${args[@]}" "$url")
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
  sock=$(awk '/Socket errors/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' <<<"$out")
  non2xx=$(awk '/Non-2xx or 3xx responses/ { print $5 }' <<<"$out")
  errors=$(( ${sock:-0} + ${non2xx:-0} ))
  if [ "$label" = "hello-world axum (baseline)" ]; then
    BASELINE[$c]=$rps
  fi
  ratio=$(awk -v a="$rps" -v b="${BASELINE[$c]}" 'BEGIN { printf "%.3f", a / b }')
  printf '| %s | %s | %.0f | %s | %s | %s | %s |\n' "$c" "$label" "$rps" "$ratio" "$p50" "$p99" \
    "$errors" | tee -a "$RESULTS"
}

echo
echo "| connections | page | req/s | × hello | p50 ms | p99 ms | errors |"
echo "|---:|---|---:|---:|---:|---:|---:|"
: >"$RESULTS"
for c in $CONNECTIONS; do
  bench "hello-world axum (baseline)" "$HELLO/" "$c"
  bench "\`GET /\` (redirect), no session" "$BASE/" "$c"
  bench "\`GET /services\`, no session" "$BASE/services" "$c"
  bench "\`GET /login\`, no session" "$BASE/login" "$c"
  bench "stylesheet, no session" "$BASE/static/style.css" "$c"
  bench "\`GET /services\`, session" "$BASE/services" "$c" "$COOKIE"
  bench "\"Visas\" page (\`/account/visas\`), session" "$BASE/account/visas" "$c" "$COOKIE"
  bench "result page, session" "$BASE/applications/$APP/result" "$c" "$COOKIE"
  bench "receipt, session" "$BASE/applications/$APP/receipt" "$c" "$COOKIE"
  bench "PDF download (stored), session" "$BASE/applications/$APP/visa.pdf" "$c" "$COOKIE"
done

echo
failed=0
if awk -F' \\| ' '$7 + 0 > 0' "$RESULTS" | grep -q .; then echo "errors seen"; failed=1; else echo "no errors or timeouts in any run"; fi
slow=$(awk -F' \\| ' '$1 == "| 200" && $2 !~ /hello/ && $6 + 0 >= 100 { print $2 }' "$RESULTS")
if [ -n "$slow" ]; then echo "p99 ≥ 100 ms at 200 connections: $slow"; failed=1; else echo "every page's p99 < 100 ms at 200 connections"; fi
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); wrk -t$THREADS -d${DURATION}s --timeout $TIMEOUT; $VISAS visas; server, wrk and the baseline on the same host"
exit "$failed"
