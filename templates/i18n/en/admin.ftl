# admin pages (en). Keys start with `adm-`: all areas share one bundle.

## Password reset (/reset/{token})
adm-reset-title = Set a new password
adm-reset-lead = A new password for the account
adm-reset-password = New password
adm-reset-password-hint = At least 8 characters. Saving it signs the account out everywhere.
adm-reset-submit = Save the new password
adm-reset-once = This link works once, within 24 hours.
adm-reset-unusable = This link cannot be used
adm-reset-used = This link was already used: the password has been set again since. Sign in with the new password.
adm-reset-expired = This link has expired (it works for 24 hours).
adm-reset-invalid = The link is incomplete or was altered. Copy the whole link from the e-mail.
adm-reset-help = Need a new link? Contact the service centre, or ask a coordinator to send one again from the accounts page.
adm-reset-to-login = Go to sign in
adm-reset-done = Your new password is saved: sign in with it.
