# 毕业生个人页面（/me/{token}）、学校的推荐同意页面，以及企业看到的同意用途。

## 个人页面
me-title = 我的个人页面
me-heading = { $name }同学的个人页面
me-lead = 本页面由{ $school }为您开通：您可以查看学校登记的您的信息和求职进展，决定是否同意向园区企业推荐，并下载我们保存的关于您的全部数据。
me-link-note = 此链接有效期至 { $date }，是您专属的钥匙，请勿转发给他人。链接过期后请联系学校老师重新发送。
me-jump-label = 本页内容
me-consent-heading = 推荐同意
me-consent-explain = 同意后，园区企业可以在搜索和双选匹配中看到您的专业、学历、技能和求职意向，但看不到您的联系方式和身份证号。您可以随时撤回：撤回后企业将立即无法再搜索到您，此后的匹配轮次也不再包含您；已经发布的匹配结果仍会保留。
me-withdraw = 撤回同意
me-withdraw-hint = 撤回后，企业将看不到您的信息。以后您可以在本页重新同意。
me-give = 同意向园区企业推荐
me-give-hint = 点击即表示您已阅读上面的用途说明（版本 { $version }）并同意。您可以随时撤回。
me-history-heading = 同意记录（共 { $count } 条）
me-record-heading = 我的信息
me-record-hint = 以上信息由学校登记。如有错误，请联系学校老师修改。身份证号只显示部分数字，完整号码可在下载的数据中查看。
me-choices-heading = 我的志愿
me-choices-empty = 还没有登记志愿。请与学校老师沟通您想去的岗位。
me-choice-rank = 第 { $rank } 志愿
me-choices-hint = 志愿由学校老师代为登记和调整。
me-results-heading = 匹配结果
me-results-empty = 暂时没有已发布的匹配结果。
me-results-published = 发布于 { $at }
me-results-placed = 匹配到：{ $posting }
me-results-unplaced = 本轮未匹配到岗位。
me-download-heading = 下载我的数据
me-download-lead = 根据《个人信息保护法》，您有权查阅我们保存的关于您的全部个人信息。下载的文件（JSON 格式）包含完整的个人记录（含完整身份证号）、全部同意记录、志愿、入选企业名单的次数、匹配结果、发给您的邮件以及对您信息的操作记录。每次下载都会被记录。
me-download = 下载我的全部数据（JSON）
me-none = 未填写

me-field-name = 姓名
me-field-school = 学校
me-field-student-no = 学号
me-field-class = 班级
me-field-gender = 性别
me-field-birth-date = 出生日期
me-field-id-number = 身份证号
me-field-major = 专业
me-field-education = 学历
me-field-graduation-year = 毕业年份
me-field-phone = 手机
me-field-email = 邮箱
me-field-status = 求职状态
me-field-expected-salary = 期望薪资
me-field-available-from = 可到岗日期
me-field-locations = 意向地区
me-field-skills = 技能
me-field-certificates = 证书
me-field-summary = 个人简介

## 同意状态与记录（个人页面和学校页面共用）
me-consent-state-given = 已同意推荐
me-consent-state-withdrawn = 已撤回同意
me-consent-state-never = 尚未同意
me-consent-since = { $at } 起
me-consent-purpose = 用途
me-consent-version = 说明版本
me-history-empty = 还没有任何同意记录。
me-history-at = 时间
me-history-answer = 答复
me-history-method = 方式
me-history-by = 记录人
me-history-given = 同意
me-history-withdrawn = 撤回
me-history-by-graduate = 本人
me-history-by-unknown = （账号已删除）

## 链接问题
me-link-invalid-title = 链接无效
me-link-invalid-body = 该链接不完整或已被改动。请使用学校发给您的完整链接。
me-link-expired-title = 链接已过期
me-link-expired-body = 为保护您的信息，个人页面链接有时效。请联系学校老师重新发送新链接。
me-link-gone-title = 记录已不存在
me-link-gone-body = 该链接对应的个人记录已被删除或与其他记录合并。如有疑问，请联系学校老师。
me-link-help = 个人页面链接由学校老师发送，无需注册或登录。

## 学校的推荐同意页面
me-cp-title = 推荐同意
me-cp-crumbs = 位置
me-cp-roster = 毕业生名单
me-cp-heading = { $name } · 推荐同意
me-cp-now-heading = 当前状态
me-cp-record-heading = 登记学生的答复
me-cp-record-hint-same = 请先向学生说明上面的用途（版本 { $version }），学生答复后再登记。
me-cp-record-hint = 请先向学生说明用途（版本 { $version }）：{ $purpose }。学生答复后再登记。
me-cp-record-given = 登记：学生同意
me-cp-record-withdrawn = 登记：学生撤回同意
me-cp-link-heading = 学生个人页面链接
me-cp-link-lead = 把这个链接发给学生（例如通过微信），学生无需登录即可查看自己的信息、撤回或重新同意推荐，并下载全部个人数据。
me-cp-link-label = 个人链接（有效期至 { $date }）
me-cp-link-copy = 复制链接
me-cp-link-copied = 已复制
me-cp-link-hint = 链接相当于学生的钥匙，请只发给学生本人。
me-cp-link-send = 发送到学生邮箱 { $email }
me-cp-link-no-email = 该学生没有登记邮箱，请复制链接另行发送。

me-flash-consent-given = 已登记：学生同意向园区企业推荐。
me-flash-consent-withdrawn = 已登记：学生撤回同意，企业将不再看到该学生。
me-flash-consent-unchanged = 答复与最近一次记录相同，未重复登记。
me-flash-own-consent-given = 已记录您的同意。您可以随时在本页撤回。
me-flash-own-consent-withdrawn = 已撤回您的同意，企业将不再看到您的信息。
me-flash-links-sent = 已将 { $n1 } 名学生的个人链接加入邮件发送队列。{ $n2 ->
    [0] {""}
   *[other] { $n2 } 名学生没有登记邮箱，请复制链接另行发送。
}{ $n3 ->
    [0] {""}
   *[other] { $n3 } 名学生今天已发送过，未重复发送。
}
me-links-none-ticked = 请先勾选要发送个人链接的学生。
me-links-refused-title = 未发送个人链接
me-links-back = 返回

## 企业看到的同意用途
me-purpose-line = 同意用途：{ $purpose }
