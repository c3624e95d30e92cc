# The matching pages: candidates and shortlist, events, round results.

## Candidates and shortlist
candidates-title = Candidates
candidates-back = ← Back to the posting: { $title }
candidates-heading = Candidates: { $title }
candidates-lead = Graduates suggested for this posting by major, education, preferred location, expected pay, benefits and the description. Only graduates who agreed to be shown to companies appear, without contact details.
suggestions-jump = Go to the suggested graduates
suggestions-heading = Suggested graduates
suggestions-hint = Best match first. “Matches” means the part meets the posting's requirement.
suggestions-empty = No graduate seeking work, meeting the education minimum and agreeing to be shown fits this posting yet. Lower the education minimum or list majors, then look again.
score-title = Weighted mean of how well each part fits
score-total = { $percent }% match
graduation-year = Class of { $year }
expects-salary = Expects { $salary }
prefers-locations = Would work in: { $places }
skills-line = Skills and certificates: { $skills }
fits-label = Which parts match
fit-line = { $part }: { $level }
fit-major = Major
fit-education = Education
fit-location = Location
fit-salary = Pay
fit-benefits = Benefits
fit-text = Description
fit-good = matches
fit-partial = partly
fit-poor = does not match
shortlist-heading = Shortlist
shortlist-empty = The shortlist is empty. Use “Add to shortlist” on a suggested graduate.
shortlist-hint = The order is the priority used in matching: number 1 first. Move with the arrows, or change the numbers and use “Reorder by number”; or drag.
shortlist-on = On the shortlist
shortlist-add = Add to shortlist
shortlist-rank-of = Position of { $name }
shortlist-up = Move up
shortlist-up-who = Move { $name } up
shortlist-down = Move down
shortlist-down-who = Move { $name } down
shortlist-remove = Remove from shortlist
shortlist-remove-who = Remove { $name } from the shortlist
shortlist-renumber = Reorder by number
shortlist-not-visible = The shortlist was not saved: a graduate is no longer shown to companies (consent withdrawn or record deleted). Reload the page and try again.
shortlist-bad-form = That did not work. Reload the page and try again.
shortlist-not-listed = That graduate is no longer on the shortlist. Reload the page and try again.
shortlist-bad-rank = Positions must be numbers.
flash-shortlist-added = Added to the shortlist.
flash-shortlist-already = That graduate is already on the shortlist.
flash-shortlist-moved = Order changed.
flash-shortlist-removed = Removed from the shortlist.
flash-shortlist-reordered = The shortlist was saved in the new order.

## Events
events-title = Event invitations
events-lead = Job fairs, symposiums and campus visits the service centre invited you to, with your registration status.
events-lead-coordinator = Every event (read only; event management pages come later).
events-show-all = Show all events (including past ones)
events-show-upcoming = Show upcoming events only
events-empty = No invitations yet. Events appear here once the service centre invites you.
events-back = ← Back to events
event-cancelled = Cancelled
event-not-registered = Not registered
event-kind = Kind
event-time = Time
event-venue = Venue
registration-heading = Registration
registration-status = Registration status:
registration-brought = Postings brought:
registration-status-hint = The service centre reviews registrations and lets you know by e-mail.
registration-postings = Postings you bring
registration-postings-hint = Choose the postings you recruit for at this event (open postings only).
registration-no-open-postings = You have no open posting; publish one before registering.
registration-new-posting = Publish a posting
registration-graduates = Graduates coming
registration-teacher-name = Accompanying teacher
registration-teacher-phone = Teacher's mobile number
registration-submit = Register
registration-cancelled = The event is cancelled; registration is closed.
registration-coordinator = Service-centre accounts do not register here; registration management comes later.
registration-closed = The event has started or is over; registration is closed.
flash-registered = Registration sent; the service centre will review it.

## Rounds
rounds-title = Matching results
rounds-lead = Published matching rounds you took part in.
rounds-lead-coordinator = Every matching round: set one up, run it, read its results and publish them.
rounds-empty = No published results yet.
rounds-back = ← Back to matching results
round-published-at = Published { $at }
round-placed-count = { $count } placed
round-pending = This round has no results yet.
round-lead-company = The graduates placed with each of your postings, and why.
round-lead-school = Your graduates' results, and why.
round-summary = { $postings ->
    [one] { $postings } of your postings took part; { $placed ->
        [one] { $placed } graduate was placed with it.
       *[other] { $placed } graduates were placed with it.
    }
   *[other] { $postings } of your postings took part; { $placed ->
        [one] { $placed } graduate was placed with them.
       *[other] { $placed } graduates were placed with them.
    }
}
round-no-postings = None of your postings took part in this round.
round-no-graduates = None of your graduates took part in this round.
round-seats = { $filled } of { $capacity } places filled
round-none-placed = No graduate was placed with this posting in this round.
round-name-hidden = (withdrew consent to be shown)
round-your-rank = Your shortlist: no. { $rank }
round-their-rank = Their choice: no. { $rank }
round-placed-more = See all { $count } graduates placed
round-posting-back = ← Back to { $round }
round-posting-placed = { $count } graduates placed with this posting in this round, in your ranking's order.
