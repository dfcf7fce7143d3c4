#!/usr/bin/env python3
"""Issue 17's page rows: first contentful paint and cumulative layout shift of a product page in
headless Chromium, on loopback, on a quiet machine.

The example shop (its real 1600 px JPEG covers) is built and served by `checkout serve --public`,
exactly as browser journey 9 serves it (the shop and the measuring script are journeys.py's). Each
run starts a new Chromium, so every load is a first visit with an empty browser cache; the page is
scrolled to the bottom and every image decoded before the layout shift is read. The browser suite
records the same two values under the test suite's load; the goals (FCP < 1 s, CLS 0) are judged
here, where the two cores are not shared with 460 other tests.

Writes NAME.json and NAME.md (default: page) into --out.
"""
import argparse
import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "Tests", "browser"))
from bench import log, summary, write_results  # noqa: E402
import journeys  # noqa: E402

PAGE = "/products/noahs-ark-coloring-pages/"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True, help="folder holding sitegen and checkout")
    parser.add_argument("--out", default=HERE)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--name", default="page")
    args = parser.parse_args()
    journeys.ARGS = types.SimpleNamespace(bin=args.bin, repo=ROOT)
    shop = journeys.Shop()
    paints, shifts, moved = [], [], []
    try:
        for run in range(args.runs):
            driver = journeys.browser()
            try:
                metrics = journeys.product_page_metrics(driver, shop.base + PAGE)
            finally:
                driver.quit()
            if not metrics["fcp"]:
                raise RuntimeError(f"Chromium reported no first contentful paint for {PAGE}")
            paints.append(metrics["fcp"])
            shifts.append(metrics["cls"])
            moved += metrics["moved"]
            log(f"  run {run + 1}: first contentful paint {metrics['fcp']:.0f} ms, layout shift {metrics['cls']}, cover {metrics['cover']}")
    finally:
        shop.close()
    measures = [
        {"name": f"product page ({PAGE}), first contentful paint: new headless Chromium per run, loopback", "unit": "ms",
         "page": summary(paints), "target": "< 1,000 ms", "met": max(paints) < 1000,
         "note": f"worst of {args.runs} runs {max(paints):.0f} ms"},
        {"name": "product page, cumulative layout shift after scrolling to the bottom and every image decoded", "unit": "",
         "page": summary(shifts), "target": "0", "met": max(shifts) == 0,
         "note": "what moved: " + repr(moved) if moved else f"no layout shift in any of {args.runs} runs"},
    ]
    write_results(args.out, "page", measures, "loopback", args.name)


if __name__ == "__main__":
    main()
