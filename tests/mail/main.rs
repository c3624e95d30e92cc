//! E-mail notices end to end: notice rows in a fresh database, the outbox worker, lettre
//! over SMTP into a real SMTP server started inside the test process, and what arrived
//! parsed as a mail client would (MIME with mail-parser, calendars with icalendar).
mod bench;
mod delivery;
#[path = "../common/pg.rs"]
mod pg;
mod postgres;
mod reliability;
mod server;
mod support;
