#!/usr/bin/env python3
"""Issue 16's measures: backups, restore, export and erasure of a shop with 1,000,000 orders, on
SQLite and PostgreSQL, with the release build.

Seeds the history `bench/dashboard.py` seeds (1,000,000 orders, 1.33 M lines, 1.4 M carts…), serves
it with `checkout serve`, and while carts are being created one after another over HTTP, times
`checkout backup --to` (the copy and its verification), then `checkout restore` into an empty
database, then `checkout customers export` and `checkout customers erase` of one customer with five
orders. The carts' latency during the backup shows the service kept serving.
Run through `bench/run --backup`; writes bench/backup.json and bench/BACKUP.md.
"""
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import ROOT, free_port, log  # noqa: E402
from dashboard import DashboardBench, over_seeded_backends  # noqa: E402


class Carts(threading.Thread):
    """Creates carts one after another until stopped; their latencies in ms."""

    def __init__(self, base):
        super().__init__(daemon=True)
        self.base, self.times, self.stopped = base, [], threading.Event()

    def run(self):
        body = json.dumps({"lines": [{"sku": "HS-DIGITAL-PLANNER", "quantity": 1}]}).encode()
        while not self.stopped.is_set():
            request = urllib.request.Request(self.base + "/api/carts", data=body, headers={"Content-Type": "application/json"})
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
            self.times.append((time.perf_counter() - started) * 1000)


def timed(command, env):
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:3])}: {done.stdout}{done.stderr}")
    return round(time.perf_counter() - started, 2), done.stdout


def measure(bench, work):
    arguments, target = bench.database()
    checkout = os.path.join(bench.bin, "checkout")
    port = free_port()
    process = subprocess.Popen([checkout, "serve", "--site", ROOT, "--port", str(port)] + arguments,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=bench.env)
    base = f"http://127.0.0.1:{port}"
    result = {"backend": "PostgreSQL" if bench.postgres else "SQLite", "orders": bench.orders}
    try:
        for _ in range(600):
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        log(f"  seeding {bench.orders:,} orders on {target[0]}")
        result["seed_seconds"] = round(bench.seed(target, int(time.time())), 1)
        folder = os.path.join(work, "backups-" + target[0])
        carts = Carts(base)
        carts.start()
        time.sleep(1)
        before = len(carts.times)
        result["backup_seconds"], _ = timed([checkout, "backup", "--to", folder] + arguments, bench.env)
        during = carts.times[before:]
        carts.stopped.set()
        carts.join()
        copy = sorted(os.listdir(folder))[-1]
        result["backup_bytes"] = os.path.getsize(os.path.join(folder, copy))
        during.sort()
        result["carts_during_backup"] = len(during)
        result["cart_median_ms"] = round(statistics.median(during), 1) if during else None
        result["cart_p95_ms"] = round(during[int(len(during) * 0.95) - 1], 1) if during else None
        result["cart_max_ms"] = round(during[-1], 1) if during else None
        log(f"  backup {result['backup_seconds']} s, {result['backup_bytes']:,} bytes; {len(during)} carts meanwhile, p95 {result['cart_p95_ms']} ms")
        if bench.postgres:
            name = f"restored_{int(time.time() * 1000)}"
            subprocess.run(["psql", "-X", "-q", "-d", bench.postgres, "-c", f"CREATE DATABASE {name}"], check=True)
            restored = ["--database-url", urllib.parse.urlunsplit(urllib.parse.urlsplit(bench.postgres)._replace(path="/" + name))]
        else:
            restored = ["--db", os.path.join(work, "restored.sqlite")]
        result["restore_seconds"], _ = timed([checkout, "restore", folder] + restored, bench.env)
        result["export_seconds"], exported = timed([checkout, "customers", "export", "c142424@example.com"] + arguments, bench.env)
        result["export_orders"] = len(json.loads(exported)["orders"])
        result["erase_seconds"], _ = timed([checkout, "customers", "erase", "c142424@example.com", "--reason", "bench"] + arguments, bench.env)
        log(f"  restore {result['restore_seconds']} s; export {result['export_seconds']} s ({result['export_orders']} orders); erase {result['erase_seconds']} s")
    finally:
        process.terminate()
        process.wait()
    return result


def markdown(results, path):
    lines = [
        "# Backups, restore, export and erasure at 1,000,000 orders (issue 16)", "",
        f"Measured {results['date']} on {results['machine']['cpus']} cores ({results['machine']['cpu']}), release build (`bench/backup.py`).",
        "`checkout backup --to` runs while carts are created one after another over HTTP; its time includes the verification",
        "(SQLite `PRAGMA integrity_check`; `pg_restore` reading the whole archive). Export and erasure are of one customer with five orders.", "",
        "| Backend | Backup (copy + verify) | Copy size | Carts meanwhile: median / p95 / max | Restore | Export | Erase |",
        "|---|---:|---:|---|---:|---:|---:|",
    ]
    for r in results["backends"]:
        lines.append(
            f"| {r['backend']} | {r['backup_seconds']} s | {r['backup_bytes'] / 1e6:,.0f} MB | {r['carts_during_backup']} carts: "
            f"{r['cart_median_ms']} / {r['cart_p95_ms']} / {r['cart_max_ms']} ms | {r['restore_seconds']} s | {r['export_seconds']} s | {r['erase_seconds']} s |")
    with open(path, "w") as handle:
        handle.write("\n".join(lines) + "\n")


def main():
    over_seeded_backends("backup", lambda args, work, postgres: measure(DashboardBench(args.bin, work, args.orders, 0, postgres), work), markdown)


if __name__ == "__main__":
    main()
