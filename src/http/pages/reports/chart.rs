//! Charts as SVG written on the server: no script, nothing from another host. Meaning never
//! rests on colour alone: every bar carries its series' name and value as text beside it,
//! each series has its own fill pattern (hatched, solid, dotted, …) shown in a legend,
//! lines differ by dash and marker shape and are labelled at their ends, and every mark has
//! a `<title>` that screen readers and hovering read. The `viewBox` lets a chart scale to
//! its box (the stylesheet caps its width), so it reads the same at 390 px and at 1280 px.

use std::fmt::Write;

/// The drawing's width in user units: narrow enough that its text stays legible when a
/// phone scales it down.
const WIDTH: f64 = 340.0;
const FONT: f64 = 13.0;

/// One bar: which series it belongs to, its length and the text written after it.
pub struct Bar {
    pub series: usize,
    pub value: f64,
    pub text: String,
}

/// Bars drawn together under one label (a project, a school, an event).
pub struct Group {
    pub label: String,
    pub bars: Vec<Bar>,
}

/// Text safe inside SVG (element content and attribute values).
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The fill of series `n`: a pattern (defined in `defs`) distinct in shape, not only hue.
fn fill(id: &str, n: usize) -> String {
    format!("url(#{id}-p{})", n % PATTERNS)
}

const PATTERNS: usize = 5;

/// Patterns: hatched, solid, dotted, horizontal lines, cross-hatched; dark enough in
/// grey-scale print, distinct for colour-blind readers.
fn defs(id: &str) -> String {
    let mut d = String::from("<defs>");
    let _ = write!(
        d,
        "<pattern id=\"{id}-p0\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
         <rect width=\"6\" height=\"6\" fill=\"#fde7d6\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#c2410c\" stroke-width=\"3\"/></pattern>\
         <pattern id=\"{id}-p1\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"6\" height=\"6\" fill=\"#0b5cad\"/></pattern>\
         <pattern id=\"{id}-p2\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">\
         <rect width=\"6\" height=\"6\" fill=\"#e3f2e8\"/><circle cx=\"3\" cy=\"3\" r=\"1.6\" fill=\"#15703d\"/></pattern>\
         <pattern id=\"{id}-p3\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">\
         <rect width=\"6\" height=\"6\" fill=\"#ede9fe\"/><line x1=\"0\" y1=\"3\" x2=\"6\" y2=\"3\" stroke=\"#5b21b6\" stroke-width=\"2\"/></pattern>\
         <pattern id=\"{id}-p4\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">\
         <rect width=\"6\" height=\"6\" fill=\"#f3f4f6\"/><path d=\"M0 0L6 6M6 0L0 6\" stroke=\"#374151\" stroke-width=\"1.2\"/></pattern>"
    );
    d.push_str("</defs>");
    d
}

/// The opening of a chart: its accessible name and description, and the patterns.
fn open(id: &str, height: f64, title: &str, description: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" \
         aria-labelledby=\"{id}-t {id}-d\" font-size=\"{FONT}\" font-family=\"sans-serif\">\
         <title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>{}",
        esc(title),
        esc(description),
        defs(id)
    )
}

/// The legend: a swatch of each series' pattern and its name, in rows that fit the width.
/// Returns the markup and the height it takes.
fn legend(id: &str, series: &[String], patterns: &[usize], y: f64, line_styles: bool) -> (String, f64) {
    let mut out = String::new();
    let (mut x, mut row) = (0.0, 0.0);
    for (n, name) in series.iter().enumerate() {
        // Chinese characters are about one em wide, Latin about half.
        let width = 22.0 + name.chars().map(|c| if c.is_ascii() { FONT * 0.55 } else { FONT }).sum::<f64>() + 14.0;
        if x > 0.0 && x + width > WIDTH {
            x = 0.0;
            row += 18.0;
        }
        let top = y + row;
        if line_styles {
            let _ = write!(
                out,
                "<line x1=\"{x}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#1f2933\" stroke-width=\"2\"{}/>{}",
                top + 7.0,
                x + 16.0,
                top + 7.0,
                dash(n),
                marker(n, x + 8.0, top + 7.0, "")
            );
        } else {
            let _ = write!(
                out,
                "<rect x=\"{x}\" y=\"{top}\" width=\"16\" height=\"12\" fill=\"{}\" stroke=\"#1f2933\" stroke-width=\"0.6\"/>",
                fill(id, patterns.get(n).copied().unwrap_or(n))
            );
        }
        let _ = write!(out, "<text x=\"{}\" y=\"{}\">{}</text>", x + 22.0, top + 11.0, esc(name));
        x += width;
    }
    (out, row + 24.0)
}

/// Horizontal bars in groups, every bar followed by its text (the series' name and value),
/// so the chart reads without the legend and without colour. `patterns[n]` is series `n`'s
/// pattern (so one figure keeps its look across reports; by default the series' index).
/// `max` is the longest bar's value (0 draws every bar empty).
pub fn bars(
    id: &str,
    title: &str,
    description: &str,
    series: &[String],
    patterns: &[usize],
    groups: &[Group],
    max: f64,
) -> String {
    let pattern = |n: usize| patterns.get(n).copied().unwrap_or(n);
    const BAR: f64 = 15.0;
    const GAP: f64 = 3.0;
    const LABEL: f64 = 18.0;
    const AFTER: f64 = 10.0;
    // Room after the longest bar for its text.
    let room = 130.0;
    let scale = if max > 0.0 { (WIDTH - room) / max } else { 0.0 };
    let (legend_svg, legend_height) = legend(id, series, patterns, 0.0, false);
    let mut body = String::new();
    let mut y = legend_height;
    for group in groups {
        let _ = write!(body, "<text x=\"0\" y=\"{}\" font-weight=\"bold\">{}</text>", y + 13.0, esc(&group.label));
        y += LABEL;
        for bar in &group.bars {
            let width = (bar.value.max(0.0) * scale).max(0.0);
            let name = series.get(bar.series).map(String::as_str).unwrap_or("");
            let _ = write!(
                body,
                "<g><title>{}：{} {}</title><rect x=\"0\" y=\"{y}\" width=\"{width:.1}\" height=\"{BAR}\" fill=\"{}\" \
                 stroke=\"#1f2933\" stroke-width=\"0.6\"/><text x=\"{:.1}\" y=\"{}\">{} {}</text></g>",
                esc(&group.label),
                esc(name),
                esc(&bar.text),
                fill(id, pattern(bar.series)),
                width + 4.0,
                y + 11.0,
                esc(name),
                esc(&bar.text)
            );
            y += BAR + GAP;
        }
        y += AFTER;
    }
    format!("{}{legend_svg}{body}</svg>", open(id, y.max(40.0), title, description))
}

fn dash(n: usize) -> &'static str {
    match n % 3 {
        0 => " stroke-dasharray=\"6 3\"",
        1 => "",
        _ => " stroke-dasharray=\"2 2\"",
    }
}

/// A marker of series `n` at (x, y): circles, squares, triangles.
fn marker(n: usize, x: f64, y: f64, title: &str) -> String {
    let title = if title.is_empty() { String::new() } else { format!("<title>{}</title>", esc(title)) };
    match n % 3 {
        0 => format!(
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\" fill=\"#fff\" stroke=\"#1f2933\" stroke-width=\"1.5\">{title}</circle>"
        ),
        1 => format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"7\" height=\"7\" fill=\"#1f2933\">{title}</rect>",
            x - 3.5,
            y - 3.5
        ),
        _ => format!(
            "<path d=\"M{x:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z\" fill=\"#1f2933\">{title}</path>",
            y - 4.5,
            x + 4.5,
            y + 3.5,
            x - 4.5,
            y + 3.5
        ),
    }
}

/// Lines over time: `labels` along the bottom (thinned out when many), one line per series
/// with its own dash and marker, each labelled at its end with its last value.
pub fn lines(
    id: &str,
    title: &str,
    description: &str,
    series: &[String],
    labels: &[String],
    values: &[Vec<f64>],
) -> String {
    let (legend_svg, legend_height) = legend(id, series, &[], 0.0, true);
    let (left, right, top, bottom) = (30.0, 92.0, legend_height + 6.0, 28.0);
    let plot = 150.0;
    let height = top + plot + bottom;
    let max = values.iter().flatten().copied().fold(0.0_f64, f64::max).max(1.0);
    let max = max.ceil();
    let n = labels.len().max(1);
    let step = if n > 1 { (WIDTH - left - right) / (n - 1) as f64 } else { 0.0 };
    let x = |i: usize| left + step * i as f64;
    let y = |v: f64| top + plot - v / max * plot;
    let mut body = String::new();
    // Axis and three gridlines with their values.
    for v in [0.0, (max / 2.0).round(), max] {
        let _ = write!(
            body,
            "<line x1=\"{left}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#d9e2ec\"/><text x=\"{}\" y=\"{:.1}\" \
             text-anchor=\"end\">{v}</text>",
            y(v),
            WIDTH - right,
            y(v),
            left - 4.0,
            y(v) + 4.0
        );
    }
    // At most about six dates along the bottom, always the last.
    let every = n.div_ceil(6).max(1);
    for (i, label) in labels.iter().enumerate() {
        if i % every == 0 || i + 1 == n {
            if i + 1 != n && (n - 1 - i) < every {
                continue;
            }
            // The first and last labels stay inside the drawing (and clear of the axis' 0).
            let anchor = match i {
                0 if n > 1 => "start",
                _ if i + 1 == n && n > 1 => "end",
                _ => "middle",
            };
            let _ = write!(
                body,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{}</text>",
                x(i),
                top + plot + 18.0,
                esc(label)
            );
        }
    }
    let mut ends: Vec<(f64, String)> = Vec::new();
    for (s, points) in values.iter().enumerate() {
        let name = series.get(s).map(String::as_str).unwrap_or("");
        let path: Vec<String> = points.iter().enumerate().map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v))).collect();
        let _ = write!(
            body,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#1f2933\" stroke-width=\"2\"{}/>",
            path.join(" "),
            dash(s)
        );
        for (i, v) in points.iter().enumerate() {
            let label = labels.get(i).map(String::as_str).unwrap_or("");
            body.push_str(&marker(s, x(i), y(*v), &format!("{label} {name} {v}")));
        }
        if let Some(last) = points.last() {
            ends.push((y(*last), format!("{name} {last}")));
        }
    }
    // End labels, nudged apart when two lines end close together.
    ends.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut previous = f64::MIN;
    for (at, text) in ends {
        let at = at.max(previous + FONT + 2.0);
        previous = at;
        let _ = write!(body, "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>", WIDTH - right + 6.0, at + 4.0, esc(&text));
    }
    format!("{}{legend_svg}{body}</svg>", open(id, height, title, description))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_carry_their_names_values_and_titles() {
        let svg = bars(
            "c",
            "缺口与已录用",
            "每个项目两条",
            &["缺口".into(), "已录用".into()],
            &[],
            &[Group {
                label: "A<B".into(),
                bars: vec![
                    Bar { series: 0, value: 10.0, text: "10".into() },
                    Bar { series: 1, value: 0.0, text: "0".into() },
                ],
            }],
            10.0,
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("<title id=\"c-t\">缺口与已录用</title>"));
        assert!(svg.contains("<title>A&lt;B：缺口 10</title>"));
        assert!(svg.contains(">已录用 0</text>"));
        assert!(svg.contains("url(#c-p0)") && svg.contains("url(#c-p1)"));
    }

    #[test]
    fn lines_end_with_their_last_values() {
        let svg = lines(
            "l",
            "趋势",
            "累计",
            &["录用意向".into(), "已录用".into()],
            &["11-01".into(), "11-08".into()],
            &[vec![1.0, 4.0], vec![0.0, 2.0]],
        );
        assert!(svg.contains(">录用意向 4</text>") && svg.contains(">已录用 2</text>"));
        assert!(svg.contains("<circle") && svg.contains("<rect x="));
    }
}
