# The public pages.

## Search (/)
pub-search-title = 找岗位
pub-search-title-for = “{ $q }”的岗位
pub-search-q-label = 搜索岗位
pub-search-q-placeholder = 岗位、企业或技能
pub-search-submit = 搜索
pub-search-category = 岗位类别
pub-search-any-category = 全部类别
pub-search-education = 我的学历
pub-search-any-education = 不限
pub-search-education-hint = 只显示学历要求不高于此的岗位
pub-search-location = 工作地点或园区
pub-search-salary-min = 月薪不低于（元）
pub-search-benefits = 福利待遇（须全部提供）
pub-search-sort = 排序
pub-search-apply = 按条件筛选
pub-search-active-filters = 已选条件：
pub-search-remove-filter = 去掉此条件
pub-search-clear-all = 清除全部条件
pub-search-empty = 没有符合条件的岗位。
pub-search-past-end = 这一页没有岗位了，请返回前面的页面。
pub-search-empty-drop = 可以试试去掉一个条件：
pub-search-drop-filter = 去掉“{ $filter }”
pub-facets-label = 按条件缩小范围
pub-facet-category = 岗位类别
pub-facet-education = 适合我的学历
pub-facet-benefit = 福利待遇
pub-facet-location = 工作地点
pub-chip-education = 学历：{ $level }及以下要求
pub-chip-salary = 月薪 ≥ ¥{ $amount }
pub-chip-words = 关键词：{ $q }
pub-chip-company = 仅此企业
pub-chip-project = 仅此项目

## A posting (/postings/{id})
pub-posting-back = ‹ 返回岗位搜索
pub-posting-pay = 薪资
pub-posting-pay-unstated = 薪资面议
pub-posting-place = 地点
pub-posting-project = 所属项目
pub-posting-park = 园区
pub-posting-location = 工作地点
pub-posting-category = 类别
pub-posting-education = 学历
pub-posting-education-min = { $level }及以上
pub-posting-headcount = 招聘人数
pub-posting-headcount-value = { $count } 人
pub-posting-starts = 到岗日期
pub-posting-closes-on = 截止日期
pub-posting-closes = { $date }截止
pub-posting-majors = 专业要求
pub-posting-benefits = 福利待遇
pub-posting-description = 岗位描述

## Events (/events)
pub-events-title = 招聘活动
pub-events-lead = 近期的校企双选会、交流座谈会和进校宣讲。企业和学校报名请登录后在工作台办理。
pub-events-empty = 近期没有安排招聘活动，请稍后再来看看。
pub-events-count = 共 { $count } 场活动
pub-event-time = 时间
pub-event-venue = 地点
