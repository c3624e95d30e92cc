-- wrk: every request a search nobody asked before, as schools and the public send them:
-- one of 20 common words (宿舍 and 五险一金 match most postings), a random salary floor,
-- and now and then another page, sort, category or benefit; facets on a quarter of first pages.
--   wrk -t2 -c16 -d20s --latency -s bench/search_postings.lua http://127.0.0.1:PORT
local terms = {"操作工", "数控", "电工证", "仓管", "电子信息", "焊工", "宿舍", "技术员", "质检", "叉车",
  "工程师", "肇庆新区", "机电一体化", "设备维修", "五险一金", "两班倒", "物流", "半导体", "缝纫", "电镀"}
local categories = {"operator", "technician", "engineer", "logistics", "quality", "maintenance"}
local benefits = {"dormitory", "meals", "shuttle", "social_insurance", "overtime_pay", "training"}
local sorts = {"newest", "salary"}

local function encode(s)
  return (s:gsub("[^%w]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + (seed or 0))
end

function request()
  local path = "/api/v1/postings?q=" .. encode(terms[math.random(#terms)])
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
