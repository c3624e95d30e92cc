//! QR codes for check-in passes: SVG for pages (scales with the layout) and PNG for the
//! approval mail's attachment (mail clients do not show SVG).

use qrcode::{Color, EcLevel, QrCode};

/// A QR code of `text` as an inline SVG (no fixed size: the page's CSS sets it), with a
/// quiet zone and `role="img"` named by `label`.
pub fn svg(text: &str, label: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .dark_color(qrcode::render::svg::Color("#000"))
        .light_color(qrcode::render::svg::Color("#fff"))
        .build();
    // Drop the XML prolog and the fixed size; add an accessible name.
    let start = svg.find("<svg")?;
    let label = label.replace(['&', '<', '>', '"'], " ");
    Some(svg[start..].replacen("<svg", &format!("<svg role=\"img\" aria-label=\"{label}\" class=\"qr\""), 1))
}

/// A QR code of `text` as a greyscale PNG, `scale` pixels per module, four modules of
/// quiet zone.
pub fn png(text: &str, scale: usize) -> Option<Vec<u8>> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let modules = code.width();
    let colors = code.to_colors();
    let quiet = 4;
    let side = (modules + 2 * quiet) * scale;
    let mut pixels = vec![255u8; side * side];
    for (at, color) in colors.iter().enumerate() {
        if *color != Color::Dark {
            continue;
        }
        let (x, y) = ((at % modules + quiet) * scale, (at / modules + quiet) * scale);
        for row in y..y + scale {
            pixels[row * side + x..row * side + x + scale].fill(0);
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, side as u32, side as u32);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().ok()?;
    writer.write_image_data(&pixels).ok()?;
    writer.finish().ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_both_forms() {
        let png = png("https://example.cn/app/events/1/checkin?code=abc", 6).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let svg = svg("ABCD2345", "签到码 ABCD2345").unwrap();
        assert!(svg.starts_with("<svg role=\"img\""), "{svg}");
        assert!(svg.contains("签到码 ABCD2345"));
    }
}
