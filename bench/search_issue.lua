-- The distinct-query load of issue 14 as filed: a term from 20 common ones and a random
-- salary floor, anonymous postings search. wrk -t2 -c16 -d20s --latency -s bench/search_issue.lua http://127.0.0.1:PORT
local words = {"操作工","数控","电工证","仓管","电子信息","焊工","宿舍","技术员","质检","叉车","工程师","肇庆新区","机电一体化","设备维修","五险一金","两班倒","物流","半导体","缝纫","电镀"}
local function encode(s) return (s:gsub("[^%w]", function(c) return string.format("%%%02X", string.byte(c)) end)) end
math.randomseed(os.time())
request = function()
  local w = words[math.random(#words)]
  return wrk.format("GET", "/api/v1/postings?q=" .. encode(w) .. "&salary_min=" .. math.random(1000, 900000))
end
