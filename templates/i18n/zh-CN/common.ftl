# Shared by every page: the frame, sign-in, errors, forms.
site-name = 校企
site-tagline = 园区校企招聘对接
skip-to-content = 跳到正文
nav-label = 主导航
nav-search = 找岗位
nav-events = 招聘活动
nav-dashboard = 工作台
lang-switch = English
log-in = 登录
log-out = 退出登录
footer-text = 校企 · 肇庆新区企业发展服务中心 · 校企双进双选
form-has-errors = 请修改下列标出的内容后重新提交：
results-count = 共 { $count } 个岗位

login-title = 登录
login-lead = 企业人事、学校老师和服务中心工作人员使用服务中心分配的账号登录。
login-email = 邮箱
login-password = 密码
login-submit = 登录
login-wrong = 邮箱或密码不正确，请重新输入。
login-too-many = 尝试次数过多，请稍后再试。
login-help = 忘记密码或没有账号？请联系企业发展服务中心。

flash-signed-in = 已登录。
flash-signed-out = 已退出登录。
flash-saved = 已保存。

error-sign-in = 登录
error-home = 返回首页
error-400-title = 请求有误
error-400-body = 提交的内容无法处理，请返回上一页检查后重试。
error-401-title = 请先登录
error-401-body = 此页面需要登录后查看。
error-403-title = 无权访问
error-403-body = 当前账号无权进行此操作。如需使用其他账号，请重新登录。
error-404-title = 页面不存在
error-404-body = 找不到该页面：链接可能有误，或岗位已关闭。
error-409-title = 操作冲突
error-409-body = 数据已被修改或已存在，请刷新页面后重试。
error-410-title = 链接已失效
error-410-body = 此链接已过期，请使用最新的链接。
error-429-title = 请求过于频繁
error-429-body = 请稍等片刻再试。
error-500-title = 系统出错了
error-500-body = 服务器出现问题，已记录。请稍后再试；如果一直出现，请联系服务中心。
error-503-title = 服务暂不可用
error-503-body = 系统正在维护或启动中，请稍后再试。
