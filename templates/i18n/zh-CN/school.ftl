# school pages (zh-CN). Keys start with `sc-`: all areas share one bundle.

sc-flash-graduate-created = 已添加毕业生。
sc-flash-graduate-saved = 修改已保存。
sc-flash-graduate-erased = 已删除该毕业生的全部个人信息。
sc-flash-choices-added = 已加入志愿。
sc-flash-choices-already = 该岗位已在志愿中。
sc-flash-choices-moved = 已调整志愿顺序。
sc-flash-choices-removed = 已移出志愿。
sc-flash-choices-dropped-closed = 已保存。已停止招聘的岗位已从志愿中移除。

## Dashboard
sc-dash-total = 名单人数
sc-dash-consenting = 同意推荐
sc-dash-open-roster = 查看名单（{ $count } 人）
sc-dash-next-import = 名单还是空的。先把毕业生名单导入进来（Excel 或 CSV），也可以逐个添加。
sc-dash-next-invitations = 有 { $count } 个招聘活动邀请本校参加，尚未报名。
sc-dash-next-invitations-button = 查看邀请并报名
sc-dash-next-choices = 有 { $count } 名求职中的毕业生还没有填报志愿。
sc-dash-next-choices-button = 查看未填报志愿的毕业生
sc-dash-next-consent = 有 { $count } 名毕业生还没有同意向企业推荐，企业看不到他们，他们也不参加匹配。
sc-dash-next-consent-button = 查看未同意推荐的毕业生
sc-dash-next-roster = 名单、志愿和推荐同意都已就绪。可以随时查看名单或调整志愿。
sc-dash-rounds-empty = 暂无本校毕业生参加的已发布匹配结果。
sc-dash-round-placed = 本校 { $count } 人参加，{ $placed } 人匹配成功

## Roster
sc-roster-title = 毕业生名单
sc-roster-import = 导入名单
sc-roster-new = 新增毕业生
sc-roster-filters = 筛选名单
sc-roster-q = 搜索
sc-roster-q-placeholder = 姓名、学号、专业或班级
sc-roster-search = 搜索
sc-roster-any = 全部
sc-roster-any-school = 全部学校
sc-roster-apply = 筛选
sc-roster-clear = 清除筛选条件
sc-roster-choices = 志愿
sc-roster-consent-col = 推荐同意
sc-registration-teacher = { $name }（{ $phone }）
sc-roster-choices-yes = 已填报
sc-roster-choices-no = 未填报
sc-roster-choices-count = 志愿数
sc-roster-choices-of = （{ $name }的志愿）
sc-roster-page = 页码
sc-roster-year = 届别
sc-roster-count = 共 { $count } 名毕业生
sc-roster-count-filtered = 符合条件的毕业生 { $count } 名
sc-roster-empty = 名单还是空的。可以从 Excel 或 CSV 导入整个名单，也可以逐个添加。
sc-roster-empty-filtered = 没有符合这些条件的毕业生。
sc-roster-send-links = 给选中的毕业生发送个人链接
sc-roster-export = 导出 Excel
sc-roster-bulk-hint = 勾选毕业生后发送个人链接（通过邮件）；“导出 Excel”导出当前筛选条件下的全部毕业生（含完整身份证号，导出会记录在操作日志中）。
sc-roster-select = 选择
sc-roster-select-who = 选择{ $name }

## Fields
sc-field-school = 学校
sc-field-name = 姓名
sc-field-student-no = 学号
sc-field-student-no-hint = 本校唯一；再次导入名单时按学号更新
sc-field-class = 班级
sc-field-class-hint = 例如：机电一体化2301班
sc-field-gender = 性别
sc-field-id-number = 身份证号
sc-field-id-number-hint = 18 位，会核对校验码、出生日期和性别；页面上只显示部分号码
sc-field-id-number-edit-hint = 只显示部分号码。保持不变即保留原号码；改为新号码会重新核对；清空则删除。
sc-field-birth-date = 出生日期
sc-field-major = 专业
sc-field-major-hint = 例如：机电一体化技术
sc-field-education = 学历
sc-field-graduation-year = 毕业年份
sc-field-graduation-year-hint = 例如：2026（即 2026 届）
sc-field-status = 状态
sc-field-skills = 技能
sc-field-list-hint = 多项用逗号或顿号分开，例如：PLC编程、CAD制图
sc-field-certificates = 证书
sc-field-certificates-hint = 例如：电工证、数控车工中级
sc-field-locations = 意向工作地点
sc-field-locations-hint = 多个用逗号分开；不填表示都可以
sc-field-expected-salary = 期望月薪（元）
sc-field-expected-salary-hint = 税前，每月
sc-field-available-from = 可到岗日期
sc-field-phone = 手机
sc-field-email = 邮箱
sc-field-summary = 个人简介
sc-field-summary-hint = 获奖、实习经历、特长等，企业会看到这一段
sc-field-consent = 推荐同意
sc-field-consent-given = 本人已同意向企业推荐（企业看不到联系方式和身份证号）
sc-field-consent-hint = 请确认毕业生本人已同意（例如签过纸质同意书）。之后可在“推荐同意”页面修改，每次修改都会留下记录。

## Form
sc-new-title = 新增毕业生
sc-edit-title = 修改{ $name }的信息
sc-form-lead = 带 * 的为必填项。联系方式和身份证号只有本校和服务中心能看到。
sc-form-not-given = 未填
sc-form-section-person = 个人信息
sc-form-section-study = 学业
sc-form-section-wishes = 求职意向
sc-form-section-contact = 联系方式与简介
sc-form-contact-hint = 只有本校和服务中心能看到联系方式。
sc-form-consent-elsewhere = 是否同意推荐在“推荐同意”页面修改，以便留下记录。
sc-form-save = 保存

## A graduate
sc-graduate-edit = 修改信息
sc-graduate-choices-button = 填报志愿
sc-graduate-record = 基本信息
sc-graduate-anywhere = 不限
sc-graduate-updated = 最后修改：{ $when }
sc-id-reveal = 显示完整身份证号
sc-id-reveal-hint = 每次查看都会记入操作日志。
sc-id-revealed = 已显示完整身份证号，本次查看已记入操作日志。
sc-consent-yes = 已同意推荐
sc-consent-no = 未同意推荐
sc-consent-yes-means = 企业可以在搜索和匹配中看到该毕业生（看不到联系方式和身份证号）。
sc-consent-no-means = 企业看不到该毕业生，也不会把他（她）纳入匹配。
sc-consent-manage = 查看同意记录、修改
sc-suggestions-heading = 推荐岗位
sc-suggestions-hint = 按匹配度从高到低排列，“相符”表示该项符合毕业生的条件和意向。
sc-suggestions-empty = 暂时没有符合该毕业生学历的招聘中岗位。
sc-suggestions-more = 搜索更多岗位
sc-erase-heading = 删除毕业生
sc-erase-lead = 毕业生要求删除个人信息，或名单中有误时使用。删除后无法恢复。
sc-erase-button = 删除该毕业生…

## Erase
sc-erase-title = 删除{ $name }？
sc-erase-what = 将永久删除：
sc-erase-record = 个人信息（姓名、学号、身份证号、联系方式、简介等）
sc-erase-choices = 已填报的 { $count } 个志愿，以及企业候选名单中的记录
sc-erase-consent = 推荐同意的记录
sc-erase-rounds = 已完成的匹配轮次只保留编号，不再显示姓名。
sc-erase-final = 删除后无法恢复。
sc-erase-confirm = 确认删除

## Choices
sc-choices-title = 填报志愿
sc-choices-page-heading = { $name }的志愿
sc-choices-heading = 已填志愿
sc-choices-empty = 还没有填报志愿。
sc-choices-empty-hint = 还没有填报志愿。在推荐岗位或搜索结果中点“加入志愿”。
sc-choices-hint = 第 1 志愿最优先，匹配时按此顺序考虑。用箭头调整顺序。
sc-choices-jump = 跳到添加志愿
sc-choices-add-heading = 添加志愿
sc-choices-rank = 第 { $rank } 志愿：
sc-choices-on = 已是第 { $rank } 志愿
sc-choices-add = 加入志愿
sc-choices-add-what = ：{ $title }
sc-choices-up-what = 将“{ $title }”上移
sc-choices-down-what = 将“{ $title }”下移
sc-choices-remove = 移出志愿
sc-choices-remove-what = 将“{ $title }”移出志愿
sc-choices-closed = 已停止招聘
sc-choices-closed-hint = 下次调整志愿时会自动移除。
sc-choices-gone = （该岗位已关闭或删除）
sc-choices-back = ← 返回{ $name }的信息
sc-choices-search-label = 按岗位名称、企业或关键词搜索招聘中的岗位
sc-choices-search-placeholder = 例如：数控、仓管、奥士康
sc-choices-show-suggestions = 不搜索，显示推荐岗位
sc-choices-found = 找到 { $count } 个岗位
sc-choices-none-found = 没有找到招聘中的相关岗位，换个关键词试试。
sc-choices-full = 最多可以填报 { $max } 个志愿。请先移出一个，再加入新的。
sc-choices-full-hint = 志愿已满
sc-choices-full-notice = 已填满 { $max } 个志愿。要加入新的岗位，请先移出一个。
sc-choices-bad-form = 操作无效，请刷新页面后重试。
sc-choices-not-listed = 该岗位已不在志愿中，请刷新页面后重试。
sc-choices-not-open = 该岗位已停止招聘，不能加入志愿。

## A school's registration for an event (the matching pages)
sc-registration-party = 带队学生 { $count } 人，带队老师：{ $teacher }
sc-registration-graduates = 带队学生 { $count } 人
sc-registration-graduates-hint = 预计到场的毕业生人数（座位有限，按报名先后安排）

## A published round as a school reads it (the matching pages)
sc-round-summary = 本校 { $count } 名毕业生参加本轮，{ $placed } 人匹配成功。
sc-round-filter-label = 按结果筛选
sc-round-filter-all = 全部
sc-round-filter-placed = 匹配成功
sc-round-filter-unplaced = 未匹配
sc-round-none-in-filter = 没有这一类的毕业生。
sc-round-placed = 匹配成功
sc-round-unplaced = 未匹配
sc-round-name-erased = （已删除的毕业生）
