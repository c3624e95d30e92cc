# The graduate's own page (/me/{token}), the school's consent page, and the consent
# purpose companies see.

## The graduate's page
me-title = My page
me-heading = { $name }'s personal page
me-lead = { $school } opened this page for you: see what your school recorded about you and how your job search stands, decide whether you agree to be recommended to companies in the zone, and download everything we hold about you.
me-link-note = This link works until { $date }. It is your key: please do not pass it on. When it has expired, ask your school to send a new one.
me-jump-label = On this page
me-consent-heading = Consent to be recommended
me-consent-explain = With your consent, companies in the zone can see your major, education, skills and wishes in searches and matching rounds, never your contact details or ID number. You can withdraw at any time: companies can no longer find you at once, and later matching rounds leave you out; results already published stay.
me-withdraw = Withdraw my consent
me-withdraw-hint = Companies will no longer see your information. You can consent again on this page later.
me-give = I agree to be recommended to companies
me-give-hint = By clicking you confirm that you read the purpose above (version { $version }) and agree. You can withdraw at any time.
me-history-heading = Consent records ({ $count })
me-record-heading = My information
me-record-hint = Your school recorded this information; if something is wrong, ask your teacher to correct it. Only part of the ID number is shown; the download holds it whole.
me-choices-heading = My ranked choices
me-choices-empty = No choices recorded yet. Talk to your teacher about the openings you want.
me-choice-rank = Choice { $rank }
me-choices-hint = Your teacher records and reorders your choices.
me-results-heading = Matching results
me-results-empty = No matching results have been published yet.
me-results-published = published { $at }
me-results-placed = Matched with: { $posting }
me-results-unplaced = Not matched with an opening in this round.
me-download-heading = Download my data
me-download-lead = Under China's Personal Information Protection Law you may see all personal information we hold about you. The download (JSON) holds your whole record (with the whole ID number), every consent record, your choices, how many shortlists you are on, matching results, the e-mails sent to you and the log of what was done with your information. Each download is logged.
me-download = Download all my data (JSON)
me-none = Not given

me-field-name = Name
me-field-school = School
me-field-student-no = Student number
me-field-class = Class
me-field-gender = Gender
me-field-birth-date = Date of birth
me-field-id-number = ID number
me-field-major = Major
me-field-education = Education
me-field-graduation-year = Graduation year
me-field-phone = Mobile
me-field-email = E-mail
me-field-status = Job search
me-field-expected-salary = Expected salary
me-field-available-from = Available from
me-field-locations = Preferred locations
me-field-skills = Skills
me-field-certificates = Certificates
me-field-summary = About me

## Consent state and records (the graduate's page and the school's)
me-consent-state-given = Consent given
me-consent-state-withdrawn = Consent withdrawn
me-consent-state-never = Not consented
me-consent-since = since { $at }
me-consent-purpose = Purpose
me-consent-version = Text version
me-history-empty = No consent recorded yet.
me-history-at = When
me-history-answer = Answer
me-history-method = How
me-history-by = Recorded by
me-history-given = Given
me-history-withdrawn = Withdrawn
me-history-by-graduate = The graduate
me-history-by-unknown = (account removed)

## Problems with a link
me-link-invalid-title = Invalid link
me-link-invalid-body = This link is incomplete or was altered. Please use the whole link your school sent you.
me-link-expired-title = Link expired
me-link-expired-body = To protect your information, personal links expire. Please ask your school to send you a new one.
me-link-gone-title = Record no longer exists
me-link-gone-body = The record this link was made for was erased or merged into another. Please ask your school if in doubt.
me-link-help = Your school sends personal links; no sign-up or sign-in is needed.

## The school's consent page
me-cp-title = Consent
me-cp-crumbs = You are here
me-cp-roster = Graduates
me-cp-heading = { $name } · consent
me-cp-now-heading = Now
me-cp-record-heading = Record the graduate's answer
me-cp-record-hint-same = Explain the purpose above to the graduate first (version { $version }), then record their answer.
me-cp-record-hint = Explain the purpose to the graduate first (version { $version }): { $purpose }. Then record their answer.
me-cp-record-given = Record: consent given
me-cp-record-withdrawn = Record: consent withdrawn
me-cp-link-heading = The graduate's personal link
me-cp-link-lead = Send this link to the graduate (on WeChat, say): without signing in they can see their information, withdraw or give consent, and download all their data.
me-cp-link-label = Personal link (works until { $date })
me-cp-link-copy = Copy link
me-cp-link-copied = Copied
me-cp-link-hint = The link is the graduate's key: send it to the graduate only.
me-cp-link-send = E-mail it to { $email }
me-cp-link-no-email = No e-mail address on record: copy the link and send it another way.

me-flash-consent-given = Recorded: the graduate consents to be recommended to companies.
me-flash-consent-withdrawn = Recorded: the graduate withdrew consent; companies no longer see them.
me-flash-consent-unchanged = The answer is the same as the latest record; nothing was recorded again.
me-flash-own-consent-given = Your consent is recorded. You can withdraw it on this page at any time.
me-flash-own-consent-withdrawn = Your consent is withdrawn; companies no longer see your information.
me-flash-links-sent = Personal links for { $n1 } graduates are queued for e-mail. { $n2 ->
    [0] {""}
   *[other] { $n2 } have no e-mail address: copy their links and send them another way.
} { $n3 ->
    [0] {""}
   *[other] { $n3 } were already sent today and were not sent again.
}
me-links-none-ticked = Tick the graduates to send personal links to first.
me-links-refused-title = No personal links sent
me-links-back = Back

## The consent purpose companies see
me-purpose-line = Consented to: { $purpose }
