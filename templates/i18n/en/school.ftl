# school pages (en). Keys start with `sc-`: all areas share one bundle.

sc-flash-graduate-created = Graduate added.
sc-flash-graduate-saved = Changes saved.
sc-flash-graduate-erased = All of the graduate's personal data has been erased.
sc-flash-choices-added = Added to the choices.
sc-flash-choices-already = That posting is already among the choices.
sc-flash-choices-moved = Order of choices changed.
sc-flash-choices-removed = Removed from the choices.
sc-flash-choices-dropped-closed = Saved. Postings no longer recruiting were removed from the choices.

## Dashboard
sc-dash-total = On the roster
sc-dash-consenting = Consenting
sc-dash-open-roster = Open the roster ({ $count })
sc-dash-next-import = The roster is empty. Import your graduate list first (Excel or CSV), or add graduates one by one.
sc-dash-next-invitations = Your school is invited to { $count ->
    [one] one recruiting event
   *[other] { $count } recruiting events
   } and has not registered yet.
sc-dash-next-invitations-button = See invitations and register
sc-dash-next-choices = { $count ->
    [one] One graduate who is seeking work has
   *[other] { $count } graduates who are seeking work have
   } no ranked choices yet.
sc-dash-next-choices-button = Graduates without choices
sc-dash-next-consent = { $count ->
    [one] One graduate has
   *[other] { $count } graduates have
   } not consented to be recommended: companies cannot see them and they are left out of matching.
sc-dash-next-consent-button = Graduates without consent
sc-dash-next-roster = Roster, choices and consent are in place. Open the roster any time to review or change choices.
sc-dash-rounds-empty = No published matching results with your graduates yet.
sc-dash-round-placed = { $count ->
    [one] One of your graduates took part
   *[other] { $count } of your graduates took part
   }, { $placed } placed

## Roster
sc-roster-title = Graduate roster
sc-roster-import = Import roster
sc-roster-new = Add a graduate
sc-roster-filters = Filter the roster
sc-roster-q = Search
sc-roster-q-placeholder = Name, student no. or class
sc-roster-search = Search
sc-roster-any = Any
sc-roster-any-school = Every school
sc-roster-apply = Filter
sc-roster-clear = Clear filters
sc-roster-choices = Choices
sc-roster-consent-col = Consent
sc-registration-teacher = { $name } ({ $phone })
sc-roster-choices-yes = Ranked
sc-roster-choices-no = None yet
sc-roster-choices-count = Choices
sc-roster-choices-of = {" "}(choices of { $name })
sc-roster-page = Page
sc-roster-year = Class of
sc-roster-count = { $count ->
    [one] one graduate
   *[other] { $count } graduates
   }
sc-roster-count-filtered = { $count ->
    [one] one graduate matches
   *[other] { $count } graduates match
   }
sc-roster-empty = The roster is empty. Import the whole list from Excel or CSV, or add graduates one by one.
sc-roster-empty-filtered = No graduate matches these filters.
sc-roster-send-links = Send personal links to the selected
sc-roster-export = Export to Excel
sc-roster-bulk-hint = Tick graduates to e-mail them their personal links. "Export to Excel" exports every graduate matching the filters (with whole ID numbers; each export is recorded in the audit log).
sc-roster-select = Select
sc-roster-select-who = Select { $name }

## Fields
sc-field-school = School
sc-field-name = Name
sc-field-student-no = Student no.
sc-field-student-no-hint = Unique within your school; re-imports update by it
sc-field-class = Class
sc-field-class-hint = For example: 机电一体化2301班
sc-field-gender = Gender
sc-field-id-number = ID number
sc-field-id-number-hint = 18 characters; the check character, birth date and gender are verified. Pages show it partly hidden
sc-field-id-number-edit-hint = Shown partly hidden. Leave it as it is to keep the number; type a new one to replace it (it is checked again); clear it to remove it.
sc-field-birth-date = Date of birth
sc-field-major = Major
sc-field-major-hint = For example: 机电一体化技术
sc-field-education = Education
sc-field-graduation-year = Graduation year
sc-field-graduation-year-hint = For example: 2026
sc-field-status = Status
sc-field-skills = Skills
sc-field-list-hint = Separate items with commas, for example: PLC, CAD
sc-field-certificates = Certificates
sc-field-certificates-hint = For example: 电工证, 数控车工中级
sc-field-locations = Preferred locations
sc-field-locations-hint = Separate with commas; leave empty for anywhere
sc-field-expected-salary = Expected salary (CNY per month)
sc-field-expected-salary-hint = Before tax, per month
sc-field-available-from = Available from
sc-field-phone = Mobile
sc-field-email = E-mail
sc-field-summary = About the graduate
sc-field-summary-hint = Awards, internships, strengths: companies read this
sc-field-consent = Consent to be recommended
sc-field-consent-given = The graduate agreed to be recommended to companies (who never see contact details or the ID number)
sc-field-consent-hint = Confirm that the graduate agreed (for example on a signed paper form). It can be changed later on the consent page, and every change is recorded.

## Form
sc-new-title = Add a graduate
sc-edit-title = Change { $name }'s details
sc-form-lead = Fields marked * are required. Contact details and the ID number are seen only by your school and the service centre.
sc-form-not-given = Not given
sc-form-section-person = Person
sc-form-section-study = Studies
sc-form-section-wishes = Wishes
sc-form-section-contact = Contact and summary
sc-form-contact-hint = Only your school and the service centre see contact details.
sc-form-consent-elsewhere = Consent is changed on the consent page, so that each change is recorded.
sc-form-save = Save

## A graduate
sc-graduate-edit = Change details
sc-graduate-choices-button = Set choices
sc-graduate-record = Details
sc-graduate-anywhere = Anywhere
sc-graduate-updated = Last changed { $when }
sc-id-reveal = Show the whole number
sc-id-reveal-hint = Each look is recorded in the audit log.
sc-id-revealed = The whole number is shown; this look is recorded in the audit log.
sc-consent-yes = Consented
sc-consent-no = No consent
sc-consent-yes-means = Companies can find this graduate in search and matching (never the contact details or ID number).
sc-consent-no-means = Companies cannot see this graduate, who is left out of matching.
sc-consent-manage = Consent history and changes
sc-suggestions-heading = Suggested postings
sc-suggestions-hint = Best matches first; "matches" means that part fits the graduate's qualifications and wishes.
sc-suggestions-empty = No open posting suits this graduate's education at the moment.
sc-suggestions-more = Search more postings
sc-erase-heading = Erase the graduate
sc-erase-lead = When the graduate asks for their data to be erased, or the entry is a mistake. This cannot be undone.
sc-erase-button = Erase this graduate…

## Erase
sc-erase-title = Erase { $name }?
sc-erase-what = This permanently deletes:
sc-erase-record = the personal data (name, student no., ID number, contact details, summary and the rest)
sc-erase-choices = { $count ->
    [one] the one ranked choice
   *[other] the { $count } ranked choices
   }, and places on companies' shortlists
sc-erase-consent = the consent records
sc-erase-rounds = Finished matching rounds keep only an id, no name.
sc-erase-final = This cannot be undone.
sc-erase-confirm = Erase for good

## Choices
sc-choices-title = Ranked choices
sc-choices-page-heading = Choices of { $name }
sc-choices-heading = Ranked choices
sc-choices-empty = No choices ranked yet.
sc-choices-empty-hint = No choices yet. Press "Add as a choice" on a suggested or found posting.
sc-choices-hint = The first choice comes first when matching. Use the arrows to change the order.
sc-choices-jump = Jump to adding choices
sc-choices-add-heading = Add choices
sc-choices-rank = Choice { $rank }:
sc-choices-on = Choice { $rank }
sc-choices-add = Add as a choice
sc-choices-add-what = : { $title }
sc-choices-up-what = Move "{ $title }" up
sc-choices-down-what = Move "{ $title }" down
sc-choices-remove = Remove
sc-choices-remove-what = Remove "{ $title }" from the choices
sc-choices-closed = No longer recruiting
sc-choices-closed-hint = It is removed at the next change.
sc-choices-gone = (posting closed or deleted)
sc-choices-back = ← Back to { $name }
sc-choices-search-label = Search open postings by title, company or keyword
sc-choices-search-placeholder = e.g. CNC, warehouse
sc-choices-show-suggestions = Show suggestions instead
sc-choices-found = { $count ->
    [one] One posting found
   *[other] { $count } postings found
   }
sc-choices-none-found = No open posting found; try other words.
sc-choices-full = At most { $max } choices. Remove one before adding another.
sc-choices-full-hint = Choices are full
sc-choices-full-notice = All { $max } choices are taken. Remove one to add another posting.
sc-choices-bad-form = That did not work; please reload the page and try again.
sc-choices-not-listed = That posting is no longer among the choices; please reload the page.
sc-choices-not-open = That posting is no longer recruiting and cannot be added.

## A school's registration for an event (the matching pages)
sc-registration-party = { $count ->
    [one] one graduate coming
   *[other] { $count } graduates coming
   }, with { $teacher }
sc-registration-graduates = { $count ->
    [one] one graduate coming
   *[other] { $count } graduates coming
   }
sc-registration-graduates-hint = How many graduates you expect to come (seats are limited and given in order of registration)

## A published round as a school reads it (the matching pages)
sc-round-summary = { $count ->
    [one] One of your graduates
   *[other] { $count } of your graduates
   } took part in this round; { $placed } placed.
sc-round-filter-label = Filter by outcome
sc-round-filter-all = All
sc-round-filter-placed = Placed
sc-round-filter-unplaced = Not placed
sc-round-none-in-filter = No graduate in this group.
sc-round-placed = Placed
sc-round-unplaced = Not placed
sc-round-name-erased = (erased graduate)
