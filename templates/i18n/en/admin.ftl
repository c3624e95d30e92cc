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

## Shared
adm-all = All
adm-none = Not given
adm-choose = Choose…
adm-filter = Filter
adm-clear = Clear filters
adm-search = Search

## Organisations (/app/organizations)
adm-org-title = Organisations
adm-org-lead = Companies are reviewed by the service centre before they can publish postings. Those awaiting review come first.
adm-org-new = New organisation
adm-org-new-lead = A new company must be approved before it can publish postings; a school works at once.
adm-org-create = Create the organisation
adm-org-created = The organisation is created.
adm-org-filter-label = Filter by review status or kind
adm-org-tab-pending = Awaiting review
adm-org-tab-all = All
adm-org-tab-companies = Companies
adm-org-tab-schools = Schools
adm-org-tab-rejected = Rejected
adm-org-search = Search by name
adm-org-count = { $count } organisations
adm-org-empty = No organisation matches.
adm-org-empty-pending = The queue is empty: no company awaits review.
adm-org-registered-on = registered { $when }
adm-org-reverify-on = review again { $when }
adm-org-review = Review
adm-org-kind = Kind
adm-org-name = Name
adm-org-credit-code = Unified social credit code
adm-org-credit-code-hint = Required for companies: 18 characters; the check character is verified.
adm-org-contact = Contact person
adm-org-email = Contact e-mail
adm-org-email-hint = Review decisions are sent to this address.
adm-org-phone = Contact phone
adm-org-district = District
adm-org-address = Address
adm-org-registered = Registered
adm-org-reverify = Review again on
adm-org-accounts = Accounts ({ $count })
adm-org-no-accounts = This organisation has no accounts yet.
adm-org-manage-accounts = Manage accounts
adm-org-audit = Its audit log

## Vetting form
adm-vet-title = Review
adm-vet-lead = Tick what you checked and choose the decision. A rejection needs a reason, which is e-mailed to the company.
adm-vet-checks = Checked
adm-vet-decision = Decision
adm-vet-reason = Reason or note
adm-vet-reason-hint = Required to reject: say what the company must add or correct.
adm-vet-reverify = Review again on
adm-vet-reverify-hint = Leave empty for one year after approval.
adm-vet-submit = Save the decision
adm-vet-decided-at = Last decided { $when }
adm-vet-approved = Approved; the company has been e-mailed.
adm-vet-rejected = Rejected; the reason has been e-mailed and its public postings closed.
adm-vet-saved = Saved.

## Users (/app/users)
adm-users-title = Accounts
adm-users-lead = Create accounts for organisations, disable those of people who left (signed out everywhere at once), or send a password-reset link.
adm-users-count = { $count } accounts
adm-users-empty = No accounts.
adm-user-new = New account
adm-user-email = Sign-in e-mail
adm-user-password = First password
adm-user-password-hint = At least 8 characters. Pass it on safely, or send a reset link once created.
adm-user-role = Role
adm-user-role-hint = The role must fit the organisation: company accounts belong to companies, school accounts to schools.
adm-user-organization = Organisation
adm-user-create = Create the account
adm-user-created = The account is created.
adm-user-disabled = Disabled
adm-user-disable = Disable
adm-user-enable = Enable again
adm-user-send-reset = Send a password-reset link
adm-user-disabled-done = The account is disabled and signed out everywhere.
adm-user-enabled-done = The account is enabled again.
adm-user-reset-sent = A reset link was e-mailed to the account; it works for 24 hours.

## Audit log (/app/audit)
adm-audit-title = Audit log
adm-audit-lead = Who did what, when: sign-ins and failed ones, reads of graduates' contact details or ID numbers, exports, review decisions and every change.
adm-audit-invalid = The filter could not be read (a date's format, say): the whole log is shown.
adm-audit-organization = Organisation
adm-audit-user-id = User id
adm-audit-action = Action
adm-audit-entity = Entity
adm-audit-from = From
adm-audit-to = To
adm-audit-at = When (Beijing time)
adm-audit-who = Who
adm-audit-detail = Detail
adm-audit-count = { $count } entries
adm-audit-empty = No entry matches.
adm-audit-system = System
adm-action-sign-in = Signed in
adm-action-sign-in-failed = Sign-in failed
adm-action-read-contact = Read contact details
adm-action-reveal-id-number = Revealed an ID number
adm-action-approve = Approved
adm-action-reject = Rejected
adm-action-return-to-review = Returned to review
adm-action-create = Created
adm-action-update = Changed
adm-action-delete = Deleted
adm-action-disable = Disabled an account
adm-action-enable = Enabled an account
adm-action-password = Changed a password
adm-action-password-reset = Reset a password by link
adm-action-password-reset-requested = Sent a password-reset link

## Dashboard
adm-dash-queue = Companies awaiting review: { $count }
adm-dash-organizations = Organisations
adm-dash-users = Accounts
adm-dash-audit = Audit log
