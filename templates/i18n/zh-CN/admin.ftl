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
