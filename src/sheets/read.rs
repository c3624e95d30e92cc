//! Reading uploaded files. Workbooks through calamine (the first row and column as Excel
//! numbers them, merged cells of one column filled down, hidden sheets skipped); CSV through
//! the csv crate, after finding its encoding: a byte-order mark first, then UTF-8 when the
//! bytes are valid UTF-8, otherwise GB18030 (a superset of GBK, which Chinese Excel writes).
//! Rows holding nothing are left out (Excel keeps formatted empty rows at the end), but
//! every row keeps the number Excel shows for it.

use crate::domain::roster::{Cell, Row, Sheet};
use calamine::{Data, Reader, Sheets};
use chrono::NaiveDate;
use std::io::Cursor;

/// The kinds of file read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Excel 2007 and later (and other zipped workbooks calamine reads: `.ods`, `.xlsb`).
    Xlsx,
    /// Excel 97–2003 (WPS still saves it).
    Xls,
    Csv,
}

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Not a spreadsheet we read (a Word file, a picture, a PDF).
    NotASpreadsheet,
    /// A workbook that calamine could not open: damaged, or protected by a password.
    Unreadable(String),
    /// More data rows than allowed.
    TooManyRows { limit: usize },
}

impl ReadError {
    /// What to tell the teacher, bilingual.
    pub fn message(&self) -> String {
        match self {
            ReadError::NotASpreadsheet => {
                "is not a spreadsheet: upload an Excel workbook (.xlsx or .xls) or a CSV file / \
                 不是表格文件：请上传 Excel 工作簿（.xlsx 或 .xls）或 CSV 文件"
                    .into()
            }
            ReadError::Unreadable(detail) => format!(
                "could not be read as an Excel workbook ({detail}); if it has a password, remove it, or save it again \
                 as .xlsx / 无法读取该 Excel 文件（{detail}）：如设置了打开密码请先取消，或另存为 .xlsx 后重新上传"
            ),
            ReadError::TooManyRows { limit } => format!(
                "has more than {limit} rows: split it into several files / 超过 {limit} 行：请拆分成几个文件分批导入"
            ),
        }
    }
}

/// What the bytes are: by their first bytes, then by the file name.
pub fn format_of(bytes: &[u8], file_name: Option<&str>) -> Option<Format> {
    if bytes.starts_with(b"PK\x03\x04") {
        return Some(Format::Xlsx);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Some(Format::Xls);
    }
    let extension = file_name.and_then(|n| n.rsplit_once('.')).map(|(_, e)| e.to_ascii_lowercase());
    match extension.as_deref() {
        Some("csv" | "txt" | "tsv") | None => Some(Format::Csv),
        // A workbook that does not start like one is damaged; anything else is not ours.
        Some("xlsx" | "xls" | "xlsm" | "et" | "ods") => Some(Format::Xlsx),
        Some(_) => looks_like_text(bytes).then_some(Format::Csv),
    }
}

fn looks_like_text(bytes: &[u8]) -> bool {
    encoding_rs::Encoding::for_bom(bytes).is_some() || !bytes.iter().take(8192).any(|b| *b == 0)
}

/// Read a file into its sheets (a CSV file is one sheet, named `file_name`). More than
/// `max_rows` rows holding anything (in any one sheet) is an error.
pub fn read(bytes: &[u8], file_name: Option<&str>, max_rows: usize) -> Result<Vec<Sheet>, ReadError> {
    match format_of(bytes, file_name).ok_or(ReadError::NotASpreadsheet)? {
        Format::Xlsx | Format::Xls => read_workbook(bytes, max_rows),
        Format::Csv => read_csv(bytes, file_name.unwrap_or("CSV"), max_rows).map(|sheet| vec![sheet]),
    }
}

fn read_workbook(bytes: &[u8], max_rows: usize) -> Result<Vec<Sheet>, ReadError> {
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| match e {
        calamine::Error::Msg(_) => ReadError::Unreadable("unknown format / 格式无法识别".into()),
        other => ReadError::Unreadable(short(&other.to_string())),
    })?;
    let names: Vec<String> = workbook
        .sheets_metadata()
        .iter()
        .filter(|s| s.visible == calamine::SheetVisible::Visible && s.typ == calamine::SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let merged = merged_down(&mut workbook, &name);
        let sheet = match &mut workbook {
            // Cell by cell, so the sheet is never held twice (as calamine's range and as rows).
            Sheets::Xlsx(xlsx) => stream_xlsx(xlsx, name, &merged, max_rows)?,
            other => {
                let range = other.worksheet_range(&name).map_err(|e| ReadError::Unreadable(short(&e.to_string())))?;
                sheet_of(name, &range, &merged, max_rows)?
            }
        };
        sheets.push(sheet);
    }
    Ok(sheets)
}

fn stream_xlsx(
    xlsx: &mut calamine::Xlsx<Cursor<&[u8]>>,
    name: String,
    merged: &[calamine::Dimensions],
    max_rows: usize,
) -> Result<Sheet, ReadError> {
    let unreadable = |e: calamine::XlsxError| ReadError::Unreadable(short(&e.to_string()));
    let mut reader = xlsx.worksheet_cells_reader(&name).map_err(unreadable)?;
    let mut rows: Vec<Row> = Vec::new();
    let mut current: Option<(u32, Vec<Cell>)> = None;
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let (r, c) = cell.get_position();
        if current.as_ref().is_none_or(|(at, _)| *at != r) {
            if let Some((at, cells)) = current.take() {
                finish_row(&mut rows, at, cells, merged, max_rows)?;
            }
            current = Some((r, Vec::new()));
        }
        if let Some((_, cells)) = current.as_mut() {
            let c = c as usize;
            if cells.len() <= c {
                cells.resize(c + 1, Cell::Empty);
            }
            cells[c] = cell_of_ref(cell.get_value());
        }
    }
    if let Some((at, cells)) = current.take() {
        finish_row(&mut rows, at, cells, merged, max_rows)?;
    }
    Ok(Sheet { name, rows })
}

/// Row `at` (0-based) complete: fill it from the merges above, and keep it if it holds anything.
fn finish_row(
    rows: &mut Vec<Row>,
    at: u32,
    mut cells: Vec<Cell>,
    merged: &[calamine::Dimensions],
    max_rows: usize,
) -> Result<(), ReadError> {
    for region in merged.iter().filter(|d| d.start.0 < at && at <= d.end.0) {
        let column = region.start.1 as usize;
        if cells.get(column).is_none_or(Cell::is_blank) {
            let top = rows.binary_search_by_key(&(region.start.0 + 1), |r| r.number).ok();
            if let Some(value) = top.map(|i| rows[i].cell(column).clone()) {
                if cells.len() <= column {
                    cells.resize(column + 1, Cell::Empty);
                }
                cells[column] = value;
            }
        }
    }
    push_row(rows, at + 1, cells, max_rows)
}

fn cell_of_ref(data: &calamine::DataRef<'_>) -> Cell {
    use calamine::DataRef;
    match data {
        DataRef::SharedString(s) => Cell::Text(s.to_string()),
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::Empty => Cell::Empty,
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => cell_of(&Data::DateTime(*dt)),
        DataRef::DateTimeIso(s) => cell_of(&Data::DateTimeIso(s.clone())),
        DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    }
}

/// Error texts from the readers can be long; the teacher needs the gist.
fn short(text: &str) -> String {
    text.chars().take(120).collect()
}

/// The merged regions of a sheet that span one column and several rows (a class name
/// merged over its students): their value belongs to every row. Wider merges are left
/// alone: in data they would copy a value into other columns.
fn merged_down(workbook: &mut Sheets<Cursor<&[u8]>>, name: &str) -> Vec<calamine::Dimensions> {
    let regions = match workbook {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).ok(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).ok(),
        _ => None,
    };
    regions.unwrap_or_default().into_iter().filter(|d| d.start.1 == d.end.1 && d.end.0 > d.start.0).collect()
}

fn sheet_of(
    name: String,
    range: &calamine::Range<Data>,
    merged: &[calamine::Dimensions],
    max_rows: usize,
) -> Result<Sheet, ReadError> {
    let Some((first_row, first_column)) = range.start() else {
        return Ok(Sheet { name, rows: Vec::new() });
    };
    let mut rows: Vec<Row> = Vec::new();
    for (i, cells) in range.rows().enumerate() {
        let number = first_row + i as u32 + 1;
        let mut row: Vec<Cell> = Vec::with_capacity(first_column as usize + cells.len());
        row.resize(first_column as usize, Cell::Empty);
        row.extend(cells.iter().map(cell_of));
        for region in merged.iter().filter(|d| d.start.0 < number - 1 && number - 1 <= d.end.0) {
            let at = region.start.1 as usize;
            if row.get(at).is_none_or(Cell::is_blank)
                && let Some(value) = range.get_value(region.start).map(cell_of)
            {
                if row.len() <= at {
                    row.resize(at + 1, Cell::Empty);
                }
                row[at] = value;
            }
        }
        push_row(&mut rows, number, row, max_rows)?;
    }
    Ok(Sheet { name, rows })
}

/// Keep a row that holds anything, without its empty cells at the end.
fn push_row(rows: &mut Vec<Row>, number: u32, mut cells: Vec<Cell>, max_rows: usize) -> Result<(), ReadError> {
    while cells.last().is_some_and(Cell::is_blank) {
        cells.pop();
    }
    if cells.is_empty() {
        return Ok(());
    }
    if rows.len() >= max_rows {
        return Err(ReadError::TooManyRows { limit: max_rows });
    }
    // Rows grown cell by cell have room for twice their cells; a large sheet is many rows.
    cells.shrink_to_fit();
    rows.push(Row { number, cells });
    Ok(())
}

fn cell_of(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d))
                .map_or(Cell::Number(dt.as_f64()), Cell::Date)
        }
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) => s
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map_or(Cell::Text(s.clone()), Cell::Date),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

/// The text of a CSV file: a byte-order mark says its encoding (UTF-8 or UTF-16, which
/// Excel's "Unicode text" writes); without one, UTF-8 when valid, else GB18030.
pub fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom..]).0.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::GB18030.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

fn read_csv(bytes: &[u8], name: &str, max_rows: usize) -> Result<Sheet, ReadError> {
    let text = decode(bytes);
    if text.contains('\0') {
        return Err(ReadError::NotASpreadsheet);
    }
    // Excel's hint line `sep=;` names the delimiter; otherwise the first line's most
    // frequent candidate.
    let (mut body, mut skipped_lines) = (text.as_str(), 0u32);
    let delimiter = match body.strip_prefix("sep=").and_then(|rest| rest.chars().next()) {
        Some(d) if d.is_ascii() => {
            body = body.split_once('\n').map_or("", |(_, rest)| rest);
            skipped_lines = 1;
            d as u8
        }
        _ => sniff_delimiter(body),
    };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(body.as_bytes());
    let mut rows = Vec::new();
    // Rows as Excel numbers them: the csv reader counts the line breaks inside quoted
    // fields as lines (Excel does not) and skips empty lines (Excel shows them as rows).
    let mut breaks: u64 = 0;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(ReadError::Unreadable(short(&e.to_string()))),
        }
        let Some(position) = record.position() else { continue };
        let blank = empty_lines_at(&body.as_bytes()[position.byte() as usize..]);
        let number = (position.line() + blank - breaks) as u32 + skipped_lines;
        breaks += record.iter().map(|f| f.matches('\n').count() as u64).sum::<u64>();
        let cells = record.iter().map(|f| if f.is_empty() { Cell::Empty } else { Cell::Text(f.to_string()) }).collect();
        push_row(&mut rows, number, cells, max_rows)?;
    }
    Ok(Sheet { name: name.to_string(), rows })
}

/// How many empty lines `bytes` starts with.
fn empty_lines_at(bytes: &[u8]) -> u64 {
    let mut count = 0;
    let mut at = 0;
    loop {
        match bytes.get(at..) {
            Some([b'\n', ..]) => at += 1,
            Some([b'\r', b'\n', ..]) => at += 2,
            _ => return count,
        }
        count += 1;
    }
}

fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let count = |c: char| first.matches(c).count();
    [(b',', count(',')), (b'\t', count('\t')), (b';', count(';'))]
        .into_iter()
        .max_by_key(|(d, n)| (*n, *d == b','))
        .map_or(b',', |(d, _)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sheet: &Sheet) -> Vec<(u32, Vec<String>)> {
        sheet.rows.iter().map(|r| (r.number, r.cells.iter().map(Cell::shown).collect())).collect()
    }

    #[test]
    fn csv_in_utf8_with_and_without_a_bom_and_in_gbk() {
        let text = "学号,姓名\n2023001,李明\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        for bytes in [text.as_bytes().to_vec(), [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(), gbk.to_vec()] {
            let sheets = read(&bytes, Some("名单.csv"), 100).unwrap();
            assert_eq!(
                texts(&sheets[0]),
                [(1, vec!["学号".to_string(), "姓名".into()]), (2, vec!["2023001".into(), "李明".into()])]
            );
        }
    }

    #[test]
    fn csv_rows_keep_excels_numbers_across_blank_lines_and_line_breaks() {
        let text = "学号,姓名\n\n2023001,\"李\n明\"\n,,,\n2023002,王芳\n";
        let sheets = read(text.as_bytes(), Some("a.csv"), 100).unwrap();
        let numbers: Vec<u32> = sheets[0].rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [1, 3, 5]);
    }

    #[test]
    fn csv_delimiters_and_utf16() {
        let sheets = read("sep=;\n学号;姓名\n1;李明\n".as_bytes(), None, 100).unwrap();
        assert_eq!(texts(&sheets[0])[0], (2, vec!["学号".to_string(), "姓名".into()]));
        let tabbed: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("学号\t姓名\r\n1\t李明\r\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let sheets = read(&tabbed, Some("名单.txt"), 100).unwrap();
        assert_eq!(texts(&sheets[0])[1], (2, vec!["1".to_string(), "李明".into()]));
    }

    #[test]
    fn limits_and_other_files() {
        let text = "a\n1\n2\n3\n";
        assert_eq!(read(text.as_bytes(), None, 3), Err(ReadError::TooManyRows { limit: 3 }));
        assert_eq!(read(b"\x89PNG\r\n\x1a\n\0\0", Some("photo.png"), 10), Err(ReadError::NotASpreadsheet));
        assert!(matches!(read(b"not a workbook", Some("a.xlsx"), 10), Err(ReadError::Unreadable(_))));
        assert!(ReadError::TooManyRows { limit: 5 }.message().contains("拆分"));
    }

    #[test]
    fn xlsx_cells_keep_their_types_numbers_and_merges() {
        use rust_xlsxwriter::{Format as CellFormat, Workbook};
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(1, 1, "学号").unwrap();
        sheet.write_string(1, 2, "班级").unwrap();
        sheet.write_number(2, 1, 2023001.0).unwrap();
        sheet.write_string(2, 2, "机电2301").unwrap();
        sheet.merge_range(2, 2, 4, 2, "机电2301", &CellFormat::new()).unwrap();
        sheet.write_string(3, 1, "2023002").unwrap();
        sheet.write_number(4, 1, 440106199001011000.0).unwrap();
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2004, 5, 6).unwrap();
        sheet.write_datetime_with_format(5, 1, &date, &CellFormat::new().set_num_format("yyyy-mm-dd")).unwrap();
        // Formatted but empty rows at the end.
        sheet.write_blank(40, 1, &CellFormat::new().set_bold()).unwrap();
        let hidden = workbook.add_worksheet();
        hidden.write_string(0, 0, "secret").unwrap();
        hidden.set_hidden(true);
        let bytes = workbook.save_to_buffer().unwrap();

        let sheets = read(&bytes, Some("名单.xlsx"), 100).unwrap();
        assert_eq!(sheets.len(), 1);
        let rows = &sheets[0].rows;
        assert_eq!(rows.iter().map(|r| r.number).collect::<Vec<_>>(), [2, 3, 4, 5, 6]);
        assert_eq!(rows[0].cells[1], Cell::Text("学号".into()));
        assert_eq!(rows[1].cells[1], Cell::Number(2023001.0));
        assert_eq!(rows[2].cells[1], Cell::Text("2023002".into()));
        assert_eq!(rows[2].cells[2], Cell::Text("机电2301".into()), "merged down");
        assert_eq!(rows[3].cells[2], Cell::Text("机电2301".into()), "merged down");
        assert_eq!(rows[3].cells[1], Cell::Number(440106199001011000.0));
        assert_eq!(rows[4].cells[1], Cell::Date(NaiveDate::from_ymd_opt(2004, 5, 6).unwrap()));
    }
}
