//! Roster import over the API: files the tests generate (xlsx, CSV in UTF-8, UTF-8 with BOM and GBK), on both backends.

use crate::helpers::{Reply, Session, TestApp};
use crate::on_both_backends;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

on_both_backends!(
    an_xlsx_imports_and_the_same_file_again_changes_nothing,
    csv_in_utf8_with_a_bom_and_in_gbk,
    every_excel_trap_says_how_to_fix_it,
    aliases_and_unknown_columns,
    all_or_nothing_writes_nothing,
    who_imports_where,
    limits_answer_413,
    the_template_imports_once_filled_in,
    the_page_previews_runs_and_hands_back_the_rows_to_fix,
    the_upload_page_names_what_is_wrong,
    the_command_line_imports_too,
);

crate::in_browser!(a_teacher_imports_a_gbk_csv_in_the_browser);

/// A cell of a generated workbook.
#[derive(Debug, Clone)]
pub enum C {
    T(String),
    N(f64),
    /// A date-formatted cell.
    D(u16, u8, u8),
    Blank,
}

pub fn t(text: &str) -> C {
    C::T(text.to_string())
}

/// A workbook of one sheet with `rows` from A1 (cells `C::Blank` are left empty).
pub fn xlsx(rows: &[Vec<C>]) -> Vec<u8> {
    xlsx_with(rows, |_| {})
}

/// [`xlsx`], then `more` on the sheet (merges, formatted empty rows).
pub fn xlsx_with(rows: &[Vec<C>], more: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                C::T(text) => {
                    sheet.write_string(r, c, text).unwrap();
                }
                C::N(n) => {
                    sheet.write_number(r, c, *n).unwrap();
                }
                C::D(y, m, d) => {
                    let day = rust_xlsxwriter::ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                    sheet.write_datetime_with_format(r, c, &day, &date).unwrap();
                }
                C::Blank => {}
            }
        }
    }
    more(sheet);
    workbook.save_to_buffer().unwrap()
}

/// A CSV file of `rows` (fields with commas or quotes are quoted).
pub fn csv(rows: &[&[&str]]) -> String {
    rows.iter()
        .map(|row| {
            row.iter()
                .map(|f| {
                    if f.contains([',', '"', '\n']) { format!("\"{}\"", f.replace('"', "\"\"")) } else { f.to_string() }
                })
                .collect::<Vec<_>>()
                .join(",")
        })
        .map(|line| line + "\r\n")
        .collect()
}

/// `POST /graduates/import?{query}` with `bytes` as the file `file_name`.
pub async fn upload(app: &TestApp, token: &str, query: &str, file_name: &str, bytes: Vec<u8>) -> Reply {
    upload_with(app, token, query, Form::new().part("file", Part::bytes(bytes).file_name(file_name.to_string()))).await
}

pub async fn upload_with(app: &TestApp, token: &str, query: &str, form: Form) -> Reply {
    let response = app
        .client
        .post(app.url(&format!("/api/v1/graduates/import?{query}")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    Reply::from_response(response).await
}

/// A school of a fresh world (and the coordinator who made it).
async fn school(app: &TestApp) -> (Session, Session) {
    let coordinator = app.coordinator().await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    (coordinator, school)
}

/// The school's roster as the database holds it: (学号, name, phone, consent), by 学号.
pub async fn roster(app: &TestApp, school: i64) -> Vec<(String, String, Option<String>, bool)> {
    let mut conn = app.db.read().await.unwrap();
    xiaoqi::store::on_backend!(&mut conn, |e| sqlx::query_as(
        "SELECT student_no, name, phone, consent FROM graduates WHERE organization_id = $1 ORDER BY student_no"
    )
    .bind(school)
    .fetch_all(e)
    .await)
    .unwrap()
}

/// `SELECT COUNT(*)` of a fixed statement.
pub async fn count(app: &TestApp, sql: &'static str) -> i64 {
    let mut conn = app.db.read().await.unwrap();
    xiaoqi::store::on_backend!(&mut conn, |e| sqlx::query_scalar::<_, i64>(sql).fetch_one(e).await).unwrap()
}

/// The report's counts: (new, updated, unchanged, invalid).
#[track_caller]
pub fn counts(reply: &Reply) -> (i64, i64, i64, i64) {
    let n = |k: &str| reply.body[k].as_i64().unwrap_or_else(|| panic!("{k} in {:?}", reply.body));
    (n("new"), n("updated"), n("unchanged"), n("invalid"))
}

/// The report's errors as (row, column, message).
pub fn errors(reply: &Reply) -> Vec<(i64, String, String)> {
    reply.body["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["row"].as_i64().unwrap(),
                        e["column"].as_str().unwrap().to_string(),
                        e["message"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The error at `row` and `column`; fails naming every error otherwise.
#[track_caller]
pub fn error_at(reply: &Reply, row: i64, column: &str) -> String {
    let all = errors(reply);
    all.iter()
        .find(|(r, c, _)| *r == row && c == column)
        .map(|(_, _, m)| m.clone())
        .unwrap_or_else(|| panic!("no error at row {row}, column {column}: {all:#?}"))
}

fn header() -> Vec<C> {
    ["学号", "姓名", "性别", "身份证号", "专业名称", "学历层次", "届别", "联系电话", "电子邮箱", "技能", "同意推荐"]
        .iter()
        .map(|h| t(h))
        .collect()
}

fn graduate(no: &str, name: &str, phone: &str, consent: &str) -> Vec<C> {
    [no, name, "", "", "机电一体化", "中职", "2026届", phone, "", "PLC、CAD", consent]
        .iter()
        .map(|v| if v.is_empty() { C::Blank } else { t(v) })
        .collect()
}

async fn an_xlsx_imports_and_the_same_file_again_changes_nothing(app: TestApp) {
    let (_, school) = school(&app).await;
    let mut first = graduate("2023001", "李明", "13800138000", "是");
    first[2] = t("女");
    first[3] = t("11010519491231002X");
    let rows = vec![
        header(),
        first,
        graduate("2023002", "王芳", "13900139000", "否"),
        graduate("2023003", "张伟", "13700137000", "是"),
    ];
    let file = xlsx(&rows);

    // The preview writes nothing.
    let dry = upload(&app, &school.token, "dry_run=true", "名单.xlsx", file.clone()).await;
    assert_eq!(dry.status, StatusCode::OK, "{:?}", dry.body);
    assert_eq!(counts(&dry), (3, 0, 0, 0));
    assert_eq!(dry.body["written"], false);
    assert_eq!(app.count_rows("graduates").await, 0);

    let changes_before = app.count_rows("changes").await;
    let done = upload(&app, &school.token, "", "名单.xlsx", file.clone()).await;
    assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
    assert_eq!(counts(&done), (3, 0, 0, 0));
    assert_eq!(done.body["written"], true);
    let stored = roster(&app, school.organization_id).await;
    assert_eq!(
        stored,
        [
            ("2023001".into(), "李明".into(), Some("13800138000".into()), true),
            ("2023002".into(), "王芳".into(), Some("13900139000".into()), false),
            ("2023003".into(), "张伟".into(), Some("13700137000".into()), true),
        ]
    );
    // Each new graduate logged for the search index, and the consent two of them gave.
    assert_eq!(app.count_rows("changes").await, changes_before + 5);
    // Consent recorded for the two who gave it, as given by import, by the teacher.
    assert_eq!(count(&app, "SELECT COUNT(*) FROM consent_records WHERE method = 'import' AND given").await, 2);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM consent_records").await, 2);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_entries WHERE action = 'import'").await, 1);
    // The answers show what the API stores, the ID masked as always.
    let search = app.get("/api/v1/graduates?q=李明", Some(&school.token)).await;
    assert_eq!(search.status, StatusCode::OK);

    // The same file again: nothing changes, nothing is written.
    let again = upload(&app, &school.token, "", "名单.xlsx", file).await;
    assert_eq!(counts(&again), (0, 0, 3, 0), "{:?}", again.body);
    assert_eq!(app.count_rows("changes").await, changes_before + 5);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM consent_records").await, 2);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_entries WHERE action = 'import'").await, 1);

    // An edited file updates by 学号: a new phone, a withdrawn consent, one more graduate.
    let edited = vec![
        header(),
        graduate("2023001", "李明", "13800138001", "是"),
        graduate("2023002", "王芳", "13900139000", "否"),
        graduate("2023003", "张伟", "13700137000", "否"),
        graduate("2023004", "刘洋", "13600136000", ""),
    ];
    let edited = upload(&app, &school.token, "", "名单.xlsx", xlsx(&edited)).await;
    assert_eq!(counts(&edited), (1, 2, 1, 0), "{:?}", edited.body);
    let stored = roster(&app, school.organization_id).await;
    assert_eq!(stored[0].2.as_deref(), Some("13800138001"));
    assert!(!stored[2].3, "consent withdrawn");
    assert!(!stored[3].3, "a blank consent is no consent");
    // Two updated (one with its withdrawal recorded), one new.
    assert_eq!(app.count_rows("changes").await, changes_before + 9);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM consent_records WHERE method = 'import' AND NOT given").await,
        1,
        "the withdrawal is recorded"
    );
    // The update kept what the file did not say: the ID number and gender of 2023001.
    let id = count(&app, "SELECT id FROM graduates WHERE student_no = '2023001'").await;
    let one = app.get(&format!("/api/v1/graduates/{id}"), Some(&school.token)).await;
    assert_eq!(one.body["id_number"], "1101**********002X");
    assert_eq!(one.body["gender"], "female");
    assert_eq!(one.body["education"], "secondary_vocational");
    assert_eq!(one.body["graduation_year"], 2026);
    assert_eq!(one.body["skills"], serde_json::json!(["PLC", "CAD"]));
}

async fn csv_in_utf8_with_a_bom_and_in_gbk(app: TestApp) {
    let (_, school) = school(&app).await;
    let text = |no: &str| {
        csv(&[
            &["学号", "姓名", "专业", "学历", "毕业年份", "手机", "意向地区"],
            &[no, "陈静", "数控技术", "技校", "2026", "13500135000", "肇庆新区，端州区"],
        ])
    };
    let utf8 = text("2023101").into_bytes();
    let bom = [b"\xEF\xBB\xBF".as_slice(), text("2023102").as_bytes()].concat();
    let gbk_text = text("2023103");
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&gbk_text);
    assert!(!unmappable);
    for (bytes, name) in [(utf8, "utf8.csv"), (bom, "bom.csv"), (gbk.into_owned(), "gbk.csv")] {
        let reply = upload(&app, &school.token, "", name, bytes).await;
        assert_eq!(counts(&reply), (1, 0, 0, 0), "{name}: {:?}", reply.body);
    }
    let stored = roster(&app, school.organization_id).await;
    let names: Vec<(&str, &str)> = stored.iter().map(|(no, name, ..)| (no.as_str(), name.as_str())).collect();
    assert_eq!(names, [("2023101", "陈静"), ("2023102", "陈静"), ("2023103", "陈静")]);
}

async fn every_excel_trap_says_how_to_fix_it(app: TestApp) {
    let (_, school) = school(&app).await;
    let head = ["学号", "姓名", "专业", "学历", "毕业年份", "身份证号", "出生日期", "手机"];
    let row = |no: C, name: &str, id: C, birth: C, phone: C| {
        vec![no, t(name), t("机电一体化"), t("大专"), t("2026"), id, birth, phone]
    };
    let rows = vec![
        // 1: a title merged over the columns; 2: blank; 3: the header.
        vec![t("肇庆技师学院2026届毕业生名单")],
        vec![],
        head.iter().map(|h| t(h)).collect(),
        // 4: fine
        row(t("0012301"), "李明", t("11010519491231002X"), C::D(1949, 12, 31), t("13800138000")),
        // 5: an ID number stored as a number
        row(t("0012302"), "王芳", C::N(440106199001011000.0), C::Blank, C::Blank),
        // 6: …shown in scientific notation (as a CSV from Excel has it)
        row(t("0012303"), "张伟", t("4.40106E+17"), C::Blank, C::Blank),
        // 7: …with its last digits turned to 000
        row(t("0012304"), "刘洋", t("440106199001011000"), C::Blank, C::Blank),
        // 8: a date as a serial number
        row(t("0012305"), "陈静", C::Blank, C::N(38113.0), C::Blank),
        // 9: a 学号 that lost its leading zeros
        row(C::N(12306.0), "杨帆", C::Blank, C::Blank, C::Blank),
        // 10: a landline that lost its 0
        row(t("0012307"), "赵磊", C::Blank, C::Blank, C::N(7582712345.0)),
        // 11: full-width digits and spaces: imported as meant
        row(
            t("００１２３０８"),
            "黄　丽",
            t("１１０１０５１９４９１２３１００２Ｘ"),
            C::Blank,
            t("　１３８００１３８００１　"),
        ),
    ];
    let file = xlsx_with(&rows, |sheet| {
        let title = rust_xlsxwriter::Format::new().set_bold();
        sheet.merge_range(0, 0, 0, 7, "肇庆技师学院2026届毕业生名单", &title).unwrap();
        // Formatted empty rows at the end, as Excel leaves them.
        for r in 11..60 {
            sheet.write_blank(r, 0, &title).unwrap();
        }
    });
    let reply = upload(&app, &school.token, "dry_run=true", "名单.xlsx", file).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(counts(&reply), (2, 0, 0, 6), "{:#?}", errors(&reply));
    let fix = "请将该列设为文本后重新导出";
    for row in [5, 6, 7] {
        assert!(error_at(&reply, row, "身份证号").contains(fix), "row {row}");
    }
    let serial = error_at(&reply, 8, "出生日期");
    assert!(serial.contains("2004-05-06") && serial.contains("设置为日期格式"), "{serial}");
    let zeros = error_at(&reply, 9, "学号");
    assert!(zeros.contains("开头的 0") && zeros.contains("设为文本"), "{zeros}");
    assert!(error_at(&reply, 10, "手机").contains("区号"));
    // Each message is bilingual, English first.
    assert!(error_at(&reply, 5, "身份证号").starts_with("the ID number was stored as a number"));
    assert_eq!(errors(&reply).len(), 6, "{:#?}", errors(&reply));

    let done = upload(&app, &school.token, "", "名单.xlsx", xlsx(&rows)).await;
    assert_eq!(counts(&done).0, 2, "{:?}", done.body);
    let stored = roster(&app, school.organization_id).await;
    assert_eq!(
        stored.iter().map(|(no, name, phone, _)| (no.as_str(), name.as_str(), phone.as_deref())).collect::<Vec<_>>(),
        [("0012301", "李明", Some("13800138000")), ("0012308", "黄丽", Some("13800138001"))]
    );

    // A CSV has the same traps as text; and a repeated 学号 names the first row.
    let text = csv(&[
        &["学号", "姓名", "专业", "学历", "毕业年份", "身份证号", "出生日期"],
        &["2023201", "李明", "机电", "大专", "2026", "4.40106E+17", ""],
        &["2023202", "王芳", "机电", "大专", "2026", "", "38113"],
        &["2023202", "张伟", "机电", "大专", "2026", "", ""],
    ]);
    let reply = upload(&app, &school.token, "dry_run=true", "名单.csv", text.into_bytes()).await;
    assert!(error_at(&reply, 2, "身份证号").contains(fix));
    assert!(error_at(&reply, 3, "出生日期").contains("2004-05-06"));
    assert!(error_at(&reply, 4, "学号").contains("第3行"));
}

async fn aliases_and_unknown_columns(app: TestApp) {
    let (_, school) = school(&app).await;
    let text = csv(&[
        &[
            "No.",
            "Student No",
            "Name",
            "Major",
            "Education",
            "Graduation year",
            "Mobile",
            "E-mail",
            "家庭住址",
            "Consent",
        ],
        &["1", "S001", "Li Ming", "Mechatronics", "associate", "2026", "13800138000", "LI@EXAMPLE.CN", "端州区", "yes"],
        &["2", "S002", "Wang Fang", "CNC", "高职", "2026", "", "", "鼎湖区", "no"],
    ]);
    let reply = upload(&app, &school.token, "", "roster.csv", text.into_bytes()).await;
    assert_eq!(counts(&reply), (2, 0, 0, 0), "{:?}", reply.body);
    // The unknown column is reported at the header, not silently dropped; 序号/No. is not.
    assert_eq!(errors(&reply).len(), 1, "{:?}", errors(&reply));
    let unknown = error_at(&reply, 1, "家庭住址");
    assert!(unknown.contains("未导入"), "{unknown}");
    assert_eq!(reply.body["errors"][0]["field"], "file");
    let stored = roster(&app, school.organization_id).await;
    assert_eq!(stored[0], ("S001".into(), "Li Ming".into(), Some("13800138000".into()), true));
    assert!(!stored[1].3);

    // Row errors name the file's column and the API field; required cells are named.
    let text = csv(&[&["学号", "姓名", "专业", "学历", "毕业年份"], &["S003", "", "机电", "大学", "二〇二六"]]);
    let reply = upload(&app, &school.token, "dry_run=true", "roster.csv", text.into_bytes()).await;
    assert_eq!(counts(&reply), (0, 0, 0, 1));
    assert!(error_at(&reply, 2, "学历").contains("中专（中职）"));
    assert!(error_at(&reply, 2, "毕业年份").contains("2026"));
    assert!(error_at(&reply, 2, "姓名").contains("必填"));
    let fields: Vec<&str> =
        reply.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"education") && fields.contains(&"name"), "{fields:?}");

    // No 学号 column: nothing can be imported, said once.
    let text = csv(&[
        &["姓名", "专业", "学历", "毕业年份"],
        &["李明", "机电", "大专", "2026"],
        &["王芳", "机电", "大专", "2026"],
    ]);
    let reply = upload(&app, &school.token, "", "roster.csv", text.into_bytes()).await;
    assert_eq!(counts(&reply), (0, 0, 0, 2));
    assert!(error_at(&reply, 1, "学号").contains("缺少「学号」列"));
    // A file that is not a spreadsheet at all.
    let reply = upload(&app, &school.token, "", "photo.png", b"\x89PNG\r\n\x1a\n\0\0\0".to_vec()).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.error_fields(), ["file"]);
}

async fn all_or_nothing_writes_nothing(app: TestApp) {
    let (_, school) = school(&app).await;
    let text = csv(&[
        &["学号", "姓名", "专业", "学历", "毕业年份"],
        &["2023301", "李明", "机电", "大专", "2026"],
        &["2023302", "王芳", "机电", "幼儿园", "2026"],
    ]);
    let reply = upload(&app, &school.token, "mode=all_or_nothing", "a.csv", text.clone().into_bytes()).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", reply.body);
    assert_eq!(reply.content_type, "application/problem+json");
    assert_eq!(counts(&reply), (1, 0, 0, 1));
    assert_eq!(reply.body["written"], false);
    assert!(error_at(&reply, 3, "学历").contains("幼儿园"));
    assert_eq!(app.count_rows("graduates").await, 0);
    // A dry run says the same with a 200; valid_rows imports the good row.
    let dry = upload(&app, &school.token, "mode=all_or_nothing&dry_run=true", "a.csv", text.clone().into_bytes()).await;
    assert_eq!((dry.status, counts(&dry)), (StatusCode::OK, (1, 0, 0, 1)));
    let some = upload(&app, &school.token, "mode=valid_rows", "a.csv", text.into_bytes()).await;
    assert_eq!((some.status, counts(&some)), (StatusCode::OK, (1, 0, 0, 1)));
    assert_eq!(app.count_rows("graduates").await, 1);
    // Bad query parameters are named.
    let bad = upload(&app, &school.token, "mode=some&dry_run=maybe", "a.csv", b"x".to_vec()).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields = bad.error_fields();
    fields.sort();
    assert_eq!(fields, ["dry_run", "mode"]);
}

async fn who_imports_where(app: TestApp) {
    let (coordinator, school) = school(&app).await;
    let other = app.school(&coordinator, "肇庆工贸学校").await;
    let company = app.company(&coordinator, "奥士康科技", crate::helpers::CODE_A).await;
    let file = || csv(&[&["学号", "姓名", "专业", "学历", "毕业年份"], &["2023401", "李明", "机电", "大专", "2026"]]);
    let form = |org: Option<i64>| {
        let form = Form::new().part("file", Part::bytes(file().into_bytes()).file_name("a.csv"));
        match org {
            Some(org) => form.text("organization_id", org.to_string()),
            None => form,
        }
    };
    // A coordinator names the school; without it, a 422 naming organization_id.
    let missing = upload_with(&app, &coordinator.token, "", form(None)).await;
    assert_eq!(
        (missing.status, missing.error_fields()),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["organization_id".to_string()])
    );
    let not_a_school = upload_with(&app, &coordinator.token, "", form(Some(company.organization_id))).await;
    assert_eq!(not_a_school.error_fields(), ["organization_id"]);
    let done = upload_with(&app, &coordinator.token, "", form(Some(other.organization_id))).await;
    assert_eq!(counts(&done), (1, 0, 0, 0), "{:?}", done.body);
    assert_eq!(roster(&app, other.organization_id).await.len(), 1);
    // A school imports into its own roster only; a company not at all.
    let elsewhere = upload_with(&app, &school.token, "", form(Some(other.organization_id))).await;
    assert_eq!(elsewhere.error_fields(), ["organization_id"]);
    let refused = upload_with(&app, &company.token, "", form(None)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let anonymous = app.client.post(app.url("/api/v1/graduates/import")).multipart(form(None)).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    // The same 学号 in another school is another graduate.
    let own = upload_with(&app, &school.token, "", form(None)).await;
    assert_eq!(counts(&own), (1, 0, 0, 0));
    // Not multipart, no file, an unknown field.
    let json = app.post("/api/v1/graduates/import", Some(&school.token), &serde_json::json!({})).await;
    assert_eq!(json.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let no_file = upload_with(&app, &school.token, "", Form::new().text("organization_id", "1")).await;
    assert!(no_file.error_fields().contains(&"file".to_string()), "{:?}", no_file.body);
    let unknown = upload_with(&app, &school.token, "", form(None).text("colour", "red")).await;
    assert_eq!(unknown.error_fields(), ["colour"]);
}

async fn limits_answer_413(app: TestApp) {
    let (_, school) = school(&app).await;
    // More rows than allowed (a small file).
    let mut text = String::from("学号,姓名\n");
    for i in 0..100_001 {
        text.push_str(&format!("{i},李\n"));
    }
    let reply = upload(&app, &school.token, "dry_run=true", "big.csv", text.into_bytes()).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE, "{:?}", reply.body);
    assert!(reply.body["detail"].as_str().unwrap().contains("10 万行"), "{:?}", reply.body);
    // More bytes than allowed.
    let bytes = vec![b'a'; xiaoqi::services::import::MAX_BYTES + 1];
    let reply = upload(&app, &school.token, "dry_run=true", "big.csv", bytes).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE, "{:?}", reply.body);
    assert!(reply.body["detail"].as_str().unwrap().contains("20 MB"), "{:?}", reply.body);
    assert_eq!(app.count_rows("graduates").await, 0);
}

async fn the_template_imports_once_filled_in(app: TestApp) {
    let (_, school) = school(&app).await;
    let response = app.client.get(app.url("/api/v1/graduates/import/template.xlsx")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.contains("attachment") && disposition.contains(".xlsx"), "{disposition}");
    let template = response.bytes().await.unwrap().to_vec();
    let sheets = xiaoqi::sheets::read(&template, Some("t.xlsx"), 10).unwrap();
    let header: Vec<String> = sheets[0].rows[0].cells.iter().map(|c| c.shown()).collect();
    for column in ["学号", "姓名", "性别", "身份证号", "专业", "学历", "毕业年份", "手机", "同意推荐"]
    {
        assert!(header.contains(&column.to_string()), "{column} in {header:?}");
    }
    assert!(sheets[0].rows[1].cells[0].shown().starts_with("【填写说明】"));

    // Filled in below the notes row (left in place), it imports one graduate.
    let mut rows: Vec<Vec<C>> =
        sheets[0].rows.iter().map(|r| r.cells.iter().map(|c| t(&c.shown())).collect()).collect();
    let value = |column: &str| -> Option<&str> {
        Some(match column {
            "学号" => "2023501",
            "姓名" => "李明",
            "专业" => "机电一体化",
            "学历" => "大专",
            "毕业年份" => "2026",
            "同意推荐" => "是",
            _ => return None,
        })
    };
    rows.push(header.iter().map(|h| value(h).map_or(C::Blank, t)).collect());
    let reply = upload(&app, &school.token, "", "毕业生名单模板.xlsx", xlsx(&rows)).await;
    assert_eq!(counts(&reply), (1, 0, 0, 0), "{:?}", reply.body);
    assert!(errors(&reply).is_empty(), "{:?}", errors(&reply));
    let _: Value = reply.body;
}

// ---- The import page ----

/// A browser without script: redirects not followed, the session as a cookie.
fn browser() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// `POST /app/graduates/import` as the form sends it.
async fn page_upload(app: &TestApp, session: &Session, form: Form, lang: &str) -> crate::helpers::Html {
    let response = browser()
        .post(app.url("/app/graduates/import"))
        .header("accept", "text/html")
        .header("cookie", format!("xiaoqi_session={}; lang={lang}", session.token))
        .multipart(form)
        .send()
        .await
        .unwrap();
    html(response).await
}

async fn html(response: reqwest::Response) -> crate::helpers::Html {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.text().await.unwrap();
    crate::helpers::Html { status, headers, body }
}

fn file_form(name: &str, bytes: Vec<u8>) -> Form {
    Form::new().part("file", Part::bytes(bytes).file_name(name.to_string())).text("mode", "valid_rows")
}

/// GET a download as the signed-in browser.
async fn download(app: &TestApp, session: &Session, path: &str) -> (StatusCode, String, Vec<u8>) {
    let response = browser()
        .get(app.url(path))
        .header("cookie", format!("xiaoqi_session={}", session.token))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let kind = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    (status, kind, response.bytes().await.unwrap().to_vec())
}

/// Run a staged import from its page and wait until the page says it is done; the first
/// page after the click is returned too (it may still be running).
async fn run_staged(app: &TestApp, session: &Session, at: &str) -> (crate::helpers::Html, crate::helpers::Html) {
    let clicked = app.submit(at, Some(session), &[], &[]).await;
    assert_eq!(clicked.status, StatusCode::SEE_OTHER, "{}", clicked.body);
    assert_eq!(clicked.location(), at);
    let first = app.page(at, Some(session)).await;
    for _ in 0..300 {
        let now = app.page(at, Some(session)).await;
        if now.body.contains("data-state=\"done\"") {
            return (first, now);
        }
        assert!(now.body.contains("data-state=\"running\""), "{}", now.body);
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the import did not finish within 30 s");
}

async fn the_page_previews_runs_and_hands_back_the_rows_to_fix(app: TestApp) {
    let (coordinator, school) = school(&app).await;
    let form = app.page("/app/graduates/import", Some(&school)).await;
    assert_eq!(form.status, StatusCode::OK);
    for expected in
        ["enctype=\"multipart/form-data\"", "/api/v1/graduates/import/template.xlsx", "身份证号码", "能识别的列"]
    {
        assert!(form.body.contains(expected), "{expected}");
    }
    assert!(!form.body.contains("name=\"organization_id\""), "a school imports into its own roster");

    // A GBK CSV, as Chinese Excel saves it, with two rows in error.
    let text = csv(&[
        &["学号", "姓名", "专业", "学历", "毕业年份", "身份证号"],
        &["2023601", "李明", "机电一体化", "大专", "2026", ""],
        &["2023602", "王芳", "机电一体化", "幼儿园", "2026", ""],
        &["2023603", "张伟", "数控技术", "中职", "2026", "4.40106E+17"],
    ]);
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let staged = page_upload(&app, &school, file_form("名单.csv", gbk.into_owned()), "zh").await;
    assert_eq!(staged.status, StatusCode::SEE_OTHER, "{}", staged.body);
    let at = staged.location().to_string();
    assert!(at.starts_with("/app/graduates/import/"), "{at}");
    assert_eq!(app.count_rows("graduates").await, 0, "a preview writes nothing");

    let preview = app.page(&at, Some(&school)).await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(preview.body.contains("data-state=\"staged\""));
    for expected in
        ["第3行", "学历「幼儿园」无法识别", "第4行", "请将该列设为文本后重新导出", "导入 1 条有效记录", "errors.xlsx"]
    {
        assert!(preview.body.contains(expected), "{expected} in the preview");
    }
    assert!(!preview.body.contains("http-equiv=\"refresh\""));
    let english = app.page(&format!("{at}?lang=en"), Some(&school)).await;
    for expected in ["Row 3", "is not an education level", "Set the column to Text", "Import 1 valid rows"] {
        assert!(english.body.contains(expected), "{expected} in the English preview");
    }
    // Another school does not see it; the coordinator does.
    let other = app.school(&coordinator, "肇庆工贸学校").await;
    assert_eq!(app.page(&at, Some(&other)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(download(&app, &other, &format!("{at}/errors.xlsx")).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.page(&at, Some(&coordinator)).await.status, StatusCode::OK);

    let (_, done) = run_staged(&app, &school, &at).await;
    assert!(done.body.contains("/app/graduates\""), "a link to the roster");
    assert!(done.body.contains("已导入：新增 1 人"), "{}", done.body);
    assert_eq!(roster(&app, school.organization_id).await.len(), 1);
    // A second click changes nothing.
    let again = app.submit(&at, Some(&school), &[], &[]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(roster(&app, school.organization_id).await.len(), 1);

    // The rows to fix, as uploaded, with the reasons.
    let (status, kind, workbook) = download(&app, &school, &format!("{at}/errors.xlsx")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.contains("spreadsheetml"), "{kind}");
    let sheets = xiaoqi::sheets::read(&workbook, Some("errors.xlsx"), 100).unwrap();
    let rows: Vec<Vec<String>> = sheets[0].rows.iter().map(|r| r.cells.iter().map(|c| c.shown()).collect()).collect();
    assert_eq!(rows[0], ["学号", "姓名", "专业", "学历", "毕业年份", "身份证号", "错误原因"]);
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(rows[1][..5], ["2023602", "王芳", "机电一体化", "幼儿园", "2026"]);
    assert!(rows[1][6].starts_with("学历：") && rows[1][6].contains("无法识别"), "{}", rows[1][6]);
    assert_eq!(rows[2][5], "4.40106E+17");
    assert!(rows[2][6].contains("请将该列设为文本后重新导出"), "{}", rows[2][6]);

    // Fixed in the workbook (the reasons column left in) and uploaded again: imported.
    let mut fixed = rows.clone();
    fixed[1][3] = "大专".into();
    fixed[2][5] = "11010519491231002X".into();
    let cells: Vec<Vec<C>> =
        fixed.iter().map(|r| r.iter().map(|v| if v.is_empty() { C::Blank } else { t(v) }).collect()).collect();
    let staged = page_upload(&app, &school, file_form("名单-错误行.xlsx", xlsx(&cells)), "zh").await;
    let at = staged.location().to_string();
    let preview = app.page(&at, Some(&school)).await;
    assert!(preview.body.contains("导入 2 条有效记录"), "{}", preview.body);
    assert!(!preview.body.contains("import-errors-table"), "no errors: 错误原因 is understood");
    run_staged(&app, &school, &at).await;
    assert_eq!(roster(&app, school.organization_id).await.len(), 3);

    // A larger file shows its progress while it runs (the page refreshes itself).
    let mut rows =
        vec![vec!["学号", "姓名", "专业", "学历", "毕业年份"].into_iter().map(String::from).collect::<Vec<_>>()];
    for i in 0..6_000 {
        rows.push(vec![format!("B{i:05}"), "李明".into(), "机电一体化".into(), "大专".into(), "2026".into()]);
    }
    let refs: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
    let refs: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
    let staged = page_upload(&app, &school, file_form("big.csv", csv(&refs).into_bytes()), "zh").await;
    let at = staged.location().to_string();
    let (first, done) = run_staged(&app, &school, &at).await;
    if first.body.contains("data-state=\"running\"") {
        assert!(first.body.contains("<meta http-equiv=\"refresh\" content=\"1\">"), "{}", first.body);
        assert!(first.body.contains("<progress"), "{}", first.body);
    }
    assert!(done.body.contains("已导入：新增 6000 人"), "{}", done.body);
    assert!(!done.body.contains("http-equiv=\"refresh\""));
}

async fn the_upload_page_names_what_is_wrong(app: TestApp) {
    let (coordinator, school) = school(&app).await;
    let company = app.company(&coordinator, "奥士康科技", crate::helpers::CODE_A).await;
    assert_eq!(app.page("/app/graduates/import", Some(&company)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.page("/app/graduates/import", None).await.status, StatusCode::SEE_OTHER);

    // No file chosen (a browser sends an empty part).
    let empty = Form::new().part("file", Part::bytes(Vec::new()).file_name("")).text("mode", "valid_rows");
    let reply = page_upload(&app, &school, empty, "zh").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("请选择要上传的文件"));
    // Not a spreadsheet.
    let reply = page_upload(&app, &school, file_form("photo.png", b"\x89PNG\r\n\x1a\n\0\0".to_vec()), "en").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("is not a spreadsheet"), "{}", reply.body);
    // Too large: the form again, saying the limits.
    let big = vec![b'a'; xiaoqi::services::import::MAX_BYTES + 1];
    let reply = page_upload(&app, &school, file_form("big.csv", big), "zh").await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(reply.body.contains("20 MB") && reply.body.contains("拆分"), "{}", reply.body);
    // A coordinator chooses the school.
    let page = app.page("/app/graduates/import", Some(&coordinator)).await;
    assert!(page.body.contains("name=\"organization_id\"") && page.body.contains("肇庆技师学院"));
    let file =
        || csv(&[&["学号", "姓名", "专业", "学历", "毕业年份"], &["1", "李明", "机电", "大专", "2026"]]).into_bytes();
    let reply = page_upload(&app, &coordinator, file_form("a.csv", file()), "zh").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("field-organization_id"));
    let form = file_form("a.csv", file()).text("organization_id", school.organization_id.to_string());
    let reply = page_upload(&app, &coordinator, form, "zh").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let preview = app.page(reply.location(), Some(&coordinator)).await;
    assert!(preview.body.contains("肇庆技师学院"), "the coordinator sees whose roster");
}

// ---- In a browser ----

const UPLOAD_FORM: &str = "main form.import-form";

async fn a_teacher_imports_a_gbk_csv_in_the_browser(app: TestApp, browser: crate::browser::Browser) {
    let (coordinator, school) = school(&app).await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", crate::helpers::CODE_A).await;
    for title in ["设备维修技术员", "PLC调试技术员", "自动化产线操作工"] {
        let body = crate::helpers::posting_with(serde_json::json!({"title": title, "majors": ["机电一体化"]}));
        app.create_posting(&company.token, &body).await.created_id();
    }
    browser.goto("/login").await;
    browser.fill("main form[action=\"/login\"]", "email", &school.email).await;
    browser.fill("main form[action=\"/login\"]", "password", crate::helpers::PASSWORD).await;
    browser.submit("main form[action=\"/login\"]").await;
    browser.check_page("import", "/app/graduates/import").await;

    // The template the page offers is a workbook with the columns the importer reads.
    let template = browser.attr("main a[href$=\"template.xlsx\"]", "href").await.expect("a template link");
    let (status, bytes) = browser.download(&template).await;
    assert_eq!(status, 200);
    let sheets = xiaoqi::sheets::read(&bytes, Some("template.xlsx"), 100).expect("the template reads back");
    let headers: Vec<String> = sheets[0].rows[0].cells.iter().map(|c| c.shown()).collect();
    for wanted in ["学号", "姓名", "专业", "学历", "毕业年份", "身份证号", "同意推荐"] {
        assert!(headers.iter().any(|h| h.contains(wanted)), "{wanted} in {headers:?}");
    }

    // Submitting without a file is stopped by the browser (`required`); the server says it too.
    let text = csv(&[
        &["2026届毕业生名单"],
        &["学号", "姓名", "专业", "学历", "毕业年份", "身份证号", "出生日期", "手机"],
        &["0023701", "李明", "机电一体化", "大专", "2026", "", "", "13800138000"],
        &["0023702", "王芳", "机电一体化", "幼儿园", "2026", "", "", ""],
        &["0023703", "张伟", "数控技术", "中职", "2026", "4.40106E+17", "", ""],
        &["0023704", "陈静", "数控技术", "中职", "2026", "", "38113", ""],
        &["23705", "杨帆", "数控技术", "中职", "2026", "", "", ""],
        &["0023706", "赵磊", "数控技术", "中职", "2026", "", "", "7582712345"],
    ]);
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("名单.csv");
    std::fs::write(&path, &gbk).unwrap();
    browser.goto("/app/graduates/import").await;
    browser
        .find(&format!("{UPLOAD_FORM} input[type=file]"))
        .await
        .send_keys(&path.display().to_string())
        .await
        .unwrap();
    browser.submit(UPLOAD_FORM).await;
    let preview = browser.path().await;
    assert!(preview.starts_with("/app/graduates/import/"), "{preview}");
    assert_eq!(browser.text("main .import-counts .new .stat").await, "1");
    assert_eq!(browser.text("main .import-counts .invalid .stat").await, "5");
    let rows = browser.texts("main .import-errors-table tbody tr").await;
    assert!(rows.iter().any(|r| r.contains("第4行") && r.contains("学历") && r.contains("幼儿园")), "{rows:#?}");
    assert!(rows.iter().any(|r| r.contains("请将该列设为文本后重新导出")), "{rows:#?}");
    browser.check_page("import-preview", &preview).await;

    // The rows to fix come back as a workbook: as uploaded, with the reason beside each.
    let errors = browser.attr("main a[href$=\"errors.xlsx\"]", "href").await.expect("an error workbook link");
    let (status, bytes) = browser.download(&errors).await;
    assert_eq!(status, 200);
    let sheet =
        xiaoqi::sheets::read(&bytes, Some("errors.xlsx"), 100).expect("the error workbook reads back").remove(0);
    let rows: Vec<Vec<String>> = sheet.rows.iter().map(|r| r.cells.iter().map(|c| c.shown()).collect()).collect();
    let reason = rows[0].iter().position(|h| h == "错误原因").expect("a 错误原因 column");
    assert_eq!(rows.len(), 6, "a header and the five rejected rows: {rows:#?}");
    assert!(rows[1..].iter().all(|r| !r[reason].is_empty()), "{rows:#?}");

    // The teacher fixes each row in that workbook (keeping its columns) and uploads it.
    let column =
        |name: &str| rows[0].iter().position(|h| h == name).unwrap_or_else(|| panic!("{name} in {:?}", rows[0]));
    let fixed: Vec<Vec<C>> = rows
        .iter()
        .enumerate()
        .map(|(at, row)| {
            let mut row = row.clone();
            if at > 0 {
                row[column("学历")] = "大专".into();
                row[column("身份证号")] = String::new();
                row[column("出生日期")] =
                    if row[column("出生日期")].is_empty() { String::new() } else { "2004-05-06".into() };
                row[column("学号")] = format!("{:0>7}", row[column("学号")]);
                row[column("手机")] =
                    if row[column("手机")].is_empty() { String::new() } else { "13800138006".into() };
            }
            row.into_iter().map(C::T).collect()
        })
        .collect();
    let path = dir.path().join("名单-已修改.xlsx");
    std::fs::write(&path, xlsx(&fixed)).unwrap();
    browser.goto("/app/graduates/import").await;
    browser
        .find(&format!("{UPLOAD_FORM} input[type=file]"))
        .await
        .send_keys(&path.display().to_string())
        .await
        .unwrap();
    browser.submit(UPLOAD_FORM).await;
    let second = browser.path().await;
    assert_eq!(browser.text("main .import-counts .new .stat").await, "5", "every fixed row is new");
    assert_eq!(browser.text("main .import-counts .invalid .stat").await, "0");
    assert!(confirm_and_wait(&browser, &second).await, "the fixed file was imported");

    // Back to the first file's valid row, imported too.
    browser.goto(&preview).await;
    assert!(confirm_and_wait(&browser, &preview).await, "the import finished");
    assert!(browser.exists("main a[href=\"/app/graduates\"]").await);
    browser.check_page("import-done", &preview).await;
    assert_eq!(roster(&app, school.organization_id).await.len(), 6, "all six rows are on the roster");

    // The teacher finds one of the fixed rows and gives them three ranked choices.
    browser.goto("/app/graduates?q=杨帆").await;
    let mut found = browser.attrs("main .roster a[href^=\"/app/graduates/\"]", "href").await;
    // A row links to the graduate and to their choices.
    found.retain(|href| href["/app/graduates/".len()..].chars().all(|c| c.is_ascii_digit()));
    found.dedup();
    assert_eq!(found.len(), 1, "one graduate found: {found:?}");
    browser.goto(&format!("{}/choices", found[0])).await;
    let suggested = browser.attrs("main ol.offers li.offer", "data-posting-id").await;
    assert_eq!(suggested.len(), 3, "the three 机电 openings are suggested: {suggested:?}");
    for posting in &suggested {
        browser.submit(&format!("main ol.offers li.offer[data-posting-id=\"{posting}\"] form.add-choice")).await;
    }
    assert_eq!(browser.attrs("main ol.chosen li[data-posting-id]", "data-posting-id").await, suggested);
}

/// Confirm the import previewed at `preview` and wait until its page says it is done.
async fn confirm_and_wait(browser: &crate::browser::Browser, preview: &str) -> bool {
    browser.click("main .import-confirm button[type=submit]").await;
    browser
        .poll_until(preview, std::time::Duration::from_secs(20), async |b: &crate::browser::Browser| {
            b.exists("main [data-state=done]").await
        })
        .await
}

// ---- The command line ----

async fn the_command_line_imports_too(app: TestApp) {
    use xiaoqi::domain::roster::ImportMode;
    let (coordinator, school) = school(&app).await;
    let company = app.company(&coordinator, "奥士康科技", crate::helpers::CODE_A).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("名单.csv");
    let text = csv(&[
        &["学号", "姓名", "专业", "学历", "毕业年份", "同意推荐"],
        &["2023801", "李明", "机电一体化", "大专", "2026", "是"],
        &["2023802", "王芳", "机电一体化", "幼儿园", "2026", "是"],
    ]);
    std::fs::write(&path, text).unwrap();
    let cli = |school: i64, dry_run: bool, mode: ImportMode| {
        let (db, path) = (app.db.clone(), path.clone());
        async move { xiaoqi::cli::import_graduates(&db, &path, school, dry_run, mode).await }
    };
    let refused = cli(school.organization_id, false, ImportMode::AllOrNothing).await.unwrap_err();
    assert!(refused.to_string().contains("all_or_nothing"), "{refused}");
    let not_a_school = cli(company.organization_id, false, ImportMode::ValidRows).await.unwrap_err();
    assert!(not_a_school.to_string().contains("不是学校"), "{not_a_school}");
    cli(school.organization_id, true, ImportMode::ValidRows).await.unwrap();
    assert_eq!(app.count_rows("graduates").await, 0);
    cli(school.organization_id, false, ImportMode::ValidRows).await.unwrap();
    assert_eq!(roster(&app, school.organization_id).await, [("2023801".into(), "李明".into(), None, true)]);
    // Recorded as the command line's: an import with no user.
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM consent_records WHERE method = 'import' AND user_id IS NULL").await,
        1
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_entries WHERE action = 'import' AND user_id IS NULL").await, 1);
}

// ---- Search follows a large import ----

/// A large import is one transaction with more change-log rows than the search follower
/// reads at once (2,000). On PostgreSQL a follower that read while the transaction was in
/// flight comes back for its rows; it once did so with `txid = ANY(in_flight)` under the
/// batch's `ORDER BY seq LIMIT`, got the same first batch every time, and the index stopped
/// at 2,000 of the import's graduates (seen in bench/import.sh). Read on until all are seen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follower_passes_a_large_transaction_it_saw_in_flight() {
    use xiaoqi::store::changes::{Cursor, unapplied};
    let Some(app) =
        crate::helpers::spawn_app_with(crate::helpers::Backend::Postgres, |s| s.follow_changes = Some(false)).await
    else {
        return;
    };
    let (_, school) = school(&app).await;
    let start = xiaoqi::store::changes::current_cursor(&app.db).await.unwrap();
    let rows: Vec<_> = (0..5_000)
        .map(|i| {
            let mut g = xiaoqi::domain::graduate::GraduateFields::new(
                "李明".into(),
                "机电".into(),
                xiaoqi::domain::Education::Associate,
                2026,
            );
            g.student_no = Some(format!("F{i}"));
            (school.organization_id, g)
        })
        .collect();
    let mut tx = app.db.begin().await.unwrap();
    xiaoqi::store::bulk::insert_graduates(&mut tx, rows).await.unwrap();
    // Another request's write commits meanwhile (so the snapshot lists the import as
    // running), and the follower reads while the import is in flight…
    let mut other = app.db.begin().await.unwrap();
    xiaoqi::store::audit::record(&mut other, None, None, "probe", "graduate", None).await.unwrap();
    other.commit().await.unwrap();
    let (seen, mut cursor) = unapplied(&app.db, &start, 2_000).await.unwrap();
    assert!(seen.is_empty());
    assert!(!cursor.in_flight.is_empty());
    tx.commit().await.unwrap();
    // …then reads on until it has everything.
    let mut applied = std::collections::HashSet::new();
    for _ in 0..10 {
        let (changes, next): (_, Cursor) = unapplied(&app.db, &cursor, 2_000).await.unwrap();
        applied.extend(changes.iter().map(|c| c.seq));
        cursor = next;
    }
    assert_eq!(applied.len(), 5_000, "the follower stopped at {} of 5,000 changes", applied.len());
}
