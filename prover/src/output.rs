//! How the tool talks: human text on stderr/stdout, or one JSON object on
//! stdout with `--json`.

use serde::Serialize;

/// How a command ended when it did not fail on its input.
pub enum Outcome {
    /// Everything held.
    Ok,
    /// A check failed or a proof was rejected (exit 1).
    Rejected,
}

/// Output settings.
pub struct Ui {
    pub json: bool,
    pub quiet: bool,
    pub verbose: bool,
}

impl Ui {
    pub fn new(json: bool, quiet: bool, verbose: bool) -> Self {
        Ui {
            json,
            quiet,
            verbose,
        }
    }

    /// A line for people (suppressed by `--json` and `-q`).
    pub fn say(&self, line: impl AsRef<str>) {
        if !self.json && !self.quiet {
            println!("{}", line.as_ref());
        }
    }

    /// Detail shown with `-v`.
    pub fn detail(&self, line: impl AsRef<str>) {
        if self.verbose && !self.json {
            eprintln!("{}", line.as_ref());
        }
    }

    /// Named checks, one line each: `ok  ` or `FAIL`, name, detail.
    pub fn checks(&self, checks: &[poa_verifier::Check]) {
        for c in checks {
            self.say(format!(
                "{} {:<12} {}",
                if c.ok { "ok  " } else { "FAIL" },
                c.name,
                c.detail
            ));
        }
    }

    /// Progress on stderr (suppressed by `-q`).
    pub fn progress(&self, line: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", line.as_ref());
        }
    }

    /// A progress bar of `len` steps on stderr (hidden by `-q` and `--json`,
    /// and by indicatif itself when stderr is not a terminal).
    pub fn bar(&self, len: u64, what: &str) -> indicatif::ProgressBar {
        if self.quiet || self.json {
            return indicatif::ProgressBar::hidden();
        }
        let bar = indicatif::ProgressBar::new(len);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{msg:>22} [{bar:30}] {pos}/{len} {elapsed_precise}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(what.to_string());
        bar
    }

    /// A spinner for a step with no count (hidden like [`Self::bar`]).
    pub fn spinner(&self, what: &str) -> indicatif::ProgressBar {
        if self.quiet || self.json {
            return indicatif::ProgressBar::hidden();
        }
        let bar = indicatif::ProgressBar::new_spinner();
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
            bar.set_style(style);
        }
        bar.set_message(what.to_string());
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    }

    /// The machine-readable result (only with `--json`).
    pub fn emit<T: Serialize>(&self, value: &T) {
        if self.json {
            println!("{}", poa_circuits::formats::pretty(value).trim_end());
        }
    }

    /// Emits a backend's report; exit 0 when its checks held, else 1.
    pub fn finish(&self, report: poa_prover::backend::Report) -> anyhow::Result<Outcome> {
        self.emit(&report.json);
        Ok(if report.ok {
            Outcome::Ok
        } else {
            Outcome::Rejected
        })
    }

    pub fn error(&self, e: &anyhow::Error) {
        if self.json {
            let value = serde_json::json!({ "ok": false, "error": format!("{e:#}") });
            println!("{value}");
        } else {
            eprintln!("error: {e:#}");
        }
    }
}

impl poa_prover::backend::Log for Ui {
    fn progress(&self, line: &str) {
        Ui::progress(self, line)
    }
    fn say(&self, line: &str) {
        Ui::say(self, line)
    }
    fn detail(&self, line: &str) {
        Ui::detail(self, line)
    }
    /// Always on stderr, even with `--json` or `-q`.
    fn warn(&self, line: &str) {
        eprintln!("warning: {line}");
    }
}
