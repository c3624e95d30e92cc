//! Reports' vocabulary: the four reports and the formats they come in.

use super::labels::labeled_enum;

labeled_enum! {
    /// The reports a coordinator answers to the district with (and each organisation reads
    /// for itself).
    ReportKind {
        Fill = ("fill", "岗位填补", "Fill"),
        Placements = ("placements", "学校录用", "Placements"),
        Destinations = ("destinations", "毕业去向", "Destinations"),
        Turnout = ("turnout", "活动到场", "Turnout"),
    }
}

labeled_enum! {
    /// How a report is answered: JSON (the default) or an Excel workbook, a sheet per table.
    ReportFormat {
        Json = ("json", "JSON", "JSON"),
        Xlsx = ("xlsx", "Excel 表格", "Excel workbook"),
    }
}
