-- wrk script: replays the requests of the file $REQUESTS, one per line,
--   METHOD <TAB> PATH <TAB> HEADERS <TAB> BODY
-- where HEADERS is "Name: value" pairs joined by "|" (may be empty). Each thread starts at its own
-- offset and cycles through the file. The status classes are counted per thread and printed by
-- done() as one line "RESULT key=value ..." that scripts/load.sh parses.
-- With BACKOFF_MS set, a thread waits that long before its next request after a 429 or 503, as a
-- client honouring Retry-After would (scripts/login-storm.sh).
-- With PACE_MS set, a thread waits that long after every response: a latency probe that sends a
-- steady trickle of requests instead of taking as much CPU as the server will give it. wrk measures
-- latency from the request's sending, so the wait is not counted in it.

local lines = {}
local position = 1
local threads = {}
local counter = 0

c2, c3, c4, c5, cx = 0, 0, 0, 0, 0
local backoff = tonumber(os.getenv("BACKOFF_MS") or "0") or 0
local pace = tonumber(os.getenv("PACE_MS") or "0") or 0
local wait = 0

local function split(text, sep)
  local out, from = {}, 1
  while true do
    local at = string.find(text, sep, from, true)
    if not at then
      table.insert(out, string.sub(text, from))
      return out
    end
    table.insert(out, string.sub(text, from, at - 1))
    from = at + #sep
  end
end

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local path = os.getenv("REQUESTS")
  for line in io.lines(path) do
    local f = split(line, "\t")
    local headers = {}
    if f[3] ~= nil and f[3] ~= "" then
      for _, pair in ipairs(split(f[3], "|")) do
        local name, value = string.match(pair, "^([^:]+): ?(.*)$")
        headers[name] = value
      end
    end
    local body = f[4]
    if body == "" then body = nil end
    table.insert(lines, wrk.format(f[1], f[2], headers, body))
  end
  position = (id * math.floor(#lines / 16)) % #lines + 1
end

function request()
  local r = lines[position]
  position = position % #lines + 1
  return r
end

function delay()
  local w = wait
  wait = 0
  return w
end

function response(status, headers, body)
  if backoff > 0 and (status == 429 or status == 503) then wait = backoff end
  if pace > wait then wait = pace end
  if status >= 200 and status < 300 then c2 = c2 + 1
  elseif status < 400 then c3 = c3 + 1
  elseif status < 500 then c4 = c4 + 1
  elseif status < 600 then c5 = c5 + 1
  else cx = cx + 1 end
end

function done(summary, latency, requests)
  local t = { c2 = 0, c3 = 0, c4 = 0, c5 = 0, cx = 0 }
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + (thread:get(k) or 0) end
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.1f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
    "s2xx=%d s3xx=%d s4xx=%d s5xx=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, t.c2, t.c3, t.c4, t.c5 + t.cx,
    e.connect + e.read + e.write + e.timeout))
end
