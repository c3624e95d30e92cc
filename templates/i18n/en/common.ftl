# Shared by every page: the frame, sign-in, errors, forms.
site-name = xiaoqi
site-tagline = School–enterprise jobs
skip-to-content = Skip to content
nav-label = Main navigation
nav-search = Find jobs
nav-events = Job fairs
nav-dashboard = Dashboard
lang-switch = 中文
log-in = Sign in
log-out = Sign out
footer-text = xiaoqi · Enterprise Development Service Centre, Zhaoqing New District
form-has-errors = Please correct the fields marked below and submit again:
label-colon = { ": " }
pagination-label = Pages
pagination-prev = ‹ Previous
pagination-next = Next ›
results-count = { $count ->
    [one] 1 opening
   *[other] { $count } openings
}

login-title = Sign in
login-lead = HR staff, teachers and service-centre officers sign in with the account the service centre gave them.
login-email = E-mail
login-password = Password
login-submit = Sign in
login-wrong = The e-mail or password is not right. Please try again.
login-too-many = Too many attempts. Please wait a moment and try again.
login-help = Forgot your password or have no account? Contact the Enterprise Development Service Centre.

flash-signed-in = You are signed in.
flash-signed-out = You are signed out.
flash-saved = Saved.

error-sign-in = Sign in
error-home = Back to the start page
error-400-title = Bad request
error-400-body = What was sent could not be used. Go back, check it and try again.
error-401-title = Please sign in
error-401-body = This page is for signed-in users.
error-403-title = Not allowed
error-403-body = This account may not do this. To use another account, sign in again.
error-404-title = Page not found
error-404-body = There is no such page: the link may be wrong, or the opening has closed.
error-409-title = Conflict
error-409-body = The data changed or already exists. Reload the page and try again.
error-410-title = Link expired
error-410-body = This link has expired; use the most recent one.
error-429-title = Too many requests
error-429-body = Please wait a moment and try again.
error-500-title = Something went wrong
error-500-body = The server had a problem; it has been logged. Try again later, or contact the service centre if it persists.
error-503-title = Service unavailable
error-503-body = The system is starting or under maintenance. Please try again shortly.
error-search-busy-title = Search is busy
error-search-busy-body = Too many searches right now — please try again in a few seconds.
error-search-rate-title = Too many searches
error-search-rate-body = Too many searches from this network address — please try again in a few seconds. Signed-in users are not limited.
