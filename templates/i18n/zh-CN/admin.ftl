# admin pages (zh-CN). Keys start with `adm-`: all areas share one bundle.

## Password reset (/reset/{token})
adm-reset-title = 设置新密码
adm-reset-lead = 为以下账号设置新密码：
adm-reset-password = 新密码
adm-reset-password-hint = 至少 8 位。设置后，该账号在所有设备上的登录都会退出。
adm-reset-submit = 保存新密码
adm-reset-once = 此链接只能使用一次，24 小时内有效。
adm-reset-unusable = 此链接无法使用
adm-reset-used = 此链接已经用过：密码已重新设置过。请用新密码登录。
adm-reset-expired = 此链接已过期（有效期 24 小时）。
adm-reset-invalid = 链接不完整或已被改动。请从邮件中完整复制链接。
adm-reset-help = 需要新的链接？请在登录页联系服务中心，或请协调员在“账号管理”中重新发送重设密码链接。
adm-reset-to-login = 前往登录
adm-reset-done = 新密码已保存，请用新密码登录。

## Shared
adm-all = 全部
adm-none = 未填写
adm-choose = 请选择
adm-filter = 筛选
adm-clear = 清除筛选
adm-search = 搜索

## Organisations (/app/organizations)
adm-org-title = 机构管理
adm-org-lead = 企业注册后需经服务中心审核，审核通过后才能发布岗位。待审核的企业排在最前。
adm-org-new = 新建机构
adm-org-new-lead = 新建的企业需要审核后才能发布岗位；学校直接生效。
adm-org-create = 创建机构
adm-org-created = 机构已创建。
adm-org-filter-label = 按审核状态或类型筛选
adm-org-tab-pending = 待审核
adm-org-tab-all = 全部
adm-org-tab-companies = 企业
adm-org-tab-schools = 学校
adm-org-tab-rejected = 未通过
adm-org-search = 按名称搜索
adm-org-count = 共 { $count } 个机构
adm-org-empty = 没有符合条件的机构。
adm-org-empty-pending = 审核队列已清空：没有等待审核的企业。
adm-org-registered-on = 登记于 { $when }
adm-org-reverify-on = 复核日期 { $when }
adm-org-review = 去审核
adm-org-kind = 机构类型
adm-org-name = 名称
adm-org-credit-code = 统一社会信用代码
adm-org-credit-code-hint = 企业必填，18 位，系统会核对校验位。
adm-org-contact = 联系人
adm-org-email = 联系邮箱
adm-org-email-hint = 审核结果会发送到这个邮箱。
adm-org-phone = 联系电话
adm-org-district = 区县
adm-org-address = 地址
adm-org-registered = 登记时间
adm-org-reverify = 下次复核日期
adm-org-accounts = 账号（{ $count }）
adm-org-no-accounts = 该机构还没有账号。
adm-org-manage-accounts = 管理账号
adm-org-audit = 查看该机构的审计日志

## Vetting form
adm-vet-title = 审核
adm-vet-lead = 勾选已核实的内容，选择审核结果。不通过时必须填写原因，原因会通过邮件告知企业。
adm-vet-checks = 已核实的内容
adm-vet-decision = 审核结果
adm-vet-reason = 原因或备注
adm-vet-reason-hint = 不通过时必填，请写明企业需要补充或更正什么。
adm-vet-reverify = 下次复核日期
adm-vet-reverify-hint = 留空则为通过之日起一年。
adm-vet-submit = 保存审核结果
adm-vet-decided-at = 最近审核：{ $when }
adm-vet-approved = 已通过审核，已邮件通知该企业。
adm-vet-rejected = 已标记为不通过，原因已邮件通知该企业；其公开岗位已关闭。
adm-vet-saved = 已保存。

## Users (/app/users)
adm-users-title = 账号管理
adm-users-lead = 为机构创建账号，停用离职人员的账号（立即退出所有设备），或发送重设密码链接。
adm-users-count = 共 { $count } 个账号
adm-users-empty = 没有账号。
adm-user-new = 新建账号
adm-user-email = 登录邮箱
adm-user-password = 初始密码
adm-user-password-hint = 至少 8 位。请通过安全渠道告知对方，或创建后发送重设密码链接。
adm-user-role = 角色
adm-user-role-hint = 角色须与机构类型一致：企业账号属于企业，学校账号属于学校。
adm-user-organization = 所属机构
adm-user-create = 创建账号
adm-user-created = 账号已创建。
adm-user-disabled = 已停用
adm-user-disable = 停用
adm-user-enable = 重新启用
adm-user-send-reset = 发送重设密码链接
adm-user-disabled-done = 账号已停用，其所有登录已失效。
adm-user-enabled-done = 账号已重新启用。
adm-user-reset-sent = 重设密码链接已发送到该账号的邮箱，24 小时内有效。

## Audit log (/app/audit)
adm-audit-title = 审计日志
adm-audit-lead = 谁在何时做了什么：登录和登录失败、查看毕业生联系方式或身份证号、导出、审核决定和各项修改。
adm-audit-invalid = 筛选条件有误（例如日期格式），已显示全部记录。
adm-audit-organization = 机构
adm-audit-user-id = 用户编号
adm-audit-action = 操作
adm-audit-entity = 对象
adm-audit-from = 起始日期
adm-audit-to = 截止日期
adm-audit-at = 时间（北京时间）
adm-audit-who = 操作人
adm-audit-detail = 说明
adm-audit-count = 共 { $count } 条记录
adm-audit-empty = 没有符合条件的记录。
adm-audit-system = 系统
adm-action-sign-in = 登录
adm-action-sign-in-failed = 登录失败
adm-action-read-contact = 查看联系方式
adm-action-reveal-id-number = 查看身份证号
adm-action-approve = 审核通过
adm-action-reject = 审核不通过
adm-action-return-to-review = 退回待审核
adm-action-create = 创建
adm-action-update = 修改
adm-action-delete = 删除
adm-action-disable = 停用账号
adm-action-enable = 启用账号
adm-action-password = 修改密码
adm-action-password-reset = 通过链接重设密码
adm-action-password-reset-requested = 发送重设密码链接

## Dashboard
adm-dash-queue = 待审核企业：{ $count } 家
adm-dash-organizations = 机构管理
adm-dash-users = 账号管理
adm-dash-audit = 审计日志
