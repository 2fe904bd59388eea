//! Small line and scatter charts as PNG files, for the quality benchmark's
//! figures: a raster canvas, the `font8x8` bitmap font (ASCII) and a PNG
//! encoder over `flate2` (no system fonts, no image crates).

use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::write::ZlibEncoder;
use flate2::{Compression, Crc};

use super::quality::{Report, ATTACKS, DEFENCES};
use crate::Error;

/// An RGB colour.
pub type Rgb = [u8; 3];

/// Colours of successive series (colour-blind-safe, Okabe & Ito 2008).
pub const PALETTE: [Rgb; 6] = [
    [0, 114, 178],
    [213, 94, 0],
    [0, 158, 115],
    [204, 121, 167],
    [230, 159, 0],
    [86, 180, 233],
];
const BLACK: Rgb = [0, 0, 0];
const GREY: Rgb = [200, 200, 200];
const WHITE: Rgb = [255, 255, 255];

/// An RGB raster.
pub struct Canvas {
    w: usize,
    h: usize,
    px: Vec<Rgb>,
}

impl Canvas {
    /// A white canvas.
    pub fn new(w: usize, h: usize) -> Self {
        Canvas {
            w,
            h,
            px: vec![WHITE; w * h],
        }
    }

    fn set(&mut self, x: i64, y: i64, c: Rgb) {
        if x >= 0 && y >= 0 && (x as usize) < self.w && (y as usize) < self.h {
            self.px[y as usize * self.w + x as usize] = c;
        }
    }

    /// A filled square of side `2r+1` around `(x, y)`.
    pub fn dot(&mut self, x: i64, y: i64, r: i64, c: Rgb) {
        for dy in -r..=r {
            for dx in -r..=r {
                if dx * dx + dy * dy <= r * r + r {
                    self.set(x + dx, y + dy, c);
                }
            }
        }
    }

    /// A line `width` pixels wide (Bresenham, stamped).
    pub fn line(&mut self, (x0, y0): (i64, i64), (x1, y1): (i64, i64), width: i64, c: Rgb) {
        let (dx, dy) = ((x1 - x0).abs(), -(y1 - y0).abs());
        let (sx, sy) = (if x0 < x1 { 1 } else { -1 }, if y0 < y1 { 1 } else { -1 });
        let (mut x, mut y, mut err) = (x0, y0, dx + dy);
        loop {
            self.dot(x, y, width / 2, c);
            if x == x1 && y == y1 {
                break;
            }
            let e2 = 2 * err;
            if e2 >= dy {
                err += dy;
                x += sx;
            }
            if e2 <= dx {
                err += dx;
                y += sy;
            }
        }
    }

    /// ASCII text with its top-left corner at `(x, y)`, 8×8 glyphs
    /// (anything else prints as `?`).
    pub fn text(&mut self, x: i64, y: i64, s: &str, c: Rgb) {
        for (i, ch) in s.chars().enumerate() {
            let g = font8x8::legacy::BASIC_LEGACY[if ch.is_ascii() { ch as usize } else { 63 }];
            for (row, bits) in g.iter().enumerate() {
                for col in 0..8 {
                    if bits >> col & 1 == 1 {
                        self.set(x + 8 * i as i64 + col, y + row as i64, c);
                    }
                }
            }
        }
    }

    /// Text turned 90° counter-clockwise, reading upwards from `(x, y)`.
    pub fn text_up(&mut self, x: i64, y: i64, s: &str, c: Rgb) {
        for (i, ch) in s.chars().enumerate() {
            let g = font8x8::legacy::BASIC_LEGACY[if ch.is_ascii() { ch as usize } else { 63 }];
            for (row, bits) in g.iter().enumerate() {
                for col in 0..8 {
                    if bits >> col & 1 == 1 {
                        self.set(x + row as i64, y - 8 * i as i64 - col, c);
                    }
                }
            }
        }
    }

    /// The canvas as a PNG file (8-bit RGB, no filter, zlib level 9).
    pub fn png(&self) -> Result<Vec<u8>, Error> {
        let io = |e: std::io::Error| Error::Experiment(format!("PNG encoding: {e}"));
        let mut raw = Vec::with_capacity((self.w * 3 + 1) * self.h);
        for row in self.px.chunks(self.w) {
            raw.push(0);
            raw.extend(row.iter().flatten());
        }
        let mut z = ZlibEncoder::new(Vec::new(), Compression::best());
        z.write_all(&raw).map_err(io)?;
        let idat = z.finish().map_err(io)?;
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let chunk = |out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]| {
            out.extend((data.len() as u32).to_be_bytes());
            let mut crc = Crc::new();
            crc.update(kind);
            crc.update(data);
            out.extend(kind);
            out.extend(data);
            out.extend(crc.sum().to_be_bytes());
        };
        let mut ihdr = Vec::new();
        ihdr.extend((self.w as u32).to_be_bytes());
        ihdr.extend((self.h as u32).to_be_bytes());
        ihdr.extend([8, 2, 0, 0, 0]);
        chunk(&mut out, b"IHDR", &ihdr);
        chunk(&mut out, b"IDAT", &idat);
        chunk(&mut out, b"IEND", &[]);
        Ok(out)
    }
}

/// One series of a chart.
pub struct Series {
    /// Legend text.
    pub name: String,
    /// Colour.
    pub color: Rgb,
    /// Points `(x, y)`; non-finite ones are skipped.
    pub points: Vec<(f64, f64)>,
    /// Join the points.
    pub line: bool,
}

/// A chart: axes, ticks, series and a legend.
pub struct Chart {
    /// Title, above the plot.
    pub title: String,
    /// X axis label.
    pub x_label: String,
    /// Y axis label.
    pub y_label: String,
    /// Logarithmic x axis (base 10).
    pub log_x: bool,
    /// The series.
    pub series: Vec<Series>,
    /// Vertical marker lines at these x values.
    pub x_marks: Vec<f64>,
}

fn nice_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = (hi - lo).max(1e-300);
    let raw = span / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| span / s <= 6.0)
        .unwrap_or(10.0 * mag);
    let mut t = (lo / step).ceil() * step;
    let mut out = Vec::new();
    while t <= hi + step * 1e-9 {
        out.push(if t.abs() < step * 1e-9 { 0.0 } else { t });
        t += step;
    }
    out
}

fn label(v: f64) -> String {
    let a = v.abs();
    if a == 0.0 {
        "0".into()
    } else if !(1e-3..1e4).contains(&a) {
        format!("{v:.0e}")
    } else if a >= 100.0 || v.fract() == 0.0 {
        format!("{v:.0}")
    } else if a >= 1.0 {
        format!("{v:.1}")
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').to_string()
    }
}

impl Chart {
    /// Draws the chart into the rectangle `(x0, y0, w, h)` of `c`.
    pub fn draw(&self, c: &mut Canvas, x0: i64, y0: i64, w: i64, h: i64) {
        let tx = |x: f64| if self.log_x { x.log10() } else { x };
        let pts = self
            .series
            .iter()
            .flat_map(|s| s.points.iter())
            .filter(|p| p.0.is_finite() && p.1.is_finite() && (!self.log_x || p.0 > 0.0));
        let (mut xmin, mut xmax, mut ymin, mut ymax) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for &(x, y) in pts {
            let x = tx(x);
            xmin = xmin.min(x);
            xmax = xmax.max(x);
            ymin = ymin.min(y);
            ymax = ymax.max(y);
        }
        if xmin > xmax {
            (xmin, xmax, ymin, ymax) = (0.0, 1.0, 0.0, 1.0);
        }
        let pad = |lo: f64, hi: f64| {
            let d = if hi > lo { (hi - lo) * 0.05 } else { 0.5 };
            (lo - d, hi + d)
        };
        let ((xmin, xmax), (ymin, ymax)) = (pad(xmin, xmax), pad(ymin, ymax));
        let (l, r, t, b) = (x0 + 62, x0 + w - 10, y0 + 26, y0 + h - 36);
        let px = |x: f64| l + ((x - xmin) / (xmax - xmin) * (r - l) as f64).round() as i64;
        let py = |y: f64| b - ((y - ymin) / (ymax - ymin) * (b - t) as f64).round() as i64;
        // Ticks and grid.
        let xt: Vec<(f64, String)> = if self.log_x {
            (xmin.ceil() as i64..=xmax.floor() as i64)
                .map(|e| (e as f64, label(10f64.powi(e as i32))))
                .collect()
        } else {
            nice_ticks(xmin, xmax)
                .into_iter()
                .map(|v| (v, label(v)))
                .collect()
        };
        for (v, s) in &xt {
            let x = px(*v);
            c.line((x, t), (x, b), 1, GREY);
            c.text(x - 4 * s.len() as i64, b + 5, s, BLACK);
        }
        for v in nice_ticks(ymin, ymax) {
            let y = py(v);
            c.line((l, y), (r, y), 1, GREY);
            let s = label(v);
            c.text(l - 4 - 8 * s.len() as i64, y - 4, &s, BLACK);
        }
        if ymin < 0.0 && ymax > 0.0 {
            c.line((l, py(0.0)), (r, py(0.0)), 1, [120, 120, 120]);
        }
        for &m in &self.x_marks {
            if m > 0.0 || !self.log_x {
                let x = px(tx(m));
                c.line((x, t), (x, b), 2, [150, 150, 150]);
            }
        }
        c.line((l, t), (l, b), 1, BLACK);
        c.line((l, b), (r, b), 1, BLACK);
        c.text(
            x0 + (w - 8 * self.title.len() as i64) / 2,
            y0 + 6,
            &self.title,
            BLACK,
        );
        c.text(
            (l + r) / 2 - 4 * self.x_label.len() as i64,
            b + 20,
            &self.x_label,
            BLACK,
        );
        c.text_up(
            x0 + 4,
            (t + b) / 2 + 4 * self.y_label.len() as i64,
            &self.y_label,
            BLACK,
        );
        for s in &self.series {
            let mut prev: Option<(i64, i64)> = None;
            for &(x, y) in &s.points {
                if !(x.is_finite() && y.is_finite()) || (self.log_x && x <= 0.0) {
                    prev = None;
                    continue;
                }
                let p = (px(tx(x)), py(y));
                if s.line {
                    if let Some(q) = prev {
                        c.line(q, p, 2, s.color);
                    }
                    c.dot(p.0, p.1, 2, s.color);
                } else {
                    c.dot(p.0, p.1, 2, s.color);
                }
                prev = Some(p);
            }
        }
        // Legend, top left inside the plot.
        for (i, s) in self.series.iter().enumerate() {
            let y = t + 6 + 12 * i as i64;
            c.line((l + 8, y + 4), (l + 22, y + 4), 3, s.color);
            c.text(l + 28, y, &s.name, BLACK);
        }
    }
}

fn write(dir: &Path, name: &str, c: &Canvas) -> Result<PathBuf, Error> {
    let path = dir.join(name);
    std::fs::write(&path, c.png()?).map_err(|cause| Error::Io {
        path: path.clone(),
        cause,
    })?;
    Ok(path)
}

/// Writes the benchmark's figures into `dir` (created if missing): the λ
/// curve, score against leave-one-out on `V` and `T` (first seed), and the
/// owner's pool share against extra identities. Returns the paths.
pub fn figures(report: &Report, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    std::fs::create_dir_all(dir).map_err(|cause| Error::Io {
        path: dir.to_path_buf(),
        cause,
    })?;
    let mut out = Vec::new();
    let lambdas: Vec<f64> = report.seeds.iter().map(|s| s.lambda).collect();
    let chosen = super::stats::quantile(&lambdas, 0.5).unwrap_or(f64::NAN);
    let curve = |f: &dyn Fn(&super::quality::CurveMedian) -> f64| -> Vec<(f64, f64)> {
        report.curve.iter().map(|p| (p.lambda, f(p))).collect()
    };
    let mut c = Canvas::new(960, 360);
    Chart {
        title: "Spearman vs lambda (medians)".into(),
        x_label: "lambda (L2 weight)".into(),
        y_label: "Spearman".into(),
        log_x: true,
        series: vec![
            Series {
                name: "fidelity: score vs LOO on V".into(),
                color: PALETTE[0],
                points: curve(&|p| p.fidelity),
                line: true,
            },
            Series {
                name: "value: score vs LOO on T".into(),
                color: PALETTE[1],
                points: curve(&|p| p.value),
                line: true,
            },
            Series {
                name: "ceiling: LOO on V vs LOO on T".into(),
                color: PALETTE[2],
                points: curve(&|p| p.ceiling),
                line: true,
            },
        ],
        x_marks: vec![chosen],
    }
    .draw(&mut c, 0, 0, 480, 360);
    Chart {
        title: "loss vs lambda (medians)".into(),
        x_label: "lambda (bar: median chosen)".into(),
        y_label: "mean log loss".into(),
        log_x: true,
        series: vec![
            Series {
                name: "loss on V (selects lambda)".into(),
                color: PALETTE[0],
                points: curve(&|p| p.validation_loss),
                line: true,
            },
            Series {
                name: "loss on T (held out)".into(),
                color: PALETTE[1],
                points: curve(&|p| p.test_loss),
                line: true,
            },
        ],
        x_marks: vec![chosen],
    }
    .draw(&mut c, 480, 0, 480, 360);
    out.push(write(dir, "lambda.png", &c)?);

    if let Some(s) = report.seeds.first() {
        let smax = s
            .scores
            .iter()
            .map(|x| x.unsigned_abs())
            .max()
            .unwrap_or(1)
            .max(1) as f64;
        let mut c = Canvas::new(960, 360);
        for (i, (loo, name)) in [(&s.loo_v, "V"), (&s.loo_t, "T")].into_iter().enumerate() {
            // Colour by label noise: clean, up to 20 %, more.
            let groups = [
                ("noise 0", 0.0, 0.05),
                ("noise 10-20%", 0.05, 0.25),
                ("noise 30-50%", 0.25, 1.0),
            ];
            let series = groups
                .iter()
                .enumerate()
                .map(|(g, (label, lo, hi))| Series {
                    name: label.to_string(),
                    color: PALETTE[g],
                    points: report
                        .profiles
                        .iter()
                        .zip(loo.iter().zip(&s.scores))
                        .filter(|(p, _)| p.noise >= *lo && p.noise < *hi)
                        .map(|(_, (l, sc))| (l * 1000.0, *sc as f64 / smax))
                        .collect(),
                    line: false,
                })
                .collect();
            Chart {
                title: format!("score vs LOO on {name} (seed {})", s.seed),
                x_label: format!("LOO gain on {name} (x 1e-3)"),
                y_label: "score / max |score|".into(),
                log_x: false,
                series,
                x_marks: vec![0.0],
            }
            .draw(&mut c, 480 * i as i64, 0, 480, 360);
        }
        out.push(write(dir, "scatter.png", &c)?);
    }

    if !report.sybil.is_empty() {
        let mut c = Canvas::new(1200, 340);
        for (i, attack) in ATTACKS.iter().enumerate() {
            let series = DEFENCES
                .iter()
                .enumerate()
                .map(|(d, defence)| Series {
                    name: defence.to_string(),
                    color: PALETTE[d],
                    points: report
                        .sybil
                        .iter()
                        .filter(|p| p.attack == *attack && p.defence == *defence)
                        .map(|p| (p.k as f64, p.median * 100.0))
                        .collect(),
                    line: true,
                })
                .collect();
            Chart {
                title: attack.to_string(),
                x_label: "extra identities k".into(),
                y_label: "owner's pool share (%)".into(),
                log_x: false,
                series,
                x_marks: Vec::new(),
            }
            .draw(&mut c, 400 * i as i64, 0, 400, 340);
        }
        out.push(write(dir, "sybil.png", &c)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_has_the_right_header_and_crc() {
        let mut c = Canvas::new(3, 2);
        c.text(0, 0, "A", BLACK);
        let png = c.png().unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&png[12..16], b"IHDR");
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 3);
        let mut crc = Crc::new();
        crc.update(&png[12..29]);
        assert_eq!(crc.sum().to_be_bytes(), png[29..33]);
        assert_eq!(&png[png.len() - 8..png.len() - 4], b"IEND");
    }

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        let t: Vec<String> = nice_ticks(0.0, 1.0).into_iter().map(label).collect();
        assert_eq!(t, ["0", "0.2", "0.4", "0.6", "0.8", "1"]);
        let t: Vec<String> = nice_ticks(-0.013, 0.021).into_iter().map(label).collect();
        assert_eq!(t, ["-0.01", "0", "0.01", "0.02"]);
        assert_eq!(label(0.25), "0.25");
        assert_eq!(label(300.0), "300");
    }
}
