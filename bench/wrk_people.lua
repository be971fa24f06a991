-- People reading the portal: each request is the next of a list of (path, session cookie) lines read from
-- the file given after "--", and with a third and fourth argument each connection pauses that many
-- milliseconds (a random number between them) before its next page, as a person reading would.
-- Prints wrk's figures as one JSON line (bench/load.py reads it); latencies in microseconds.
local requests = {}
local counter = 0
local pause_min, pause_max = 0, 0

init = function(args)
  for line in io.lines(args[1]) do
    local path, cookie = line:match("([^\t]+)\t(.+)")
    table.insert(requests, wrk.format("GET", path, {["Cookie"] = cookie}))
  end
  pause_min, pause_max = tonumber(args[2] or "0"), tonumber(args[3] or "0")
  math.randomseed(os.time())
  counter = math.random(#requests)
end

request = function()
  counter = counter % #requests + 1
  return requests[counter]
end

delay = function()
  if pause_max > 0 then return math.random(pause_min, pause_max) end
  return 0
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests": %d, "duration_us": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, ' ..
    '"status_errors": %d, "timeouts": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean))
end
