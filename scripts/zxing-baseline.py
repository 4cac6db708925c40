#!/usr/bin/env python3
"""The kiosk decode benchmark's baseline: zxing-cpp (PyPI `zxing-cpp`) on the same pictures.

Reads picture paths, one per line, on standard input; for each, times what the kiosk does with a
file: read it, decode it to 8-bit gray (Pillow), find the QR codes (zxing-cpp with its defaults:
rotations, downscaling, inversion; QR codes only), and prints one tab-separated line:
`path  wall_ms  cpu_ms  texts` where texts are the codes read, JSON-encoded. The decode benchmark
(`cargo bench --bench decode`) runs this in the same run as the kiosk and compares medians.

Needs `python3 -m pip install zxing-cpp pillow` (scripts/kiosk-bench-deps does it).
"""

import json
import sys
import time

try:
    import zxingcpp
    from PIL import Image
except ImportError as missing:
    print(f"zxing-baseline: {missing}; run scripts/kiosk-bench-deps", file=sys.stderr)
    sys.exit(3)

# Pillow refuses pictures over ~89 megapixels by default; the kiosk's own limit is 80.
Image.MAX_IMAGE_PIXELS = 80_000_000


def read(path):
    with Image.open(path) as picture:
        picture.seek(0)  # the first page of a multi-page TIFF, as the kiosk reads
        gray = picture.convert("L")
    return [
        code.text
        for code in zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.QRCode)
    ]


def main():
    for line in sys.stdin:
        path = line.rstrip("\n")
        if not path:
            continue
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            texts = read(path)
        except Exception:  # a picture Pillow cannot open counts as not read, like the kiosk's
            texts = []
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"{path}\t{wall * 1000:.3f}\t{cpu * 1000:.3f}\t{json.dumps(texts)}", flush=True)


if __name__ == "__main__":
    main()
