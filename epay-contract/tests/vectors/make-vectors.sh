#!/bin/sh
# Regenerates signatures.tsv with OpenSSL, an implementation independent of ours: each line is
# secret, timestamp, body and the hex HMAC-SHA256(secret, "<timestamp>.<body>"), tab-separated.
# Run from this folder: ./make-vectors.sh > signatures.tsv
set -eu
vector() {
    mac=$(printf '%s.%s' "$2" "$3" | openssl dgst -sha256 -hmac "$1" | sed 's/^.*= //')
    printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$mac"
}
vector k 1700000000 '{}'
vector Jefe 0 'what do ya want for nothing?'
vector dev-epay-secret-not-for-production 1700000123 ''
vector dev-epay-secret-not-for-production 1795000000 '{"payment_id":"pay_0123","order_id":"ord-1","status":"paid","amount_minor":8000,"currency":"USD","method":"card","paid_at":"2026-11-25T10:00:00Z","receipt_number":"EP-2026-000123","payer_hint":"**** 1111"}'
vector new-secret 1700000000 '{"order_id":"x"}'
vector old-secret 999999999999 '{"order_id":"ord-2","amount_minor":100000000,"currency":"KZT","lang":"kk"}'
vector 'a secret with spaces' 1 'Қазақстан · Россия · English'
