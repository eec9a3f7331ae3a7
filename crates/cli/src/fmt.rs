//! Small formatting helpers for tables.

/// Human-readable byte size: `512 B`, `1.5 KiB`, `12.0 MiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

/// Output formats every command accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns for people.
    Table,
    /// One JSON document (the documented schema).
    Json,
    /// One JSON record per line (per row).
    Ndjson,
    /// Comma-separated values with a header row.
    Csv,
    /// A Markdown table.
    Markdown,
}

/// `--format` and its `--json` short form.
#[derive(clap::Args, Clone, Debug)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutputFormat,
    /// Short for --format json.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
}

impl OutputArgs {
    /// The effective format.
    pub fn format(&self) -> OutputFormat {
        if self.json {
            OutputFormat::Json
        } else {
            self.format
        }
    }
}

/// A plain text table: left-aligned columns, given right-aligned columns.
#[derive(Default)]
pub struct Table {
    header: Vec<&'static str>,
    right: Vec<bool>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headers; `right[i]` right-aligns column i.
    pub fn new(header: Vec<&'static str>, right: Vec<bool>) -> Table {
        Table { header, right, rows: Vec::new() }
    }

    /// Adds a row.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Renders in `format` (table, markdown or csv).
    pub fn render_as(&self, format: OutputFormat) -> String {
        match format {
            OutputFormat::Markdown => self.markdown(),
            OutputFormat::Csv => self.csv(),
            _ => self.render(),
        }
    }

    /// A GitHub-flavoured Markdown table.
    pub fn markdown(&self) -> String {
        let esc = |c: &str| c.replace('|', "\\|");
        let mut out = format!("| {} |\n|", self.header.join(" | "));
        for (i, _) in self.header.iter().enumerate() {
            out.push_str(if self.right.get(i).copied().unwrap_or(false) { " ---: |" } else { " --- |" });
        }
        out.push('\n');
        for r in &self.rows {
            let cells: Vec<String> = r.iter().map(|c| esc(c)).collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        out
    }

    /// RFC 4180 CSV with a header row.
    pub fn csv(&self) -> String {
        let q = |c: &str| {
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.to_string()
            }
        };
        let mut out = self.header.iter().map(|h| q(&h.to_lowercase().replace(' ', "_"))).collect::<Vec<_>>().join(",");
        out.push('\n');
        for r in &self.rows {
            out.push_str(&r.iter().map(|c| q(c)).collect::<Vec<_>>().join(","));
            out.push('\n');
        }
        out
    }

    /// Renders with two spaces between columns, styled for stdout (bold
    /// header on a color terminal, cells cut to fit the terminal width).
    pub fn render(&self) -> String {
        self.render_styled(crate::term::Style::stdout())
    }

    /// Renders with two spaces between columns in `style`.
    pub fn render_styled(&self, style: crate::term::Style) -> String {
        let n = self.header.len();
        let mut width: Vec<usize> = self.header.iter().map(|h| h.len()).collect();
        for r in &self.rows {
            for (i, c) in r.iter().enumerate().take(n) {
                width[i] = width[i].max(c.chars().count());
            }
        }
        if let Some(max) = style.width {
            self.fit(&mut width, max);
        }
        let mut out = String::new();
        let mut line = |cells: &mut dyn Iterator<Item = &str>, header: bool| {
            let mut s = String::new();
            for (i, c) in cells.enumerate().take(n) {
                let c = cut(c, width[i]);
                let pad = width[i].saturating_sub(c.chars().count());
                if i > 0 {
                    s.push_str("  ");
                }
                if self.right.get(i).copied().unwrap_or(false) {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(&c);
                } else {
                    s.push_str(&c);
                    if i + 1 < n {
                        s.push_str(&" ".repeat(pad));
                    }
                }
            }
            let s = s.trim_end();
            out.push_str(&if header { style.bold(s) } else { s.to_string() });
            out.push('\n');
        };
        line(&mut self.header.iter().copied(), true);
        for r in &self.rows {
            line(&mut r.iter().map(String::as_str), false);
        }
        out
    }

    /// Narrows the widest left-aligned (text) columns until a line fits in
    /// `max` columns; numbers are never cut, text keeps at least 8 columns.
    fn fit(&self, width: &mut [usize], max: usize) {
        const MIN: usize = 8;
        let total = |w: &[usize]| w.iter().sum::<usize>() + 2 * w.len().saturating_sub(1);
        while total(width) > max {
            let widest = (0..width.len())
                .filter(|&i| !self.right.get(i).copied().unwrap_or(false) && width[i] > MIN)
                .max_by_key(|&i| width[i]);
            match widest {
                Some(i) => width[i] -= 1,
                None => break,
            }
        }
    }
}

/// `s` cut to `w` columns with an ellipsis in the middle (paths and package
/// names keep both ends).
fn cut(s: &str, w: usize) -> std::borrow::Cow<'_, str> {
    let n = s.chars().count();
    if n <= w || w < 3 {
        return s.into();
    }
    let head = (w - 1) / 2;
    let tail = w - 1 - head;
    let mut out: String = s.chars().take(head).collect();
    out.push('…');
    out.extend(s.chars().skip(n - tail));
    out.into()
}

#[cfg(test)]
mod tests {
    #[test]
    fn byte_units() {
        assert_eq!(super::bytes(0), "0 B");
        assert_eq!(super::bytes(1536), "1.5 KiB");
        assert_eq!(super::bytes(1 << 20), "1.0 MiB");
    }

    #[test]
    fn tables_fit_the_width_and_color_the_header() {
        use crate::term::Style;
        let mut t = super::Table::new(vec!["NAME", "SIZE"], vec![false, true]);
        t.row(vec!["example.com/a/very/long/package/path.Variable".into(), "123456".into()]);
        let plain = t.render_styled(Style { color: false, width: Some(30) });
        assert!(plain.lines().all(|l| l.chars().count() <= 30), "{plain}");
        assert!(plain.contains('…') && plain.contains("123456") && !plain.contains('\x1b'));
        let wide = t.render_styled(Style { color: true, width: None });
        assert!(wide.contains("path.Variable") && wide.starts_with("\x1b[1m"));
        assert_eq!(super::cut("abcdefghij", 5), "ab…ij");
    }
}
