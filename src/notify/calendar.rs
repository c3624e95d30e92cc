//! The `.ics` attached to invitations, updates and cancellations (iTIP over e-mail,
//! RFC 5545/5546): one VEVENT whose UID stays the same for the life of the event and whose
//! SEQUENCE is the event's revision, so calendar clients update or remove the entry they
//! already have instead of adding another.

use super::when::{TZID, local};
use crate::domain::notice::{EventSnapshot, Recipient};
use chrono::{DateTime, Utc};
use icalendar::{Calendar, CalendarDateTime, Component, EventLike, EventStatus, Property};
use lettre::message::Mailbox;

/// What the calendar asks of the recipient's client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Add or update the entry.
    Request,
    /// Remove the entry.
    Cancel,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }
}

/// Asia/Shanghai, written out: clients that do not know the TZID still place the times
/// right. icalendar 0.17 has no VTIMEZONE type, and a generic component would get a DTSTAMP
/// and UID added on output (invalid inside VTIMEZONE), so the block is spliced in as text.
const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\n\
TZID:Asia/Shanghai\r\n\
X-LIC-LOCATION:Asia/Shanghai\r\n\
BEGIN:STANDARD\r\n\
TZOFFSETFROM:+0800\r\n\
TZOFFSETTO:+0800\r\n\
TZNAME:CST\r\n\
DTSTART:19700101T000000\r\n\
END:STANDARD\r\n\
END:VTIMEZONE\r\n";

/// A name as a parameter value (`CN=`). RFC 5545 §3.2: a parameter value holds no control
/// character and no double quote, and one with `:`, `;` or `,` is double-quoted (which
/// icalendar does on output). Names are validated as single lines, but rows stored before
/// that may still hold line breaks or a NUL, so control characters become spaces here.
fn param_text(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                ' '
            } else if c == '"' {
                '\''
            } else {
                c
            }
        })
        .collect()
}

/// Text for a TEXT property (SUMMARY, LOCATION, DESCRIPTION), which icalendar escapes
/// (`\\`, `,`, `;`, line feed) but which may hold no other control character than a tab
/// (RFC 5545 §3.3.11): CRLF and CR line ends become line feeds, anything else a space.
fn property_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .map(|c| match c {
            '\r' => '\n',
            '\n' | '\t' => c,
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// The calendar file for `event`, sent by `organizer` to `attendee`, stamped `now`.
pub fn ics(
    event: &EventSnapshot,
    method: Method,
    organizer: &Mailbox,
    attendee: &Recipient,
    now: DateTime<Utc>,
) -> String {
    let at_shanghai = |t: DateTime<Utc>| CalendarDateTime::WithTimezone { date_time: local(t), tzid: TZID.to_string() };
    let mut vevent = icalendar::Event::new();
    vevent
        .uid(&event.uid)
        .sequence(u32::try_from(event.revision).unwrap_or(0))
        .timestamp(now)
        .starts(at_shanghai(event.starts_at))
        .ends(at_shanghai(event.ends_at))
        .summary(&property_text(&event.title))
        .location(&property_text(&event.venue))
        .status(if method == Method::Cancel { EventStatus::Cancelled } else { EventStatus::Confirmed });
    if let Some(description) = event.description.as_deref().filter(|d| !d.trim().is_empty()) {
        vevent.description(&property_text(description));
    }
    let mut organizer_property = Property::new("ORGANIZER", format!("mailto:{}", organizer.email));
    if let Some(name) = organizer.name.as_deref() {
        organizer_property.add_parameter("CN", &param_text(name));
    }
    vevent.append_property(organizer_property);
    // RSVP=FALSE: answers come through the links in the mail, not as iMIP replies to a
    // no-reply organizer address.
    let mut attendee_property = Property::new("ATTENDEE", format!("mailto:{}", attendee.email));
    if let Some(name) = attendee.name.as_deref().or(attendee.organization_name.as_deref()) {
        attendee_property.add_parameter("CN", &param_text(name));
    }
    attendee_property
        .add_parameter("ROLE", "REQ-PARTICIPANT")
        .add_parameter("PARTSTAT", "NEEDS-ACTION")
        .add_parameter("RSVP", "FALSE");
    vevent.append_multi_property(attendee_property);

    let mut calendar = Calendar::empty();
    calendar
        .append_property(("PRODID", "-//xiaoqi//notices//ZH"))
        .append_property(("VERSION", "2.0"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", method.as_str()))
        .push(vevent.done());
    let text = calendar.to_string();
    match text.find("BEGIN:VEVENT") {
        Some(at) => format!("{}{VTIMEZONE}{}", &text[..at], &text[at..]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{EventKind, EventStatus as Status};
    use chrono::TimeZone;

    fn event() -> EventSnapshot {
        EventSnapshot {
            id: 7,
            uid: "event-7@xiaoqi.example".into(),
            kind: EventKind::JobFair,
            title: "2026肇庆新区校企双选会, 第一场; \"春季\"".into(),
            description: Some("第一行\n第二行".into()),
            venue: "肇庆新区体育中心".into(),
            starts_at: Utc.with_ymd_and_hms(2026, 12, 10, 6, 0, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2026, 12, 10, 9, 0, 0).unwrap(),
            revision: 3,
            status: Status::Scheduled,
        }
    }

    fn attendee() -> Recipient {
        Recipient {
            email: "hr@aoshikang.example".into(),
            name: Some("李\"经理\"".into()),
            organization_id: Some(1),
            organization_name: None,
        }
    }

    #[test]
    fn escapes_text_and_keeps_times_local() {
        let organizer: Mailbox = "xiaoqi 校企 <noreply@localhost>".parse().unwrap();
        let text = ics(&event(), Method::Request, &organizer, &attendee(), Utc::now());
        let unfolded = icalendar::parser::unfold(&text);
        assert!(unfolded.contains("METHOD:REQUEST\r\n"), "{unfolded}");
        assert!(unfolded.contains("DTSTART;TZID=Asia/Shanghai:20261210T140000\r\n"), "{unfolded}");
        assert!(unfolded.contains("SEQUENCE:3\r\n"), "{unfolded}");
        assert!(unfolded.contains("SUMMARY:2026肇庆新区校企双选会\\, 第一场\\; \"春季\"\r\n"), "{unfolded}");
        assert!(unfolded.contains("DESCRIPTION:第一行\\n第二行\r\n"), "{unfolded}");
        assert!(unfolded.contains("CN=李'经理'"), "{unfolded}");
        let vtimezone = unfolded.find("BEGIN:VTIMEZONE").unwrap();
        assert!(vtimezone < unfolded.find("BEGIN:VEVENT").unwrap());
        assert!(text.lines().all(|line| line.len() <= 75), "{text}");
    }

    /// Rows stored before text was validated may hold line breaks and NULs: none of them
    /// starts a line of its own, and a name with `;`, `:` or `,` is one quoted value.
    #[test]
    fn stored_control_characters_stay_inside_their_value() {
        let organizer: Mailbox = "xiaoqi 校企 <noreply@localhost>".parse().unwrap();
        let attendee = Recipient {
            name: Some("李\"经理\"\r\nATTENDEE;CN=x:mailto:evil@example.cn\u{0}; 人事部, 肇庆".into()),
            ..attendee()
        };
        let event = EventSnapshot {
            title: "第一场\r\nMETHOD:CANCEL".into(),
            venue: "体育中心\r二楼".into(),
            description: Some("第一行\r\n第二行\u{0}\t完".into()),
            ..event()
        };
        let text = ics(&event, Method::Request, &organizer, &attendee, Utc::now());
        let unfolded = icalendar::parser::unfold(&text);
        assert!(
            unfolded.contains("CN=\"李'经理'  ATTENDEE;CN=x:mailto:evil@example.cn ; 人事部, 肇庆\";"),
            "{unfolded}"
        );
        assert_eq!(unfolded.matches("\r\nATTENDEE").count(), 1, "{unfolded}");
        assert!(unfolded.contains("SUMMARY:第一场\\nMETHOD:CANCEL\r\n"), "{unfolded}");
        assert!(unfolded.contains("LOCATION:体育中心\\n二楼\r\n"), "{unfolded}");
        assert!(unfolded.contains("DESCRIPTION:第一行\\n第二行 \t完\r\n"), "{unfolded}");
        let lines: Vec<&str> = unfolded.strip_suffix("\r\n").unwrap().split("\r\n").collect();
        assert!(lines.iter().all(|line| !line.chars().any(|c| c.is_control() && c != '\t')), "{lines:?}");
    }
}
