# coordinator pages (en). Keys start with `coo-`: all areas share one bundle.

flash-coo-merged = Merged: the record kept was updated and the other one erased.
flash-coo-dismissed = Marked as two different people.
flash-coo-already-resolved = Someone has just merged or dismissed that pair; here is the current list.

coo-nav-duplicates = Possible duplicate graduates
coo-crumbs-label = You are here

# /app/duplicates
coo-dup-title = Possible duplicate graduates
coo-dup-lead = Graduates on different schools' rosters with the same ID number, or the same name and phone, may be one person. Check each pair, then merge it or mark it as two different people.
coo-dup-filter-label = Filter by status
coo-dup-count = { $count ->
    [one] One pair
   *[other] { $count } pairs
}
coo-dup-found = Found { $when }
coo-dup-empty-open = No possible duplicates are waiting. Rosters are compared whenever a school adds or imports graduates.
coo-dup-empty-merged = No pairs have been merged yet.
coo-dup-empty-dismissed = No pairs have been marked as different people yet.
coo-compare-caption = The two records of pair { $id }
coo-left = Left record
coo-right = Right record
coo-kept = Kept
coo-erased = Erased
coo-same = (same in both)
coo-will-keep = To keep
coo-will-erase = To erase
coo-same-reason = (same in both: why they were paired)
coo-dup-legend-reason = Yellow: why the two were paired
coo-dup-legend-same = Grey: other values both records share
coo-merge-keep-left = Merge, keep left
coo-merge-keep-right = Merge, keep right
coo-dismiss = Not the same person
coo-outcome-merged-left = Merged { $when }: the left record was kept, the right one erased.
coo-outcome-merged-right = Merged { $when }: the right record was kept, the left one erased.
coo-outcome-dismissed = Marked as different people { $when }.

coo-field-school = School
coo-field-name = Name
coo-field-student-no = Student no.
coo-field-id-number = ID number
coo-field-phone = Phone
coo-field-email = E-mail
coo-field-major = Major
coo-field-education = Education
coo-field-graduation-year = Graduation year
coo-field-gender = Gender
coo-field-birth-date = Date of birth
coo-field-skills = Skills
coo-field-certificates = Certificates
coo-field-locations = Preferred locations
coo-field-salary = Expected salary
coo-field-available = Available from
coo-field-status = Job search
coo-none = Not given

# /app/duplicates/{id}/merge
coo-merge-title = Confirm the merge
coo-merge-summary-left = The left record ({ $kept }) will be kept and the right one ({ $erased }) erased.
coo-merge-summary-right = The right record ({ $kept }) will be kept and the left one ({ $erased }) erased.
coo-merge-result = The record after the merge
coo-merge-result-hint = Fields left empty in the record kept are filled from the other one; the student number and class stay those of the kept record's school.
coo-merge-filled = from the other record
coo-merge-moves = Also moved to the record kept
coo-moves-choices = { $count ->
    [one] Choices: the other record's one choice is added after the kept record's own.
   *[other] Choices: the other record's { $count } choices are added after the kept record's own.
}
coo-moves-choices-none = Choices: none to move.
coo-moves-choices-dropped = { $count ->
    [one] One more choice is over the limit of 30 and is not moved.
   *[other] { $count } more choices are over the limit of 30 and are not moved.
}
coo-moves-shortlists = { $count ->
    [one] Company shortlists: on one posting's shortlist the kept record takes the other's place (the better place where both are listed).
   *[other] Company shortlists: on { $count } postings' shortlists the kept record takes the other's place (the better place where both are listed).
}
coo-moves-shortlists-none = Company shortlists: the other record is on none.
coo-moves-consent = { $count ->
    [one] Consent: one record of consent given or withdrawn moves over; the latest record counts.
   *[other] Consent: { $count } records of consent given or withdrawn move over; the latest record counts.
}
coo-moves-consent-none = Consent: the other record has no consent records.
coo-merge-confirm-heading = Erase the other record
coo-merge-warning = After the merge the other record is erased and cannot be restored. Earlier matching rounds keep only its number.
coo-merge-confirm = Merge
coo-merge-cancel = Back to the list
