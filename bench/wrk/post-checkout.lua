-- POST /api/checkout for one of the prepared (non-empty) carts: each request makes a durable order.
local carts = {}
for line in io.lines(os.getenv("BENCH_DIR") .. "/carts.txt") do carts[#carts + 1] = line end
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  counter = counter + 1
  local body = '{"cart_id":"' .. carts[(counter % #carts) + 1] .. '","email":"bench' .. (counter % 1000) .. '@example.com"}'
  return wrk.format(nil, "/api/checkout", nil, body)
end
