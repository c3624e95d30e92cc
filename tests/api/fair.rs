//! Fair day: registrations after RSVP, check-in, booths, notices (part C).
