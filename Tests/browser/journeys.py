#!/usr/bin/env python3
"""The shop in a real browser: headless Chromium through Selenium, against `sitegen build` output
served by `checkout serve --public`, on a copy of the example shop.

Usage: journeys.py --bin DIR --artifacts DIR [--repo DIR]

Journeys: buy two printables with a coupon and download one; join a membership and sign in by the
emailed link; get a free printable through its confirmation link; add to cart and check out with
JavaScript off; and the live preview of `sitegen serve` picking up an edit. A screenshot of every
step goes to the artifacts folder, with timings in timings.json. Exits non-zero on the first failure.
"""
import argparse
import email
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

ARGS = None
WAIT = 15


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, follow=True):
    """GET a URL; returns (status, headers, body)."""
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=20) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def start(command, ready):
    """Starts a server process and reads its output until a line matches `ready`; returns (process, match)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log = []
    for line in process.stdout:
        log.append(line)
        match = re.search(ready, line)
        if match:
            # Keep reading: a server whose log fills the pipe's 64 KiB blocks on its next write.
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
            return process, match
    raise RuntimeError("server did not start:\n" + "".join(log))


def browser(javascript=True):
    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000", "--disable-dev-shm-usage"]:
        options.add_argument(argument)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    return webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)


def product_page_metrics(driver, url):
    """Loads a product page, scrolls to the bottom and waits for every image to decode; returns Chromium's
    first contentful paint (ms since navigation), the cumulative layout shift with what moved, and the
    cover's chosen source and natural width. Shared by browser journey 9 and bench/page.py."""
    driver.get(url)
    return driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        let shift = 0;
        const moved = [];
        new PerformanceObserver(list => {
            for (const entry of list.getEntries()) if (!entry.hadRecentInput) {
                shift += entry.value;
                // What moved, to find the cause of a shift when there is one.
                for (const source of entry.sources || []) moved.push({
                    at: Math.round(entry.startTime), value: entry.value,
                    node: source.node ? source.node.outerHTML.slice(0, 120) : null,
                    from: source.previousRect ? [source.previousRect.y, source.previousRect.height] : null,
                    to: source.currentRect ? [source.currentRect.y, source.currentRect.height] : null});
            }
        }).observe({type: "layout-shift", buffered: true});
        window.scrollTo(0, document.body.scrollHeight);
        const images = Array.from(document.images).map(image => image.decode().catch(() => null));
        Promise.all(images).then(() => requestAnimationFrame(() => requestAnimationFrame(() => {
            const paint = performance.getEntriesByName("first-contentful-paint")[0];
            const cover = document.querySelector(".product-media img");
            done({fcp: paint ? paint.startTime : null, cls: shift, moved: moved, cover: cover ? cover.currentSrc : null,
                  coverWidth: cover ? cover.naturalWidth : 0});
        })));
    """)


class Shop:
    """A copy of the example shop, built, and served with the checkout on a free port."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="browser-shop-")
        self.site = os.path.join(self.root, "site")
        os.makedirs(self.site)
        for part in ["site.yaml", "catalog.txt", "content", "assets", "files", "templates", "static"]:
            source = os.path.join(ARGS.repo, part)
            if os.path.isdir(source):
                shutil.copytree(source, os.path.join(self.site, part))
            elif os.path.exists(source):
                shutil.copy(source, self.site)
        self.public = os.path.join(self.root, "public")
        self.mail = os.path.join(self.root, "mail")
        subprocess.run([os.path.join(ARGS.bin, "sitegen"), "build", "--site", self.site, "--out", self.public], check=True)
        self.process, match = start(
            [os.path.join(ARGS.bin, "checkout"), "serve", "--port", "0", "--site", self.site, "--public", self.public,
             "--db", os.path.join(self.root, "checkout.sqlite"), "--mail-dir", self.mail],
            r"127\.0\.0\.1:(\d+)")
        self.base = "http://127.0.0.1:" + match.group(1)
        # A member of staff for the console journey (the database exists once the service runs).
        subprocess.run([os.path.join(ARGS.bin, "checkout"), "admin", "staff", "add", "staff@shop.example", "--role", "support",
                        "--db", os.path.join(self.root, "checkout.sqlite")], check=True, stdout=subprocess.DEVNULL)

    def post(self, path, body):
        """A JSON POST to the checkout; the decoded answer."""
        request = urllib.request.Request(self.base + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=20) as response:
            return json.load(response)

    def emails(self, to):
        """The emails sent to an address, oldest first."""
        found = []
        if not os.path.isdir(self.mail):
            return found
        for name in os.listdir(self.mail):
            path = os.path.join(self.mail, name)
            with open(path, "rb") as handle:
                message = email.message_from_bytes(handle.read())
            if message["To"] == to:
                found.append((os.path.getmtime(path), message))
        return [message for _, message in sorted(found, key=lambda pair: pair[0])]

    def link_in_email(self, to, subject_part, path_part):
        """Waits (polling the mail folder, bounded) for an email and returns its first link containing path_part."""
        deadline = time.time() + WAIT
        while time.time() < deadline:
            for message in reversed(self.emails(to)):
                if subject_part in message["Subject"]:
                    body = message.get_payload(decode=True).decode()
                    links = [word for word in body.split() if path_part in word]
                    if links:
                        return links[0]
            time.sleep(0.1)
        raise AssertionError(f"no email '{subject_part}' to {to} in {self.mail}")

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)


class Journeys(unittest.TestCase):
    shop = None
    timings = {}

    @classmethod
    def setUpClass(cls):
        cls.shop = Shop()
        os.makedirs(ARGS.artifacts, exist_ok=True)

    @classmethod
    def tearDownClass(cls):
        cls.shop.close()
        with open(os.path.join(ARGS.artifacts, "timings.json"), "w") as handle:
            json.dump(cls.timings, handle, indent=2, sort_keys=True)

    def setUp(self):
        self.driver = browser()
        self.step = 0

    def tearDown(self):
        self.driver.quit()

    def snap(self, name, driver=None):
        self.step += 1
        (driver or self.driver).save_screenshot(os.path.join(ARGS.artifacts, f"{self._testMethodName}-{self.step:02d}-{name}.png"))

    def wait(self, condition, driver=None):
        return WebDriverWait(driver or self.driver, WAIT).until(condition)

    def text(self, selector):
        return self.driver.find_element(By.CSS_SELECTOR, selector).text

    def add_to_cart(self, variant=None):
        if variant:
            self.driver.find_element(By.CSS_SELECTOR, f"input[name=sku][value='{variant}']").click()
        self.driver.find_element(By.CSS_SELECTOR, "form[data-add-to-cart] button[type=submit]").click()
        self.wait(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "form[data-add-to-cart] [data-form-status]"), "Added to your cart"))

    def test_1_buy_two_printables_with_a_coupon_and_download(self):
        driver, shop = self.driver, self.shop
        driver.get(shop.base + "/")
        self.snap("home")
        driver.find_element(By.LINK_TEXT, "Shop").click()
        driver.get(shop.base + "/shop/kids-bible/")
        self.snap("niche")
        driver.find_element(By.CSS_SELECTOR, "a.card-link[href='/products/noahs-ark-coloring-pages/']").click()
        self.wait(EC.url_contains("/products/noahs-ark-coloring-pages/"))
        self.snap("product")
        self.add_to_cart(variant="KB-NOAH-COLORING-A4")
        self.snap("added")
        driver.get(shop.base + "/products/homeschool-digital-planner/")
        self.add_to_cart()
        self.wait(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-cart-count]"), "2"))
        driver.refresh()
        self.wait(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-cart-count]"), "2"))
        driver.find_element(By.CSS_SELECTOR, "a.cart-link").click()
        self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, ".cart-table")))
        rows = driver.find_elements(By.CSS_SELECTOR, ".cart-table tbody tr")
        self.assertEqual(len(rows), 2)
        self.snap("cart")
        driver.find_element(By.ID, "coupon-code").send_keys("WELCOME10")
        driver.find_element(By.CSS_SELECTOR, "form[data-coupon-form] button").click()
        self.wait(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".cart-table tfoot"), "Discount (WELCOME10)"))
        self.snap("coupon")
        driver.find_element(By.ID, "checkout-email").send_keys("shopper@example.com")
        driver.find_element(By.CSS_SELECTOR, "form[data-checkout-form] button").click()
        self.wait(EC.url_contains("/test-pay/"))
        self.assertIn("Noah", driver.page_source)
        self.snap("payment-page")
        driver.find_element(By.CSS_SELECTOR, "button.pay").click()
        self.wait(EC.url_contains("/thank-you/"))
        link = self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, ".downloads a")))
        self.snap("thank-you")
        status, headers, body = fetch(link.get_attribute("href"))
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "application/pdf")
        self.assertTrue(body.startswith(b"%PDF"))
        receipt = shop.link_in_email("shopper@example.com", "Your Mustard Seed Printables order", "/downloads/")
        self.assertEqual(fetch(receipt)[0], 200)

    def test_2_join_a_membership_and_sign_in_by_the_emailed_link(self):
        driver, shop = self.driver, self.shop
        driver.get(shop.base + "/plans/")
        self.snap("plans")
        driver.find_element(By.ID, "plan-email-homeschool-helper").send_keys("member@example.com")
        driver.find_element(By.CSS_SELECTOR, "#plan-homeschool-helper button[type=submit]").click()
        self.wait(EC.url_contains("/test-pay/"))
        self.snap("payment-page")
        driver.find_element(By.CSS_SELECTOR, "button.pay").click()
        self.wait(EC.url_contains("/thank-you/"))
        self.wait(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-order-view]"), "membership is active"))
        self.snap("thank-you")
        driver.get(shop.base + "/account/")
        driver.find_element(By.ID, "login-email").send_keys("member@example.com")
        driver.find_element(By.CSS_SELECTOR, "form[data-login-form] button").click()
        self.wait(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "form[data-login-form] [data-form-status]"), "Check your inbox"))
        self.snap("sign-in-requested")
        driver.get(shop.link_in_email("member@example.com", "sign-in link", "/account/login/"))
        self.wait(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-account-view]"), "Signed in as member@example.com"))
        account = self.text("[data-account-view]")
        for title in ["Homeschool Digital Planner", "Homeschool Annual Planner"]:
            self.assertIn(title, account)
        self.assertIn("Homeschool Helper", account)
        self.snap("account")
        href = driver.find_element(By.CSS_SELECTOR, ".downloads a").get_attribute("href")
        self.assertEqual(fetch(href)[0], 200)

    def test_6_a_sale_a_seat_tier_a_named_price_and_a_sold_out_print(self):
        driver, shop = self.driver, self.shop
        driver.get(shop.base + "/products/easter-story-coloring-book/")
        self.assertEqual(self.text(".product-buy .price del.regular-price"), "$4.99")
        self.assertEqual(self.text(".product-buy .price .sale-price"), "$3.49")
        self.snap("sale")
        driver.get(shop.base + "/products/co-op-bible-curriculum-classroom-licence/")
        self.assertEqual([row.text for row in driver.find_elements(By.CSS_SELECTOR, "table.tiers tbody tr")],
                         ["1–4 $19.00", "5–19 $15.00", "20+ $12.00"])
        self.snap("tier-table")
        quantity = driver.find_element(By.CSS_SELECTOR, "form[data-add-to-cart] input[name=quantity]")
        quantity.clear()
        quantity.send_keys("5")
        self.add_to_cart()
        driver.get(shop.base + "/products/thirty-days-of-gratitude/")
        amount = driver.find_element(By.CSS_SELECTOR, "form[data-add-to-cart] input[name=amount]")
        self.assertEqual(amount.get_attribute("min"), "2.00")
        amount.clear()
        amount.send_keys("7.50")
        self.snap("named-price")
        self.add_to_cart()
        driver.get(shop.base + "/cart/")
        self.wait(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".cart-table"), "$7.50"))
        table = self.text(".cart-table")
        self.assertIn("$75.00", table)
        self.assertIn("$19.00 $15.00 each", table)
        self.snap("cart-with-tier-and-named-price")
        driver.get(shop.base + "/products/founders-edition-psalm-23-print/")
        self.assertIn("Sold out.", self.text(".product-buy .notice"))
        self.assertEqual(driver.find_elements(By.CSS_SELECTOR, "form[data-add-to-cart]"), [])
        self.snap("sold-out")

    def test_7_a_licence_key_on_the_thank_you_page(self):
        driver, shop = self.driver, self.shop
        driver.get(shop.base + "/products/scripture-memory-app-family-licence/")
        self.assertIn("Licence key and download at once", self.text(".product-buy .meta"))
        self.add_to_cart()
        driver.get(shop.base + "/cart/")
        self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, ".cart-table")))
        driver.find_element(By.ID, "checkout-email").send_keys("licence@example.com")
        driver.find_element(By.CSS_SELECTOR, "form[data-checkout-form] button").click()
        self.wait(EC.url_contains("/test-pay/"))
        driver.find_element(By.CSS_SELECTOR, "button.pay").click()
        self.wait(EC.url_contains("/thank-you/"))
        self.wait(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-order-view]"), "licence key: MSP-"))
        key = self.text("[data-order-view] code")
        self.assertRegex(key, r"^MSP-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")
        self.snap("licence-key")
        receipt = shop.link_in_email("licence@example.com", "Your Mustard Seed Printables order", "/downloads/")
        self.assertTrue(receipt)

    def test_8_staff_sign_in_find_an_order_refund_one_line_and_the_dashboard(self):
        driver, shop = self.driver, self.shop
        cart = shop.post("/api/carts", {"lines": [{"sku": "HS-DIGITAL-PLANNER", "quantity": 1}, {"sku": "KB-NOAH-COLORING-A4", "quantity": 1}]})
        order = shop.post("/api/checkout", {"cart_id": cart["id"], "email": "console@example.com"})
        payment = urllib.parse.urlsplit(order["payment_url"]).path
        urllib.request.urlopen(urllib.request.Request(shop.base + payment + "/pay", data=b"", method="POST"), timeout=20).read()
        # The customer signs in and has the planner.
        driver.get(shop.base + "/account/")
        driver.find_element(By.ID, "login-email").send_keys("console@example.com")
        driver.find_element(By.CSS_SELECTOR, "form[data-login-form] button").click()
        self.wait(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "form[data-login-form] [data-form-status]"), "Check your inbox"))
        driver.get(shop.link_in_email("console@example.com", "sign-in link", "/account/login/"))
        self.wait(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-account-view]"), "Homeschool Digital Planner"))
        self.snap("customer-account-before")

        # Staff sign in by emailed link.
        driver.get(shop.base + "/admin/orders")
        self.wait(EC.url_contains("/admin/login"))
        driver.find_element(By.ID, "email").send_keys("staff@shop.example")
        driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        self.wait(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "main"), "a sign-in link is on its way"))
        self.snap("staff-sign-in")
        driver.get(shop.link_in_email("staff@shop.example", "console", "/admin/login/"))
        self.wait(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "main h1"), "Dashboard"))
        panels = driver.find_elements(By.CSS_SELECTOR, "main section.card")
        self.assertEqual(len(panels), 10)
        self.assertIn("Revenue per day", driver.find_element(By.CSS_SELECTOR, "#revenue").text)
        driver.set_window_size(1280, 2600)
        self.snap("dashboard")
        driver.set_window_size(1280, 1000)

        # Find the order by the customer's address and refund the planner's line.
        driver.find_element(By.LINK_TEXT, "Orders").click()
        driver.find_element(By.NAME, "email").send_keys("console@example.com")
        driver.find_element(By.CSS_SELECTOR, "form[role=search] button").click()
        # The search is a GET: wait for its page, or the unfiltered list's link (the same order) goes
        # stale under the click (seen once under the suite's load).
        self.wait(EC.url_contains("email="))
        driver.find_element(By.LINK_TEXT, order["order_id"]).click()
        self.wait(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "main h1"), order["order_id"]))
        self.snap("order")
        row = driver.find_element(By.XPATH, "//tr[td[contains(., 'Homeschool Digital Planner')]]")
        row.find_element(By.NAME, "reason").send_keys("Bought by mistake")
        row.find_element(By.CSS_SELECTOR, "button.danger").click()
        self.wait(EC.alert_is_present()).accept()
        self.wait(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "access to that product has ended"))
        self.assertIn("refunded", driver.find_element(By.XPATH, "//tr[td[contains(., 'Homeschool Digital Planner')]]").text)
        self.snap("refunded-line")

        # The customer's access to that product ended; the other line's stays.
        driver.get(shop.base + "/account/")
        self.wait(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-account-view]"), "Signed in as console@example.com"))
        downloads = " ".join(element.text for element in driver.find_elements(By.CSS_SELECTOR, ".downloads"))
        self.assertNotIn("Homeschool Digital Planner", downloads)
        self.assertIn("Noah", downloads)
        self.snap("customer-account-after")
        driver.get(shop.base + "/admin/audit")
        self.assertIn("order.refund", self.text("main table"))
        self.assertIn("Bought by mistake", self.text("main table"))
        self.snap("audit-log")

    def test_9_the_product_page_paint_is_recorded_and_nothing_shifts(self):
        """First contentful paint and cumulative layout shift of a product page, from Chromium's
        Performance API, after scrolling to the bottom and every image having loaded."""
        metrics = product_page_metrics(self.driver, self.shop.base + "/products/noahs-ark-coloring-pages/")
        self.snap("product-bottom")
        Journeys.timings["product_page_first_contentful_paint_ms"] = metrics["fcp"]
        Journeys.timings["product_page_cumulative_layout_shift"] = metrics["cls"]
        if metrics["moved"]:
            Journeys.timings["product_page_layout_shift_sources"] = metrics["moved"]
        # Recorded, not timed here: under the suite's load on 2 cores it ranged 0.3-1.4 s. The < 1 s
        # goal is measured on a quiet machine by `bench/run --page` (bench/PAGE.md).
        self.assertGreater(metrics["fcp"] or 0, 0, "Chromium reported a first contentful paint")
        # Issue 17's goal: 0. Under load the first paint can come before the page is parsed whole; the
        # page then grows past the window and the scrollbar's arrival moved everything 7.5 px sideways
        # (0.0004-0.007), until style.css kept the scrollbar's room (`scrollbar-gutter: stable`).
        self.assertEqual(metrics["cls"], 0, f"cumulative layout shift {metrics['cls']}: {metrics['moved']}")
        # The cover is a <picture>: Chromium takes a WebP copy sized for the 520 px box, not the original.
        self.assertRegex(metrics["cover"] or "", r"/assets/images/products/noahs-ark-coloring-pages\.[0-9a-f]{10}-\d+w\.webp$")
        self.assertLessEqual(metrics["coverWidth"], 1600)

    def test_3_get_a_free_printable_by_confirming_the_email(self):
        driver, shop = self.driver, self.shop
        driver.get(shop.base + "/free/scripture-memory-cards/")
        self.snap("landing-page")
        driver.find_element(By.ID, "lead-email-scripture-memory-cards").send_keys("lead@example.com")
        driver.find_element(By.CSS_SELECTOR, "form[data-lead-form] button").click()
        self.wait(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "form[data-lead-form] [data-form-status]"), "confirm your address"))
        self.snap("confirmation-sent")
        confirm = shop.link_in_email("lead@example.com", "Confirm your email", "/leads/confirm/")
        status, headers, _ = fetch(confirm, follow=False)
        self.assertEqual(status, 302)
        download = headers["Location"]
        self.assertIn("/downloads/", download)
        status, headers, body = fetch(download)
        self.assertEqual(status, 200)
        self.assertIn("scripture-memory-cards.pdf", headers["Content-Disposition"])
        self.assertTrue(body.startswith(b"%PDF"))

    def test_4_add_to_cart_and_check_out_with_javascript_off(self):
        driver, shop = browser(javascript=False), self.shop
        try:
            driver.get(shop.base + "/products/homeschool-digital-planner/")
            self.snap("product", driver)
            driver.find_element(By.CSS_SELECTOR, "form[data-add-to-cart] button[type=submit]").click()
            self.wait(EC.url_contains("#added"), driver)
            self.assertTrue(driver.find_element(By.ID, "added").is_displayed())
            self.snap("added", driver)
            self.assertIsNotNone(driver.get_cookie("checkout_cart"))
            driver.get(shop.base + "/cart/")
            self.snap("cart", driver)
            driver.find_element(By.ID, "checkout-email").send_keys("nojs@example.com")
            driver.find_element(By.CSS_SELECTOR, "form[data-checkout-form] button").click()
            self.wait(EC.url_contains("/test-pay/"), driver)
            self.assertIn("Homeschool Digital Planner", driver.page_source)
            driver.find_element(By.CSS_SELECTOR, "button.pay").click()
            self.wait(EC.url_contains("/thank-you/"), driver)
            self.snap("thank-you", driver)
            self.assertIn("receipt", driver.find_element(By.CSS_SELECTOR, "[data-order-view]").text)
        finally:
            driver.quit()

    def test_5_the_live_preview_picks_up_an_edit(self):
        site = os.path.join(self.shop.root, "preview")
        shutil.copytree(self.shop.site, site)
        process, match = start([os.path.join(ARGS.bin, "sitegen"), "serve", "--site", site, "--port", "0"], r"127\.0\.0\.1:(\d+)/")
        try:
            base = "http://127.0.0.1:" + match.group(1)
            self.driver.get(base + "/products/noahs-ark-coloring-pages/")
            # The first build may finish after the page was asked for; the preview reloads it when done.
            self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, ".product-description")))
            self.snap("before")
            page = os.path.join(site, "content", "products", "noahs-ark-coloring-pages.md")
            with open(page) as handle:
                text = handle.read()
            edited = time.time()
            with open(page, "w") as handle:
                handle.write(text.replace("Few Bible stories", "Freshly edited Bible stories"))
            self.wait(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".product-description"), "Freshly edited Bible stories"))
            Journeys.timings["preview_edit_to_page_seconds"] = round(time.time() - edited, 3)
            self.snap("after")
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--artifacts", required=True)
    parser.add_argument("--repo", default=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    ARGS, rest = parser.parse_known_args()
    result = unittest.main(argv=[sys.argv[0]] + rest, exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
