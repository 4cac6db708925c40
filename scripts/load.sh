#!/usr/bin/env bash
# Load run of the issuer on loopback (issue 7, item 3): builds the release binaries, starts the
# issuer with its in-process sandbox gateway on a temporary data directory, prepares accounts,
# applications and payment orders, then drives with wrk: sign-up, log-in, the Step 1 form (GET and
# POST), the status (result) page, a storm of duplicate signed "paid" callbacks, and the PDF
# download. Prints throughput, p50/p99 latency and status classes per scenario, then checks: no
# 5xx, exactly one visa per paid application, database integrity.
#
#   scripts/load.sh                       # defaults below
#   DURATION=10 THREADS=2 CONNECTIONS=16 APPS=40 scripts/load.sh
#   KEEP=1 scripts/load.sh                # keep the temporary directory (database, logs)
#
# Needs wrk, curl, jq, openssl, sqlite3 and poppler-utils (pdftotext), besides Rust.
set -euo pipefail

DURATION=${DURATION:-10}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
APPS=${APPS:-40}

source "$(dirname "$0")/load/common.sh"
LUA=$ROOT/scripts/load

WORK=$(mktemp -d /tmp/evisa-load.XXXXXX)
cleanup() {
  stop_issuer
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT INT TERM

echo "building release binaries…"
build_release
DATA=$WORK/data
LOG=$WORK/issuer.log
start_issuer "$DATA" "$(free_port)" "$(free_port)" "$LOG"
DB=$DATA/issuer.sqlite3
echo "issuer at $BASE (data $DATA)"

# ---------------------------------------------------------------- preparation
echo "preparing $APPS applications with payment orders…"
mkdir -p "$WORK/jars"
: >"$WORK/apps"
for i in $(seq 1 "$APPS"); do
  jar=$WORK/jars/$i
  sign_up "$jar" "owner$i@load.example"
  invitation=$(new_invitation "$DATA")
  id=$(apply_and_order "$jar" "$invitation")
  printf '%s\t%s\n' "$id" "$(cookie_of "$jar")" >>"$WORK/apps"
done
form_jar=$WORK/jars/form
sign_up "$form_jar" "form@load.example"
curl -fsS -b "$form_jar" -o "$WORK/apply.html" "$BASE/apply"
FORM_COOKIE=$(cookie_of "$form_jar")
FORM_CSRF=$(csrf_in "$WORK/apply.html")

# run NAME FILE: wrk over the request lines of FILE; appends a result row.
RESULTS=$WORK/results
: >"$RESULTS"
run() {
  local name=$1 file=$2 out
  out=$(REQUESTS=$file wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency \
    -s "$LUA/requests.lua" "$BASE")
  printf '%s %s\n' "$name" "$(grep '^RESULT' <<<"$out" | sed 's/^RESULT //')" | tee -a "$RESULTS"
}

# sessions PATH COUNT_FILE: anonymous sessions (cookie, CSRF token) collected by wrk for 3 s.
sessions() {
  rm -f "$WORK/sessions".*
  SESSION_PATH=$1 SESSIONS_OUT=$WORK/sessions wrk -t"$THREADS" -c"$THREADS" -d3s \
    -s "$LUA/sessions.lua" "$BASE" >/dev/null
  cat "$WORK/sessions".* >"$2"
}

# ---------------------------------------------------------------- sign-up and log-in
sessions /signup "$WORK/signup-sessions"
awk -F'\t' -v pw="long+enough+password" '{
  printf "POST\t/signup\tCookie: %s|Content-Type: application/x-www-form-urlencoded\tcsrf=%s&email=user%d%%40load.example&full_name=Load+User&password=%s&password_again=%s\n", $1, $2, NR, pw, pw
}' "$WORK/signup-sessions" >"$WORK/signup.req"
echo "sign-up: $(wc -l <"$WORK/signup.req") fresh sessions"
run "sign-up (POST /signup, argon2id)" "$WORK/signup.req"

sqlite3 "$DB" "SELECT email FROM users WHERE email LIKE 'user%@load.example'" >"$WORK/emails"
sessions /login "$WORK/login-sessions"
awk -F'\t' -v pw="long+enough+password" 'NR == FNR { emails[n++] = $1; next } {
  e = emails[(FNR - 1) % n]; sub("@", "%40", e)
  printf "POST\t/login\tCookie: %s|Content-Type: application/x-www-form-urlencoded\tcsrf=%s&identifier=%s&password=%s&next=%%2Faccount%%2Fvisas\n", $1, $2, e, pw
}' "$WORK/emails" "$WORK/login-sessions" >"$WORK/login.req"
run "log-in (POST /login, argon2id)" "$WORK/login.req"

# ---------------------------------------------------------------- the form
printf 'GET\t/apply\tCookie: %s\t\n' "$FORM_COOKIE" >"$WORK/form-get.req"
run "Step 1 form (GET /apply)" "$WORK/form-get.req"
printf 'POST\t/apply\tCookie: %s|Content-Type: application/x-www-form-urlencoded\tcsrf=%s&invitation_number=INV-DEMO-0001&category=tourist&surname=ERIKSSON&given_names=ANNA+MARIA&surname_native=&given_names_native=&sex=F&date_of_birth=1974-08-12&citizenship=SWE&passport_number=L898902C3&passport_expiry=%s&with_children=no\n' \
  "$FORM_COOKIE" "$FORM_CSRF" "$(kz_date 1500)" >"$WORK/form-post.req"
run "Step 1 form (POST /apply, draft updated)" "$WORK/form-post.req"

# ---------------------------------------------------------------- status page, callbacks, PDF
awk -F'\t' '{ printf "GET\t/applications/%s/result\tCookie: %s\t\n", $1, $2 }' "$WORK/apps" >"$WORK/result.req"
run "status page (GET /applications/{id}/result, unpaid)" "$WORK/result.req"

# Signed now: the gateway's timestamps must be within 300 s of the issuer's clock.
signed_callbacks "$DB" >"$WORK/callbacks.req"
echo "callback storm: $(wc -l <"$WORK/callbacks.req") orders, each sent again and again"
run "callback storm (POST /epay/callback, duplicates)" "$WORK/callbacks.req"

run "status page (GET /applications/{id}/result, issued)" "$WORK/result.req"
awk -F'\t' '{ printf "GET\t/applications/%s/visa.pdf\tCookie: %s\t\n", $1, $2 }' "$WORK/apps" >"$WORK/pdf.req"
run "PDF download (GET /applications/{id}/visa.pdf)" "$WORK/pdf.req"

# ---------------------------------------------------------------- checks
echo
echo "checks:"
failed=0
visas=$(sqlite3 "$DB" "SELECT count(*) FROM visas")
paid=$(sqlite3 "$DB" "SELECT count(DISTINCT application_id) FROM payments WHERE status = 'paid'")
distinct=$(sqlite3 "$DB" "SELECT count(DISTINCT application_id) FROM visas")
echo "  applications paid: $paid, visas: $visas (distinct applications: $distinct), prepared: $APPS"
[ "$visas" = "$APPS" ] && [ "$paid" = "$APPS" ] && [ "$distinct" = "$visas" ] || failed=1
breaches=$(check_db "$DB")
if [ -n "$breaches" ]; then echo "$breaches" | sed 's/^/  BREACH /'; failed=1; else echo "  database invariants hold (integrity_check ok, one visa per paid application)"; fi
if grep -q ' s5xx=[1-9]' "$RESULTS"; then echo "  5xx answers seen"; failed=1; else echo "  no 5xx"; fi
server_errors=$(grep -c 'ERROR' "$LOG" || true)
echo "  ERROR lines in the issuer log: $server_errors"
n=0
pdf_failed=0
while IFS=$'\t' read -r id _; do
  n=$((n + 1))
  bad=$(check_pdf "$WORK/jars/$n" "$id")
  [ -z "$bad" ] || { echo "  $bad"; pdf_failed=1; failed=1; }
done <"$WORK/apps"
[ "$pdf_failed" = 1 ] || echo "  every visa's PDF downloads whole (%PDF- … %%EOF) and pdftotext reads it"
echo
echo "machine: $(nproc) cores, $(uname -sr); wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s; issuer and wrk on the same host"
exit "$failed"
