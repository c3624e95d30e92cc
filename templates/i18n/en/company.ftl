# The company pages (/app, /app/projects, /app/postings). Keys start with "co-" so that
# they never clash with another area's file.

flash-project-created = Project created.
flash-project-saved = Project saved.
flash-posting-created = Posting saved.
flash-posting-saved = Changes to the posting saved.
flash-posting-closed = Posting closed; job seekers no longer see it.

co-nav-projects = Projects
co-nav-postings = Postings
co-crumbs-label = You are here
co-form-choose = Choose…
co-form-cancel = Cancel

# Dashboard
co-dash-title = Dashboard
co-dash-next-step = Next step
co-dash-next-new-project = Start with a project and record how many workers it still needs.
co-dash-next-new-posting = Your project is set up; now post its first opening.
co-dash-next-invitations = { $count ->
    [one] One job event has invited you and you have not registered yet.
   *[other] { $count } job events have invited you and you have not registered yet.
}
co-dash-next-invitations-button = See invitations and register
co-dash-next-drafts = { $count ->
    [one] One posting is still a draft that job seekers cannot see. Review and publish it.
   *[other] { $count } postings are still drafts that job seekers cannot see. Review and publish them.
}
co-dash-next-drafts-button = See drafts
co-dash-next-unposted = “{ $project }” still needs { $count } people that no open posting asks for.
co-dash-next-candidates = Every opening is posted. Pick candidates for your open postings.
co-dash-next-candidates-button = See open postings
co-dash-projects = Projects and shortage
co-dash-projects-empty = No projects yet.
co-dash-seats = Seats posted
co-dash-actions = Actions
co-dash-post-more = { $count } still needed: post an opening
co-dash-covered = Shortage fully posted
co-dash-postings = Postings
co-dash-all-postings = All postings ({ $count })
co-dash-invitations = Invitations to answer
co-dash-invitations-empty = No invitations waiting for your registration.
co-dash-all-events = All events
co-dash-rounds = Published matching results
co-dash-rounds-empty = No published matching results yet.
co-dash-published-at = Published { $when }

co-home-rounds = Matching results
co-home-lead-school = The school dashboard (graduate roster, choices) is coming soon. For now you can:
co-home-lead-coordinator = The service centre's administration pages are coming soon. For now you can:

# Projects
co-projects-title = Projects
co-projects-lead = Record each project's shortage of workers, then post openings for it.
co-projects-new = New project
co-projects-empty = No projects yet. Create one to record its shortage of workers, then post openings for it.
co-projects-count = { $count ->
    [one] One project
   *[other] { $count } projects
}
co-project-new-title = New project
co-project-new-lead = Enter the project's name and shortage. Fields marked * are required.
co-project-edit-heading = Change the project
co-project-organization = Company
co-project-name = Project name
co-project-name-hint = e.g. Aoshikang phase 1
co-project-park = Industrial park
co-project-park-hint = e.g. Electronics Industrial Park
co-project-stage = Stage
co-project-shortage = Shortage (people)
co-project-shortage-hint = How many workers the project still needs
co-project-placed = Placed (people)
co-project-open-shortage = Still short (people)
co-project-key = Key project
co-project-key-hint = Tick if listed as a city or district key project
co-project-key-badge = Key
co-project-save = Save project
co-project-all-postings = See all postings
co-project-post-for = Post an opening for this project

# Postings
co-postings-title = Postings
co-postings-new = Post an opening
co-postings-filter-label = Filter by status
co-postings-filter-all = All
co-postings-count = { $count ->
    [one] One posting
   *[other] { $count } postings
}
co-postings-empty = No postings yet. Post your first opening and job seekers can find it.
co-postings-empty-filtered = No postings with this status.
co-posting-new-title = Post an opening
co-posting-edit-title = Change posting: { $title }
co-posting-form-lead = Fields marked * are required. Saved as “Open”, the posting is public at once; a draft is seen only by your company.
co-posting-section-job = The job
co-posting-section-pay = Pay and benefits
co-posting-section-who = Requirements
co-posting-section-when = Dates and status
co-posting-title = Job title
co-posting-title-hint = e.g. SMT operator
co-posting-project = Project
co-posting-project-none = No project
co-posting-category = Category
co-posting-headcount = Headcount
co-posting-filled = Placed
co-posting-people = { $count ->
    [one] one person
   *[other] { $count } people
}
co-posting-salary = Monthly pay
co-posting-salary-min = Minimum monthly pay (CNY)
co-posting-salary-max = Maximum monthly pay (CNY)
co-posting-salary-hint = Before tax, CNY per month; optional
co-posting-salary-none = Negotiable
co-posting-location = Location
co-posting-location-hint = e.g. Zhaoqing New Area
co-posting-benefits = Benefits
co-posting-education-min = Minimum education
co-posting-majors = Majors
co-posting-majors-hint = Separate majors with commas, e.g. Mechatronics, CNC technology; leave empty for any major
co-posting-majors-any = Any major
co-posting-description = Description
co-posting-description-hint = Duties, shifts, meals and housing…
co-posting-starts-on = Start date
co-posting-closes-on = Closing date
co-posting-closes-on-hint = Must be after the start date
co-posting-status = Status
co-posting-status-hint = A draft is seen only by your company
co-posting-save = Save posting
co-posting-updated = Updated
co-posting-updated-at = Updated { $when }
co-posting-status-open-hint = This posting is open: job seekers can find it.
co-posting-status-closed-hint = This posting is closed: job seekers cannot see it. To hire again, change its status to “Open”.
co-posting-status-other-hint = This posting is not public: job seekers cannot see it.
co-posting-actions-label = Posting actions
co-posting-edit = Change posting
co-posting-candidates = See candidates
co-posting-preview = Preview (as job seekers see it)
co-posting-close-heading = Close the posting
co-posting-close-hint = Close it when it is filled or no longer needed. It stays on record; job seekers no longer see it.
co-posting-close = Close posting
