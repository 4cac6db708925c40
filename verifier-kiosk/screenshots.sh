#!/bin/bash
# Drives the kiosk window under Xvfb through each verdict and takes screenshots.
set -u
export DISPLAY=:99
OUT=${OUT:-/work/main/docs/screenshots}
K=/work/target-kiosk/debug/verifier-kiosk
S=/tmp/shots
rm -rf $S/scanner $S/ledger.db*; mkdir -p $S/scanner
Xvfb :99 -screen 0 1280x800x24 -nolisten tcp & XPID=$!
sleep 2
cd /work/main
$K --kiosk-trust keys --kiosk-ledger $S/ledger.db --kiosk-id NQZ-03 --kiosk-port NQZ --scanner-dir $S/scanner --kiosk-scan-budget 30 --lang ${LANG_UI:-en} > $S/kiosk.log 2>&1 & KPID=$!
sleep 4
W=$(xdotool search --name "Kazakhstan e-visa kiosk" | head -1)
echo "window $W"
xdotool mousemove 640 300; xdotool windowfocus --sync $W 2>/dev/null
N=0
# Waits for the kiosk to write its next ledger record (it writes before it shows), then shoots.
shot() {
  if [ "${2:-}" != "now" ]; then
    N=$((N+1))
    for i in $(seq 1 120); do
      c=$(sqlite3 $S/ledger.db "select count(*) from records" 2>/dev/null || echo 0)
      [ "${c:-0}" -ge $N ] && break; sleep 0.5
    done
  fi
  sleep 1.5; import -window root $OUT/kiosk-$1.png; echo shot $1 "(records: $(sqlite3 $S/ledger.db 'select count(*) from records' 2>/dev/null))"
}
key() { xdotool key --window $W "$@"; }
typeline() { xdotool type --delay 2 --window $W "$1"; xdotool key --window $W Return; }
shot home now
cp $S/now.png $S/scanner/scan-001.png; shot valid
while read -r line; do typeline "$line"; done < $S/mrz-match.txt; shot valid-passport-matches
key F2; shot entry-recorded
key F4; cp $S/now-photo.jpg $S/scanner/photo-002.jpg; shot invalid-already-used
key F4; cp $S/tampered.png $S/scanner/scan-003.png; shot invalid-altered
key F4; cp $S/ala.png $S/scanner/scan-004.png; shot invalid-wrong-port
key F4; cp $S/random-photo.jpg $S/scanner/photo-005.jpg; shot cannot-verify-unreadable
key F4; typeline "$(cat $S/fresh.txt)"; N=$((N+1))
xdotool type --delay 2 --window $W "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"; key Return
xdotool type --delay 2 --window $W "L898902C36UTO7408122F1204159ZE184226B<<<<<10"; key Return
shot invalid-passport-mismatch
key F10; shot settings now
kill $KPID; sleep 1; kill $XPID
