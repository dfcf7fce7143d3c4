#!/usr/bin/env python3
"""Issue 17's image rows: sitegen's images step over N products, each with its own large JPEG cover,
with an empty build cache (cold) and then with the cache kept (warm).

Each product gets a distinct 2400x2400 JPEG (quality 92, photographic grain: about 1.4 MB, the
kind of file a shop uploads), so nothing is shared between products. Cold: `sitegen build` with an empty cache
makes four widths in WebP and JPEG plus an Open Graph card per product. Warm: CI's case, the output
folder gone and `.sitegen-cache` kept. Both are timed whole and by step (`--timings`): the images
step, and the assets step, which reads and hashes every cover either way.

Writes NAME.json and NAME.md (default: images) into --out.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bench import log, summary, write_results  # noqa: E402

try:
    import pyvips
except ImportError:
    sys.exit("bench/images.py: needs pyvips (python3 -m pip install pyvips)")

SIZE = 2400


def make_covers(site, count):
    """N distinct covers: a few grain textures, each cover a differently tinted copy of one."""
    folder = os.path.join(site, "assets", "images", "products")
    os.makedirs(folder, exist_ok=True)
    textures = []
    for seed in range(8):
        noise = pyvips.Image.gaussnoise(SIZE, SIZE, sigma=40, mean=128, seed=seed + 1).gaussblur(1.2)
        gradient = pyvips.Image.xyz(SIZE, SIZE)[0] * (90 / SIZE)
        textures.append((noise + gradient).bandjoin([noise, noise]).copy_memory())
    names = []
    for index in range(count):
        tint = [0.6 + 0.4 * ((index * 37 + k * 11) % 97) / 97 for k in range(3)]
        image = (textures[index % len(textures)].linear(tint, [index % 23, (index * 7) % 31, (index * 13) % 17])).cast("uchar")
        name = f"cover-{index + 1:05d}.jpg"
        image.jpegsave(os.path.join(folder, name), Q=92)
        names.append(name)
    return names


def point_products_at(site, names):
    """Adds `image: /assets/images/products/cover-N.jpg` to the catalog's products, in order."""
    path = os.path.join(site, "catalog.txt")
    with open(path) as handle:
        text = handle.read()
    covers = iter(names)
    text = re.sub(r"^(product [^\n]+\n)", lambda m: m.group(1) + f"  image: /assets/images/products/{next(covers)}\n", text, flags=re.M)
    with open(path, "w") as handle:
        handle.write(text)


def build(sitegen, site, out, cache):
    shutil.rmtree(out, ignore_errors=True)
    parent, name = os.path.split(out)
    for extra in [f".{name}.sitegen-manifest", f".{name}.sitegen-inputs"]:
        if os.path.exists(os.path.join(parent, extra)):
            os.remove(os.path.join(parent, extra))
    os.sync()
    started = time.perf_counter()
    result = subprocess.run([sitegen, "build", "--site", site, "--out", out, "--cache-dir", cache, "--timings"],
                            capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(result.stdout + result.stderr)
    steps = {m.group(1): int(m.group(2)) / 1000 for m in re.finditer(r"^  ([a-z ]+): (\d+) ms$", result.stdout, re.M)}
    made = re.search(r"\((\d+) images made\)", result.stdout)
    return seconds, steps, int(made.group(1)) if made else 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--out", default=HERE)
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3, help="warm builds (the cold build runs once)")
    parser.add_argument("--name", default="images")
    args = parser.parse_args()
    sitegen = os.path.join(args.bin, "sitegen")
    work = tempfile.mkdtemp(prefix="bench-images-")
    outputs = tempfile.mkdtemp(prefix="bench-images-out-", dir="/dev/shm") if os.access("/dev/shm", os.W_OK) else work
    try:
        site = os.path.join(work, "shop")
        subprocess.run([sys.executable, os.path.join(HERE, "generate_shop.py"), "--products", str(args.products), "--out", site], check=True)
        log(f"images: making {args.products} covers of {SIZE}x{SIZE}")
        names = make_covers(site, args.products)
        point_products_at(site, names)
        megabytes = sum(os.path.getsize(os.path.join(site, "assets", "images", "products", n)) for n in names) / 1e6
        out, cache = os.path.join(outputs, "public"), os.path.join(outputs, "cache")
        shutil.rmtree(cache, ignore_errors=True)
        cold_seconds, cold_steps, cold_made = build(sitegen, site, out, cache)
        log(f"  cold: {cold_seconds:.1f} s, images step {cold_steps.get('images', 0):.1f} s, {cold_made} made")
        warm = [build(sitegen, site, out, cache) for _ in range(args.runs)]
        for seconds, steps, made in warm:
            log(f"  warm: {seconds:.2f} s, images step {steps.get('images', 0):.3f} s, assets {steps.get('assets', 0):.3f} s, {made} made")
            if made:
                raise RuntimeError(f"a warm build made {made} images")
        warm_images = statistics.median(steps.get("images", 0) for _, steps, _ in warm)
        warm_assets = statistics.median(steps.get("assets", 0) for _, steps, _ in warm)
        warm_total = statistics.median(seconds for seconds, _, _ in warm)
        cold_images = cold_steps.get("images", 0)
        n = args.products
        measures = [
            {"name": f"images, cold: {n} covers ({megabytes / n:.1f} MB each) → 4 widths × WebP + JPEG, and {n} Open Graph cards",
             "unit": "s", "sitegen": summary([cold_images]), "note": f"whole build {cold_seconds:.1f} s; {cold_made} images made "
             f"(covers and cards); the assets step, which reads and hashes the covers, {cold_steps.get('assets', 0):.2f} s"},
            {"name": f"images, warm cache, empty output (CI): {n} covers", "unit": "s", "sitegen": summary([s.get("images", 0) for _, s, _ in warm]),
             "cold": cold_images, "ratio_to_cold": round(warm_images / cold_images, 4) if cold_images else None,
             "note": f"whole build {warm_total:.2f} s against {cold_seconds:.1f} s cold ({warm_total / cold_seconds:.1%}); "
                     f"images step plus the assets step's hashing: {warm_images + warm_assets:.2f} s "
                     f"({(warm_images + warm_assets) / (cold_images + cold_steps.get('assets', 0)):.1%} of cold)",
             "target": "≤ 5 % of a cold run", "met": warm_images <= 0.05 * cold_images},
        ]
        write_results(args.out, f"images {n}", measures, "tmpfs" if outputs != work else "disk", args.name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(outputs, ignore_errors=True)


if __name__ == "__main__":
    main()
