-- The distinct-query load of issue 14 as filed: a term from 20 common ones and a random
-- salary floor, anonymous postings search.
--   wrk -t2 -c16 -d20s --latency -s bench/search_issue.lua http://127.0.0.1:PORT
-- The floor is drawn from 1,000–900,000 CNY a month as the issue's own script drew it; most
-- of those lie above every posting's salary, so most pages are empty. With
-- XIAOQI_BENCH_FLOOR_LOW=3000 XIAOQI_BENCH_FLOOR_HIGH=9000 the floors lie where salaries
-- are and most searches match thousands of postings (bench/search.sh runs both).
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local common = require("search_common")
common.seed_each_thread(1)
local low = tonumber(os.getenv("XIAOQI_BENCH_FLOOR_LOW") or "1000")
local high = tonumber(os.getenv("XIAOQI_BENCH_FLOOR_HIGH") or "900000")

request = function()
  return wrk.format("GET", "/api/v1/postings?q=" .. common.encode(common.pick(common.posting_terms))
    .. "&salary_min=" .. math.random(low, high))
end
