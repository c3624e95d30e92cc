# The public pages.

## Search (/)
pub-search-title = Find a job
pub-search-title-for = Jobs for “{ $q }”
pub-search-q-label = Search openings
pub-search-q-placeholder = Job, company or skill
pub-search-submit = Search
pub-search-category = Category
pub-search-any-category = All categories
pub-search-education = My education
pub-search-any-education = Any
pub-search-education-hint = Only openings asking for this level or less
pub-search-location = Location or industrial park
pub-search-salary-min = Monthly pay at least (CNY)
pub-search-benefits = Benefits (all of them)
pub-search-sort = Sort by
pub-search-apply = Apply filters
pub-search-active-filters = Filters:
pub-search-remove-filter = Remove this filter
pub-search-clear-all = Clear all filters
pub-search-empty = No openings match.
pub-search-past-end = There are no openings on this page; go back to an earlier page.
pub-search-empty-drop = Try removing a filter:
pub-search-drop-filter = Remove “{ $filter }”
pub-facets-label = Narrow the results
pub-facet-category = Category
pub-facet-education = Suits my education
pub-facet-benefit = Benefits
pub-facet-location = Location
pub-chip-education = Education: asking { $level } or less
pub-chip-salary = Pay ≥ ¥{ $amount }/month
pub-chip-words = Words: { $q }
pub-chip-company = This company only
pub-chip-project = This project only

## A posting (/postings/{id})
pub-posting-back = ‹ Back to the job search
pub-posting-pay = Pay
pub-posting-pay-unstated = Pay negotiable
pub-posting-place = Where
pub-posting-project = Project
pub-posting-park = Industrial park
pub-posting-location = Location
pub-posting-category = Category
pub-posting-education = Education
pub-posting-education-min = { $level } or above
pub-posting-headcount = Openings
pub-posting-headcount-value = { $count ->
    [one] { $count } person
   *[other] { $count } people
}
pub-posting-starts = Starts
pub-posting-closes-on = Applications close
pub-posting-closes = Closes { $date }
pub-posting-majors = Majors
pub-posting-benefits = Benefits
pub-posting-description = About the job

## Events (/events)
pub-events-title = Recruitment events
pub-events-lead = Upcoming job fairs, symposiums and campus visits. Companies and schools register from their dashboard after signing in.
pub-events-empty = No events are scheduled at the moment; please check again later.
pub-events-count = { $count ->
    [one] { $count } event
   *[other] { $count } events
}
pub-event-time = When
pub-event-venue = Where
