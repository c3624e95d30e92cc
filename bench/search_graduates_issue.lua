-- Issue 14's distinct-query load, for graduate search as a coordinator (bearer token in
-- XIAOQI_BENCH_TOKEN): a term from 20 common words of majors and skills, a random page size
-- (10–30, around the default 20) and, on half the requests, a random graduation year: the
-- issue's one random value per request, in the only numeric parameters graduate search has.
--   XIAOQI_BENCH_TOKEN=… wrk -t2 -c16 -d20s --latency -s bench/search_graduates_issue.lua http://127.0.0.1:PORT
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local common = require("search_common")
common.seed_each_thread(2)
local headers = common.bearer()

request = function()
  local path = "/api/v1/graduates?q=" .. common.encode(common.pick(common.graduate_terms))
    .. "&per_page=" .. math.random(10, 30)
  if math.random() < 0.5 then
    path = path .. "&graduation_year=" .. math.random(2024, 2027)
  end
  return wrk.format("GET", path, headers)
end
