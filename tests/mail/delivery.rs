//! What arrives at a real SMTP server, parsed as a mail client would: headers, both body
//! parts, and the calendar file.

use crate::server::{Config, SmtpServer};
use crate::support::{self, now, options, payload, queue};
use icalendar::parser::{Component, read_calendar, unfold};
use mail_parser::{Message, MessagePart, MimeHeaders};
use xiaoqi::domain::NoticeKind;
use xiaoqi::notify::{Mailer, tick};

/// The one attachment, which must be an iTIP calendar named invite.ics.
fn calendar_part<'a>(message: &'a Message<'a>) -> &'a MessagePart<'a> {
    let attachments: Vec<_> = message.attachments().collect();
    assert_eq!(attachments.len(), 1, "one attachment");
    let part = attachments[0];
    assert_eq!(part.attachment_name(), Some("invite.ics"));
    let content_type = part.content_type().expect("content type");
    assert_eq!((content_type.ctype(), content_type.subtype()), ("text", Some("calendar")));
    part
}

fn property<'a>(component: &'a Component<'a>, name: &str) -> &'a icalendar::parser::Property<'a> {
    component.find_prop(name).unwrap_or_else(|| panic!("{name} in {}", component.name.as_str()))
}

/// METHOD and the VEVENT of a calendar text.
fn vevent(ics: &str, check: impl FnOnce(&str, &Component<'_>)) {
    let unfolded = unfold(ics);
    let calendar = read_calendar(&unfolded).expect("a parsable calendar");
    let method = calendar.properties.iter().find(|p| p.name.as_str() == "METHOD").expect("METHOD").val.as_str();
    let zone = calendar.components.iter().find(|c| c.name.as_str() == "VTIMEZONE").expect("VTIMEZONE");
    assert_eq!(property(zone, "TZID").val.as_str(), "Asia/Shanghai");
    let standard = zone.components.iter().find(|c| c.name.as_str() == "STANDARD").expect("STANDARD");
    assert_eq!(property(standard, "TZOFFSETTO").val.as_str(), "+0800");
    let events: Vec<_> = calendar.components.iter().filter(|c| c.name.as_str() == "VEVENT").collect();
    assert_eq!(events.len(), 1);
    check(method, events[0]);
}

fn tzid<'a>(p: &'a icalendar::parser::Property<'a>) -> Option<&'a str> {
    p.params.iter().find(|param| param.key.as_str() == "TZID").and_then(|param| param.val.as_ref()).map(|v| v.as_str())
}

async fn deliver(kind: NoticeKind, revision: i64) -> (SmtpServer, support::TestDb, i64) {
    let server = SmtpServer::start().await;
    let db = support::sqlite().await;
    let at = now();
    let id = queue(&db, &payload(kind, "hr@aoshikang.test", revision), &format!("k:{kind}:{revision}"), at).await;
    let report = tick(&db, &support::mailer(&server.url()), &options(), at).await.unwrap();
    assert_eq!((report.claimed, report.sent), (1, 1), "{report:?}");
    (server, db, id)
}

#[tokio::test]
async fn an_invitation_arrives_with_both_parts_and_a_calendar_request() {
    let (server, db, id) = deliver(NoticeKind::Invitation, 1).await;
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].to, vec!["hr@aoshikang.test".to_string()]);
    assert_eq!(received[0].from, "noreply@localhost");
    let message = received[0].parse();

    assert_eq!(message.subject(), Some("【邀请函】2026肇庆新区校企双选会 / Invitation: 2026肇庆新区校企双选会"));
    let to = message.to().and_then(|a| a.first()).expect("To");
    assert_eq!((to.name(), to.address()), (Some("王经理"), Some("hr@aoshikang.test")));
    let from = message.from().and_then(|a| a.first()).expect("From");
    assert_eq!((from.name(), from.address()), (Some("xiaoqi 校企"), Some("noreply@localhost")));

    // The Message-ID recorded is the one sent.
    let stored = support::row(&db, id).await;
    assert_eq!(stored.status, "sent");
    assert_eq!(stored.attempts, 1);
    let message_id = message.message_id().expect("Message-ID");
    assert_eq!(stored.message_id.as_deref(), Some(format!("<{message_id}>").as_str()));
    assert!(message_id.starts_with(&format!("notice-{id}.")) && message_id.ends_with("@xiaoqi.test"), "{message_id}");

    let text = message.text_part(0).expect("a text part");
    assert_eq!(text.content_type().and_then(|c| c.subtype()), Some("plain"));
    let text = message.body_text(0).unwrap();
    let html = message.body_html(0).expect("an HTML part");
    // Chinese first, English below, in Beijing time.
    let zh = text.find("诚邀您参加双选会「2026肇庆新区校企双选会」").expect("Chinese invitation");
    let en = text.find("You are invited to the job fair").expect("English invitation");
    assert!(zh < en);
    assert!(text.contains("时间：2026年12月10日 14:00–17:00（星期四，北京时间）"), "{text}");
    assert!(text.contains("Thursday 10 December 2026, 14:00–17:00"), "{text}");
    assert!(text.contains("参加：https://xiaoqi.test/rsvp/tok3n?answer=attend&x=1"), "{text}");
    assert!(text.contains("<b>不是标签</b> & 更多"), "plain text is not escaped: {text}");
    assert!(html.contains("&#60;b&#62;不是标签&#60;/b&#62; &#38; 更多"), "HTML is escaped: {html}");
    assert!(html.contains("href=\"https://xiaoqi.test/rsvp/tok3n?answer=attend&#38;x=1\""), "{html}");
    assert!(html.find("王经理，您好！").unwrap() < html.find("Dear 王经理,").unwrap());

    let ics = calendar_part(&message);
    let content_type = ics.content_type().unwrap();
    assert_eq!(content_type.attribute("method"), Some("REQUEST"));
    assert!(content_type.attribute("charset").is_some_and(|c| c.eq_ignore_ascii_case("utf-8")));
    vevent(ics.text_contents().expect("calendar text"), |method, event| {
        assert_eq!(method, "REQUEST");
        assert_eq!(property(event, "UID").val.as_str(), "event-7@xiaoqi.test");
        assert_eq!(property(event, "SEQUENCE").val.as_str(), "1");
        let start = property(event, "DTSTART");
        assert_eq!((tzid(start), start.val.as_str()), (Some("Asia/Shanghai"), "20261210T140000"));
        let end = property(event, "DTEND");
        assert_eq!((tzid(end), end.val.as_str()), (Some("Asia/Shanghai"), "20261210T170000"));
        assert_eq!(property(event, "SUMMARY").val.as_str(), "2026肇庆新区校企双选会");
        assert_eq!(property(event, "LOCATION").val.as_str(), "肇庆新区体育中心 A 馆");
        assert!(property(event, "DESCRIPTION").val.as_str().starts_with("现场设企业展位"));
        assert_eq!(property(event, "ORGANIZER").val.as_str(), "mailto:noreply@localhost");
        assert_eq!(property(event, "ATTENDEE").val.as_str(), "mailto:hr@aoshikang.test");
        assert_eq!(property(event, "STATUS").val.as_str(), "CONFIRMED");
    });
    assert!(message.header("List-Unsubscribe").is_none(), "only reminders carry List-Unsubscribe");
}

#[tokio::test]
async fn an_update_keeps_the_uid_and_raises_the_sequence() {
    let (server, _db, _) = deliver(NoticeKind::Update, 2).await;
    let message = server.received()[0].parse();
    assert!(message.subject().unwrap().starts_with("【活动变更】2026肇庆新区校企双选会 / Update: "));
    assert!(message.body_text(0).unwrap().contains("不参加：https://xiaoqi.test/rsvp/tok3n?answer=decline"));
    vevent(calendar_part(&message).text_contents().unwrap(), |method, event| {
        assert_eq!(method, "REQUEST");
        assert_eq!(property(event, "UID").val.as_str(), "event-7@xiaoqi.test");
        assert_eq!(property(event, "SEQUENCE").val.as_str(), "2");
    });
}

#[tokio::test]
async fn a_cancellation_removes_the_calendar_entry() {
    let (server, _db, _) = deliver(NoticeKind::Cancellation, 3).await;
    let message = server.received()[0].parse();
    assert!(message.subject().unwrap().starts_with("【活动取消】"));
    let text = message.body_text(0).unwrap();
    assert!(text.contains("已取消") && text.contains("has been cancelled"), "{text}");
    assert!(!text.contains("rsvp"), "no answer links for a cancelled event: {text}");
    let part = calendar_part(&message);
    assert_eq!(part.content_type().unwrap().attribute("method"), Some("CANCEL"));
    vevent(part.text_contents().unwrap(), |method, event| {
        assert_eq!(method, "CANCEL");
        assert_eq!(property(event, "UID").val.as_str(), "event-7@xiaoqi.test");
        assert_eq!(property(event, "SEQUENCE").val.as_str(), "3");
        assert_eq!(property(event, "STATUS").val.as_str(), "CANCELLED");
    });
}

#[tokio::test]
async fn a_reminder_offers_one_click_unsubscribe() {
    let (server, _db, _) = deliver(NoticeKind::Reminder, 1).await;
    let message = server.received()[0].parse();
    assert!(message.subject().unwrap().starts_with("【活动提醒】"));
    let unsubscribe = message.header_raw("List-Unsubscribe").expect("List-Unsubscribe").trim();
    assert_eq!(unsubscribe, "<https://xiaoqi.test/unsubscribe/u7>");
    let post = message.header_raw("List-Unsubscribe-Post").expect("List-Unsubscribe-Post").trim();
    assert_eq!(post, "List-Unsubscribe=One-Click");
    assert_eq!(message.attachment_count(), 0);
    assert!(message.body_text(0).unwrap().contains("退订：https://xiaoqi.test/unsubscribe/u7"));
}

#[tokio::test]
async fn a_round_result_is_a_summary_and_a_link() {
    let (server, _db, _) = deliver(NoticeKind::RoundResult, 0).await;
    let message = server.received()[0].parse();
    assert_eq!(message.subject(), Some("【匹配结果】校企匹配结果已发布 / Matching results are published"));
    assert_eq!(message.attachment_count(), 0);
    let text = message.body_text(0).unwrap();
    let zh = text.find("本轮匹配：贵单位 12 个岗位共录用 30 人。").expect("Chinese summary");
    assert!(zh < text.find("This round: 30 graduates").expect("English summary"));
    assert!(text.contains("https://xiaoqi.test/rounds/4"));
    assert!(message.body_html(0).unwrap().contains("href=\"https://xiaoqi.test/rounds/4\""));
}

#[tokio::test]
async fn smtp_credentials_from_the_url_are_used() {
    let config = Config { credentials: Some(("mailer".into(), "p@ss word".into())), ..Config::default() };
    let server = SmtpServer::start_with(0, config).await;
    let db = support::sqlite().await;
    let at = now();
    let id = queue(&db, &payload(NoticeKind::Invitation, "a@b.test", 1), "k1", at).await;

    let wrong = support::mailer(&format!("smtp://mailer:nope@{}?tls=none", server.addr));
    let report = tick(&db, &wrong, &options(), at).await.unwrap();
    assert_eq!(report.retried, 1);
    let stored = support::row(&db, id).await;
    assert!(stored.last_error.as_deref().unwrap().contains("535"), "{stored:?}");

    let right = support::mailer(&format!("smtp://mailer:p%40ss%20word@{}?tls=none", server.addr));
    let later = stored.next_attempt_at;
    assert_eq!(tick(&db, &right, &options(), later).await.unwrap().sent, 1);
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn the_file_transport_writes_one_eml_per_message() {
    let dir = tempfile::tempdir().unwrap();
    let mailer = Mailer::from_config(&xiaoqi::config::MailTransport::Files(dir.path().join("mail"))).unwrap();
    let db = support::sqlite().await;
    let at = now();
    support::queue_many(&db, 3, at).await;
    assert_eq!(tick(&db, &mailer, &options(), at).await.unwrap().sent, 3);
    let files: Vec<_> = std::fs::read_dir(dir.path().join("mail")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 3);
    for file in files {
        assert_eq!(file.extension().and_then(|e| e.to_str()), Some("eml"));
        let bytes = std::fs::read(&file).unwrap();
        let message = mail_parser::MessageParser::default().parse(&bytes).unwrap();
        assert!(message.subject().unwrap().starts_with("【邀请函】"));
    }
}
