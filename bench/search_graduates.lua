-- wrk: graduate search as a coordinator (bearer token in XIAOQI_BENCH_TOKEN), every request
-- distinct: one of 20 common words of majors, skills and certificates, a random expected
-- salary order or year, now and then another page, level or status; facets on a quarter
-- of first pages.
--   XIAOQI_BENCH_TOKEN=… wrk -t2 -c16 -d20s --latency -s bench/search_graduates.lua http://127.0.0.1:PORT
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local common = require("search_common")
common.seed_each_thread(7)
local educations = {"secondary_vocational", "technical_school", "associate", "bachelor"}
local statuses = {"seeking", "placed"}
local sorts = {"newest", "salary"}
local headers = common.bearer()

function request()
  local path = "/api/v1/graduates?q=" .. common.encode(common.pick(common.graduate_terms))
  if math.random() < 0.5 then
    path = path .. "&graduation_year=" .. math.random(2024, 2027)
  end
  local page = 1
  if math.random() < 0.3 then page = math.random(2, 5) end
  if page > 1 then path = path .. "&page=" .. page end
  path = path .. "&per_page=" .. math.random(10, 30)
  if math.random() < 0.2 then path = path .. "&sort=" .. sorts[math.random(#sorts)] end
  if math.random() < 0.2 then path = path .. "&education=" .. educations[math.random(#educations)] end
  if math.random() < 0.15 then path = path .. "&status=" .. statuses[math.random(#statuses)] end
  if page == 1 and math.random() < 0.25 then path = path .. "&facets=true" end
  return wrk.format("GET", path, headers)
end
