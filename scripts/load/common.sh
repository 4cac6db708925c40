# Shared by scripts/load.sh and scripts/faults.sh (sourced, not run): start and stop the issuer on
# loopback with a data directory, prepare accounts, applications and payment orders with curl as a
# browser would, and pre-compute signed gateway callbacks.
# Needs: curl, jq, openssl, sqlite3 (and wrk for the load runs).

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
ISSUER_BIN=$TARGET/release/issuer
KIOSK_BIN=$TARGET/release/verifier-kiosk
SECRET=dev-epay-secret-not-for-production
MERCHANT=evisa-dev
PASSWORD="long enough password"
ISSUER_PID=""

build_release() {
  [ "${SKIP_BUILD:-0}" = 1 ] && return 0
  (cd "$ROOT" && cargo build --release --bins -q)
}

# A free loopback port.
free_port() {
  local port
  while :; do
    # Below Linux's ephemeral range (32768 and up), where wrk's own connections live.
    port=$((10000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

# start_issuer DATA_DIR PORT SANDBOX_PORT LOG: the issuer with its in-process sandbox gateway.
start_issuer() {
  local data=$1 port=$2 sandbox=$3 log=$4
  "$ISSUER_BIN" --addr "127.0.0.1:$port" --sandbox-addr "127.0.0.1:$sandbox" \
    --data-dir "$data" --key "$ROOT/keys/dev-issuer.key" --insecure-cookies --unthrottled 127.0.0.1 \
    >>"$log" 2>&1 &
  ISSUER_PID=$!
  ISSUER_DATA=$data
  BASE="http://127.0.0.1:$port"
  local i
  for i in $(seq 1 200); do
    if curl -fsS -o /dev/null "$BASE/services" 2>/dev/null; then
      return 0
    fi
    if ! kill -0 "$ISSUER_PID" 2>/dev/null; then
      echo "the issuer did not start: $(grep -v ' INFO ' "$log" | tail -2 | tr '\n' ' ')" >&2
      ISSUER_PID=""
      return 1
    fi
    sleep 0.05
  done
  echo "the issuer did not answer within 10 s; see $log" >&2
  return 1
}

stop_issuer() {
  if [ -n "$ISSUER_PID" ] && kill -0 "$ISSUER_PID" 2>/dev/null; then
    kill "${1:--TERM}" "$ISSUER_PID" 2>/dev/null || true
    wait "$ISSUER_PID" 2>/dev/null || true
  fi
  ISSUER_PID=""
}

csrf_in() { grep -o 'name="csrf" value="[^"]*"' "$1" | head -1 | sed 's/.*value="//; s/"$//'; }

# The session cookie of a curl cookie jar, as "name=value".
cookie_of() { awk '$6 == "session" { print $6 "=" $7 }' "$1" | tail -1; }

# sign_up JAR EMAIL: a new account, its address confirmed with the link the issuer mailed (read
# from its outbox folder), logged in, in the cookie jar.
sign_up() {
  local jar=$1 email=$2 page link i
  page=$(mktemp)
  curl -fsS -c "$jar" -b "$jar" -o "$page" "$BASE/signup"
  curl -sS -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' "$BASE/signup" \
    --data-urlencode "csrf=$(csrf_in "$page")" --data-urlencode "email=$email" \
    --data-urlencode "full_name=Load Tester" --data-urlencode "password=$PASSWORD" \
    --data-urlencode "password_again=$PASSWORD" | grep -qx 200
  link=""
  for i in $(seq 1 100); do
    link=$(mail_link "$email" verify_address /account/confirm/)
    [ -n "$link" ] && break
    sleep 0.1
  done
  [ -n "$link" ] || { echo "no confirmation mail to $email" >&2; rm -f "$page"; return 1; }
  curl -fsS -c "$jar" -b "$jar" -o "$page" "$BASE$link"
  curl -sS -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' "$BASE$link" \
    --data-urlencode "csrf=$(csrf_in "$page")" | grep -qx 200
  curl -fsS -c "$jar" -b "$jar" -o "$page" "$BASE/login"
  curl -sS -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' "$BASE/login" \
    --data-urlencode "csrf=$(csrf_in "$page")" --data-urlencode "identifier=$email" \
    --data-urlencode "password=$PASSWORD" | grep -qx 303
  rm -f "$page"
}

# mail_link EMAIL KIND PATH: the path of the newest link starting with PATH in a mail of KIND
# (like verify_address) to EMAIL in the issuer's outbox folder (quoted-printable soft line breaks
# joined; the token is hexadecimal, so nothing else needs decoding).
mail_link() {
  local email=$1 kind=$2 path=$3 file
  file=$(grep -l "$email>" "$ISSUER_DATA"/outbox/*-"$kind".eml 2>/dev/null | tail -1)
  [ -n "$file" ] || return 0
  sed ':a;N;$!ba;s/=\r\n//g' "$file" | grep -o "${path}[0-9a-f]\{64\}" | tail -1
}

# Kazakhstan's date (UTC+5), N days from now.
kz_date() { date -u -d "+5 hours +${1:-0} days" +%F; }

# new_invitation DATA_DIR: a fresh invitation from the demo organisation; prints its number.
new_invitation() {
  "$ISSUER_BIN" invite --data-dir "$1" --bin-iin 180240012342 --surname MULLER \
    --given-names HANS --passport C01X00T47 --citizenship DEU --date-of-birth 1980-05-01 \
    --category business --purpose "Negotiations" --city Astana --street "Mangilik El" \
    --house 55 --valid-from "$(kz_date 1)" --valid-until "$(kz_date 60)" --stay-days 20 \
    2>/dev/null | grep -o 'INV-[0-9A-Z-]*' | head -1
}

# apply_and_order JAR INVITATION: Step 1, confirmation and "To pay" (the order is created at the
# gateway; nothing is paid); prints the application id.
apply_and_order() {
  local jar=$1 invitation=$2 page location id
  page=$(mktemp)
  curl -fsS -c "$jar" -b "$jar" -o "$page" "$BASE/apply"
  location=$(curl -sS -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' "$BASE/apply" \
    --data-urlencode "csrf=$(csrf_in "$page")" --data-urlencode "invitation_number=$invitation" \
    -d category=business -d surname=MULLER -d given_names=HANS -d surname_native= \
    -d given_names_native= -d sex=M -d date_of_birth=1980-05-01 -d citizenship=DEU \
    -d passport_number=C01X00T47 -d "passport_expiry=$(kz_date 1500)" -d with_children=no)
  id=$(printf '%s' "$location" | sed -n 's|.*/applications/\([0-9a-f]*\)/confirm|\1|p')
  [ -n "$id" ] || { echo "Step 1 was refused for $invitation" >&2; rm -f "$page"; return 1; }
  curl -fsS -c "$jar" -b "$jar" -o "$page" "$BASE/applications/$id/confirm"
  curl -sS -c "$jar" -b "$jar" -o /dev/null "$BASE/applications/$id/confirm" \
    --data-urlencode "csrf=$(csrf_in "$page")" -d confirm=yes
  curl -fsS -c "$jar" -b "$jar" -o "$page" "$BASE/applications/$id/payment"
  curl -sS -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' "$BASE/applications/$id/payment" \
    --data-urlencode "csrf=$(csrf_in "$page")" | grep -qx 303
  rm -f "$page"
  echo "$id"
}

# hmac TIMESTAMP BODY: the gateway's v1 signature.
hmac() {
  printf '%s.%s' "$1" "$2" | openssl dgst -sha256 -hmac "$SECRET" -hex | sed 's/^.*= //'
}

# signed_callbacks DB [WHERE]: one request line (requests.lua format) per payment order known to
# the gateway, a "paid" callback signed now.
signed_callbacks() {
  local db=$1 where=${2:-1} ts order payment amount currency body
  ts=$(date -u +%s)
  sqlite3 -separator ' ' "$db" \
    "SELECT order_id, gateway_payment_id, amount_minor, currency FROM payments
     WHERE gateway_payment_id IS NOT NULL AND ($where) ORDER BY rowid" |
    while read -r order payment amount currency; do
      body=$(jq -cn --arg o "$order" --arg p "$payment" --argjson a "$amount" --arg c "$currency" \
        '{payment_id: $p, order_id: $o, status: "paid", amount_minor: $a, currency: $c,
          method: "card", paid_at: (now | todate), receipt_number: ("EP-LOAD-" + $o[0:8]),
          payer_hint: "**** 1111"}')
      printf 'POST\t/epay/callback\tContent-Type: application/json|X-Epay-Merchant: %s|X-Epay-Timestamp: %s|X-Epay-Signature: v1=%s\t%s\n' \
        "$MERCHANT" "$ts" "$(hmac "$ts" "$body")" "$body"
    done
}

# The invariants of the issuer's database; prints one line per breach, nothing when all hold.
check_db() {
  local db=$1
  local ok
  ok=$(sqlite3 "$db" 'PRAGMA integrity_check;')
  [ "$ok" = ok ] || echo "integrity_check: $ok"
  sqlite3 "$db" "SELECT 'two visas for ' || application_id FROM visas GROUP BY application_id HAVING count(*) > 1;"
  sqlite3 "$db" "SELECT 'paid without a visa: ' || a.id FROM applications a
    WHERE EXISTS (SELECT 1 FROM payments p WHERE p.application_id = a.id AND p.status = 'paid')
      AND NOT EXISTS (SELECT 1 FROM visas v WHERE v.application_id = a.id);"
  sqlite3 "$db" "SELECT 'issued without a paid payment: ' || v.application_id FROM visas v
    WHERE NOT EXISTS (SELECT 1 FROM payments p WHERE p.application_id = v.application_id AND p.status = 'paid');"
  sqlite3 "$db" "SELECT 'status issued without a visa: ' || id FROM applications a WHERE status = 'issued'
    AND NOT EXISTS (SELECT 1 FROM visas v WHERE v.application_id = a.id);"
}

# check_pdf JAR ID: downloads the visa's PDF; prints a line if it is not a whole PDF.
check_pdf() {
  local jar=$1 id=$2 file code text
  file=$(mktemp)
  code=$(curl -sS -b "$jar" -o "$file" -w '%{http_code}' "$BASE/applications/$id/visa.pdf")
  if [ "$code" != 200 ]; then
    echo "PDF of $id: HTTP $code"
  elif [ "$(head -c 5 "$file")" != "%PDF-" ]; then
    echo "PDF of $id: does not start with %PDF-"
  elif ! tail -c 32 "$file" | grep -q '%%EOF'; then
    echo "PDF of $id: does not end with %%EOF (truncated)"
  else
    text=$(pdftotext -q "$file" - 2>/dev/null || true)
    [[ $text == *"ELECTRONIC VISA"* ]] || echo "PDF of $id: pdftotext cannot read it"
  fi
  rm -f "$file"
}
