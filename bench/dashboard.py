#!/usr/bin/env python3
"""Issue 15's measure: the operator's dashboard and admin lists over a shop with 1,000,000 orders,
on SQLite and on PostgreSQL (goal: the dashboard page renders in under 300 ms).

Seeds a database made by `checkout admin keys create` (which applies every migration) with three
years of history: 1,000,000 orders (6 in 7 paid), 1,333,334 order lines with a delivery each,
1,400,000 carts, 20,000 refunds, 100,000 leads, 5,000 subscriptions and 300,000 download rows;
then serves the example shop over it with `checkout serve` and times sequential requests, after
warming up: the console's dashboard page (HTML with ten SVG charts) for 30 and 365 days, its JSON,
the order list's first page, an order search by address, and a customer search.
Run through `bench/run --dashboard`; writes bench/dashboard.json and bench/DASHBOARD.md.
"""
import argparse
import datetime
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import HERE, ROOT, free_port, log, machine  # noqa: E402

STEP = 94  # seconds between orders: a million orders over three years
SKUS = ["HS-DIGITAL-PLANNER", "KB-NOAH-COLORING-A4", "HS-ANNUAL-PLANNER-A4", "KB-CREATION-COLORING", "KB-MIRACLES-ACTIVITY",
        "KB-EASTER-COLORING", "KB-NATIVITY-COLORING", "HS-MEMORY-APP", "HS-COOP-CURRICULUM", "PD-GRATITUDE-DAYS"]
PLANS = ["kids-bible-club", "homeschool-helper"]


def seed_sql(dialect, orders, now):
    """The statements that seed the database, in `dialect` (`sqlite` or `postgres`)."""
    def series(count):
        if dialect == "sqlite":
            return f"(WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {count - 1}) SELECT i FROM n) AS s"
        return f"generate_series(0, {count - 1}) AS s(i)"

    def ident(prefix, expression="i"):
        if dialect == "sqlite":
            return f"printf('{prefix}%021d', {expression})"
        return f"'{prefix}' || lpad(({expression})::text, 21, '0')"

    sku = "CASE i % 10 " + " ".join(f"WHEN {n} THEN '{s}'" for n, s in enumerate(SKUS)) + " END"
    created = f"{now} - ({orders} - i) * {STEP}"
    lines = orders + orders // 3 + 1
    return [
        f"""INSERT INTO orders (shop_id, id, token, email, kind, status, currency, subtotal, discount, total, provider, created_at, paid_at, amount_refunded)
            SELECT '', {ident('ord_b')}, 'token', 'c' || (i % 200000) || '@example.com', 'purchase',
                   CASE WHEN i % 7 = 0 THEN 'expired' ELSE 'paid' END, 'USD', 999 + (i % 5) * 500, 0, 999 + (i % 5) * 500, 'test',
                   {created}, CASE WHEN i % 7 = 0 THEN NULL ELSE {created} + 30 END, 0 FROM {series(orders)}""",
        f"""INSERT INTO order_lines (shop_id, id, order_id, position, sku, kind, title, unit_price, quantity, total, discount, grants)
            SELECT '', {ident('oli_b')}, {ident('ord_b')}, 0, {sku}, 'product', {sku}, 999, 1, 999 + (i % 5) * 500, 0, {sku}
            FROM {series(orders)}""",
        f"""INSERT INTO order_lines (shop_id, id, order_id, position, sku, kind, title, unit_price, quantity, total, discount, grants)
            SELECT '', {ident('oli_c', 'i * 3')}, {ident('ord_b', 'i * 3')}, 1, 'HS-DIGITAL-PLANNER', 'product', 'Planner', 500, 1, 500, 0,
                   'HS-DIGITAL-PLANNER' FROM {series(orders // 3)}""",
        f"""INSERT INTO line_deliveries (shop_id, id, order_id, line_id, sku, method, quantity, status, created_at, updated_at)
            SELECT '', {ident('dlv_b')}, {ident('ord_b')}, {ident('oli_b')}, {sku}, 'file', 1,
                   CASE WHEN i % 500 = 3 THEN 'failed' ELSE 'delivered' END, {created}, {created} + 40 FROM {series(orders)}""",
        f"""INSERT INTO carts (shop_id, id, created_at, updated_at)
            SELECT '', {ident('cart_b')}, {now} - ({orders * 14 // 10} - i) * {STEP * 10 // 14},
                   {now} - ({orders * 14 // 10} - i) * {STEP * 10 // 14} FROM {series(orders * 14 // 10)}""",
        f"""INSERT INTO refunds (shop_id, id, order_id, line_id, amount, created_at)
            SELECT '', {ident('re_b', 'i * 50 + 1')}, {ident('ord_b', 'i * 50 + 1')}, {ident('oli_b', 'i * 50 + 1')}, 999,
                   {now} - ({orders} - (i * 50 + 1)) * {STEP} + 86400 FROM {series(orders // 50)}""",
        f"""INSERT INTO leads (shop_id, id, email, magnet, token, created_at, last_sent_at, confirmed_at)
            SELECT '', {ident('lead_b')}, 'l' || i || '@example.com', 'scripture-memory-cards', {ident('tok_b')},
                   {now} - (100000 - i) * {STEP * 10}, {now} - (100000 - i) * {STEP * 10},
                   CASE WHEN i % 3 = 0 THEN NULL ELSE {now} - (100000 - i) * {STEP * 10} + 600 END FROM {series(100000)}""",
        f"""INSERT INTO subscriptions (shop_id, id, provider_id, email, plan, status, status_at, current_period_end, created_at)
            SELECT '', {ident('sub_b')}, {ident('sub_b')}, 'c' || i || '@example.com',
                   CASE i % 2 WHEN 0 THEN '{PLANS[0]}' ELSE '{PLANS[1]}' END,
                   CASE WHEN i % 10 = 0 THEN 'canceled' WHEN i % 25 = 1 THEN 'past_due' ELSE 'active' END,
                   {now} - (5000 - i) * 9000, {now} + 86400 * 20, {now} - (5000 - i) * 18000 FROM {series(5000)}""",
        f"""INSERT INTO downloads (shop_id, grant_key, file, count, last_at, bytes)
            SELECT '', {ident('g_b')}, 'products/file.pdf', 1 + i % 4, {now} - (300000 - i) * {STEP * 3}, 1000000 FROM {series(300000)}""",
        "ANALYZE",
    ]


class DashboardBench:
    def __init__(self, bin_dir, work, orders, samples, postgres=None):
        self.bin, self.work, self.orders, self.samples, self.postgres = bin_dir, work, orders, samples, postgres
        self.env = dict(os.environ, CHECKOUT_WEBHOOK_SECRET="whsec_bench")
        self.env.pop("CHECKOUT_DATABASE_URL", None)

    def database(self):
        if not self.postgres:
            path = os.path.join(self.work, "dashboard.sqlite")
            return ["--db", path], ("sqlite", path)
        name = f"dashboard_{int(time.time() * 1000)}"
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", self.postgres, "-c", f"CREATE DATABASE {name}"], check=True)
        url = urllib.parse.urlunsplit(urllib.parse.urlsplit(self.postgres)._replace(path="/" + name))
        return ["--database-url", url], ("postgres", url)

    def seed(self, target, now):
        dialect, where = target
        started = time.perf_counter()
        statements = seed_sql(dialect, self.orders, now)
        if dialect == "sqlite":
            connection = sqlite3.connect(where)
            for statement in statements:
                connection.execute(statement)
                connection.commit()
            connection.close()
        else:
            script = ";\n".join(statements) + ";\n"
            subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", where], input=script, text=True, check=True)
        return time.perf_counter() - started

    def get(self, base, path, key):
        request = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + key})
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as response:
            body = response.read()
            status = response.status
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200:
            raise RuntimeError(f"{path}: {status}")
        return elapsed, len(body)

    def run(self):
        arguments, target = self.database()
        # The service makes the database (every migration); the key and the history go into it while it idles.
        port = free_port()
        process = subprocess.Popen([os.path.join(self.bin, "checkout"), "serve", "--site", ROOT, "--port", str(port)] + arguments,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    with urllib.request.urlopen(base + "/healthz", timeout=1):
                        break
                except OSError:
                    if process.poll() is not None:
                        raise RuntimeError("checkout did not start")
                    time.sleep(0.1)
            created = subprocess.run(
                [os.path.join(self.bin, "checkout"), "admin", "keys", "create", "--role", "owner", "--name", "bench"] + arguments,
                capture_output=True, text=True, env=self.env, check=True).stdout
            key = next(line.split(": ", 1)[1] for line in created.splitlines() if line.startswith("secret"))
            now = int(time.time())
            log(f"  seeding {self.orders:,} orders on {target[0]}")
            seed_seconds = self.seed(target, now)
            pages = [
                ("dashboard page, 30 days (HTML)", "/admin/?days=30"),
                ("dashboard page, 365 days (HTML)", "/admin/?days=365"),
                ("dashboard JSON, 90 days", "/api/admin/dashboard?days=90"),
                ("order list, first page", "/api/admin/orders?limit=50"),
                ("orders of one address", "/api/admin/orders?email=c4242%40example.com"),
                ("order list page (HTML)", "/admin/orders"),
                ("customer search", "/api/admin/customers?q=c4242"),
            ]
            rows = []
            for name, path in pages:
                for _ in range(3):
                    self.get(base, path, key)
                times, size = [], 0
                for _ in range(self.samples):
                    elapsed, size = self.get(base, path, key)
                    times.append(elapsed)
                times.sort()
                rows.append({"measure": name, "path": path, "median_ms": round(statistics.median(times), 1),
                             "p95_ms": round(times[int(len(times) * 0.95) - 1], 1), "max_ms": round(times[-1], 1), "bytes": size,
                             "samples": len(times)})
                log(f"  {name}: median {rows[-1]['median_ms']} ms, p95 {rows[-1]['p95_ms']} ms")
        finally:
            process.terminate()
            process.wait()
        return {"backend": "PostgreSQL" if self.postgres else "SQLite", "orders": self.orders, "seed_seconds": round(seed_seconds, 1), "rows": rows}


def markdown(results, path):
    lines = [
        "# Dashboard and admin lists at 1,000,000 orders (issue 15)", "",
        f"Measured {results['date']} on {results['machine']['cpus']} cores ({results['machine']['cpu']}), release build.",
        "Sequential requests after 3 warm-ups, with an owner API key, each over the real socket (`bench/dashboard.py`).",
        "Goal: the dashboard page renders in under 300 ms on SQLite and PostgreSQL.", "",
        "| Backend | Measure | Median | p95 | Max | Bytes |", "|---|---|---:|---:|---:|---:|",
    ]
    for backend in results["backends"]:
        for row in backend["rows"]:
            lines.append(f"| {backend['backend']} | {row['measure']} | {row['median_ms']} ms | {row['p95_ms']} ms | {row['max_ms']} ms | {row['bytes']:,} |")
    lines += ["", "Seeded: " + ", ".join(f"{b['backend']} in {b['seed_seconds']} s" for b in results["backends"]) + "."]
    with open(path, "w") as handle:
        handle.write("\n".join(lines) + "\n")


def over_seeded_backends(name, measure, table, extra_arguments=lambda parser: None):
    """The main of a bench over the seeded history: SQLite, then PostgreSQL when --postgres is given;
    `measure(args, work, postgres)` gives a backend's row; writes NAME.json and NAME.md (upper case)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--out", default=HERE)
    parser.add_argument("--postgres")
    parser.add_argument("--orders", type=int, default=1_000_000)
    extra_arguments(parser)
    args = parser.parse_args()
    backends = []
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as work:
        for postgres in [None] + ([args.postgres] if args.postgres else []):
            backends.append(measure(args, work, postgres))
    results = {"date": datetime.date.today().isoformat(), "machine": machine(), "backends": backends}
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, f"{name}.json"), "w") as handle:
        json.dump(results, handle, indent=2)
    table(results, os.path.join(args.out, f"{name.upper()}.md"))
    log(f"wrote {os.path.join(args.out, name.upper() + '.md')}")


def main():
    over_seeded_backends(
        "dashboard", lambda args, work, postgres: DashboardBench(args.bin, work, args.orders, args.samples, postgres).run(), markdown,
        lambda parser: parser.add_argument("--samples", type=int, default=30))


if __name__ == "__main__":
    main()
