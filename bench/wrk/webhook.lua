-- POST pre-signed Stripe-format events (webhooks.txt: signature TAB body per line), each a new event id.
-- The events are split between the rounds (BENCH_ROUND of BENCH_ROUNDS) and each round's share between
-- the two wrk threads, so no event is sent twice.
local events = {}
for line in io.lines(os.getenv("BENCH_DIR") .. "/webhooks.txt") do
  local tab = line:find("\t")
  events[#events + 1] = { line:sub(1, tab - 1), line:sub(tab + 1) }
end
local rounds = tonumber(os.getenv("BENCH_ROUNDS") or "1")
local share = math.floor(#events / rounds)
local next_offset = share * tonumber(os.getenv("BENCH_ROUND") or "0")
local counter = 0
start_at = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
setup = function(thread)
  thread:set("start_at", next_offset)
  next_offset = next_offset + math.floor(share / 2)
end
request = function()
  counter = counter + 1
  local event = events[((start_at + counter) % #events) + 1]
  return wrk.format(nil, "/webhooks/stripe", { ["Stripe-Signature"] = event[1] }, event[2])
end
