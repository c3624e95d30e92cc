-- The distinct-query load of issue 14 as filed: a term from 20 common ones and a random
-- salary floor, anonymous postings search.
--   wrk -t2 -c16 -d20s --latency -s bench/search_issue.lua http://127.0.0.1:PORT
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local common = require("search_common")
common.seed_each_thread(1)

request = function()
  return wrk.format("GET", "/api/v1/postings?q=" .. common.encode(common.pick(common.posting_terms))
    .. "&salary_min=" .. math.random(1000, 900000))
end
