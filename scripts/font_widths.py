"""Write letterkit/render/arial_widths.json: the advance widths of Liberation Sans Regular
(metric-compatible with Arial, the built-in German template's font) for the characters a
letter's address lines hold, so that letterkit can tell when a line is too wide for the
address field of the DIN 5008 window without a font or a layout engine at run time.

    pip install fonttools
    python scripts/font_widths.py [/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

FONT = Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")
OUT = Path(__file__).resolve().parent.parent / "letterkit" / "render" / "arial_widths.json"
# Basic Latin, Latin-1, Latin Extended-A and the punctuation letters use
RANGES = [(0x20, 0x7E), (0xA0, 0xFF), (0x100, 0x17F), (0x2010, 0x2027), (0x20AC, 0x20AC)]


def main() -> None:
    font = TTFont(sys.argv[1] if len(sys.argv) > 1 else FONT)
    cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
    widths = {}
    for first, last in RANGES:
        for code in range(first, last + 1):
            glyph = cmap.get(code)
            if glyph is not None:
                widths[chr(code)] = metrics[glyph][0]
    data = {
        "font": "Liberation Sans Regular (Arial metrics)",
        "units_per_em": font["head"].unitsPerEm,
        "widths": widths,
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(widths)} characters")


if __name__ == "__main__":
    main()
