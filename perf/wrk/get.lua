-- GET one URL, with "Authorization: Token <LOAD_API_TOKEN>" when that is set.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "common.lua")

local token = os.getenv("LOAD_API_TOKEN")
if token and token ~= "" then
   wrk.headers["Authorization"] = "Token " .. token
end
wrk.headers["Accept"] = "application/json"
