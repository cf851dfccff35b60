-- Autosave writes: PUT /api/v1/respond/<token>/answers/<question>/, each
-- (respondent, question) pair of LOAD_PAIRS_FILE at most once.
--
-- LOAD_PAIRS_FILE has one pair a line: "<token> <question key> <level>"; LOAD_THREADS is
-- wrk's --threads. Thread t of T sends pairs t, t+T, t+2T... (0-based), so no two
-- requests share a pair. Each body's comment carries the pair's number and the
-- response echoes it back, so every 2xx is known by pair: at the end the numbers
-- acknowledged go to LOAD_ACKED_FILE, one a line, for the benchmark to look up in the
-- database. Running out of pairs sends requests to an unknown token (404s, counted as
-- errors) rather than writing a pair twice.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "common.lua")

wrk.method = "PUT"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"

local pairs_list = {}
local next_pair = nil
-- wrk calls init() as it creates each thread, before it knows how many there will be.
local threads_count = tonumber(os.getenv("LOAD_THREADS"))
acked = {}

function init(args)
   for line in io.lines(os.getenv("LOAD_PAIRS_FILE")) do
      local token, key, level = line:match("^(%S+) (%S+) (%d)$")
      table.insert(pairs_list, {token, key, level})
   end
   next_pair = id  -- 0-based pair number; id is set by setup()
end

function request()
   local n = next_pair
   next_pair = next_pair + threads_count
   local pair = pairs_list[n + 1]
   if pair == nil then
      return wrk.format(nil, "/api/v1/respond/out-of-pairs/answers/none/", nil, "{}")
   end
   local body = string.format('{"value": %s, "comment": "load pair %d"}', pair[3], n)
   return wrk.format(nil, "/api/v1/respond/" .. pair[1] .. "/answers/" .. pair[2] .. "/", nil, body)
end

function response(status, headers, body)
   if count(status) then
      local n = body:match('"comment":"load pair (%d+)"')
      if n then
         table.insert(acked, tonumber(n))
      else
         missing_echo = (missing_echo or 0) + 1
      end
   end
end

function done(summary, latency, requests)
   local out = assert(io.open(os.getenv("LOAD_ACKED_FILE"), "w"))
   local unechoed = 0
   for _, thread in ipairs(threads) do
      for _, n in ipairs(thread:get("acked")) do
         out:write(n, "\n")
      end
      unechoed = unechoed + (thread:get("missing_echo") or 0)
   end
   out:close()
   report(summary, latency, function()
      return string.format(', "unechoed": %d', unechoed)
   end)
end
