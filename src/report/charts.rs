//! Inline SVG charts, so the HTML summary is one self-contained file.

use crate::score::likert::ItemSummary;

/// Diverging, colour-blind-safe palettes (ColorBrewer RdBu) from disagree to agree.
fn palette(k: usize) -> Vec<&'static str> {
    match k {
        2 => vec!["#ef8a62", "#67a9cf"],
        3 => vec!["#ef8a62", "#d9d9d9", "#67a9cf"],
        4 => vec!["#ca0020", "#f4a582", "#92c5de", "#0571b0"],
        5 => vec!["#ca0020", "#f4a582", "#d9d9d9", "#92c5de", "#0571b0"],
        6 => vec![
            "#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac",
        ],
        _ => {
            let base = [
                "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#d9d9d9", "#d1e5f0", "#92c5de",
                "#4393c3", "#2166ac",
            ];
            (0..k)
                .map(|i| base[i * (base.len() - 1) / (k - 1).max(1)])
                .collect()
        }
    }
}

/// A 100 % stacked bar of an item's answers, with a text alternative for screen readers.
pub fn stacked_bar(summary: &ItemSummary) -> String {
    let (width, height) = (320.0, 16.0);
    let n = summary.n as f64;
    let colours = palette(summary.options.len());
    let mut x = 0.0;
    let mut rects = String::new();
    let mut title = Vec::new();
    for (o, colour) in summary.options.iter().zip(colours) {
        let w = if n > 0.0 {
            width * o.count as f64 / n
        } else {
            0.0
        };
        title.push(format!("{}: {}", o.label, o.count));
        if w > 0.0 {
            rects.push_str(&format!(
                r#"<rect x="{x:.2}" y="0" width="{w:.2}" height="{height}" fill="{colour}"><title>{}: {}</title></rect>"#,
                escape(&o.label),
                o.count
            ));
        }
        x += w;
    }
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{}">{rects}</svg>"#,
        escape(&title.join(", "))
    )
}

/// A legend of the palette for a scale's labels.
pub fn legend(labels: &[String]) -> String {
    palette(labels.len())
        .iter()
        .zip(labels)
        .map(|(c, l)| {
            format!(
                r#"<span class="key"><span class="swatch" style="background:{c}"></span>{}</span>"#,
                escape(l)
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
