# offers pages (en). Keys start with `off-`: all areas share one bundle.
off-title = Offers
off-crumbs-label = You are here
off-round = Round { $id }
off-lead-company = Once a round is published, each graduate matched with you is an offer: confirm each before the deadline, or decline with a reason. When both sides accept, the placement stands.
off-lead-school = Answer each offer for your graduates (they can also answer on their personal page). When both sides accept, the placement stands; if either declines or the deadline passes, the seat is freed and the graduate joins the next round.
off-lead-coordinator = Every offer and both sides' answers. Filter by round and status; coordinators may answer for the graduate's side.
off-waiting = { $count ->
    [one] One offer is waiting for your answer.
   *[other] { $count } offers are waiting for your answer.
}
off-filter-label = Filter by status
off-tab-all = All
off-empty = No offers yet. Once a round is published, each match is listed here.
off-count = { $count } in all
off-school = School
off-company = Company
off-due = Answer by
off-company-answer = Company's answer
off-graduate-answer = Graduate's answer
off-answer-none = Not answered yet
off-by-school = by the school
off-by-graduate = themself
off-by-coordinator = by a coordinator
off-accept-company = Confirm the hire
off-accept-graduate = Accept for the graduate
off-accept = Accept
off-decline = Decline
off-reason = Reason for declining
off-reason-choose = Choose a reason
off-history = History
off-error-title = The answer was not saved
off-flash-answered = Your answer was saved.
off-side-company = Company
off-side-school = School
off-side-graduate = The graduate
off-side-coordinator = Coordinator
off-side-system = System
off-action-created = Offer made
off-action-accept = Accepted
off-action-decline = Declined
off-action-accepted = Placement stands
off-action-declined = Declined; the seat is free
off-action-expired = Expired unanswered; the seat is free
off-dashboard-waiting = { $count ->
    [one] One offer waiting for your answer
   *[other] { $count } offers waiting for your answer
}
off-destinations = Destination after graduation
off-destinations-empty = No destination recorded yet. An accepted offer records an employment agreement by itself; record any other destination below.
off-destination = Destination
off-destination-choose = Choose a destination
off-destination-date = Effective date
off-destination-employer = Employer (optional)
off-destination-note = Note (optional)
off-destination-record = Record destination
off-flash-destination = The destination was recorded.
