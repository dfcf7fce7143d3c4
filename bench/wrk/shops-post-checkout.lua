-- POST /api/checkout for one of the prepared carts of many shops (shop-carts.txt), each with its
-- shop's Host header: each request makes a durable order in that shop.
local carts = {}
for line in io.lines(os.getenv("BENCH_DIR") .. "/" .. (os.getenv("BENCH_CARTS") or "shop-carts.txt")) do
  local host, cart = line:match("([^\t]+)\t(.+)")
  carts[#carts + 1] = { host = host, cart = cart }
end
local counter = 0
request = function()
  counter = counter + 1
  local pick = carts[(counter % #carts) + 1]
  local body = '{"cart_id":"' .. pick.cart .. '","email":"bench' .. (counter % 1000) .. '@example.com"}'
  return wrk.format("POST", "/api/checkout", { Host = pick.host, ["Content-Type"] = "application/json" }, body)
end
