#!/usr/bin/env python3
"""Generates a synthetic shop for benchmarks: deterministic for a given seed and size.

Usage: generate_shop.py --products N --out DIR [--seed S] [--hugo DIR]

Writes a sitegen site (site.yaml, catalog.txt, content/, assets/) to DIR and, with --hugo,
the same shop as a Hugo site to the second DIR, so both tools render the same pages.
"""
import argparse
import os
import random
import shutil

NICHES = [
    ("kids-bible", "Kids Bible", "KB"),
    ("homeschool", "Homeschool", "HS"),
    ("wedding-planning", "Wedding Planning", "WP"),
    ("prayer-devotional", "Prayer & Devotional", "PD"),
    ("scripture-wall-art", "Scripture Wall Art", "SW"),
    ("seasonal-holidays", "Seasonal & Holidays", "SH"),
]
TAGS = ["coloring", "activity", "planner", "journal", "checklist", "curriculum", "verse", "christmas", "easter", "budget"]
WORDS = (
    "grace faith hope joy peace family home garden morning evening prayer verse psalm story lesson child "
    "teacher parent table week month season light candle harvest bread river mountain promise kindness "
    "gentle patient simple beautiful printable page colour pencil notebook planner calendar checklist"
).split()
ADJECTIVES = ["Gentle", "Joyful", "Simple", "Cozy", "Bright", "Quiet", "Faithful", "Little", "Golden", "Blessed"]
NOUNS = ["Planner", "Coloring Book", "Activity Pack", "Journal", "Verse Cards", "Checklist", "Wall Art", "Workbook", "Calendar", "Devotional"]


def sentence(rng, words=12):
    chosen = [rng.choice(WORDS) for _ in range(words)]
    chosen[0] = chosen[0].capitalize()
    return " ".join(chosen) + "."


def body(rng, product, others):
    links = [f"[{o['title']}](/products/{o['slug']}/)" for o in others]
    parts = [
        f"{sentence(rng, 14)} *{sentence(rng, 6)}* {sentence(rng, 16)} {sentence(rng, 12)}",
        f"## Why families love the {product['title']}",
        f"{sentence(rng, 18)} **{sentence(rng, 5)}** {sentence(rng, 14)} {sentence(rng, 10)}",
        "## What's included",
        "\n".join(f"- {sentence(rng, 8)}" for _ in range(5)),
        "| Page | Contents |\n|------|----------|\n" + "\n".join(f"| {i} | {sentence(rng, 6)} |" for i in range(1, 6)),
        "## How to use it",
        "\n".join(f"{i}. {sentence(rng, 10)}" for i in range(1, 5)),
        f"{sentence(rng, 16)} {sentence(rng, 14)} {sentence(rng, 18)}",
        f"You may also like {links[0]}, {links[1]} and {links[2]}. {sentence(rng, 12)}",
        f"{sentence(rng, 20)} {sentence(rng, 15)}",
    ]
    text = "\n\n".join(parts)
    while len(text.split()) < 400:
        text += "\n\n" + " ".join(sentence(rng, 15) for _ in range(3))
    return text + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=10000)
    parser.add_argument("--out", required=True)
    parser.add_argument("--hugo")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    products = []
    for i in range(args.products):
        niche, _, prefix = NICHES[i % len(NICHES)]
        title = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {i + 1}"
        products.append({
            "sku": f"{prefix}-{i + 1:06d}", "slug": f"{title.lower().replace(' ', '-')}", "title": title, "niche": niche,
            "price": f"{rng.randint(2, 24)}.{rng.choice(['00', '49', '99'])}",
            # Every third round of niches carries "planner", so each niche's planner bundle holds products at any size.
            "tags": sorted(set(rng.sample(TAGS, 2)) | ({"planner"} if (i // len(NICHES)) % 3 == 0 else set())),
            "released": f"{2024 + i % 3}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "summary": sentence(rng, 14), "variants": i % 5 != 0,
        })

    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out + "/content/products")
    os.makedirs(args.out + "/content/pages")
    with open(args.out + "/site.yaml", "w") as f:
        f.write("title: Benchmark Shop\nbase_url: https://bench.example\nproducts_per_page: 24\n")
    catalog = ["shop\n  currency: USD\n"]
    for position, (slug, title, _) in enumerate(NICHES, 1):
        catalog.append(f"niche {slug}\n  title: {title}\n  summary: {title} printables.\n  position: {position}\n")
    for p in products:
        catalog.append(
            f"product {p['sku']}\n  slug: {p['slug']}\n  title: {p['title']}\n  niche: {p['niche']}\n  price: {p['price']} USD\n"
            f"  released: {p['released']}\n  tags: {', '.join(p['tags'])}\n  summary: {p['summary']}\n")
        if p["variants"]:
            catalog.append(f"variant {p['sku']}-LTR\n  product: {p['sku']}\n  title: US Letter\n  position: 1\n")
            catalog.append(f"variant {p['sku']}-A4\n  product: {p['sku']}\n  title: A4\n  position: 2\n")
    for i, (slug, title, _) in enumerate(NICHES):
        catalog.append(f"bundle {slug}-planners\n  sku: BND-{i}-A\n  title: {title} planners\n  discount: 30%\n  niches: {slug}\n  tags: planner\n")
        if i < 4:
            catalog.append(f"bundle {slug}-all\n  sku: BND-{i}-B\n  title: All {title}\n  discount: 40%\n  niches: {slug}\n")
    for i, price in enumerate(["7.99", "9.99", "12.99", "14.99", "19.99"]):
        grants = "all" if i == 4 else NICHES[i][0]
        catalog.append(f"plan plan-{i + 1}\n  sku: PLAN-{i + 1}\n  title: Plan {i + 1}\n  price: {price} USD\n  grants: {grants}\n  position: {i + 1}\n")
    with open(args.out + "/catalog.txt", "w") as f:
        f.write("\n".join(catalog))
    for index, p in enumerate(products):
        others = [products[(index + k * 7919) % len(products)] for k in (1, 2, 3)]
        text = body(rng, p, others)
        p["body"] = text
        with open(f"{args.out}/content/products/{p['slug']}.md", "w") as f:
            f.write(f"---\nsku: {p['sku']}\ndescription: {p['summary']}\nhighlights:\n  - Instant download\n  - US Letter and A4\n---\n{text}")
    for i in range(50):
        with open(f"{args.out}/content/pages/page-{i + 1}.md", "w") as f:
            f.write(f"---\ntitle: Page {i + 1}\ndescription: {sentence(rng, 10)}\n---\n" + "\n\n".join(sentence(rng, 30) for _ in range(6)) + "\n")

    if args.hugo:
        write_hugo(args.hugo, products)


def write_hugo(folder, products):
    """The same shop for Hugo; templates live in bench/hugo-theme and are copied in."""
    if os.path.exists(folder):
        shutil.rmtree(folder)
    theme = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hugo-site")
    shutil.copytree(theme, folder)
    os.makedirs(folder + "/content/products")
    os.makedirs(folder + "/content/pages")
    for slug, title, _ in NICHES:
        os.makedirs(f"{folder}/content/niches/{slug}", exist_ok=True)
    for p in products:
        variants = "\n".join(
            f"  - {{sku: \"{p['sku']}-{code}\", title: \"{name}\", price: \"{p['price']}\"}}" for code, name in (("LTR", "US Letter"), ("A4", "A4"))
        ) if p["variants"] else ""
        with open(f"{folder}/content/products/{p['slug']}.md", "w") as f:
            f.write(
                f"---\ntitle: \"{p['title']}\"\nslug: \"{p['slug']}\"\nsku: \"{p['sku']}\"\ndate: {p['released']}\nprice: \"{p['price']}\"\n"
                f"niches: [\"{p['niche']}\"]\ntags: [{', '.join(chr(34) + t + chr(34) for t in p['tags'])}]\n"
                f"description: \"{p['summary']}\"\nhighlights: [\"Instant download\", \"US Letter and A4\"]\n"
                + (f"variants:\n{variants}\n" if variants else "") + f"---\n{p['body']}")


if __name__ == "__main__":
    main()
