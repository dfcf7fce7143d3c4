-- GET one of the prepared carts (ids in carts.txt), round robin.
local carts = {}
for line in io.lines(os.getenv("BENCH_DIR") .. "/carts.txt") do carts[#carts + 1] = line end
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/api/carts/" .. carts[(counter % #carts) + 1])
end
