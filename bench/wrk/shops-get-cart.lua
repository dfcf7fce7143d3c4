-- GET one of the prepared carts of many shops (lines "HOST<tab>CART" in shop-carts.txt), round
-- robin, each with its shop's Host header.
local carts = {}
for line in io.lines(os.getenv("BENCH_DIR") .. "/" .. (os.getenv("BENCH_CARTS") or "shop-carts.txt")) do
  local host, cart = line:match("([^\t]+)\t(.+)")
  carts[#carts + 1] = { host = host, cart = cart }
end
local counter = 0
request = function()
  counter = counter + 1
  local pick = carts[(counter % #carts) + 1]
  return wrk.format("GET", "/api/carts/" .. pick.cart, { Host = pick.host })
end
