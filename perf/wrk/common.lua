-- Shared by perf/wrk/*.lua (perf/api_load_benchmark.py runs them): count 2xx and
-- non-2xx responses per thread and print one RESULT line of JSON at the end.
--
-- Every request looks as if it came through the TLS proxy production runs behind
-- (X-Forwarded-Proto: https), so the production settings serve it instead of
-- redirecting to HTTPS.

wrk.headers["X-Forwarded-Proto"] = "https"

threads = {}  -- global: the scripts that load this file read it in done()
local next_id = 0

function setup(thread)
   thread:set("id", next_id)
   next_id = next_id + 1
   table.insert(threads, thread)
end

ok = 0
failed = 0
statuses = {}

function count(status)
   if status >= 200 and status < 300 then
      ok = ok + 1
      return true
   end
   failed = failed + 1
   statuses[status] = (statuses[status] or 0) + 1
   return false
end

function response(status, headers, body)
   count(status)
end

-- extra(threads) may add fields to the RESULT line (a string starting with ",").
function report(summary, latency, extra)
   local ok_total, failed_total, by_status = 0, 0, {}
   for _, thread in ipairs(threads) do
      ok_total = ok_total + thread:get("ok")
      failed_total = failed_total + thread:get("failed")
      for status, n in pairs(thread:get("statuses")) do
         by_status[status] = (by_status[status] or 0) + n
      end
   end
   local parts = {}
   for status, n in pairs(by_status) do
      table.insert(parts, string.format('"%d": %d', status, n))
   end
   local e = summary.errors
   io.write(string.format(
      'RESULT {"requests": %d, "duration_us": %d, "ok": %d, "non_2xx": %d, ' ..
      '"statuses": {%s}, "connect": %d, "read": %d, "write": %d, "timeout": %d, ' ..
      '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d%s}\n',
      summary.requests, summary.duration, ok_total, failed_total, table.concat(parts, ", "),
      e.connect, e.read, e.write, e.timeout,
      latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
      extra and extra(threads) or ""))
end

function done(summary, latency, requests)
   report(summary, latency)
end
