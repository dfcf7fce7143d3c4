#!/usr/bin/env python3
"""Generate the example shop's sample files from catalog.txt.

Writes, relative to the site folder (the parent of this script's folder):

  files/...      a tiny, valid one-page PDF for every file the catalog references
                 (`files:` on products and variants, `file:` on lead magnets);
  assets/...     an SVG cover for every `image:` path in the catalog;
  assets/images/logo.svg and assets/images/favicon.svg.

Python 3 standard library only. The output is deterministic: the same catalog
always gives byte-identical files, so regenerating never creates noise in git.

Usage: python3 scripts/make-sample-files.py [SITE_FOLDER]
"""

import os
import sys
from xml.sax.saxutils import escape

SHOP = "Mustard Seed Printables"

# ---------------------------------------------------------------------------
# Catalog text


def parse_catalog(text):
    """Split catalog text into records: (kind, key, {field: [values]})."""
    records = []
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r")
        stripped = line.lstrip(" \t")
        if not stripped or stripped.startswith("#"):
            continue
        if len(stripped) == len(line):
            words = stripped.split()
            kind = words[0]
            key = words[1] if len(words) > 1 else ""
            records.append((kind, key, {}))
            continue
        if not records:
            raise SystemExit(f"catalog.txt:{number}: indented line before any record")
        fields = records[-1][2]
        if stripped.startswith("|"):
            rest = stripped[1:]
            if rest.startswith(" "):
                rest = rest[1:]
            last = list(fields)[-1]
            fields[last][-1] += "\n" + rest
            continue
        name, sep, value = stripped.partition(":")
        if not sep:
            raise SystemExit(f"catalog.txt:{number}: expected `name: value`")
        fields.setdefault(name.strip(), []).append(value.strip())
    return records


def field(fields, name, default=""):
    values = fields.get(name)
    return values[-1] if values else default


def listing(fields, name):
    return [part.strip() for part in field(fields, name).split(",") if part.strip()]


# ---------------------------------------------------------------------------
# PDF

PAGE_SIZES = {
    "letter": (612, 792),
    "a4": (595, 842),
    "8x10": (576, 720),
    "11x14": (792, 1008),
    "a3": (842, 1191),
}


def page_size(path):
    stem = os.path.splitext(os.path.basename(path))[0]
    suffix = stem.rsplit("-", 1)[-1]
    return PAGE_SIZES.get(suffix, PAGE_SIZES["letter"])


def pdf_string(text):
    """A PDF literal string in WinAnsiEncoding, with octal escapes for non-ASCII bytes."""
    out = []
    for byte in text.encode("cp1252", errors="replace"):
        char = chr(byte)
        if char in "()\\":
            out.append("\\" + char)
        elif 32 <= byte < 127:
            out.append(char)
        else:
            out.append("\\%03o" % byte)
    return "(" + "".join(out) + ")"


def wrap(text, width):
    lines, current = [], ""
    for word in text.split():
        candidate = (current + " " + word).strip()
        if len(candidate) > width and current:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def make_pdf(title, fmt, size):
    width, height = size
    margin = 54
    body = [
        "q 0.89 0.68 0.0 RG 2 w %d %d %d %d re S Q" % (margin - 18, margin - 18, width - 2 * (margin - 18), height - 2 * (margin - 18)),
    ]
    y = height - margin - 40
    title_size = 22
    for line in wrap(title, max(20, int((width - 2 * margin) / (title_size * 0.56)))):
        body.append("BT /F1 %d Tf %d %d Td %s Tj ET" % (title_size, margin, y, pdf_string(line)))
        y -= title_size + 6
    y -= 10
    for font, fsize, text in (("F2", 13, "Format: " + fmt), ("F2", 13, SHOP), ("F1", 11, "Personal use only")):
        body.append("BT /%s %d Tf %d %d Td %s Tj ET" % (font, fsize, margin, y, pdf_string(text)))
        y -= fsize + 10
    stream = "\n".join(body).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
         "/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>" % (width, height)).encode("latin-1"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        ("<< /Title %s /Author %s /Producer (make-sample-files.py) >>" % (pdf_string(title), pdf_string(SHOP))).encode("latin-1"),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 7 0 R >>\nstartxref\n%d\n%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# ---------------------------------------------------------------------------
# SVG covers

# background, accent, ink, soft shape colour
PALETTES = {
    "kids-bible": ("#F4E4B8", "#D9A520", "#5A4410", "#FBF1D6"),          # mustard
    "homeschool": ("#DCE5D2", "#879E77", "#2F4229", "#EEF3E8"),          # sage
    "wedding-planning": ("#F1DADA", "#C48E8E", "#5B3333", "#F9ECEC"),    # dusty rose
    "prayer-devotional": ("#E5DEEF", "#9C8BBE", "#3D3354", "#F2EEF7"),   # lavender
    "scripture-wall-art": ("#2B3A55", "#D4B46A", "#F7F1E3", "#34476A"),  # navy
    "seasonal-holidays": ("#F2D8CA", "#C4704F", "#5A2D1E", "#F8E8DF"),   # terracotta
}
DEFAULT_PALETTE = PALETTES["kids-bible"]

LEAF = "M0,-46 C26,-30 26,22 0,46 C-26,22 -26,-30 0,-46 Z"


def svg_title_lines(title):
    for size, chars in ((46, 18), (40, 21), (35, 24), (30, 28), (26, 33)):
        lines = wrap(title, chars)
        if len(lines) <= 3:
            return size, lines
    return 26, wrap(title, 33)[:3]


def make_cover(title, label, palette, shape):
    bg, accent, ink, soft = palette
    size, lines = svg_title_lines(title)
    leading = int(size * 1.22)
    top = 394 - (len(lines) - 1) * leading // 2
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 600" width="600" height="600" role="img" aria-label="%s">'
        % escape(title, {'"': "&quot;"}),
        '<rect width="600" height="600" fill="%s"/>' % bg,
        '<rect x="24" y="24" width="552" height="552" rx="18" fill="none" stroke="%s" stroke-width="2"/>' % accent,
    ]
    if shape == "bundle":
        parts += [
            '<rect x="226" y="92" width="148" height="148" rx="14" fill="%s" transform="rotate(-10 300 166)"/>' % soft,
            '<rect x="226" y="92" width="148" height="148" rx="14" fill="%s" opacity="0.55" transform="rotate(8 300 166)"/>' % accent,
            '<rect x="232" y="98" width="136" height="136" rx="12" fill="%s"/>' % soft,
        ]
    elif shape == "free":
        parts += [
            '<circle cx="300" cy="166" r="86" fill="%s"/>' % soft,
            '<path d="M230,150 h140 v44 h-140 l16,-22 z" fill="%s"/>' % accent,
            '<text x="300" y="180" text-anchor="middle" font-family="Georgia, serif" font-size="22" '
            'letter-spacing="4" fill="%s">FREE</text>' % bg,
        ]
    else:
        parts += [
            '<circle cx="300" cy="166" r="86" fill="%s"/>' % soft,
            '<g transform="translate(300 170)" fill="%s">' % accent,
            '<path d="%s" transform="rotate(-32) translate(-22 -6) scale(0.8)"/>' % LEAF,
            '<path d="%s" transform="rotate(32) translate(22 -6) scale(0.8)" opacity="0.7"/>' % LEAF,
            '<circle cx="0" cy="40" r="9"/></g>',
        ]
    parts.append(
        '<text x="300" y="284" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" font-size="15" '
        'letter-spacing="4" fill="%s" opacity="0.75">%s</text>' % (ink, escape(label.upper())))
    parts.append('<g font-family="Georgia, \'Times New Roman\', serif" font-size="%d" fill="%s" text-anchor="middle">'
                 % (size, ink))
    for index, line in enumerate(lines):
        parts.append('<text x="300" y="%d">%s</text>' % (top + index * leading, escape(line)))
    parts.append("</g>")
    parts.append('<line x1="250" y1="500" x2="350" y2="500" stroke="%s" stroke-width="2"/>' % accent)
    parts.append('<text x="300" y="534" text-anchor="middle" font-family="Georgia, serif" font-size="18" '
                 'font-style="italic" fill="%s">%s</text>' % (ink, SHOP))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


LOGO = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 72" width="360" height="72" role="img" aria-label="Mustard Seed Printables">
<g transform="translate(36 36)">
<circle r="32" fill="#F4E4B8"/>
<path d="M0,-22 C13,-14 13,10 0,22 C-13,10 -13,-14 0,-22 Z" fill="#879E77" transform="rotate(-30) translate(-9 -4) scale(0.75)"/>
<path d="M0,-22 C13,-14 13,10 0,22 C-13,10 -13,-14 0,-22 Z" fill="#879E77" transform="rotate(30) translate(9 -4) scale(0.75)"/>
<circle cx="0" cy="17" r="6" fill="#D9A520"/>
</g>
<text x="80" y="34" font-family="Georgia, 'Times New Roman', serif" font-size="24" fill="#3B3A2E">Mustard Seed</text>
<text x="81" y="56" font-family="Helvetica, Arial, sans-serif" font-size="13" letter-spacing="5" fill="#8A6B10">PRINTABLES</text>
</svg>
"""

FAVICON = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">
<circle cx="32" cy="32" r="30" fill="#F4E4B8"/>
<g transform="translate(32 30)">
<path d="M0,-22 C13,-14 13,10 0,22 C-13,10 -13,-14 0,-22 Z" fill="#879E77" transform="rotate(-30) translate(-9 -4) scale(0.8)"/>
<path d="M0,-22 C13,-14 13,10 0,22 C-13,10 -13,-14 0,-22 Z" fill="#879E77" transform="rotate(30) translate(9 -4) scale(0.8)"/>
<circle cx="0" cy="18" r="7" fill="#D9A520"/>
</g>
</svg>
"""

# ---------------------------------------------------------------------------


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode) as handle:
        handle.write(data)


def main():
    global SHOP
    site = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    # The shop's name on every file is its site.yaml title (the main example's when there is none).
    if os.path.exists(os.path.join(site, "site.yaml")):
        with open(os.path.join(site, "site.yaml"), encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("title:"):
                    SHOP = line[len("title:"):].strip().strip('"')
    with open(os.path.join(site, "catalog.txt"), encoding="utf-8") as handle:
        records = parse_catalog(handle.read())

    products = {key: fields for kind, key, fields in records if kind == "product"}

    def niche_of_bundle(fields):
        niches = listing(fields, "niches")
        if niches:
            return niches[0]
        tags = set(listing(fields, "tags"))
        counts = {}
        for product in products.values():
            if tags & set(listing(product, "tags")):
                niche = field(product, "niche")
                counts[niche] = counts.get(niche, 0) + 1
        if counts:
            return max(counts, key=lambda niche: counts[niche])  # ties: first in catalog order
        for sku in listing(fields, "skus"):
            if sku in products:
                return field(products[sku], "niche")
        return ""

    pdfs = {}     # file path -> (title, format)
    covers = {}   # image path -> (title, label, niche, shape)
    for kind, key, fields in records:
        title = field(fields, "title")
        if kind == "product":
            for path in listing(fields, "files"):
                fmt = "Parent guide" if path.endswith("-guide.pdf") else "PDF download"
                pdfs[path] = (title, fmt)
            if field(fields, "image"):
                covers[field(fields, "image")] = (title, "Printable", field(fields, "niche"), "product")
        elif kind == "variant":
            product = products.get(field(fields, "product"), {})
            for path in listing(fields, "files"):
                pdfs[path] = (field(product, "title", title), title)
        elif kind == "bundle":
            if field(fields, "image"):
                covers[field(fields, "image")] = (title, "Bundle %s off" % field(fields, "discount"),
                                                  niche_of_bundle(fields), "bundle")
        elif kind == "lead-magnet":
            pdfs[field(fields, "file")] = (title, "Free printable")
            if field(fields, "image"):
                covers[field(fields, "image")] = (title, "Free download", field(fields, "niche"), "free")

    for path, (title, fmt) in sorted(pdfs.items()):
        if path.startswith("/") or ".." in path.split("/"):
            raise SystemExit("refusing file path outside files/: " + path)
        write(os.path.join(site, "files", path), make_pdf(title, fmt, page_size(path)))

    for image, (title, label, niche, shape) in sorted(covers.items()):
        if not image.startswith("/assets/") or ".." in image.split("/"):
            raise SystemExit("refusing image path outside assets/: " + image)
        write(os.path.join(site, image.lstrip("/")), make_cover(title, label, PALETTES.get(niche, DEFAULT_PALETTE), shape))

    write(os.path.join(site, "assets/images/logo.svg"), LOGO)
    write(os.path.join(site, "assets/images/favicon.svg"), FAVICON)
    print("wrote %d PDFs, %d covers, logo and favicon" % (len(pdfs), len(covers)))


if __name__ == "__main__":
    main()
