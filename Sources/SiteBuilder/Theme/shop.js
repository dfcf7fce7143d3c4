// Storefront script: progressive enhancement of the static pages. Every form also works without it.
(function () {
  "use strict";
  var api = document.body.getAttribute("data-checkout") || "", CART = "checkout_cart";
  var $ = function (s, r) { return (r || document).querySelector(s); };
  var $$ = function (s, r) { return [].slice.call((r || document).querySelectorAll(s)); };
  var esc = function (t) { return String(t == null ? "" : t).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; }); };
  // Minor units per major unit of a currency (100 for USD, 1 for JPY), as Intl knows them.
  var scale = function (code) { return Math.pow(10, new Intl.NumberFormat("en", { style: "currency", currency: code }).resolvedOptions().maximumFractionDigits); };
  var money = function (m) { return new Intl.NumberFormat(document.documentElement.lang, { style: "currency", currency: m.currency }).format(m.amount / scale(m.currency)); };
  var enc = encodeURIComponent, q = new URLSearchParams(location.search);

  function call(method, path, body, headers) {
    var o = { method: method, credentials: "include", headers: headers || {} };
    if (body) { o.headers["Content-Type"] = "application/json"; o.body = JSON.stringify(body); }
    return fetch(api + path, o).then(function (r) {
      return r.text().then(function (t) {
        var d = t ? JSON.parse(t) : {};
        if (r.ok) return d;
        var e = new Error((d.error && d.error.message) || "Something went wrong, please try again.");
        e.status = r.status;
        throw e;
      });
    });
  }
  function say(form, html, bad) {
    var box = $("[data-form-status]", form);
    if (box) { box.innerHTML = html; box.classList.toggle("error", !!bad); }
  }
  // Wires a form to `send(form data) -> promise`; failures are shown in the form.
  function on(form, send) {
    if (form) form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var b = $("button", form);
      if (b) b.disabled = true;
      send(new FormData(form)).catch(function (e) { say(form, esc(e.message), true); }).then(function () { if (b) b.disabled = false; });
    });
  }

  // The cart id is kept in a cookie (shared with the plain-form flow) and in localStorage.
  function cartId() {
    var m = document.cookie.match(/(?:^|; )checkout_cart=([^;]+)/);
    return (m && decodeURIComponent(m[1])) || localStorage.getItem(CART);
  }
  function keep(id) {
    if (id) localStorage.setItem(CART, id); else localStorage.removeItem(CART);
    document.cookie = CART + "=" + enc(id || "") + "; path=/; samesite=lax; max-age=" + (id ? 2592000 : 0);
  }
  function loadCart() {
    var id = cartId();
    return id ? call("GET", "/api/carts/" + enc(id)).catch(function (e) { if (e.status == 404) keep(); return null; }) : Promise.resolve(null);
  }
  function count(cart) { $$("[data-cart-count]").forEach(function (b) { b.textContent = cart ? cart.item_count : 0; }); }

  $$("form[data-add-to-cart]").forEach(function (form) {
    on(form, function (d) {
      return loadCart().then(function (c) {
        return c || call("POST", "/api/carts", {}).then(function (n) { keep(n.id); return n; });
      }).then(function (c) {
        var line = { sku: d.get("sku"), quantity: +(d.get("quantity") || 1) }, named = form.querySelector("input[name=amount]");
        // A named price goes as minor units; the checkout checks it against the minimum.
        if (named) line.amount = Math.round(parseFloat(named.value) * scale(named.getAttribute("data-currency")));
        return call("POST", "/api/carts/" + enc(c.id) + "/lines", line);
      }).then(function (c) { count(c); say(form, 'Added to your cart. <a href="/cart/">View cart</a>'); });
    });
  });

  // Limited stock, live: what is left of the SKUs a badge names (the most of any of them).
  var badges = $$("[data-stock-sku]");
  if (badges.length) call("GET", "/api/stock").then(function (s) {
    var left = {};
    s.items.forEach(function (i) { left[i.sku] = i.available; });
    badges.forEach(function (b) {
      var n = Math.max.apply(null, b.getAttribute("data-stock-sku").split(" ").map(function (k) { return k in left ? left[k] : 1e9; }));
      if (n <= 10) b.textContent = n ? "Only " + n + " left" : "Sold out";
      var f = !n && b.closest(".product-buy") && $("form[data-add-to-cart] button");
      if (f) f.disabled = true;
    });
  });

  // The cart page.
  var view = $("[data-cart-view]"), cart = null;
  function show(c) {
    cart = c;
    count(c);
    var empty = !c || !c.lines.length;
    $$("[data-checkout-form],[data-coupon-form]").forEach(function (f) { f.hidden = empty; });
    if (empty) { view.innerHTML = '<p class="empty-cart">Your cart is empty. <a href="/shop/">Browse the shop</a>.</p>'; return; }
    var row = function (head, value, action) { return '<tr><th scope="row" colspan="2">' + head + '</th><td class="num">' + value + "</td><td>" + (action || "") + "</td></tr>"; };
    view.innerHTML = '<table class="cart-table"><thead><tr><th scope="col">Printable</th><th scope="col">Quantity</th><th scope="col" class="num">Price</th><td></td></tr></thead><tbody>' +
      c.lines.map(function (l) {
        var name = esc(l.title + (l.option ? " (" + l.option + ")" : ""));
        // A sale or a seat tier: the regular unit price struck through.
        var note = l.regular_unit_price ? '<br><small class="price-note"><del>' + money(l.regular_unit_price) + "</del> " + money(l.unit_price) + " each</small>" : "";
        return "<tr><td>" + name + note + '</td><td><input class="qty" type="number" min="1" max="100" value="' + l.quantity + '" data-line="' + esc(l.id) +
          '" aria-label="Quantity of ' + name + '"></td><td class="num">' + money(l.total) + '</td><td><button type="button" class="link-button" data-remove="' +
          esc(l.id) + '" aria-label="Remove ' + name + '">Remove</button></td></tr>';
      }).join("") + "</tbody><tfoot>" + row("Subtotal", money(c.subtotal)) +
      (c.member_discount ? row("Member price (" + esc(c.member_plan) + ")", "−" + money(c.member_discount)) : "") +
      (c.coupon ? row("Discount (" + esc(c.coupon) + ")", "−" + money(c.coupon_discount), '<button type="button" class="link-button" data-uncoupon>Remove</button>') : "") +
      row("Total", money(c.total)) + "</tfoot></table>" + (c.coupon_error ? '<p class="form-status error">' + esc(c.coupon_error.message) + "</p>" : "");
  }
  if (view) {
    var path = function () { return "/api/carts/" + enc(cart.id); };
    var change = function (p) { p.then(show).catch(function (e) { view.insertAdjacentHTML("beforeend", '<p class="form-status error">' + esc(e.message) + "</p>"); }); };
    view.addEventListener("change", function (ev) {
      var line = ev.target.getAttribute("data-line");
      if (line) change(call("PATCH", path() + "/lines/" + enc(line), { quantity: +ev.target.value }));
    });
    view.addEventListener("click", function (ev) {
      var r = ev.target.closest("[data-remove]");
      if (r) change(call("DELETE", path() + "/lines/" + enc(r.getAttribute("data-remove"))));
      if (ev.target.closest("[data-uncoupon]")) change(call("DELETE", path() + "/coupon"));
    });
    var coupon = $("[data-coupon-form]"), checkout = $("[data-checkout-form]"), key = Date.now().toString(36) + Math.random().toString(36).slice(2);
    on(coupon, function (d) { return call("POST", path() + "/coupon", { code: d.get("code") }).then(function (c) { show(c); say(coupon, "Coupon applied."); }); });
    on(checkout, function (d) {
      return call("POST", "/api/checkout", { cart_id: cart.id, email: d.get("email") }, { "Idempotency-Key": key })
        .then(function (o) { keep(); location.assign(o.payment_url); });
    });
    if (q.get("payment") == "declined") view.insertAdjacentHTML("beforebegin", '<p class="notice" role="alert">The payment was declined. Your cart is still here; try again.</p>');
    loadCart().then(show);
  } else {
    loadCart().then(count);
  }

  // Licence keys, and what is still on its way (deliveries other than files).
  var keys = function (ds) {
    return (ds || []).filter(function (x) { return x.method != "file"; }).map(function (x) {
      return "<li><strong>" + esc(x.title) + "</strong> " + (x.keys.length ? "licence key: <code>" + x.keys.map(esc).join("</code> <code>") + "</code>" : "") +
        " <span class=\"meta\">(" + esc(x.status) + ")</span></li>";
    }).join("");
  };
  var links = function (files) { return files.map(function (f) { return '<a href="' + esc(f.url) + '" download>' + esc(f.name) + "</a>"; }).join(" · "); };

  // The thank-you page: wait for the payment to be confirmed, then show the downloads.
  var order = $("[data-order-view]"), tries = 0;
  function poll() {
    call("GET", "/api/orders/" + enc(q.get("order")) + "?token=" + enc(q.get("token"))).then(function (o) {
      if (o.status == "pending" && tries++ < 30) { order.innerHTML = "<p>Confirming your payment…</p>"; return setTimeout(poll, 1000); }
      if (o.status != "paid" && o.status != "partially_refunded") { order.innerHTML = '<p class="notice">Your payment is ' + esc(o.status) + '. <a href="/cart/">Back to your cart</a></p>'; return; }
      var d = (o.downloads || []).map(function (i) { return "<li><strong>" + esc(i.title) + "</strong> " + links(i.files) + "</li>"; }).join("") + keys(o.deliveries);
      order.innerHTML = "<h2>Your downloads</h2>" + (d ? '<ul class="downloads">' + d + "</ul>" : '<p>Your membership is active: your printables are in your <a href="/account/">account</a>.</p>') +
        '<p class="meta">A receipt with these links is on its way to ' + esc(o.email) + ". Total " + money(o.total) + ".</p>";
    }).catch(function () { order.innerHTML = '<p class="notice">We could not find that order. Your receipt email has your download links.</p>'; });
  }
  if (order && q.get("order")) poll();

  // The account page.
  var account = $("[data-account-view]"), login = $("[data-login-form]");
  function refresh() {
    return call("GET", "/api/account").then(function (a) {
      login.hidden = true;
      var items = a.entitlements.map(function (i) { return "<li><strong>" + esc(i.title) + "</strong> " + links(i.files) + "</li>"; }).join("");
      var subs = a.subscriptions.map(function (s) {
        var act = s.status == "canceled" ? "" : s.cancel_at_period_end ? '<button type="button" data-resume="' + esc(s.id) + '">Resume</button>'
          : '<button type="button" class="button-quiet" data-cancel="' + esc(s.id) + '">Cancel at period end</button>';
        return "<li><strong>" + esc(s.plan_title) + "</strong>: " + esc(s.status.replace("_", " ")) + (s.cancel_at_period_end ? " (ends " : " (renews ") +
          esc(s.current_period_end.slice(0, 10)) + ") " + act + "</li>";
      }).join("");
      var orders = a.orders.map(function (o) { return "<li>" + esc(o.created_at.slice(0, 10)) + " · " + money(o.total) + " · " + esc(o.status.replace("_", " ")) + "<ul>" + keys(o.deliveries) + "</ul></li>"; }).join("");
      account.innerHTML = "<p>Signed in as <strong>" + esc(a.email) + '</strong>. <button type="button" class="link-button" data-logout>Sign out</button></p><h2>Your downloads</h2>' +
        (items ? '<ul class="downloads">' + items + "</ul>" : '<p>Nothing yet. <a href="/shop/">Browse the shop</a>.</p>') +
        (subs ? "<h2>Membership</h2><ul>" + subs + "</ul>" : "") + (orders ? "<h2>Orders</h2><ul>" + orders + "</ul>" : "");
    }).catch(function (e) { if (e.status != 401) account.innerHTML = '<p class="form-status error">' + esc(e.message) + "</p>"; });
  }
  if (account) {
    account.addEventListener("click", function (ev) {
      var c = ev.target.closest("[data-cancel]"), r = ev.target.closest("[data-resume]");
      if (c || r) call("POST", "/api/account/subscriptions/" + enc((c || r).getAttribute(c ? "data-cancel" : "data-resume")) + (c ? "/cancel" : "/resume"), {}).then(refresh);
      if (ev.target.closest("[data-logout]")) call("POST", "/api/account/logout", {}).then(function () { location.reload(); });
    });
    refresh();
  }
  on(login, function (d) {
    return call("POST", "/api/account/login", { email: d.get("email") }).then(function () {
      say(login, "Check your inbox: if this address has shopped with us, a sign-in link is on its way.");
    });
  });

  $$("form[data-lead-form]").forEach(function (form) {
    on(form, function (d) {
      return call("POST", "/api/leads", { email: d.get("email"), magnet: d.get("magnet") }).then(function () {
        say(form, "Almost there: open the email we just sent and confirm your address.");
        form.reset();
      });
    });
  });

  $$("form[data-plan-form]").forEach(function (form) {
    on(form, function (d) {
      return call("POST", "/api" + form.getAttribute("action").replace(api, ""), { email: d.get("email") })
        .then(function (o) { location.assign(o.payment_url); });
    });
  });

  // Search, in the browser, over the built index.
  var results = $("[data-search-results]"), words = (q.get("q") || "").toLowerCase().split(/\s+/).filter(Boolean);
  if (results && words.length) {
    $("#search-q").value = q.get("q");
    fetch("/search-index.json").then(function (r) { return r.json(); }).then(function (all) {
      var hits = all.filter(function (e) {
        var t = [e.title, e.summary, e.niche, (e.tags || []).join(" "), e.sku].join(" ").toLowerCase();
        return words.every(function (w) { return t.indexOf(w) >= 0; });
      }).slice(0, 50);
      results.innerHTML = '<p role="status">' + hits.length + " result" + (hits.length == 1 ? "" : "s") + "</p><ul>" + hits.map(function (e) {
        return '<li><a href="' + esc(e.url) + '">' + esc(e.title) + "</a> " + esc(e.price || "") + '<br><span class="meta">' + esc(e.summary) + "</span></li>";
      }).join("") + "</ul>";
    });
  }
})();
