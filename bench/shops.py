#!/usr/bin/env python3
"""Issue 13's multi-shop row: one `checkout serve --shops` deployment of 2,000 generated shops of
40 products each on PostgreSQL, against one shop; and `sitegen build --sites` over 200 of those
sites against 200 separate `sitegen build` runs.

Measures: resident memory with every shop loaded (goal < 1 GiB); cold start, process start to the
first 200 of a shop chosen at random (goal < 1 s); GET cart and POST checkout spread over every
shop against the same for one shop in single-shop mode (goal: within 20 %); the two sitegen
timings. Run through `bench/run --shops`; writes bench/shops.json and bench/SHOPS.md.
"""
import argparse
import datetime
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import HERE, ROOT, CheckoutBench, free_port, log, machine, median_run, summary, wait_for_first_200  # noqa: E402


def request(base, path, host, body=None):
    """A request to shop `host`; returns its status and JSON body (or None)."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Host": host}
    if data is not None:
        headers["Content-Type"] = "application/json"
    call = urllib.request.Request(base + path, data=data, headers=headers, method="POST" if data is not None else "GET")
    with urllib.request.urlopen(call, timeout=30) as response:
        text = response.read()
        return response.status, (json.loads(text) if text[:1] == b"{" else None)


def memory(pid):
    """Resident and peak resident memory of `pid`, in MiB."""
    fields = {}
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            name, _, value = line.partition(":")
            fields[name] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


class ShopsBench(CheckoutBench):
    def __init__(self, bin_dir, work, seconds, postgres, shops, products, sites):
        super().__init__(bin_dir, work, seconds, starts=5, rounds=3, postgres=postgres)
        self.shops, self.products, self.sites = shops, products, sites
        self.suffix = ""

    def generate(self):
        """One generated shop (`generate_shop.py`), and `shops` site folders with its catalog and their own title."""
        base = os.path.join(self.work, "base")
        subprocess.run([sys.executable, os.path.join(HERE, "generate_shop.py"), "--products", str(self.products), "--out", base],
                       check=True, stdout=subprocess.DEVNULL)
        folder = os.path.join(self.work, "shops")
        entries = []
        for index in range(self.shops):
            name = f"shop-{index:04d}"
            site = os.path.join(folder, name)
            os.makedirs(site)
            shutil.copy(os.path.join(base, "catalog.txt"), site)
            with open(os.path.join(site, "site.yaml"), "w") as handle:
                handle.write(f"title: Bench Shop {index}\nbase_url: https://{name}.example\n")
            entries.append(f"{name}:\n  site: shops/{name}\n  hosts: [{name}.test]\n")
        with open(os.path.join(self.work, "shops.yaml"), "w") as handle:
            handle.write("".join(entries))
        self.skus = [line.split()[1] for line in open(os.path.join(base, "catalog.txt")) if line.startswith("variant ")]
        return base

    def deployment(self, database, shops_file=True):
        port = free_port()
        flags = ["--shops", os.path.join(self.work, "shops.yaml")] if shops_file else ["--site", os.path.join(self.work, "shops", "shop-0000")]
        return self.serve(
            [os.path.join(self.bin, "checkout"), "serve", "--port", str(port)] + flags + database +
            ["--mail-dir", os.path.join(self.work, "mail"), "--hold-mail", "--log-level", "warning"], port, "/healthz", env=self.env)

    def cold_starts(self, database):
        """Process start to the first 200 of a random shop (its first request loads it)."""
        times = []
        rng = random.Random(13)
        for _ in range(self.starts):
            os.sync()
            port = free_port()
            host = f"shop-{rng.randrange(self.shops):04d}.test"
            started = time.perf_counter()
            process = subprocess.Popen(
                [os.path.join(self.bin, "checkout"), "serve", "--port", str(port), "--shops", os.path.join(self.work, "shops.yaml")] +
                database + ["--hold-mail", "--log-level", "error"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env)
            wait_for_first_200(process, f"http://127.0.0.1:{port}/openapi.yaml", {"Host": host})
            times.append(time.perf_counter() - started)
            process.terminate()
            process.wait()
        result = summary([t * 1000 for t in times])
        log(f"  cold start, {self.shops} shops: {result['median']:.1f} ms")
        return {"name": f"cold start of a {self.shops}-shop deployment (process start to a random shop's first 200)", "unit": "ms",
                "checkout": result, "target": "< 1 s", "met": result["median"] < 1000}

    def prepare_carts(self, base, hosts, per_shop, file):
        lines = []
        for index, host in enumerate(hosts):
            for copy in range(per_shop):
                cart = [{"sku": self.skus[(index + copy) % len(self.skus)], "quantity": 1},
                        {"sku": self.skus[(index + copy + 7) % len(self.skus)], "quantity": 2}]
                lines.append(f"{host}\t{request(base, '/api/carts', host, {'lines': cart})[1]['id']}")
        with open(os.path.join(self.work, file), "w") as handle:
            handle.write("\n".join(lines) + "\n")

    def measures(self):
        log(f"generating {self.shops} shops of {self.products} products")
        base_site = self.generate()
        rows = [self.cold_starts(self.database_arguments())]

        log(f"one shop (checkout serve --site) and {self.shops} shops (checkout serve --shops), both running")
        single, single_base = self.deployment(self.database_arguments(), shops_file=False)
        many, many_base = self.deployment(self.database_arguments())
        try:
            self.prepare_carts(single_base, ["127.0.0.1"], 200, "one-shop-carts.txt")
            hosts = [f"shop-{index:04d}.test" for index in range(self.shops)]
            started = time.perf_counter()
            self.prepare_carts(many_base, hosts, 1, "shop-carts.txt")
            loading = time.perf_counter() - started
            resident, _ = memory(many.pid)
            log(f"  every shop loaded (one cart each) in {loading:.1f} s: {resident:.0f} MiB resident")
            targets = {"one": (single_base, "one-shop-carts.txt"), "many": (many_base, "shop-carts.txt")}
            runs = {(name, side): [] for name in ("GET cart", "POST checkout") for side in targets}
            env = self.env
            for side, (base, file) in targets.items():
                self.env = dict(env, BENCH_CARTS=file)
                self.wrk(base, "shops-get-cart.lua")  # warm-up
            # Rounds alternate one shop and many shops, so a slow spell of the machine (a checkpoint,
            # autovacuum) lands on both sides of a ratio.
            for round_index in range(self.rounds):
                for name, script in (("GET cart", "shops-get-cart.lua"), ("POST checkout", "shops-post-checkout.lua")):
                    for side, (base, file) in targets.items():
                        self.env = dict(env, BENCH_CARTS=file)
                        runs[(name, side)].append(self.wrk(base, script))
                        last = runs[(name, side)][-1]
                        log(f"  round {round_index + 1} {name}, {side}: {last['requests_per_second']:.0f}/s, p99 {last['p99_ms']} ms")
            self.env = env
            _, peak = memory(many.pid)
        finally:
            for process in (single, many):
                process.terminate()
                process.wait()
        rows.append({"name": f"memory with {self.shops} shops of {self.products} products loaded", "unit": "MiB",
                     "checkout": {"resident_mib": round(resident), "peak_mib_after_load_runs": round(peak),
                                  "seconds_to_load_every_shop": round(loading, 1)},
                     "target": "< 1 GiB resident", "met": resident < 1024})
        for name in ("GET cart", "POST checkout"):
            spread, one = median_run(runs[(name, "many")]), median_run(runs[(name, "one")])
            ratio = spread["requests_per_second"] / one["requests_per_second"]
            log(f"  {name}: {spread['requests_per_second']:.0f}/s over {self.shops} shops, "
                f"{one['requests_per_second']:.0f}/s for one shop ({ratio:.2f})")
            rows.append({"name": f"{name} spread over {self.shops} shops vs one shop (PostgreSQL)", "unit": "req/s",
                         "checkout": spread, "one_shop": one, "ratio": round(ratio, 3),
                         "target": "within 20 % of one shop", "met": ratio >= 0.8})
        rows.append(self.sites_build(base_site))
        return rows

    def sites_build(self, base_site):
        """`sitegen build --sites` over `sites` copies of the generated site, against one `sitegen build` per site."""
        folder = os.path.join(self.work, "sites")
        for index in range(self.sites):
            shutil.copytree(base_site, os.path.join(folder, f"site-{index:03d}"))
        sitegen = os.path.join(self.bin, "sitegen")
        log(f"sitegen: {self.sites} separate builds")
        started = time.perf_counter()
        for index in range(self.sites):
            name = f"site-{index:03d}"
            subprocess.run([sitegen, "build", "--quiet", "--site", os.path.join(folder, name), "--out", os.path.join(self.work, "out-a", name)],
                           check=True)
        separate = time.perf_counter() - started
        log(f"sitegen: one build --sites")
        started = time.perf_counter()
        subprocess.run([sitegen, "build", "--quiet", "--sites", folder, "--out", os.path.join(self.work, "out-b")], check=True)
        together = time.perf_counter() - started
        log(f"  {self.sites} sites: {separate:.1f} s separately, {together:.1f} s with --sites ({together / separate:.2f})")
        return {"name": f"sitegen build --sites over {self.sites} sites of {self.products} products vs {self.sites} separate builds",
                "unit": "s", "checkout": {"sites_build_s": round(together, 2), "separate_builds_s": round(separate, 2),
                                          "ratio": round(together / separate, 3)},
                "target": "faster than separate runs", "met": together < separate}


def shops_markdown(results, path):
    lines = [f"# Many shops ({results['mode']})", "",
             f"{results['date']} · commit `{results['commit']}` · {results['machine']['cpus']} CPUs ({results['machine']['cpu']}), "
             f"{results['machine']['memory_gib']} GiB · {results['machine']['swift']}", "",
             "| measure | many shops | one shop / separate runs | ratio | target | met |", "|---|---|---|---|---|---|"]
    for m in results["measures"]:
        c = m["checkout"]
        if "one_shop" in m:
            ours = f"{c['requests_per_second']:.0f} req/s, p99 {c['p99_ms']} ms"
            theirs = f"{m['one_shop']['requests_per_second']:.0f} req/s, p99 {m['one_shop']['p99_ms']} ms"
            ratio = str(m["ratio"])
        elif "resident_mib" in c:
            ours = f"{c['resident_mib']} MiB resident (peak {c['peak_mib_after_load_runs']} MiB after the load runs)"
            theirs, ratio = f"every shop loaded in {c['seconds_to_load_every_shop']} s", "–"
        elif "sites_build_s" in c:
            ours, theirs, ratio = f"{c['sites_build_s']} s", f"{c['separate_builds_s']} s", str(c["ratio"])
        else:
            ours, theirs, ratio = f"{c['median']} ms (median of {len(c.get('runs', [])) or 5})", "–", "–"
        met = {True: "yes", False: "**no**", None: "–"}[m.get("met")]
        lines.append(f"| {m['name']} | {ours} | {theirs} | {ratio} | {m.get('target') or '–'} | {met} |")
    lines += ["", "One shop: `checkout serve --site` with 200 carts of that shop; many shops: `checkout serve --shops` with one cart in",
              "each shop, every shop loaded before the load runs. Both running at once on the same durable PostgreSQL server (each",
              "its own database), measured in 3 alternated rounds (medians), wrk 64 connections.",
              "See bench/README.md for how to reproduce it."]
    with open(path, "w") as handle:
        handle.write("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--postgres", required=True)
    parser.add_argument("--out", default=HERE)
    parser.add_argument("--shops", type=int, default=2000)
    parser.add_argument("--products", type=int, default=40)
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="bench-shops-")
    try:
        measures = ShopsBench(args.bin, work, args.seconds, args.postgres, args.shops, args.products, args.sites).measures()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip() or "unknown"
    results = {"mode": f"shops ({args.shops} shops, wrk {args.seconds} s)",
               "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "commit": commit, "machine": machine(), "measures": measures}
    with open(os.path.join(args.out, "shops.json"), "w") as handle:
        json.dump(results, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
    shops_markdown(results, os.path.join(args.out, "SHOPS.md"))
    log(f"wrote {os.path.join(args.out, 'SHOPS.md')}")


if __name__ == "__main__":
    main()
