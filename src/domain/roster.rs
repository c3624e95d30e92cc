//! Rosters as schools keep them in Excel: the columns xiaoqi understands (Chinese and
//! English headers with their common aliases), the values teachers write (中职, 大专, 是/否,
//! 2026届 …) and the traps Excel sets (ID numbers stored as numbers, lost leading zeros,
//! dates as serial numbers, title and blank rows, full-width digits and spaces). A row
//! becomes the same JSON object a client would send, and is parsed by the same
//! [`Parse`](super::Parse) as `POST /graduates`.
//!
//! Spreadsheets reach this module as [`Sheet`]s of [`Cell`]s (the `sheets` module reads
//! the bytes); nothing here does I/O.

use super::graduate::GraduateFields;
use super::{Education, FieldErrors, Gender, GraduateStatus, IdNumber, Parse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// One cell as the spreadsheet holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// Excel keeps every number as a float (integers too).
    Number(f64),
    /// A cell Excel formats as a date.
    Date(NaiveDate),
    Bool(bool),
    /// A formula's error value (`#N/A`, `#VALUE!` …).
    Error(String),
}

impl Cell {
    /// Nothing in it but white space.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(text) => text.chars().all(|c| c.is_whitespace() || is_invisible(c)),
            _ => false,
        }
    }

    /// The cell as the teacher sees it, as text: what the error workbook writes back.
    pub fn shown(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => text.clone(),
            Cell::Number(n) => number_text(*n).unwrap_or_else(|| n.to_string()),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Bool(true) => "TRUE".into(),
            Cell::Bool(false) => "FALSE".into(),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// One row with something in it; `number` is the row number Excel shows (from 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub number: u32,
    /// Cells from column A on.
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn cell(&self, column: usize) -> &Cell {
        self.cells.get(column).unwrap_or(&Cell::Empty)
    }

    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_blank)
    }
}

/// One worksheet (a CSV file is one sheet).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    pub name: String,
    /// The rows that hold anything, in order.
    pub rows: Vec<Row>,
}

/// `A`, `B`, … `Z`, `AA`: a column's letters as Excel names it.
pub fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// One problem found in an import, where the teacher will look for it: `row` as Excel
/// numbers it, `column` as the file's header names it, `message` bilingual
/// ("English / 中文") like every domain message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RowError {
    pub row: u32,
    pub column: String,
    /// The API's name of the column's field (`id_number`), or `file` for a problem with
    /// the file as a whole (no header, an unknown column).
    pub field: String,
    pub message: String,
}

/// What an import did, or would do (a dry run).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImportReport {
    /// Rows whose 学号 is not on the school's roster yet.
    pub new: u64,
    /// Rows that change a graduate already on the roster (same 学号).
    pub updated: u64,
    /// Rows identical to what the roster holds.
    pub unchanged: u64,
    /// Rows with at least one error; they are never written.
    pub invalid: u64,
    /// Whether the new and updated rows were written (false for a dry run, and for
    /// all-or-nothing with invalid rows).
    pub written: bool,
    /// Problems by row (Excel's numbering) and column (the file's header); rows 0 or the
    /// header's own number are about the file as a whole (a missing or unknown column).
    /// At most [`ImportReport::MAX_ERRORS`] are listed.
    pub errors: Vec<RowError>,
    /// How many problems were found in all (more than `errors` lists when it is cut short).
    #[serde(default)]
    pub errors_total: u64,
}

impl ImportReport {
    pub const MAX_ERRORS: usize = 10_000;

    /// Rows read from the file (not counting the header, notes and empty rows).
    pub fn rows(&self) -> u64 {
        self.new + self.updated + self.unchanged + self.invalid
    }

    /// Add errors, keeping at most [`Self::MAX_ERRORS`].
    pub fn add_errors(&mut self, errors: impl IntoIterator<Item = RowError>) {
        for error in errors {
            self.errors_total += 1;
            if self.errors.len() < Self::MAX_ERRORS {
                self.errors.push(error);
            }
        }
    }
}

/// What an import does with a file that has invalid rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportMode {
    /// Import the valid rows, skip the invalid ones.
    #[default]
    ValidRows,
    /// Import nothing unless every row is valid.
    AllOrNothing,
}

impl ImportMode {
    pub const ALL: &'static [ImportMode] = &[ImportMode::ValidRows, ImportMode::AllOrNothing];

    pub fn as_str(self) -> &'static str {
        match self {
            ImportMode::ValidRows => "valid_rows",
            ImportMode::AllOrNothing => "all_or_nothing",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|m| m.as_str() == text)
    }
}

impl super::validation::FromField for ImportMode {
    fn from_field(value: &Value) -> Result<Self, String> {
        value
            .as_str()
            .and_then(ImportMode::parse)
            .ok_or_else(|| "must be one of: valid_rows, all_or_nothing / 取值无效".to_string())
    }
    fn schema() -> utoipa::openapi::schema::Schema {
        super::input_schema::one_of(Self::ALL.iter().map(|m| m.as_str()))
    }
}

/// What a column's values are, which decides how a cell is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Name,
    Text,
    Multiline,
    StudentNo,
    IdNumber,
    Date,
    Year,
    Money,
    List,
    Education,
    Gender,
    Consent,
    Status,
    Email,
    Phone,
}

/// A column of the roster as the template names it, with the other names it goes by.
#[derive(Debug)]
pub struct Column {
    /// The JSON field (`POST /graduates`).
    pub field: &'static str,
    /// The template's header.
    pub zh: &'static str,
    pub en: &'static str,
    /// Other headers meaning the same, written as [`normalise_heading`] leaves them.
    aliases: &'static [&'static str],
    /// A new graduate needs it.
    pub required: bool,
    /// The template's notes row.
    pub note: &'static str,
    /// The same in English, for the import page.
    pub note_en: &'static str,
    kind: Kind,
}

/// The roster's columns, in the template's order.
pub const COLUMNS: &[Column] = &[
    Column {
        field: "student_no",
        zh: "学号",
        en: "Student number",
        aliases: &["学生学号", "学号/考生号", "studentno", "studentnumber", "studentid"],
        required: true,
        note: "必填。本校内唯一；再次导入时按学号更新已有记录",
        note_en: "Required. Unique within the school; importing again updates the graduate with this number",
        kind: Kind::StudentNo,
    },
    Column {
        field: "name",
        zh: "姓名",
        en: "Name",
        aliases: &["学生姓名", "名字", "学生名字", "name", "fullname"],
        required: true,
        note: "必填",
        note_en: "Required",
        kind: Kind::Name,
    },
    Column {
        field: "gender",
        zh: "性别",
        en: "Gender",
        aliases: &["gender", "sex"],
        required: false,
        note: "选填：男 / 女",
        note_en: "Optional: 男 (male) / 女 (female)",
        kind: Kind::Gender,
    },
    Column {
        field: "id_number",
        zh: "身份证号",
        en: "ID number",
        aliases: &[
            "身份证号码",
            "身份证",
            "身份证件号",
            "身份证件号码",
            "公民身份号码",
            "证件号码",
            "证件号",
            "idnumber",
            "idcard",
            "idcardnumber",
            "idno",
        ],
        required: false,
        note: "选填。18位，末位可为X；本列已设为文本，请勿改成数字格式",
        note_en: "Optional. 18 characters, the last may be X; the column is text: do not change it to a number format",
        kind: Kind::IdNumber,
    },
    Column {
        field: "birth_date",
        zh: "出生日期",
        en: "Birth date",
        aliases: &["出生年月日", "生日", "birthdate", "dateofbirth", "dob"],
        required: false,
        note: "选填，如 2004-05-06",
        note_en: "Optional, e.g. 2004-05-06",
        kind: Kind::Date,
    },
    Column {
        field: "class_name",
        zh: "班级",
        en: "Class",
        aliases: &["班别", "所在班级", "行政班", "班级名称", "class", "classname"],
        required: false,
        note: "选填",
        note_en: "Optional",
        kind: Kind::Text,
    },
    Column {
        field: "major",
        zh: "专业",
        en: "Major",
        aliases: &["专业名称", "所学专业", "专业方向", "major"],
        required: true,
        note: "必填",
        note_en: "Required",
        kind: Kind::Text,
    },
    Column {
        field: "education",
        zh: "学历",
        en: "Education",
        aliases: &["学历层次", "培养层次", "层次", "文化程度", "education", "educationlevel", "degree"],
        required: true,
        note: "必填：初中、高中、中专（中职）、技校、大专（高职）、本科、硕士、博士",
        note_en: "Required: 初中, 高中, 中专 (中职), 技校, 大专 (高职), 本科, 硕士, 博士",
        kind: Kind::Education,
    },
    Column {
        field: "graduation_year",
        zh: "毕业年份",
        en: "Graduation year",
        aliases: &["届别", "毕业届别", "毕业年度", "届", "毕业时间", "graduationyear", "yearofgraduation"],
        required: true,
        note: "必填，如 2026（也可写 2026届）",
        note_en: "Required, e.g. 2026 (2026届 works too)",
        kind: Kind::Year,
    },
    Column {
        field: "phone",
        zh: "手机",
        en: "Phone",
        aliases: &[
            "手机号",
            "手机号码",
            "联系电话",
            "电话",
            "电话号码",
            "联系方式",
            "phone",
            "mobile",
            "tel",
            "telephone",
        ],
        required: false,
        note: "选填。11位手机号，或带区号的固定电话",
        note_en: "Optional. An 11-digit mobile, or a landline with its area code",
        kind: Kind::Phone,
    },
    Column {
        field: "email",
        zh: "邮箱",
        en: "E-mail",
        aliases: &["电子邮箱", "电子邮件", "邮件地址", "email", "mail", "emailaddress"],
        required: false,
        note: "选填",
        note_en: "Optional",
        kind: Kind::Email,
    },
    Column {
        field: "skills",
        zh: "技能",
        en: "Skills",
        aliases: &["专业技能", "技能特长", "特长", "skills"],
        required: false,
        note: "选填，多项用顿号或逗号分开，如 PLC、CAD",
        note_en: "Optional; separate several with 、 or commas, e.g. PLC、CAD",
        kind: Kind::List,
    },
    Column {
        field: "certificates",
        zh: "证书",
        en: "Certificates",
        aliases: &["职业资格证书", "资格证书", "技能证书", "获得证书", "certificates"],
        required: false,
        note: "选填，多项用顿号分开，如 电工证、数控中级",
        note_en: "Optional; separate several with 、, e.g. 电工证、数控中级",
        kind: Kind::List,
    },
    Column {
        field: "preferred_locations",
        zh: "意向地区",
        en: "Preferred locations",
        aliases: &[
            "意向工作地",
            "意向工作地点",
            "期望工作地点",
            "求职意向地区",
            "意向城市",
            "期望地区",
            "preferredlocations",
        ],
        required: false,
        note: "选填，多项用顿号分开",
        note_en: "Optional; separate several with 、",
        kind: Kind::List,
    },
    Column {
        field: "expected_salary",
        zh: "期望薪资",
        en: "Expected salary",
        aliases: &["期望月薪", "期望工资", "期望薪酬", "expectedsalary"],
        required: false,
        note: "选填，元/月，如 5000",
        note_en: "Optional, yuan per month, e.g. 5000",
        kind: Kind::Money,
    },
    Column {
        field: "available_from",
        zh: "可到岗日期",
        en: "Available from",
        aliases: &["到岗时间", "到岗日期", "可入职日期", "最早到岗日期", "availablefrom"],
        required: false,
        note: "选填，如 2026-07-01",
        note_en: "Optional, e.g. 2026-07-01",
        kind: Kind::Date,
    },
    Column {
        field: "consent",
        zh: "同意推荐",
        en: "Consent",
        aliases: &["是否同意推荐", "同意向企业推荐", "授权推荐", "consent"],
        required: false,
        note: "选填：是 / 否。“是”表示本人同意向园区企业推荐（不含联系方式和身份证号）",
        note_en: "Optional: 是 (yes) / 否 (no). Yes means the graduate agrees to be recommended to companies in the zone (never with contact details or the ID number)",
        kind: Kind::Consent,
    },
    Column {
        field: "status",
        zh: "状态",
        en: "Status",
        aliases: &["就业状态", "求职状态", "status"],
        required: false,
        note: "选填：求职中、已匹配、已就业、已退出",
        note_en: "Optional: 求职中, 已匹配, 已就业, 已退出",
        kind: Kind::Status,
    },
    Column {
        field: "summary",
        zh: "备注",
        en: "Summary",
        aliases: &["个人简介", "简介", "自我评价", "个人介绍", "summary"],
        required: false,
        note: "选填",
        note_en: "Optional",
        kind: Kind::Multiline,
    },
];

/// Headers of columns that are understood but not imported: the row number rosters carry,
/// and the error workbook's reasons.
pub const IGNORED_HEADINGS: &[&str] = &["序号", "编号", "no", "no.", "行号", ERROR_HEADING];

/// The error workbook's extra column.
pub const ERROR_HEADING: &str = "错误原因";

/// The template's notes row starts with this, so that a template uploaded with it still in
/// place does not count it as a graduate.
pub const NOTES_MARK: &str = "【填写说明】";

impl Column {
    /// The dropdown the template offers, if the column takes one of a few values.
    pub fn options(&self) -> Vec<&'static str> {
        match self.kind {
            Kind::Education => Education::ALL.iter().map(|e| e.label_zh()).collect(),
            Kind::Gender => Gender::ALL.iter().map(|g| g.label_zh()).collect(),
            Kind::Consent => vec!["是", "否"],
            Kind::Status => GraduateStatus::ALL.iter().map(|s| s.label_zh()).collect(),
            _ => Vec::new(),
        }
    }

    /// The other Chinese headers the column is known by (for the import page).
    pub fn other_names(&self) -> impl Iterator<Item = &'static str> {
        self.aliases.iter().copied().filter(|a| a.chars().any(is_cjk))
    }

    fn by_field(field: &str) -> Option<&'static Column> {
        COLUMNS.iter().find(|c| c.field == field)
    }
}

/// A header as compared with the names above: no white space, no required-field marks,
/// no notes in brackets (`姓名（必填）`, `出生日期(yyyy-mm-dd)`), ASCII in lower case
/// without `_`, `-` or spaces.
pub fn normalise_heading(text: &str) -> String {
    let text = normalise_width(text, true);
    let mut out = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = (depth - 1).max(0),
            _ if depth > 0 => {}
            '*' | '＊' | '_' | '-' | ':' | '：' => {}
            c if c.is_whitespace() || is_invisible(c) => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// What one column of the file is.
#[derive(Debug, Clone, PartialEq)]
pub enum Heading {
    /// Index into [`COLUMNS`].
    Field(usize),
    /// Understood, not imported (序号, 错误原因).
    Ignored,
    /// Not a column xiaoqi knows.
    Unknown,
    /// No header text.
    Blank,
}

fn heading_of(text: &str) -> Heading {
    let key = normalise_heading(text);
    if key.is_empty() {
        return Heading::Blank;
    }
    if IGNORED_HEADINGS.iter().any(|h| normalise_heading(h) == key) {
        return Heading::Ignored;
    }
    for (i, column) in COLUMNS.iter().enumerate() {
        if normalise_heading(column.zh) == key
            || normalise_heading(column.en) == key
            || normalise_heading(column.field) == key
            || column.aliases.iter().any(|a| normalise_heading(a) == key)
        {
            return Heading::Field(i);
        }
    }
    Heading::Unknown
}

/// The file's header: which column holds which field.
#[derive(Debug, Clone)]
pub struct Header {
    /// The header's row (the last one, for a two-row header).
    pub row: u32,
    pub headings: Vec<Heading>,
    /// The header cells as written, by column.
    pub texts: Vec<String>,
    /// The file's column of each field in [`COLUMNS`] (the first, if given twice).
    position: Vec<Option<usize>>,
}

impl Header {
    fn new(row: u32, texts: Vec<String>) -> Header {
        let headings: Vec<Heading> = texts.iter().map(|t| heading_of(t)).collect();
        let mut position = vec![None; COLUMNS.len()];
        for (at, heading) in headings.iter().enumerate() {
            if let Heading::Field(i) = heading
                && position[*i].is_none()
            {
                position[*i] = Some(at);
            }
        }
        Header { row, headings, texts, position }
    }

    fn recognised(&self) -> usize {
        self.position.iter().flatten().count()
    }

    /// Whether the file has a column for `field`.
    pub fn has(&self, field: &str) -> bool {
        COLUMNS.iter().position(|c| c.field == field).is_some_and(|i| self.position[i].is_some())
    }

    /// How errors name the column of `field`: the file's header, or the template's name
    /// when the file has no such column.
    pub fn column_name(&self, field: &str) -> String {
        match COLUMNS.iter().position(|c| c.field == field) {
            Some(i) => match self.position[i] {
                Some(at) => self.texts[at].trim().to_string(),
                None => COLUMNS[i].zh.to_string(),
            },
            None => String::new(),
        }
    }

    /// How errors name the file's column `at`: its header, or its letter when it has none.
    pub fn column_at(&self, at: usize) -> String {
        match self.texts.get(at).map(|t| t.trim()).filter(|t| !t.is_empty()) {
            Some(text) => text.to_string(),
            None => format!("{}列", column_letters(at)),
        }
    }

    /// A header row, and the row under it when that continues it (a two-row header:
    /// merged group titles above, the column names below).
    fn find(rows: &[Row]) -> Option<(Header, usize)> {
        const SEARCHED: usize = 20;
        for (i, row) in rows.iter().take(SEARCHED).enumerate() {
            let texts: Vec<String> = row.cells.iter().map(Cell::shown).collect();
            let header = Header::new(row.number, texts);
            if header.recognised() < 2 {
                continue;
            }
            // The next row continues the header if everything in it is a column name (or
            // repeats the cell above, as a merged cell read twice does) and it names at
            // least one column the first row did not.
            if let Some(next) = rows.get(i + 1) {
                let continues = next.cells.iter().enumerate().all(|(at, cell)| {
                    let text = cell.shown();
                    cell.is_blank()
                        || matches!(heading_of(&text), Heading::Field(_) | Heading::Ignored)
                        || header.texts.get(at).is_some_and(|above| above.trim() == text.trim())
                });
                let adds = next.cells.iter().enumerate().any(|(at, cell)| {
                    matches!(heading_of(&cell.shown()), Heading::Field(_))
                        && !matches!(header.headings.get(at), Some(Heading::Field(_)))
                });
                if continues && adds {
                    let width = row.cells.len().max(next.cells.len());
                    let texts = (0..width)
                        .map(|at| {
                            let below = next.cell(at);
                            if below.is_blank() { row.cell(at).shown() } else { below.shown() }
                        })
                        .collect();
                    return Some((Header::new(next.number, texts), i + 2));
                }
            }
            return Some((header, i + 1));
        }
        None
    }

    /// Problems with the columns themselves: reported once, at the header's row.
    fn problems(&self, data: &[Row]) -> Vec<RowError> {
        let mut errors = Vec::new();
        let error = |column: String, message: String| RowError { row: self.row, column, field: "file".into(), message };
        let has_data = |at: usize| data.iter().any(|r| !r.cell(at).is_blank());
        let width = data.iter().map(|r| r.cells.len()).max().unwrap_or(0).max(self.headings.len());
        for at in 0..width {
            match self.headings.get(at).unwrap_or(&Heading::Blank) {
                Heading::Unknown => errors.push(error(
                    self.column_at(at),
                    format!(
                        "not a column xiaoqi knows, so it was not imported: rename it as in the template (e.g. 手机, \
                         班级) or delete it / 无法识别的列，未导入：请改成模板中的列名（如 手机、班级）或删除该列（第{}列）",
                        column_letters(at)
                    ),
                )),
                Heading::Blank if has_data(at) => errors.push(error(
                    self.column_at(at),
                    format!(
                        "column {letter} holds data but has no heading (an empty or merged header cell), so it was \
                         not imported: type its name in the header row / 第{letter}列有数据但没有列名（表头为空或是\
                         合并单元格），未导入：请在表头填写列名",
                        letter = column_letters(at)
                    ),
                )),
                Heading::Field(i) if self.position[*i] != Some(at) => {
                    let first = self.position[*i].unwrap_or(at);
                    errors.push(error(
                        self.column_at(at),
                        format!(
                            "means the same as column {a} ({name}), so only column {a} was imported: delete one of \
                             them / 与第{a}列「{name}」重复，只导入了第{a}列：请删除其中一列",
                            a = column_letters(first),
                            name = self.column_at(first),
                        ),
                    ));
                }
                _ => {}
            }
        }
        for column in COLUMNS.iter().filter(|c| c.required && !self.has(c.field)) {
            let message = if column.field == "student_no" {
                "there is no 学号 column: every row needs its student number, which re-imports update by; add the \
                 column / 缺少「学号」列：每行都需要学号（再次导入时按学号更新），请添加该列"
                    .to_string()
            } else {
                format!(
                    "there is no {zh} column: graduates not yet on the roster need it / 缺少「{zh}」列：名单中还没有的\
                     毕业生必须填写该项",
                    zh = column.zh
                )
            };
            errors.push(RowError { row: self.row, column: column.zh.into(), field: column.field.into(), message });
        }
        errors
    }
}

/// One row read into the fields it gives (what `POST /graduates` would be sent).
#[derive(Debug, Clone, PartialEq)]
pub struct Values {
    pub row: u32,
    /// The row's 学号 (always present in a readable row).
    pub student_no: String,
    /// The fields of the row's readable non-blank cells, as JSON values.
    pub fields: Map<String, Value>,
    /// The cells that could not be read (their fields are left out of `fields`), and a
    /// 学号 repeated from an earlier row: the row is invalid, but it is still parsed, so
    /// that every problem of the row is named at once.
    pub errors: Vec<RowError>,
}

/// A data row: read (perhaps with errors), or unreadable: no usable 学号, or nothing can
/// be imported from the file at all.
#[derive(Debug, Clone, PartialEq)]
pub enum RowReading {
    Read(Values),
    Invalid(u32, Vec<RowError>),
}

/// A whole file read: its header and the file's own problems. Its data rows are read
/// one at a time ([`Reading::rows`]), so that a large file is never held twice.
#[derive(Debug, Clone)]
pub struct Reading {
    pub header: Option<Header>,
    /// Problems with the file or its columns (not with one row).
    pub file_errors: Vec<RowError>,
    /// Nothing can be imported (no header, no 学号 column): every row counts as invalid
    /// but only the file's errors are listed.
    pub unusable: bool,
    /// The sheet read (a workbook's first sheet with a header), by its position.
    pub sheet: usize,
    /// Where its data rows start (after the header and a notes row).
    start: usize,
    facts: Facts,
}

impl Reading {
    /// How errors name `field`'s column.
    pub fn column_name(&self, field: &str) -> String {
        match &self.header {
            Some(header) => header.column_name(field),
            None => Column::by_field(field).map_or_else(String::new, |c| c.zh.to_string()),
        }
    }

    /// The data rows of the sheet read (`sheets` are the ones [`read`] was given).
    pub fn data<'a>(&self, sheets: &'a [Sheet]) -> &'a [Row] {
        sheets.get(self.sheet).and_then(|s| s.rows.get(self.start..)).unwrap_or_default()
    }

    /// Each data row read into its fields (a 学号 repeated from an earlier row is an
    /// error of the later one).
    pub fn rows<'a>(&'a self, sheets: &'a [Sheet]) -> impl Iterator<Item = RowReading> + 'a {
        let mut seen: HashMap<String, u32> = HashMap::new();
        self.data(sheets).iter().map(move |row| {
            let header = match &self.header {
                Some(header) if !self.unusable => header,
                _ => return RowReading::Invalid(row.number, Vec::new()),
            };
            match read_row(header, &self.facts, row) {
                Ok(mut values) => {
                    match seen.get(&values.student_no) {
                        Some(first) => values.errors.push(RowError {
                            row: row.number,
                            column: header.column_name("student_no"),
                            field: "student_no".into(),
                            message: format!(
                                "学号 {no} already appears in row {first}: each graduate once per file / 学号与第{first}\
                                 行重复：同一学号在文件中只能出现一次",
                                no = values.student_no
                            ),
                        }),
                        None => {
                            seen.insert(values.student_no.clone(), row.number);
                        }
                    }
                    RowReading::Read(values)
                }
                Err(errors) => RowReading::Invalid(row.number, errors),
            }
        })
    }
}

/// Read a workbook: the first sheet with a recognisable header (a workbook may open with
/// an instructions sheet); when none has one, the first sheet's problem.
pub fn read(sheets: &[Sheet]) -> Reading {
    let mut first = None;
    for (at, sheet) in sheets.iter().enumerate() {
        let reading = read_sheet(at, sheet);
        if reading.header.is_some() {
            return reading;
        }
        first.get_or_insert(reading);
    }
    first.unwrap_or_else(|| read_sheet(0, &Sheet::default()))
}

/// Read one sheet (`sheets[at]`): find its header and what the whole column of 学号 says.
fn read_sheet(at: usize, sheet: &Sheet) -> Reading {
    let Some((header, mut start)) = Header::find(&sheet.rows) else {
        let row = sheet.rows.first().map_or(1, |r| r.number);
        let message = if sheet.rows.is_empty() {
            "the file holds no rows / 文件中没有数据"
        } else {
            "no header row found: the first rows must name the columns (学号, 姓名, 专业, 学历, 毕业年份 …); download \
             the template and copy the data into it / 没有找到表头：前几行应是列名（学号、姓名、专业、学历、毕业年份等），\
             请下载模板并把数据复制进去"
        };
        return Reading {
            header: None,
            file_errors: vec![RowError { row, column: String::new(), field: "file".into(), message: message.into() }],
            unusable: true,
            sheet: at,
            start: 0,
            facts: Facts::default(),
        };
    };
    // The template's notes row, if it was left in.
    let notes = |r: &Row| r.cells.iter().find(|c| !c.is_blank()).is_some_and(|c| is_notes(&c.shown()));
    if sheet.rows.get(start).is_some_and(notes) {
        start += 1;
    }
    let data = &sheet.rows[start.min(sheet.rows.len())..];
    let file_errors = header.problems(data);
    let unusable = !header.has("student_no");
    let facts = Facts::of(&header, data);
    Reading { header: Some(header), file_errors, unusable, sheet: at, start, facts }
}

fn is_notes(text: &str) -> bool {
    let text = text.trim_start();
    text.starts_with(NOTES_MARK) || text.starts_with("填写说明")
}

/// What the whole file says about its 学号: the usual number of digits, and whether the
/// usual ones start with a zero. A shorter one lost its zeros to Excel.
#[derive(Debug, Clone, Default)]
struct Facts {
    usual_digits: Option<usize>,
    zero_padded: bool,
}

impl Facts {
    fn of(header: &Header, rows: &[Row]) -> Facts {
        let Some(at) = COLUMNS.iter().position(|c| c.field == "student_no").and_then(|i| header.position[i]) else {
            return Facts::default();
        };
        let mut lengths: HashMap<usize, usize> = HashMap::new();
        let mut zero_padded: HashMap<usize, bool> = HashMap::new();
        let mut total = 0;
        for row in rows {
            let text = match row.cell(at) {
                Cell::Number(n) => number_text(*n).unwrap_or_default(),
                cell => clean(&cell.shown(), Kind::StudentNo),
            };
            if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
                total += 1;
                *lengths.entry(text.len()).or_default() += 1;
                if text.starts_with('0') {
                    zero_padded.insert(text.len(), true);
                }
            }
        }
        let usual = lengths.iter().max_by_key(|(len, n)| (**n, **len)).filter(|(_, n)| **n >= 3 && **n * 2 >= total);
        match usual {
            Some((len, _)) => Facts { usual_digits: Some(*len), zero_padded: zero_padded.contains_key(len) },
            None => Facts::default(),
        }
    }
}

/// Read one data row into its fields; every cell that cannot be read is named. Without a
/// readable 学号 the row cannot be matched with the roster at all.
fn read_row(header: &Header, facts: &Facts, row: &Row) -> Result<Values, Vec<RowError>> {
    let mut fields = Map::new();
    let mut errors = Vec::new();
    let mut student_no = None;
    for (i, column) in COLUMNS.iter().enumerate() {
        let Some(at) = header.position[i] else { continue };
        let cell = row.cell(at);
        if cell.is_blank() {
            continue;
        }
        match read_cell(column.kind, cell, facts) {
            Ok(value) => {
                if column.kind == Kind::StudentNo {
                    student_no = value.as_str().map(str::to_string);
                }
                fields.insert(column.field.to_string(), value);
            }
            Err(message) => errors.push(RowError {
                row: row.number,
                column: header.column_at(at),
                field: column.field.into(),
                message,
            }),
        }
    }
    if student_no.is_none() && !errors.iter().any(|e| e.column == header.column_name("student_no")) {
        errors.push(RowError {
            row: row.number,
            column: header.column_name("student_no"),
            field: "student_no".into(),
            message: "is required: the 学号 identifies the graduate on the roster / 必填：学号用于识别名单中的毕业生"
                .into(),
        });
    }
    match student_no {
        Some(student_no) => Ok(Values { row: row.number, student_no, fields, errors }),
        None => Err(errors),
    }
}

impl Values {
    /// A graduate not yet on the roster, parsed exactly as `POST /graduates` parses.
    pub fn as_new(&self, reading: &Reading) -> Result<GraduateFields, Vec<RowError>> {
        self.parse(Map::new(), reading)
    }

    /// The graduate on the roster with this 学号, changed by the row: the row's non-blank
    /// cells replace what is stored; blank cells and columns the file lacks keep it.
    pub fn over(&self, stored: &GraduateFields, reading: &Reading) -> Result<GraduateFields, Vec<RowError>> {
        let Ok(Value::Object(current)) = serde_json::to_value(stored) else {
            return Err(vec![RowError {
                row: self.row,
                column: String::new(),
                field: "file".into(),
                message: "internal / 内部错误".into(),
            }]);
        };
        self.parse(current, reading)
    }

    fn parse(&self, mut base: Map<String, Value>, reading: &Reading) -> Result<GraduateFields, Vec<RowError>> {
        for (k, v) in &self.fields {
            base.insert(k.clone(), v.clone());
        }
        let parsed = GraduateFields::from_json(Value::Object(base));
        let mut errors = self.errors.clone();
        match parsed {
            Ok(fields) if errors.is_empty() => return Ok(fields),
            Ok(_) => {}
            // A field whose cell could not be read is named once, for its cell.
            Err(found) => errors.extend(
                self.named(found, reading).into_iter().filter(|e| !self.errors.iter().any(|c| c.field == e.field)),
            ),
        }
        Err(errors)
    }

    fn named(&self, errors: FieldErrors, reading: &Reading) -> Vec<RowError> {
        errors
            .0
            .into_iter()
            .map(|e| {
                let field = e.field.split(['[', '.']).next().unwrap_or(&e.field).to_string();
                let message = match (Column::by_field(&field), e.message.as_str()) {
                    (Some(c), "is required / 必填") if !reading.header.as_ref().is_some_and(|h| h.has(&field)) => {
                        format!(
                            "is required for a graduate not yet on the roster, and the file has no {zh} column / \
                             名单中还没有该学号，需要填写「{zh}」，但文件中没有该列",
                            zh = c.zh
                        )
                    }
                    _ => e.message,
                };
                RowError { row: self.row, column: reading.column_name(&field), field, message }
            })
            .collect()
    }
}

/// The characters people cannot see and spreadsheets keep anyway.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Full-width forms as their ASCII counterparts: digits and letters always; punctuation
/// too when `all` (codes, numbers, addresses), since in Chinese prose a full-width comma
/// is the right one. The ideographic space and other wide spaces become plain spaces.
fn normalise_width(text: &str, all: bool) -> String {
    text.chars()
        .filter(|c| !is_invisible(*c))
        .map(|c| match c {
            '\u{3000}' | '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' => ' ',
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{FF01}'..='\u{FF5E}' if all => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{20000}'..='\u{2A6DF}')
}

/// A text cell cleaned for its column: widths normalised, ends trimmed, line breaks in
/// one-line fields turned into spaces; a Chinese name's padding spaces (`李  明`) removed;
/// codes lose every space.
fn clean(text: &str, kind: Kind) -> String {
    let code = matches!(kind, Kind::StudentNo | Kind::IdNumber | Kind::Email);
    let numeric = matches!(kind, Kind::Phone | Kind::Date | Kind::Year | Kind::Money);
    let text = normalise_width(text, code || numeric);
    if kind == Kind::Multiline {
        return text.trim().to_string();
    }
    let one_line: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if code {
        return one_line.chars().filter(|c| !c.is_whitespace()).collect();
    }
    let collapsed = one_line.split_whitespace().collect::<Vec<_>>().join(" ");
    if kind == Kind::Name && collapsed.chars().any(is_cjk) && !collapsed.chars().any(|c| c.is_ascii_alphabetic()) {
        return collapsed.chars().filter(|c| *c != ' ').collect();
    }
    collapsed
}

/// An integral number as Excel shows it in a General cell (up to 15 digits).
fn number_text(n: f64) -> Option<String> {
    (n.fract() == 0.0 && n.abs() < 1e15).then(|| format!("{}", n as i64))
}

/// `4.40106E+17`: what Excel shows (and writes to CSV) for a long number.
fn is_scientific(text: &str) -> bool {
    let Some((mantissa, exponent)) = text.split_once(['E', 'e']) else { return false };
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    !mantissa.is_empty()
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        && mantissa.chars().any(|c| c.is_ascii_digit())
        && !exponent.is_empty()
        && exponent.chars().all(|c| c.is_ascii_digit())
}

const ID_AS_NUMBER: &str = "the ID number was stored as a number: Excel keeps only 15 digits, so the last ones became 0 \
     (or it shows as 4.40106E+17). Set the column to Text, enter the numbers again and export again / 身份证号被 Excel \
     存成了数字，只保留前15位（末几位变成0，或显示为 4.40106E+17）：请将该列设为文本后重新导出";

const LONG_NUMBER: &str = "was stored as a number and Excel lost digits (it shows in scientific notation or rounded): \
     set the column to Text and export again / 被 Excel 存成了数字，部分数字已丢失（显示为科学计数法或被四舍五入）：\
     请将该列设为文本后重新导出";

fn read_cell(kind: Kind, cell: &Cell, facts: &Facts) -> Result<Value, String> {
    if let Cell::Error(e) = cell {
        return Err(format!(
            "the cell shows Excel's error {e} (a formula that failed): replace it with the value / 单元格显示 Excel 错误 \
             {e}（公式出错）：请改为实际的值"
        ));
    }
    match kind {
        Kind::Name | Kind::Text | Kind::Multiline => Ok(Value::String(clean(&cell.shown(), kind))),
        Kind::StudentNo => student_no(cell, facts),
        Kind::IdNumber => id_number(cell),
        Kind::Date => date(cell),
        Kind::Year => year(cell),
        Kind::Money => money(cell),
        Kind::List => Ok(list(&clean(&cell.shown(), Kind::Text))),
        Kind::Education => education(cell),
        Kind::Gender => gender(cell),
        Kind::Consent => consent(cell),
        Kind::Status => status(cell),
        Kind::Email => Ok(Value::String(clean(&cell.shown(), kind))),
        Kind::Phone => phone(cell),
    }
}

fn student_no(cell: &Cell, facts: &Facts) -> Result<Value, String> {
    let (text, from_number) = match cell {
        Cell::Number(n) => (number_text(*n).ok_or_else(|| LONG_NUMBER.to_string())?, true),
        cell => (clean(&cell.shown(), Kind::StudentNo), false),
    };
    if is_scientific(&text) {
        return Err(LONG_NUMBER.into());
    }
    if let Some(usual) = facts.usual_digits
        && text.len() < usual
        && text.bytes().all(|b| b.is_ascii_digit())
        && (from_number || facts.zero_padded)
    {
        return Err(format!(
            "学号 {text} has fewer digits than the others ({usual}): Excel drops the leading zeros of numbers. Set \
             the column to Text, put the zeros back and export again / 学号 {text} 比其他学号少位（应为{usual}位），\
             可能是 Excel 去掉了开头的 0：请将该列设为文本、补回开头的 0 后重新导出"
        ));
    }
    Ok(Value::String(text))
}

fn id_number(cell: &Cell) -> Result<Value, String> {
    let text = match cell {
        Cell::Number(_) => return Err(ID_AS_NUMBER.into()),
        cell => clean(&cell.shown(), Kind::IdNumber),
    };
    if is_scientific(&text) {
        return Err(ID_AS_NUMBER.into());
    }
    let digits = text.bytes().all(|b| b.is_ascii_digit());
    if digits && text.len() >= 15 && text.ends_with("000") && IdNumber::parse(&text).is_err() {
        return Err(ID_AS_NUMBER.into());
    }
    Ok(Value::String(text))
}

/// The first serial number Excel would show as a date we could mean (1900-01-01 is 1), and
/// the last (9999-12-31).
const SERIALS: std::ops::RangeInclusive<f64> = 1.0..=2_958_465.0;

fn serial_date(serial: f64) -> Option<NaiveDate> {
    // Serial 60 is Excel's 1900-02-29, which never was; after it, days count from 1899-12-30.
    let days = serial.floor() as i64;
    let base = if days < 60 { NaiveDate::from_ymd_opt(1899, 12, 31)? } else { NaiveDate::from_ymd_opt(1899, 12, 30)? };
    base.checked_add_signed(chrono::TimeDelta::days(days))
}

fn serial_message(shown: &str, serial: f64) -> String {
    let meant = serial_date(serial).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    format!(
        "{shown} is an Excel date serial number (it stands for {meant}): format the column as a date (yyyy-mm-dd) or \
         as text and export again / {shown} 是 Excel 的日期序列号（对应 {meant}）：请将该列设置为日期格式\
         （yyyy-mm-dd）或文本后重新导出"
    )
}

/// `2004-05-06`, `2004/5/6`, `2004.5.6`, `2004年5月6日`, `20040506`.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim().trim_end_matches('日');
    if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(text, "%Y%m%d").ok();
    }
    // A time after the date (`2004-05-06 00:00:00`) is dropped.
    let date = text.split([' ', 'T']).next().unwrap_or(text);
    let parts: Vec<&str> = date.split(['-', '/', '.', '年', '月']).collect();
    let [y, m, d] = parts.as_slice() else { return None };
    if y.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

fn date(cell: &Cell) -> Result<Value, String> {
    let iso = |d: NaiveDate| Value::String(d.format("%Y-%m-%d").to_string());
    match cell {
        Cell::Date(d) => Ok(iso(*d)),
        Cell::Number(n) => match number_text(*n).as_deref().and_then(parse_date) {
            Some(d) => Ok(iso(d)),
            None if SERIALS.contains(n) => Err(serial_message(&cell.shown(), *n)),
            None => Err(not_a_date(&cell.shown())),
        },
        cell => {
            let text = clean(&cell.shown(), Kind::Date);
            if let Some(d) = parse_date(&text) {
                return Ok(iso(d));
            }
            match text.parse::<f64>() {
                Ok(n) if text.len() <= 7 && SERIALS.contains(&n) => Err(serial_message(&text, n)),
                _ => Err(not_a_date(&text)),
            }
        }
    }
}

fn not_a_date(text: &str) -> String {
    format!("{text} is not a date: write it as 2004-05-06 / 「{text}」不是有效日期：请写成 2004-05-06 这样的格式")
}

/// `2026`, `2026届`, `2026年`, `2026级`, or a date in the year (`2026-06`, `2026年6月`).
fn year(cell: &Cell) -> Result<Value, String> {
    use chrono::Datelike;
    let invalid = |text: &str| {
        format!("{text} is not a year: write it as 2026 / 「{text}」不是有效的年份：请写成 2026 这样的四位年份")
    };
    match cell {
        Cell::Date(d) => Ok(Value::from(i64::from(d.year()))),
        Cell::Number(n) if n.fract() == 0.0 && (1900.0..=2200.0).contains(n) => Ok(Value::from(*n as i64)),
        Cell::Number(n) if SERIALS.contains(n) => Err(serial_message(&cell.shown(), *n)),
        cell => {
            let text = clean(&cell.shown(), Kind::Year);
            let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
            let rest = text[digits.len()..].trim();
            let year_like = digits.len() == 4
                && (rest.is_empty()
                    || ["届", "年", "级"].contains(&rest)
                    || rest.starts_with(['-', '/', '.', '年'])
                        && rest
                            .trim_start_matches(['-', '/', '.', '年'])
                            .chars()
                            .next()
                            .is_some_and(|c| c.is_ascii_digit()));
            match digits.parse::<i64>() {
                Ok(y) if year_like => Ok(Value::from(y)),
                _ => match text.parse::<f64>() {
                    Ok(n) if digits.len() == 5 && SERIALS.contains(&n) => Err(serial_message(&text, n)),
                    _ => Err(invalid(&text)),
                },
            }
        }
    }
}

/// `5000`, `5,000`, `5000元`, `5000元/月`, `¥5000`, `5k`, `5千`.
fn money(cell: &Cell) -> Result<Value, String> {
    let invalid = |text: &str| {
        format!(
            "{text} is not an amount: write one whole number of yuan per month, e.g. 5000 / 「{text}」不是有效金额：\
             请填写每月多少元的一个整数，如 5000"
        )
    };
    match cell {
        Cell::Number(n) if n.fract() == 0.0 => Ok(Value::from(*n as i64)),
        cell => {
            let text = clean(&cell.shown(), Kind::Money);
            let mut t = text.to_lowercase().replace([',', ' '], "");
            for suffix in ["元/月", "/月", "元每月", "每月", "元", "rmb", "cny"] {
                t = t.trim_end_matches(suffix).to_string();
            }
            let t = t.trim_start_matches(['¥', '￥']).trim_start_matches("rmb").trim_start_matches("cny");
            let (digits, times) = match t.strip_suffix(['k', '千']) {
                Some(d) => (d, 1000.0),
                None => (t, 1.0),
            };
            match digits.parse::<f64>() {
                Ok(n) if n >= 0.0 && (n * times).fract() == 0.0 => Ok(Value::from((n * times) as i64)),
                _ => Err(invalid(&text)),
            }
        }
    }
}

fn list(text: &str) -> Value {
    let items: Vec<Value> = text
        .split([',', '，', '、', ';', '；', '|', '｜', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| Value::String(s.to_string()))
        .collect();
    Value::Array(items)
}

/// What teachers write for each level: the labels, the JSON names, and the usual other
/// names (中职 = 中专, 高职 = 大专).
fn education_of(text: &str) -> Option<Education> {
    let key = normalise_heading(text);
    for level in Education::ALL {
        if key == level.as_str()
            || key == normalise_heading(level.label_zh())
            || key == normalise_heading(level.label_en())
        {
            return Some(*level);
        }
    }
    let level = match key.as_str() {
        "初中及以下" | "初中毕业" => Education::JuniorHigh,
        "普高" | "普通高中" | "高中毕业" => Education::HighSchool,
        "中职" | "职高" | "职中" | "中等职业" | "中等职业教育" | "中等专业学校" | "中专/中职" | "中职/中专" => {
            Education::SecondaryVocational
        }
        "技工" | "技工学校" | "中技" | "技校生" | "技工院校" => Education::TechnicalSchool,
        "高职" | "专科" | "大学专科" | "高专" | "高职高专" | "大专/高职" | "高职/大专" | "associate" => {
            Education::Associate
        }
        "大学本科" | "学士" | "本科生" | "bachelor" | "bachelors" | "undergraduate" => Education::Bachelor,
        "研究生" | "硕士研究生" | "master" | "masters" => Education::Master,
        "博士研究生" | "phd" | "doctor" => Education::Doctorate,
        _ => return None,
    };
    Some(level)
}

fn education(cell: &Cell) -> Result<Value, String> {
    let text = clean(&cell.shown(), Kind::Text);
    education_of(&text).map(|e| Value::String(e.as_str().into())).ok_or_else(|| {
        format!(
            "{text} is not an education level: write one of 初中, 高中, 中专 (中职), 技校, 大专 (高职), 本科, 硕士, 博士 \
             / 学历「{text}」无法识别：请填写 初中、高中、中专（中职）、技校、大专（高职）、本科、硕士、博士 之一"
        )
    })
}

fn gender(cell: &Cell) -> Result<Value, String> {
    let text = clean(&cell.shown(), Kind::Text);
    let gender = match normalise_heading(&text).as_str() {
        "男" | "男性" | "m" | "male" => Some(Gender::Male),
        "女" | "女性" | "f" | "female" => Some(Gender::Female),
        _ => None,
    };
    gender
        .map(|g| Value::String(g.as_str().into()))
        .ok_or_else(|| format!("{text} is not a gender: write 男 or 女 / 性别「{text}」无法识别：请填写 男 或 女"))
}

fn consent(cell: &Cell) -> Result<Value, String> {
    if let Cell::Bool(b) = cell {
        return Ok(Value::Bool(*b));
    }
    if let Cell::Number(n) = cell
        && (*n == 1.0 || *n == 0.0)
    {
        return Ok(Value::Bool(*n == 1.0));
    }
    let text = clean(&cell.shown(), Kind::Text);
    match normalise_heading(&text).as_str() {
        "是" | "同意" | "已同意" | "y" | "yes" | "true" | "1" | "√" | "✓" | "✔" | "有" | "愿意" => {
            Ok(Value::Bool(true))
        }
        "否" | "不同意" | "未同意" | "n" | "no" | "false" | "0" | "×" | "✗" | "✘" | "x" | "无" | "不愿意" => {
            Ok(Value::Bool(false))
        }
        _ => Err(format!("{text} is not yes or no: write 是 or 否 / 「{text}」无法识别：请填写 是 或 否")),
    }
}

fn status(cell: &Cell) -> Result<Value, String> {
    let text = clean(&cell.shown(), Kind::Text);
    let key = normalise_heading(&text);
    GraduateStatus::ALL
        .iter()
        .find(|s| key == s.as_str() || key == normalise_heading(s.label_zh()) || key == normalise_heading(s.label_en()))
        .map(|s| Value::String(s.as_str().into()))
        .ok_or_else(|| {
            format!(
                "{text} is not a status: write one of 求职中, 已匹配, 已就业, 已退出 / 状态「{text}」无法识别：请填写 \
                 求职中、已匹配、已就业、已退出 之一"
            )
        })
}

fn phone(cell: &Cell) -> Result<Value, String> {
    let text = match cell {
        Cell::Number(n) => number_text(*n).ok_or_else(|| LONG_NUMBER.to_string())?,
        cell => clean(&cell.shown(), Kind::Phone),
    };
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let only_digits = text.chars().all(|c| c.is_ascii_digit() || matches!(c, '-' | ' '));
    if only_digits && (9..=11).contains(&digits.len()) && !digits.starts_with(['0', '1']) {
        return Err(format!(
            "{text} looks like a landline that lost the 0 of its area code (Excel drops leading zeros of numbers): \
             set the column to Text and write it as 0758-2712345 / 「{text}」像是区号开头的 0 被 Excel 去掉了：请将该列\
             设为文本，写成 0758-2712345 这样的格式"
        ));
    }
    Ok(Value::String(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    fn row(number: u32, cells: &[&str]) -> Row {
        Row { number, cells: cells.iter().map(|c| if c.is_empty() { Cell::Empty } else { text(c) }).collect() }
    }

    fn sheet(rows: Vec<Row>) -> Sheet {
        Sheet { name: "Sheet1".into(), rows }
    }

    const HEADER: &[&str] = &["学号", "姓名", "专业", "学历", "毕业年份", "身份证号", "手机"];

    /// A file of one sheet, read.
    struct Read {
        sheets: Vec<Sheet>,
        reading: Reading,
    }

    impl std::ops::Deref for Read {
        type Target = Reading;
        fn deref(&self) -> &Reading {
            &self.reading
        }
    }

    impl Read {
        fn all(&self) -> Vec<RowReading> {
            self.reading.rows(&self.sheets).collect()
        }
    }

    fn read_rows(rows: Vec<Row>) -> Read {
        let sheets = vec![sheet(rows)];
        let reading = read(&sheets);
        Read { sheets, reading }
    }

    fn errors_of(reading: &Read, number: u32) -> Vec<RowError> {
        reading
            .all()
            .into_iter()
            .find_map(|r| match r {
                RowReading::Invalid(n, e) if n == number => Some(e),
                RowReading::Read(v) if v.row == number => Some(v.errors),
                _ => None,
            })
            .unwrap_or_default()
    }

    fn values_of(reading: &Read, number: u32) -> Values {
        reading
            .all()
            .into_iter()
            .find_map(|r| match r {
                RowReading::Read(v) if v.row == number && v.errors.is_empty() => Some(v),
                _ => None,
            })
            .unwrap_or_else(|| panic!("row {number} not read: {:?}", errors_of(reading, number)))
    }

    #[test]
    fn letters_name_columns_as_excel_does() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn headers_in_chinese_and_english_with_aliases_and_marks() {
        let h = |t: &str| match heading_of(t) {
            Heading::Field(i) => COLUMNS[i].field,
            Heading::Ignored => "ignored",
            Heading::Unknown => "unknown",
            Heading::Blank => "blank",
        };
        assert_eq!(h("姓名"), "name");
        assert_eq!(h(" 姓 名 *"), "name");
        assert_eq!(h("学生姓名（必填）"), "name");
        assert_eq!(h("Name"), "name");
        assert_eq!(h("student_no"), "student_no");
        assert_eq!(h("Student No"), "student_no");
        assert_eq!(h("身份证号码"), "id_number");
        assert_eq!(h("专业名称"), "major");
        assert_eq!(h("学历层次"), "education");
        assert_eq!(h("届别"), "graduation_year");
        assert_eq!(h("联系电话"), "phone");
        assert_eq!(h("电子邮箱"), "email");
        assert_eq!(h("E-mail"), "email");
        assert_eq!(h("同意推荐"), "consent");
        assert_eq!(h("consent"), "consent");
        assert_eq!(h("出生日期(yyyy-mm-dd)"), "birth_date");
        assert_eq!(h("序号"), "ignored");
        assert_eq!(h("错误原因"), "ignored");
        assert_eq!(h("家庭住址"), "unknown");
        assert_eq!(h("　"), "blank");
        // Every name and alias leads to its own column (none is shadowed by another's).
        for c in COLUMNS {
            for name in [c.zh, c.en, c.field].iter().chain(c.aliases) {
                assert_eq!(h(name), c.field, "{name}");
            }
        }
    }

    #[test]
    fn education_values_teachers_write() {
        for (written, level) in [
            ("中职", Education::SecondaryVocational),
            ("中专", Education::SecondaryVocational),
            ("职高", Education::SecondaryVocational),
            ("技校", Education::TechnicalSchool),
            ("技工学校", Education::TechnicalSchool),
            ("大专", Education::Associate),
            ("高职", Education::Associate),
            ("专科", Education::Associate),
            ("本科", Education::Bachelor),
            ("硕士", Education::Master),
            ("研究生", Education::Master),
            ("博士", Education::Doctorate),
            ("初中", Education::JuniorHigh),
            ("高中", Education::HighSchool),
            ("Associate degree", Education::Associate),
            ("bachelor", Education::Bachelor),
            (" 大 专 ", Education::Associate),
        ] {
            assert_eq!(education_of(written), Some(level), "{written}");
        }
        assert!(education(&text("幼儿园")).unwrap_err().contains("中专（中职）"));
    }

    #[test]
    fn a_plain_file_reads_into_the_api_fields() {
        let reading = read_rows(vec![
            row(1, HEADER),
            row(2, &["2023001", "李明", "机电一体化", "大专", "2026届", "11010519491231002X", "13800138000"]),
        ]);
        assert!(reading.file_errors.is_empty(), "{:?}", reading.file_errors);
        let v = values_of(&reading, 2);
        assert_eq!(v.student_no, "2023001");
        let fields = v.as_new(&reading).unwrap();
        assert_eq!(fields.name, "李明");
        assert_eq!(fields.education, Education::Associate);
        assert_eq!(fields.graduation_year, 2026);
        assert_eq!(fields.id_number.unwrap().reveal(), Some("11010519491231002X"));
        assert!(!fields.consent);
    }

    #[test]
    fn title_rows_blank_rows_and_a_two_row_header_are_skipped() {
        let reading = read_rows(vec![
            row(1, &["肇庆技师学院2026届毕业生名单"]),
            row(3, &["基本信息", "基本信息", "基本信息", "", "", "联系方式"]),
            row(4, &["学号", "姓名", "专业", "学历", "毕业年份", "手机"]),
            row(5, &["2023001", "李明", "机电一体化", "大专", "2026", "13800138000"]),
        ]);
        assert!(reading.file_errors.is_empty(), "{:?}", reading.file_errors);
        assert_eq!(reading.header.as_ref().unwrap().row, 4);
        assert_eq!(values_of(&reading, 5).fields["phone"], "13800138000");

        // Group titles merged above some columns, names below.
        let reading = read_rows(vec![
            row(1, &["学号", "姓名", "专业", "学历", "毕业年份", "联系方式", ""]),
            row(2, &["", "", "", "", "", "手机", "邮箱"]),
            row(3, &["2023001", "李明", "机电一体化", "大专", "2026", "13800138000", "li@example.cn"]),
        ]);
        assert!(reading.file_errors.is_empty(), "{:?}", reading.file_errors);
        let v = values_of(&reading, 3);
        assert_eq!(
            (v.fields["phone"].as_str(), v.fields["email"].as_str()),
            (Some("13800138000"), Some("li@example.cn"))
        );
    }

    #[test]
    fn no_header_is_one_clear_error() {
        let reading = read_rows(vec![row(1, &["李明", "机电一体化"]), row(2, &["王芳", "数控技术"])]);
        assert!(reading.unusable);
        assert_eq!(reading.all().len(), 2);
        assert_eq!(reading.file_errors.len(), 1);
        assert!(reading.file_errors[0].message.contains("没有找到表头"));
    }

    #[test]
    fn unknown_blank_and_repeated_columns_are_reported_at_the_header() {
        let reading = read_rows(vec![
            row(1, &["序号", "学号", "姓名", "专业", "学历", "毕业年份", "家庭住址", "", "电话", "手机"]),
            row(2, &["1", "2023001", "李明", "机电", "大专", "2026", "端州区", "备用", "13800138000", "13900139000"]),
        ]);
        let columns: Vec<&str> = reading.file_errors.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(columns, ["家庭住址", "H列", "手机"], "{:?}", reading.file_errors);
        assert!(reading.file_errors.iter().all(|e| e.row == 1));
        assert!(reading.file_errors[2].message.contains("第I列"), "{}", reading.file_errors[2].message);
        // The row still imports, from the first phone column.
        assert_eq!(values_of(&reading, 2).fields["phone"], "13800138000");
    }

    #[test]
    fn missing_student_no_column_makes_the_file_unusable() {
        let reading = read_rows(vec![row(1, &["姓名", "专业"]), row(2, &["李明", "机电"])]);
        assert!(reading.unusable);
        assert!(reading.file_errors.iter().any(|e| e.column == "学号" && e.message.contains("缺少「学号」列")));
    }

    #[test]
    fn the_templates_notes_row_is_not_a_graduate() {
        let notes: Vec<String> = COLUMNS.iter().take(3).map(|c| format!("{NOTES_MARK}{}", c.note)).collect();
        let notes: Vec<&str> = notes.iter().map(String::as_str).collect();
        let reading =
            read_rows(vec![row(1, &["学号", "姓名", "专业"]), row(2, &notes), row(3, &["2023001", "李明", "机电"])]);
        assert_eq!(reading.all().len(), 1);
    }

    #[test]
    fn id_numbers_stored_as_numbers_say_how_to_fix_it() {
        for cell in [
            Cell::Number(440106199001011000.0),
            text("4.40106E+17"),
            text("4.40106199001011E+17"),
            text("440106199001011000"),
        ] {
            let message = id_number(&cell).unwrap_err();
            assert!(message.contains("请将该列设为文本后重新导出"), "{cell:?}: {message}");
        }
        assert_eq!(id_number(&text("１１０１０５１９４９１２３１００２x")).unwrap(), "11010519491231002x");
    }

    #[test]
    fn lost_leading_zeros_are_caught() {
        let reading = read_rows(vec![
            row(1, &["学号", "姓名", "专业", "学历", "毕业年份"]),
            row(2, &["0012301", "李明", "机电", "大专", "2026"]),
            row(3, &["0012302", "王芳", "机电", "大专", "2026"]),
            row(4, &["0012303", "张伟", "机电", "大专", "2026"]),
            row(5, &["12304", "刘洋", "机电", "大专", "2026"]),
        ]);
        let errors = errors_of(&reading, 5);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].message.contains("开头的 0"), "{}", errors[0].message);
        // Numbers in an xlsx cell: the short one lost its zeros even if no text kept them.
        let mut rows = vec![row(1, &["学号", "姓名", "专业", "学历", "毕业年份"])];
        for (n, no) in [(2, 1012301.0), (3, 1012302.0), (4, 1012303.0), (5, 12304.0)] {
            let mut r = row(n, &["", "李明", "机电", "大专", "2026"]);
            r.cells[0] = Cell::Number(no);
            rows.push(r);
        }
        let reading = read_rows(rows);
        assert_eq!(errors_of(&reading, 5).len(), 1);
        assert_eq!(values_of(&reading, 2).student_no, "1012301");
        // A landline without its 0.
        assert!(phone(&Cell::Number(7582712345.0)).unwrap_err().contains("区号"));
        assert_eq!(phone(&Cell::Number(13800138000.0)).unwrap(), "13800138000");
    }

    #[test]
    fn dates_as_serial_numbers_name_the_date_they_stand_for() {
        let message = date(&Cell::Number(38113.0)).unwrap_err();
        assert!(message.contains("2004-05-06") && message.contains("日期序列号"), "{message}");
        assert!(date(&text("38113")).unwrap_err().contains("2004-05-06"));
        assert!(year(&Cell::Number(46203.0)).unwrap_err().contains("日期序列号"));
        for written in ["2004-05-06", "2004/5/6", "2004.5.6", "2004年5月6日", "20040506", "2004-05-06 00:00:00"] {
            assert_eq!(date(&text(written)).unwrap(), "2004-05-06", "{written}");
        }
        assert_eq!(date(&Cell::Date(NaiveDate::from_ymd_opt(2004, 5, 6).unwrap())).unwrap(), "2004-05-06");
        assert_eq!(date(&Cell::Number(20040506.0)).unwrap(), "2004-05-06");
        assert_eq!(serial_date(1.0), NaiveDate::from_ymd_opt(1900, 1, 1));
        assert_eq!(serial_date(61.0), NaiveDate::from_ymd_opt(1900, 3, 1));
        assert_eq!(serial_date(45943.5), NaiveDate::from_ymd_opt(2025, 10, 13));
    }

    #[test]
    fn full_width_digits_and_spaces_are_normalised() {
        let reading = read_rows(vec![
            row(1, &["学号", "姓名", "专业", "学历", "毕业年份", "手机", "技能"]),
            row(
                2,
                &[
                    "２０２３００１　",
                    "李　明",
                    "　机电一体化 ",
                    "大专",
                    "２０２６",
                    "１３８００１３８０００",
                    "ＰＬＣ，CAD、电工",
                ],
            ),
        ]);
        let v = values_of(&reading, 2);
        assert_eq!(v.student_no, "2023001");
        let fields = v.as_new(&reading).unwrap();
        assert_eq!(fields.name, "李明");
        assert_eq!(fields.major, "机电一体化");
        assert_eq!(fields.graduation_year, 2026);
        assert_eq!(fields.phone.unwrap().as_str(), "13800138000");
        assert_eq!(fields.skills.0, ["PLC", "CAD", "电工"]);
    }

    #[test]
    fn a_repeated_student_no_names_the_first_row() {
        let reading = read_rows(vec![
            row(1, HEADER),
            row(2, &["2023001", "李明", "机电", "大专", "2026"]),
            row(3, &["2023001", "王芳", "机电", "大专", "2026"]),
        ]);
        let errors = errors_of(&reading, 3);
        assert!(errors[0].message.contains("第2行"), "{errors:?}");
    }

    #[test]
    fn parse_errors_name_the_files_column() {
        let reading = read_rows(vec![
            row(1, &["学号", "姓名", "专业名称", "学历", "届别", "联系电话"]),
            row(2, &["2023001", "李明", "", "大专", "2026", "12345"]),
        ]);
        let errors = values_of(&reading, 2).as_new(&reading).unwrap_err();
        let columns: Vec<&str> = errors.iter().map(|e| e.column.as_str()).collect();
        assert!(columns.contains(&"专业名称") && columns.contains(&"联系电话"), "{errors:?}");
    }

    #[test]
    fn an_update_keeps_what_blank_cells_and_missing_columns_do_not_say() {
        let reading = read_rows(vec![row(1, &["学号", "手机", "专业"]), row(2, &["2023001", "13900139000", ""])]);
        let mut stored = GraduateFields::new("李明".into(), "机电一体化".into(), Education::Associate, 2026);
        stored.student_no = Some("2023001".into());
        stored.consent = true;
        let updated = values_of(&reading, 2).over(&stored, &reading).unwrap();
        assert_eq!(updated.phone.unwrap().as_str(), "13900139000");
        assert_eq!(updated.major, "机电一体化");
        assert!(updated.consent);
        // A new row in the same file needs the columns the file lacks.
        let errors = values_of(&reading, 2).as_new(&reading).unwrap_err();
        assert!(errors.iter().any(|e| e.column == "姓名" && e.message.contains("文件中没有该列")), "{errors:?}");
    }

    #[test]
    fn consent_and_other_values() {
        for (cell, given) in [
            (text("是"), true),
            (text("否"), false),
            (text("同意"), true),
            (text("√"), true),
            (Cell::Bool(true), true),
            (Cell::Number(0.0), false),
        ] {
            assert_eq!(consent(&cell).unwrap(), Value::Bool(given), "{cell:?}");
        }
        assert!(consent(&text("也许")).is_err());
        assert_eq!(money(&text("5,000元/月")).unwrap(), 5000);
        assert_eq!(money(&text("5k")).unwrap(), 5000);
        assert!(money(&text("4000-6000")).is_err());
        assert_eq!(year(&text("2026年6月")).unwrap(), 2026);
        assert_eq!(year(&text("2026-06")).unwrap(), 2026);
        assert!(year(&text("26届")).is_err());
        assert_eq!(gender(&text("女")).unwrap(), "female");
        assert_eq!(status(&text("已就业")).unwrap(), "placed");
        assert!(read_cell(Kind::Text, &Cell::Error("#N/A".into()), &Facts::default()).unwrap_err().contains("#N/A"));
    }
}
