//! Writing workbooks (rust_xlsxwriter): a template to fill in, and a table of rows. Every
//! cell is written as text and every column is formatted as text (`@`), so what the
//! teacher types next stays as typed: no ID number turned into 4.40106E+17, no leading
//! zero dropped, no date turned into a serial number.

use rust_xlsxwriter::{Color, DataValidation, Format, FormatAlign, FormatBorder, Workbook, XlsxError};

/// A column of a template.
pub struct TemplateColumn<'a> {
    pub header: &'a str,
    /// The notes row's text for the column.
    pub note: String,
    /// The values a dropdown offers (none: free text).
    pub options: Vec<&'a str>,
    pub required: bool,
    /// Width in characters.
    pub width: f64,
}

/// Rows a template prepares (formats and dropdowns) below its header.
const TEMPLATE_ROWS: u32 = 10_000;

fn text_format() -> Format {
    Format::new().set_num_format("@")
}

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_num_format("@")
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
}

/// A template: the header (required columns in red), a notes row, text-formatted columns
/// and a dropdown for each column with options; the header stays in view when scrolling.
pub fn template(sheet_name: &str, columns: &[TemplateColumn]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name)?;
    let text = text_format();
    let header = header_format();
    let required = header_format().set_font_color(Color::RGB(0xC00000));
    let note = Format::new().set_num_format("@").set_text_wrap().set_font_color(Color::RGB(0x595959)).set_italic();
    for (at, column) in columns.iter().enumerate() {
        let at = u16::try_from(at).map_err(|_| XlsxError::ParameterError("too many columns".into()))?;
        sheet.set_column_width(at, column.width)?;
        sheet.set_column_format(at, &text)?;
        sheet.write_string_with_format(0, at, column.header, if column.required { &required } else { &header })?;
        sheet.write_string_with_format(1, at, &column.note, &note)?;
        if !column.options.is_empty() {
            let validation = DataValidation::new()
                .allow_list_strings(&column.options)?
                .set_error_title("请从下拉列表中选择")?
                .set_error_message(format!("可选：{}", column.options.join("、")))?;
            sheet.add_data_validation(2, at, TEMPLATE_ROWS + 1, at, &validation)?;
        }
    }
    sheet.set_row_height(1, 48)?;
    sheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}

/// A table: a header row, then `rows` as text. The last column can be marked (red,
/// wrapped): the error workbook's reasons.
pub fn table(
    sheet_name: &str,
    headers: &[String],
    rows: impl IntoIterator<Item = Vec<String>>,
    mark_last: bool,
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name)?;
    let text = text_format();
    let header = header_format();
    let marked = Format::new().set_num_format("@").set_text_wrap().set_font_color(Color::RGB(0xC00000));
    let last = headers.len().saturating_sub(1);
    for (at, title) in headers.iter().enumerate() {
        let at16 = u16::try_from(at).map_err(|_| XlsxError::ParameterError("too many columns".into()))?;
        let width = if mark_last && at == last { 60.0 } else { (title.chars().count() as f64 * 2.2).clamp(10.0, 30.0) };
        sheet.set_column_width(at16, width)?;
        sheet.set_column_format(at16, &text)?;
        sheet.write_string_with_format(0, at16, title, &header)?;
    }
    for (i, row) in rows.into_iter().enumerate() {
        let r = u32::try_from(i + 1).map_err(|_| XlsxError::ParameterError("too many rows".into()))?;
        for (at, value) in row.iter().enumerate() {
            let at16 = u16::try_from(at).map_err(|_| XlsxError::ParameterError("too many columns".into()))?;
            if value.is_empty() {
                continue;
            }
            let format = if mark_last && at == last { &marked } else { &text };
            sheet.write_string_with_format(r, at16, value, format)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}

/// A cell of a report's table: text stays text; a count or a rate is a number, so Excel
/// can sum and chart it.
pub enum Figure {
    Text(String),
    Number(f64),
    /// A fraction shown as a percentage (0.25 → 25.0%).
    Percent(f64),
    Empty,
}

/// One sheet of a report: its name, header row and rows.
pub struct ReportSheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Figure>>,
}

/// A workbook of reports, a sheet per table, the header row frozen.
pub fn report(sheets: &[ReportSheet]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let header = header_format();
    let text = text_format();
    let percent = Format::new().set_num_format("0.0%");
    for table in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(&table.name)?;
        for (at, title) in table.headers.iter().enumerate() {
            let at16 = u16::try_from(at).map_err(|_| XlsxError::ParameterError("too many columns".into()))?;
            sheet.set_column_width(at16, (title.chars().count() as f64 * 2.2).clamp(10.0, 30.0))?;
            sheet.write_string_with_format(0, at16, title, &header)?;
        }
        for (i, row) in table.rows.iter().enumerate() {
            let r = u32::try_from(i + 1).map_err(|_| XlsxError::ParameterError("too many rows".into()))?;
            for (at, value) in row.iter().enumerate() {
                let at16 = u16::try_from(at).map_err(|_| XlsxError::ParameterError("too many columns".into()))?;
                match value {
                    Figure::Text(t) if !t.is_empty() => {
                        sheet.write_string_with_format(r, at16, t, &text)?;
                    }
                    Figure::Number(n) => {
                        sheet.write_number(r, at16, *n)?;
                    }
                    Figure::Percent(n) => {
                        sheet.write_number_with_format(r, at16, *n, &percent)?;
                    }
                    Figure::Text(_) | Figure::Empty => {}
                }
            }
        }
        sheet.set_freeze_panes(1, 0)?;
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::roster::Cell;

    #[test]
    fn a_template_reads_back_as_its_header_and_notes() {
        let columns = [
            TemplateColumn { header: "学号", note: "必填".into(), options: vec![], required: true, width: 12.0 },
            TemplateColumn {
                header: "学历",
                note: "选填".into(),
                options: vec!["大专", "本科"],
                required: false,
                width: 8.0,
            },
        ];
        let bytes = template("毕业生名单", &columns).unwrap();
        let sheets = crate::sheets::read(&bytes, Some("t.xlsx"), 10).unwrap();
        assert_eq!(sheets[0].name, "毕业生名单");
        assert_eq!(sheets[0].rows[0].cells, [Cell::Text("学号".into()), Cell::Text("学历".into())]);
        assert_eq!(sheets[0].rows[1].number, 2);
        assert_eq!(sheets[0].rows.len(), 2);
    }

    #[test]
    fn a_table_keeps_text_as_text() {
        let headers = vec!["学号".to_string(), "身份证号".into(), "错误原因".into()];
        let rows = vec![vec![
            "0012301".to_string(),
            "440106199001011000".into(),
            "身份证号：请将该列设为文本后重新导出".into(),
        ]];
        let bytes = table("Sheet1", &headers, rows, true).unwrap();
        let sheets = crate::sheets::read(&bytes, None, 10).unwrap();
        assert_eq!(sheets[0].rows[1].cells[0], Cell::Text("0012301".into()));
        assert_eq!(sheets[0].rows[1].cells[1], Cell::Text("440106199001011000".into()));
    }
}
