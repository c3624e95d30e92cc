-- What the bench/search_*.lua load generators share: the 20 common words of each kind of
-- search, the URL encoder, and a different random sequence per wrk thread (each thread
-- seeded alike would send the same searches, and the page cache would answer the copies).
-- Each generator loads it with:
--   package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
--   local common = require("search_common")
local M = {}

-- Listing search: 宿舍 and 五险一金 match most postings.
M.posting_terms = {"操作工", "数控", "电工证", "仓管", "电子信息", "焊工", "宿舍", "技术员", "质检", "叉车",
  "工程师", "肇庆新区", "机电一体化", "设备维修", "五险一金", "两班倒", "物流", "半导体", "缝纫", "电镀"}

-- Graduate search: majors, skills and certificates.
M.graduate_terms = {"电子信息", "机电一体化", "数控", "电工证", "PLC", "焊接", "会计", "物流", "计算机", "护理",
  "汽车", "模具", "低压电工证", "设备维修", "工业机器人", "CAD", "电子商务", "SMT", "钳工", "吃苦耐劳"}

function M.encode(s)
  return (s:gsub("[^%w]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function M.pick(list)
  return list[math.random(#list)]
end

-- Defines wrk's setup and init so that every thread draws its own sequence.
function M.seed_each_thread(salt)
  local counter = 0
  setup = function(thread)
    counter = counter + 1
    thread:set("seed", counter)
  end
  init = function(args)
    math.randomseed(os.time() * 1000 + (seed or 0) * 7919 + (salt or 0))
  end
end

-- The bearer token of the coordinator the authenticated generators search as.
function M.bearer()
  return {["Authorization"] = "Bearer " .. (os.getenv("XIAOQI_BENCH_TOKEN") or "")}
end

return M
