#!/usr/bin/env python3
"""Makes the example shop's raster product covers from its SVG artwork.

Real shops upload JPEG or PNG covers of a few megabytes; the example shop's products get the same
kind of file, so the build's images step (resized WebP/JPEG copies, Open Graph cards) has real work.
Each `assets/images/products/NAME.svg` is drawn at 1600x1600 with a light paper grain (so it
compresses like a photographed print, not like flat vector art) and saved as `NAME.jpg`; every
product whose catalog image is that SVG is pointed at the JPEG. Run it again after changing the
artwork: the output is the same for the same input (the grain is seeded by the file's name).

Needs pyvips (`python3 -m pip install pyvips`) over Debian's libvips42.
"""
import hashlib
import pathlib
import re
import sys

try:
    import pyvips
except ImportError:
    sys.exit("make-covers: needs pyvips: python3 -m pip install pyvips")

ROOT = pathlib.Path(__file__).resolve().parent.parent
SIZE = 1600


def grain(name: str) -> "pyvips.Image":
    """A deterministic paper grain: noise from a seed derived from the cover's name."""
    seed = int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big") & 0x7FFFFFFF
    noise = pyvips.Image.gaussnoise(SIZE, SIZE, sigma=4, mean=0, seed=seed)
    return noise.gaussblur(0.6)


def make(svg: pathlib.Path) -> pathlib.Path:
    art = pyvips.Image.new_from_file(str(svg), dpi=72)
    art = pyvips.Image.new_from_file(str(svg), scale=SIZE / max(art.width, art.height))
    art = art.flatten(background=[255, 255, 255]) if art.hasalpha() else art
    art = art.thumbnail_image(SIZE, height=SIZE, crop="centre")
    textured = (art + grain(svg.stem)).cast("uchar")
    target = svg.with_suffix(".jpg")
    textured.jpegsave(str(target), Q=80, strip=True)
    return target


def main() -> None:
    catalog = ROOT / "catalog.txt"
    text = catalog.read_text()
    covers = sorted(set(re.findall(r"image: (/assets/images/products/[^\s]+\.svg)", text)))
    total = 0
    for url in covers:
        target = make(ROOT / url.lstrip("/"))
        total += target.stat().st_size
        text = text.replace(f"image: {url}\n", f"image: {url[:-4]}.jpg\n")
    catalog.write_text(text)
    print(f"make-covers: {len(covers)} covers, {total / 1e6:.1f} MB, catalog.txt updated")


if __name__ == "__main__":
    main()
