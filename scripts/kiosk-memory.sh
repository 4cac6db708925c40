#!/usr/bin/env bash
# Peak memory of the kiosk reading one large scan, beside the size of the scan's decoded pixels.
#
#   scripts/kiosk-memory.sh [DPI]        default 600: an A4 colour scan of 4960×7016 pixels
#
# Builds the kiosk's release binary and renderer, renders the sample visa (signed with the
# development key) on an A4 printout at DPI (the kiosk's test renderer), turns it into an RGB scan with paper grain (so the
# PNG is as large as a real colour scan's, ~100 MB at 600 dpi) and a JPEG, TIFF, WebP and BMP of the
# same page, and runs `verifier-kiosk verify` on each under `/usr/bin/time -v`. Prints one Markdown
# row per file: size, pixels, decoded RGB bytes, peak RSS, and peak RSS over the decoded bytes.
# Needs python3 with Pillow and numpy (scripts/kiosk-bench-deps).
set -euo pipefail
cd "$(dirname "$0")/.."
dpi=${1:-600}
cargo build --release --workspace --bin verifier-kiosk --example render_printout >&2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
target/release/examples/render_printout sample "$dir/gray.png" "$dpi" >&2
python3 - "$dir" <<'EOF'
import sys
import numpy
from PIL import Image

Image.MAX_IMAGE_PIXELS = None
folder = sys.argv[1]
gray = numpy.asarray(Image.open(f"{folder}/gray.png").convert("L"), dtype=numpy.int16)
rng = numpy.random.default_rng(15)
# Paper grain and scanner noise, a little different in each channel, and a faint blue tint.
rgb = numpy.stack([gray + rng.integers(-6, 7, gray.shape) + tint for tint in (-4, 0, 6)], axis=-1)
scan = Image.fromarray(numpy.clip(rgb, 0, 255).astype(numpy.uint8), "RGB")
scan.save(f"{folder}/scan.png")
scan.save(f"{folder}/scan.jpg", quality=85)
scan.save(f"{folder}/scan.tif")
scan.save(f"{folder}/scan.webp", lossless=False, quality=85)
scan.save(f"{folder}/scan.bmp")
EOF
echo "| file | MB | pixels | decoded RGB MB | verdict | peak RSS MB | peak / decoded |"
echo "|---|---:|---:|---:|---|---:|---:|"
for file in scan.png scan.jpg scan.tif scan.webp scan.bmp; do
  path="$dir/$file"
  read -r width height < <(python3 -c "from PIL import Image; Image.MAX_IMAGE_PIXELS=None; print(*Image.open('$path').size)")
  /usr/bin/time -v -o "$dir/time.txt" target/release/verifier-kiosk verify --trust keys --port NQZ \
    --at 2026-12-05T10:00:00+05:00 --scan-budget 30 "$path" >"$dir/out.json" || true
  rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$dir/time.txt")
  verdict=$(python3 -c "import json; d=json.load(open('$dir/out.json')); print(d['verdict'], d['reason'])")
  python3 - "$file" "$(stat -c %s "$path")" "$width" "$height" "$rss_kb" "$verdict" <<'EOF'
import sys
name, size, width, height, rss_kb, verdict = sys.argv[1:]
decoded = int(width) * int(height) * 3
rss = int(rss_kb) * 1024
print(f"| {name} | {int(size) / 1e6:.1f} | {width}×{height} | {decoded / 1e6:.1f} | {verdict} "
      f"| {rss / 1e6:.1f} | {rss / decoded:.2f} |")
EOF
done
