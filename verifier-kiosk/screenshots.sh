#!/bin/bash
# Drives the kiosk window under Xvfb through each verdict and takes screenshots.
# Needs: xvfb, imagemagick (import), xdotool, sqlite3, python3; builds the kiosk, the issuer (to
# sign visas valid today) and the render_printout example. Run from anywhere:
#   verifier-kiosk/screenshots.sh            (English, into docs/screenshots)
#   OUT=/tmp/ru LANG_UI=ru verifier-kiosk/screenshots.sh
#   KIOSK_DISPLAY=:97 verifier-kiosk/screenshots.sh   (another X display than :99)
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
S=${SHOTS_WORK:-/tmp/kiosk-shots}
mkdir -p $S
(cd $ROOT && cargo build -q -p verifier-kiosk --example render_printout && cargo build -q -p verifier-kiosk) || exit 1
# `issuer sign` makes the tokens; ISSUER=path reuses a built one.
if [ -z "${ISSUER:-}" ]; then
  (cd $ROOT && cargo build -q -p issuer) || exit 1
  ISSUER=$CARGO_TARGET_DIR/debug/issuer
fi
RENDER=$CARGO_TARGET_DIR/debug/examples/render_printout
# Visas valid from five days ago, so the window's real clock finds them valid.
python3 - "$S" "$ROOT" <<'PY'
import json, sys, datetime
s = sys.argv[1]
v = json.load(open(sys.argv[2] + '/shared/tests/vectors/visa.json'))
today = datetime.date.today()
v['valid_from'] = str(today - datetime.timedelta(days=5))
v['valid_until'] = str(today + datetime.timedelta(days=50))
v['issued_at'] = str(today - datetime.timedelta(days=6)) + 'T09:30:00Z'
for name, number, ports in [('now', 'KZ2600017', ['NQZ', 'ALA']), ('ala', 'KZ2600018', ['ALA']), ('fresh', 'KZ2600019', ['NQZ', 'ALA'])]:
    w = dict(v, visa_number=number, ports=ports)
    json.dump(w, open(f'{s}/visa-{name}.json', 'w'), ensure_ascii=False)
def cd(x):
    t = 0
    for i, c in enumerate(x):
        val = int(c) if c.isdigit() else (0 if c == '<' else ord(c) - 55)
        t += val * [7, 3, 1][i % 3]
    return str(t % 10)
num, dob, exp, pers = 'L898902C3', '740812', '300101', '<' * 14
l1 = 'P<SWEERIKSSON<<ANNA<MARIA'.ljust(44, '<')
comp = num + cd(num) + dob + cd(dob) + exp + cd(exp) + pers + '<'
l2 = num + cd(num) + 'SWE' + dob + cd(dob) + 'F' + exp + cd(exp) + pers + '<' + cd(comp)
open(f'{s}/mrz-match.txt', 'w').write(l1 + '\n' + l2 + '\n')
PY
for n in now ala fresh; do $ISSUER sign --key $ROOT/keys/dev-issuer.key $S/visa-$n.json > $S/$n.txt || exit 1; done
$RENDER $S/now.txt $S/now.png 200 && $RENDER $S/ala.txt $S/ala.png 200 && \
  $RENDER $ROOT/shared/tests/vectors/tampered.txt $S/tampered.png 200 && $RENDER $S/now.txt $S/now-photo.jpg photo || exit 1
# A photo with no code at all: grey shapes.
convert -size 1600x1200 xc:gray70 -fill gray20 -draw "circle 400,400 520,520" -fill white \
  -draw "rectangle 900,300 1300,900" -fill gray40 -draw "ellipse 700,900 300,120 0,360" \
  -quality 80 $S/random-photo.jpg
export DISPLAY=${KIOSK_DISPLAY:-:99}
OUT=${OUT:-$ROOT/docs/screenshots}
K=$CARGO_TARGET_DIR/debug/verifier-kiosk
rm -rf $S/scanner $S/ledger.db*; mkdir -p $S/scanner
Xvfb $DISPLAY -screen 0 1280x800x24 -nolisten tcp & XPID=$!
sleep 2
cd $ROOT
$K --kiosk-trust keys/dev-trust --kiosk-ledger $S/ledger.db --kiosk-id NQZ-03 --kiosk-port NQZ --scanner-dir $S/scanner --kiosk-scan-budget 30 --lang ${LANG_UI:-en} > $S/kiosk.log 2>&1 & KPID=$!
sleep 4
# By class: the title is in the kiosk's language.
W=$(xdotool search --class verifier-kiosk | head -1)
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
