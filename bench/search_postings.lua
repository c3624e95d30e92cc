-- wrk: every request a search nobody asked before, as schools and the public send them:
-- one of 20 common words (宿舍 and 五险一金 match most postings), a random salary floor,
-- and now and then another page, sort, category or benefit; facets on a quarter of first pages.
--   wrk -t2 -c16 -d20s --latency -s bench/search_postings.lua http://127.0.0.1:PORT
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local common = require("search_common")
common.seed_each_thread(0)
local categories = {"operator", "technician", "engineer", "logistics", "quality", "maintenance"}
local benefits = {"dormitory", "meals", "shuttle", "social_insurance", "overtime_pay", "training"}
local sorts = {"newest", "salary"}

function request()
  local path = "/api/v1/postings?q=" .. common.encode(common.pick(common.posting_terms))
    .. "&salary_min=" .. math.random(0, 9000)
  local page = 1
  if math.random() < 0.3 then page = math.random(2, 5) end
  if page > 1 then path = path .. "&page=" .. page end
  if math.random() < 0.2 then path = path .. "&sort=" .. sorts[math.random(#sorts)] end
  if math.random() < 0.15 then path = path .. "&category=" .. categories[math.random(#categories)] end
  if math.random() < 0.15 then path = path .. "&benefit=" .. benefits[math.random(#benefits)] end
  if page == 1 and math.random() < 0.25 then path = path .. "&facets=true" end
  return wrk.format("GET", path)
end
