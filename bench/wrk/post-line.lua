-- POST a line (a random SKU from skus.txt, quantity 1) to one of the carts prepared for it (line-carts.txt), round robin.
local carts, skus = {}, {}
for line in io.lines(os.getenv("BENCH_DIR") .. "/line-carts.txt") do carts[#carts + 1] = line end
for line in io.lines(os.getenv("BENCH_DIR") .. "/skus.txt") do skus[#skus + 1] = line end
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  counter = counter + 1
  local body = '{"sku":"' .. skus[math.random(#skus)] .. '","quantity":1}'
  return wrk.format(nil, "/api/carts/" .. carts[(counter % #carts) + 1] .. "/lines", nil, body)
end
