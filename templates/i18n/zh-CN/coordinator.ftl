# coordinator pages (zh-CN). Keys start with `coo-`: all areas share one bundle.

flash-coo-merged = 已合并：保留的记录已更新，另一条记录已删除。
flash-coo-dismissed = 已标记为不是同一人。
flash-coo-already-resolved = 这组记录刚刚已被处理（合并或标记），请查看最新列表。

coo-nav-duplicates = 疑似重复的毕业生
coo-crumbs-label = 当前位置

# /app/duplicates
coo-dup-title = 疑似重复的毕业生
coo-dup-lead = 不同学校的名单中身份证号相同，或姓名和手机号都相同的毕业生，可能是同一个人。请核对后合并，或标记为不是同一人。
coo-dup-filter-label = 按处理状态筛选
coo-dup-count = 共 { $count } 组
coo-dup-found = 发现于 { $when }
coo-dup-empty-open = 目前没有待处理的疑似重复记录。学校新增或导入名单时，系统会自动比对。
coo-dup-empty-merged = 还没有合并过的记录。
coo-dup-empty-dismissed = 还没有标记为“不是同一人”的记录。
coo-compare-caption = 第 { $id } 组的两条记录对比
coo-left = 左侧记录
coo-right = 右侧记录
coo-kept = 已保留
coo-erased = 已删除
coo-same = （两条相同）
coo-will-keep = 将保留
coo-will-erase = 将删除
coo-same-reason = （两条相同，判断依据）
coo-dup-legend-reason = 黄色：判断为疑似重复的依据
coo-dup-legend-same = 灰色：两条记录其余相同的内容
coo-merge-keep-left = 合并（保留左侧）
coo-merge-keep-right = 合并（保留右侧）
coo-dismiss = 不是同一人
coo-outcome-merged-left = { $when } 已合并：保留左侧记录，右侧记录已删除。
coo-outcome-merged-right = { $when } 已合并：保留右侧记录，左侧记录已删除。
coo-outcome-dismissed = { $when } 已标记为不是同一人。

coo-field-school = 学校
coo-field-name = 姓名
coo-field-student-no = 学号
coo-field-id-number = 身份证号
coo-field-phone = 手机
coo-field-email = 邮箱
coo-field-major = 专业
coo-field-education = 学历
coo-field-graduation-year = 毕业年份
coo-field-gender = 性别
coo-field-birth-date = 出生日期
coo-field-skills = 技能
coo-field-certificates = 证书
coo-field-locations = 意向地区
coo-field-salary = 期望月薪
coo-field-available = 可到岗日期
coo-field-status = 求职状态
coo-none = 未填写

# /app/duplicates/{id}/merge
coo-merge-title = 确认合并
coo-merge-summary-left = 将保留左侧记录（{ $kept }），删除右侧记录（{ $erased }）。
coo-merge-summary-right = 将保留右侧记录（{ $kept }），删除左侧记录（{ $erased }）。
coo-merge-result = 合并后的记录
coo-merge-result-hint = 保留的记录中空白的信息由另一条记录补全；学号和班级仍按保留记录所在学校。
coo-merge-filled = 由另一条补全
coo-merge-moves = 一并转入保留的记录
coo-moves-choices = 志愿：另一条记录的 { $count } 个志愿排在保留记录的志愿之后。
coo-moves-choices-none = 志愿：没有需要转入的志愿。
coo-moves-choices-dropped = 另有 { $count } 个志愿超出 30 个的上限，不会转入。
coo-moves-shortlists = 企业候选名单：{ $count } 个岗位的候选名单中，由保留的记录取代另一条（两条都在名单上时取较靠前的名次）。
coo-moves-shortlists-none = 企业候选名单：另一条记录不在任何候选名单上。
coo-moves-consent = 同意记录：{ $count } 条同意或撤回记录转入保留的记录，以最新的一条为准。
coo-moves-consent-none = 同意记录：另一条记录没有同意记录。
coo-merge-confirm-heading = 删除另一条记录
coo-merge-warning = 合并后，另一条记录会被删除，无法恢复。以前的匹配轮次只保留其编号。
coo-merge-confirm = 确认合并
coo-merge-cancel = 返回列表
