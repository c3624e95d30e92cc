//! Administration: the audit log (sign-ins and their failures, reads of contact details),
//! disabling accounts (their sessions end at once) and password-reset links (signed,
//! single-use, valid for 24 hours).

use crate::helpers::{CODE_A, PASSWORD, Session, TestApp, graduate_body};
use crate::on_both_backends;
use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use xiaoqi::services::notices::Links;
use xiaoqi::services::signing::{Signer, TokenError};
use xiaoqi::services::users::ResetProblem;

on_both_backends!(
    sign_ins_and_failed_sign_ins_are_audited,
    reading_contact_details_is_audited,
    a_disabled_account_loses_its_sessions_and_cannot_sign_in,
    a_reset_link_works_once_and_for_a_day,
    changing_ones_password_needs_the_current_one_and_ends_other_sessions,
    a_coordinator_setting_a_password_ends_every_session_of_the_account
);

fn items(reply: &crate::helpers::Reply) -> Vec<Value> {
    reply.body["items"].as_array().cloned().unwrap_or_default()
}

async fn sign_ins_and_failed_sign_ins_are_audited(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;

    assert_eq!(app.log_in(&company.email, "not the password").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.log_in("nobody@example.cn", PASSWORD).await.status, StatusCode::UNAUTHORIZED);

    let failed = app.audit(&coordinator.token, "action=sign_in_failed").await;
    assert_eq!(failed.status, StatusCode::OK, "{:?}", failed.body);
    // Only the attempt on an existing account is named; the unknown e-mail leaves no trace.
    assert_eq!(failed.body["total"], 1, "{:?}", failed.body);
    let entry = &items(&failed)[0];
    assert_eq!(entry["entity"], "user");
    assert_eq!(entry["entity_id"], company.user_id);
    assert_eq!(entry["organization_id"], company.organization_id);
    assert_eq!(entry["organization_name"], "奥士康科技股份有限公司");
    assert!(entry["user_id"].is_null(), "nobody is known to have acted: {entry:?}");

    let signed_in = app.audit(&coordinator.token, &format!("action=sign_in&user_id={}", company.user_id)).await;
    assert_eq!(signed_in.body["total"], 1, "{:?}", signed_in.body);
    assert_eq!(items(&signed_in)[0]["user_email"], company.email.as_str());
    // Newest first, over every action.
    let all = app.audit(&coordinator.token, "entity=user&per_page=100").await;
    let ids: Vec<i64> = items(&all).iter().map(|e| e["id"].as_i64().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(ids, sorted);

    // Days are Beijing days: nothing happened before yesterday or after tomorrow.
    let today = Utc::now().date_naive();
    let yesterday = today - Duration::days(2);
    let past = app.audit(&coordinator.token, &format!("to={yesterday}")).await;
    assert_eq!(past.body["total"], 0);
    let around = app
        .audit(
            &coordinator.token,
            &format!("action=sign_in_failed&from={}&to={}", today - Duration::days(1), today + Duration::days(1)),
        )
        .await;
    assert_eq!(around.body["total"], 1);

    // Coordinators only; bad filters are named.
    assert_eq!(app.audit(&company.token, "").await.status, StatusCode::FORBIDDEN);
    let bad = app.audit(&coordinator.token, "from=2026-13-01&user_id=x").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields = bad.error_fields();
    fields.sort();
    assert_eq!(fields, ["from", "user_id"]);
}

async fn reading_contact_details_is_audited(app: TestApp) {
    let coordinator = app.coordinator().await;
    let school = app.school(&coordinator, "肇庆市技师学院").await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let graduate = app.create_graduate(&school.token, &graduate_body(true)).await.created_id();
    async fn reads(app: &TestApp, coordinator: &Session) -> crate::helpers::Reply {
        app.audit(&coordinator.token, "action=read_contact").await
    }
    assert_eq!(reads(&app, &coordinator).await.body["total"], 0);

    assert_eq!(app.get(&format!("/api/v1/graduates/{graduate}"), Some(&school.token)).await.status, StatusCode::OK);
    let after = reads(&app, &coordinator).await;
    assert_eq!(after.body["total"], 1, "{:?}", after.body);
    let entry = &items(&after)[0];
    assert_eq!(entry["user_id"], school.user_id);
    assert_eq!(entry["entity"], "graduate");
    assert_eq!(entry["entity_id"], graduate);
    assert_eq!(entry["organization_id"], school.organization_id);

    // The school's page of the graduate shows the contact details too.
    let page = app.page(&format!("/app/graduates/{graduate}"), Some(&school)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("13800138000"));
    assert_eq!(reads(&app, &coordinator).await.body["total"], 2);

    // A company sees no contact details, so its read is not one.
    let seen = app.get(&format!("/api/v1/graduates/{graduate}"), Some(&company.token)).await;
    assert_eq!(seen.status, StatusCode::OK, "{:?}", seen.body);
    assert!(seen.body["phone"].is_null());
    assert_eq!(reads(&app, &coordinator).await.body["total"], 2);
    // Coordinators' reads are audited like the school's.
    app.get(&format!("/api/v1/graduates/{graduate}"), Some(&coordinator.token)).await;
    let by_coordinator =
        app.audit(&coordinator.token, &format!("action=read_contact&user_id={}", coordinator.user_id)).await;
    assert_eq!(by_coordinator.body["total"], 1);
}

async fn a_disabled_account_loses_its_sessions_and_cannot_sign_in(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let second = app.log_in(&company.email, PASSWORD).await.body["token"].as_str().unwrap().to_string();

    // Only coordinators disable, and not themselves.
    let own = app.update_user(&company.token, company.user_id, &json!({"disabled": true})).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    let myself = app.update_user(&coordinator.token, coordinator.user_id, &json!({"disabled": true})).await;
    assert_eq!(myself.status, StatusCode::CONFLICT);
    assert_eq!(
        app.update_user(&coordinator.token, company.user_id, &json!({"disabled": "yes"})).await.error_fields(),
        ["disabled"]
    );

    let disabled = app.update_user(&coordinator.token, company.user_id, &json!({"disabled": true})).await;
    assert_eq!(disabled.status, StatusCode::OK, "{:?}", disabled.body);
    assert_eq!(disabled.body["disabled"], true);
    assert!(disabled.body["disabled_at"].is_string());

    // Every token and page session of the account is refused at once.
    for token in [&company.token, &second] {
        assert_eq!(app.get("/api/v1/organizations", Some(token)).await.status, StatusCode::UNAUTHORIZED);
    }
    let page = app.page("/app", Some(&company)).await;
    assert_ne!(page.status, StatusCode::OK);
    // Signing in is refused exactly like a wrong password.
    let refused = app.log_in(&company.email, PASSWORD).await;
    let wrong = app.log_in(&company.email, "wrong password!").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.body, wrong.body);
    // No reset link for a disabled account.
    assert_eq!(app.request_password_reset(&coordinator.token, company.user_id).await.status, StatusCode::CONFLICT);

    let audit = app.audit(&coordinator.token, "action=disable&entity=user").await;
    assert_eq!(audit.body["total"], 1);
    assert_eq!(items(&audit)[0]["entity_id"], company.user_id);
    assert_eq!(items(&audit)[0]["user_id"], coordinator.user_id);
    let failed = app.audit(&coordinator.token, "action=sign_in_failed").await;
    assert!(
        items(&failed).iter().any(|e| e["detail"].as_str().unwrap_or("").contains("disabled")),
        "{:?}",
        failed.body
    );

    // Enabled again, it signs in; the list shows who is disabled.
    let enabled = app.update_user(&coordinator.token, company.user_id, &json!({"disabled": false})).await;
    assert_eq!(enabled.body["disabled"], false);
    assert_eq!(app.log_in(&company.email, PASSWORD).await.status, StatusCode::OK);
    let listed =
        app.get(&format!("/api/v1/users?organization_id={}", company.organization_id), Some(&coordinator.token)).await;
    assert_eq!(listed.body["items"][0]["disabled"], false);
}

/// A token alone must not take an account over: one's own new password needs the current
/// one, and ends every other session (a thief's included) but the one asking.
async fn changing_ones_password_needs_the_current_one_and_ends_other_sessions(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let stolen = app.log_in(&company.email, PASSWORD).await.body["token"].as_str().unwrap().to_string();
    let browser = Session {
        token: app.log_in(&company.email, PASSWORD).await.body["token"].as_str().unwrap().into(),
        ..company.clone()
    };
    let new_password = "a-new-password-2026";

    // Without the current password, or with a wrong one: a 422 naming it, nothing changed.
    let missing = app.update_user(&stolen, company.user_id, &json!({"password": new_password})).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", missing.body);
    assert_eq!(missing.error_fields(), ["current_password"]);
    let wrong = json!({"password": new_password, "current_password": "not-the-password"});
    let wrong = app.update_user(&stolen, company.user_id, &wrong).await;
    assert_eq!(wrong.error_fields(), ["current_password"]);
    assert_eq!(app.log_in(&company.email, PASSWORD).await.status, StatusCode::OK, "the password was not changed");
    for token in [&company.token, &stolen, &browser.token] {
        assert_eq!(app.get("/api/v1/organizations", Some(token)).await.status, StatusCode::OK);
    }

    // With it: the asking token goes on, every other token and page session ends.
    let body = json!({"password": new_password, "current_password": PASSWORD});
    let changed = app.update_user(&company.token, company.user_id, &body).await;
    assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
    assert!(changed.body.get("password").is_none() && changed.body.get("current_password").is_none());
    assert_eq!(app.get("/api/v1/organizations", Some(&company.token)).await.status, StatusCode::OK);
    assert_eq!(app.get("/api/v1/organizations", Some(&stolen)).await.status, StatusCode::UNAUTHORIZED);
    assert_ne!(app.page("/app", Some(&browser)).await.status, StatusCode::OK);
    // Other accounts' sessions are untouched.
    assert_eq!(app.get("/api/v1/organizations", Some(&coordinator.token)).await.status, StatusCode::OK);
    assert_eq!(app.log_in(&company.email, PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.log_in(&company.email, new_password).await.status, StatusCode::OK);
    let audit = app.audit(&coordinator.token, "action=password&entity=user").await;
    assert_eq!(audit.body["total"], 1);
    // The stolen token, the browser's and the sign-in that showed the password unchanged.
    assert!(items(&audit)[0]["detail"].as_str().unwrap().starts_with("3 other sessions revoked"), "{:?}", audit.body);

    // A coordinator changing their own needs it too.
    let own = app.update_user(&coordinator.token, coordinator.user_id, &json!({"password": new_password})).await;
    assert_eq!(own.error_fields(), ["current_password"]);
}

async fn a_coordinator_setting_a_password_ends_every_session_of_the_account(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let browser = Session {
        token: app.log_in(&company.email, PASSWORD).await.body["token"].as_str().unwrap().into(),
        ..company.clone()
    };

    // No current password needed for someone else's account (a wrong one is ignored).
    let body = json!({"password": "set-by-the-centre-2026", "current_password": "whatever"});
    let set = app.update_user(&coordinator.token, company.user_id, &body).await;
    assert_eq!(set.status, StatusCode::OK, "{:?}", set.body);
    assert_eq!(app.get("/api/v1/organizations", Some(&company.token)).await.status, StatusCode::UNAUTHORIZED);
    assert_ne!(app.page("/app", Some(&browser)).await.status, StatusCode::OK);
    assert_eq!(app.get("/api/v1/organizations", Some(&coordinator.token)).await.status, StatusCode::OK);
    assert_eq!(app.log_in(&company.email, "set-by-the-centre-2026").await.status, StatusCode::OK);
}

/// The reset link the outbox holds for `email` (the latest).
async fn reset_link(app: &TestApp, email: &str) -> String {
    let mails = app.notices_of_kind("password_reset").await;
    let (_, payload) = mails.iter().rev().find(|(to, _)| to == email).expect("a reset mail");
    let link = payload["link"].as_str().unwrap();
    let path = &link[link.find("/reset/").unwrap()..];
    path.to_string()
}

async fn a_reset_link_works_once_and_for_a_day(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let school = app.school(&coordinator, "肇庆市技师学院").await;

    // Coordinators for anyone, users for themselves only.
    assert_eq!(app.request_password_reset(&school.token, company.user_id).await.status, StatusCode::NOT_FOUND);
    let queued = app.request_password_reset(&coordinator.token, company.user_id).await;
    assert_eq!(queued.status, StatusCode::ACCEPTED, "{:?}", queued.body);
    assert_eq!(queued.body["email"], company.email.as_str());
    let path = reset_link(&app, &company.email).await;

    let form = app.page(&path, None).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains(&company.email), "the form names the account");
    // Too short: refused, named, nothing changed.
    let short = app.submit(&path, None, &[("password", "short")], &[]).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.log_in(&company.email, PASSWORD).await.status, StatusCode::OK);

    let new_password = "a-new-password-2026";
    let saved = app.submit(&path, None, &[("password", new_password)], &[]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), "/login");
    // Every session ended; the new password works, the old does not.
    assert_eq!(app.get("/api/v1/organizations", Some(&company.token)).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.log_in(&company.email, PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.log_in(&company.email, new_password).await.status, StatusCode::OK);

    // The link is dead now: neither its form nor a second use.
    assert_eq!(app.page(&path, None).await.status, StatusCode::GONE);
    let again = app.submit(&path, None, &[("password", "yet-another-password")], &[]).await;
    assert_eq!(again.status, StatusCode::GONE);
    assert_eq!(app.log_in(&company.email, new_password).await.status, StatusCode::OK);
    // A forged one is no link at all.
    let forged = format!("{}x", path);
    assert_eq!(app.page(&forged, None).await.status, StatusCode::NOT_FOUND);

    // A user asks for their own link; it works for 24 hours, not longer.
    let me = Session {
        token: app.log_in(&company.email, new_password).await.body["token"].as_str().unwrap().into(),
        ..company.clone()
    };
    assert_eq!(app.request_password_reset(&me.token, me.user_id).await.status, StatusCode::ACCEPTED);
    let token = reset_link(&app, &company.email).await.trim_start_matches("/reset/").to_string();
    let links = Links { base_url: app.address.clone(), signer: Signer::load_or_create(&app.db).await.unwrap() };
    let passwords = xiaoqi::services::auth::Passwords::default();
    let password = xiaoqi::domain::user::Password::parse("after-a-day-2026").unwrap();
    let late = Utc::now() + Duration::hours(24) + Duration::minutes(1);
    let expired = xiaoqi::services::users::reset_password(&app.db, &passwords, &links, &token, &password, late).await;
    assert!(matches!(expired, Err(ResetProblem::Token(TokenError::Expired))), "{expired:?}");
    let in_time = Utc::now() + Duration::hours(23);
    let user = xiaoqi::services::users::reset_password(&app.db, &passwords, &links, &token, &password, in_time).await;
    assert_eq!(user.expect("in time").id, company.user_id);
    assert_eq!(app.log_in(&company.email, "after-a-day-2026").await.status, StatusCode::OK);

    let audit = app.audit(&coordinator.token, "action=password_reset").await;
    assert_eq!(audit.body["total"], 2, "{:?}", audit.body);
}
