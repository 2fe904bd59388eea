//! Scanning snark-verifier's Yul: the assembly block's top-level
//! statements, the calls in a statement, the memory a statement writes, and
//! its calldata reads shifted for a part.

use super::unexpected;
use crate::Error;

/// The assembly block's top-level statements, in three groups.
pub(super) struct Program {
    /// The declarations before the body (`success`, the moduli, functions).
    pub(super) header: Vec<String>,
    /// The straight-line statements, before the final `if iszero(success)`.
    pub(super) body: Vec<String>,
}

/// Braces of a line outside its `//` comment.
fn depth_change(line: &str) -> i64 {
    let code = line.split("//").next().unwrap_or("");
    code.matches('{').count() as i64 - code.matches('}').count() as i64
}

pub(super) fn parse(source: &str) -> Result<Program, Error> {
    // The entry pins its parts' code, which must not be able to go.
    if !calls(source, "selfdestruct").is_empty() {
        return Err(unexpected("`selfdestruct`"));
    }
    const OPEN: &str = "assembly (\"memory-safe\") {";
    let start = source
        .find(OPEN)
        .ok_or_else(|| unexpected("no memory-safe assembly block"))?;
    let mut statements: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut depth = 0i64;
    let mut closed = false;
    for line in source[start + OPEN.len()..].lines() {
        if depth == 0 && line.trim().is_empty() {
            continue;
        }
        depth += depth_change(line);
        if depth < 0 {
            closed = true;
            break;
        }
        current.push_str(line.trim_end());
        current.push('\n');
        if depth == 0 {
            statements.push(std::mem::take(&mut current));
        }
    }
    if !closed {
        return Err(unexpected("the assembly block does not close"));
    }
    let is_header = |s: &str| {
        let t = s.trim_start();
        t.starts_with("let ")
            || t.starts_with("if ")
            || t.starts_with("function ")
            || t.starts_with("//")
    };
    let body_start = statements
        .iter()
        .position(|s| !is_header(s))
        .ok_or_else(|| unexpected("no statements"))?;
    let tail_start = statements
        .iter()
        .rposition(|s| s.trim_start().starts_with("if iszero(success)"))
        .filter(|&i| i >= body_start)
        .ok_or_else(|| unexpected("no final `if iszero(success)`"))?;
    let header = statements[..body_start].to_vec();
    for needed in ["let success := true", "let f_q :=", "let f_p :="] {
        if !header.iter().any(|s| s.trim_start().starts_with(needed)) {
            return Err(unexpected(format!("no `{needed}` in the header")));
        }
    }
    let body = statements[body_start..tail_start].to_vec();
    if let Some(s) = body.iter().find(|s| {
        let t = s.trim_start();
        t.starts_with("let ") || t.starts_with("function ")
    }) {
        // A top-level variable of the body could not cross a part boundary.
        return Err(unexpected(format!(
            "a top-level declaration `{}`",
            s.trim()
        )));
    }
    Ok(Program { header, body })
}

/// The argument lists of every call to `name` in `text` (a call: `name(`
/// not preceded by an identifier character).
fn calls<'t>(text: &'t str, name: &str) -> Vec<(usize, usize, Vec<&'t str>)> {
    let pattern = format!("{name}(");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(&pattern).map(|i| i + from) {
        from = i + pattern.len();
        let prev = text[..i].chars().next_back();
        if prev.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let (mut depth, mut args, mut arg_start) = (1, Vec::new(), from);
        let mut end = from;
        for (j, c) in text[from..].char_indices() {
            let at = from + j;
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        args.push(text[arg_start..at].trim());
                        end = at + 1;
                        break;
                    }
                }
                ',' if depth == 1 => {
                    args.push(text[arg_start..at].trim());
                    arg_start = at + 1;
                }
                _ => {}
            }
        }
        out.push((i, end, args));
    }
    out
}

fn literal(s: &str) -> Option<u64> {
    match s.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

/// The end of the highest memory range `stmt` writes.
pub(super) fn write_end(stmt: &str) -> Result<u64, Error> {
    for banned in [
        "calldatacopy",
        "returndatacopy",
        "codecopy",
        "extcodecopy",
        "mcopy",
        "call",
        "delegatecall",
        "callcode",
        "msize",
    ] {
        if !calls(stmt, banned).is_empty() {
            return Err(unexpected(format!("`{banned}` in a statement")));
        }
    }
    let address = |arg: Option<&&str>| {
        arg.and_then(|a| literal(a)).ok_or_else(|| {
            unexpected(format!(
                "a memory address that is not a literal in `{}`",
                stmt.trim()
            ))
        })
    };
    let mut end = 0;
    for (_, _, args) in calls(stmt, "mstore") {
        end = end.max(address(args.first())? + 32);
    }
    for (_, _, args) in calls(stmt, "mstore8") {
        end = end.max(address(args.first())? + 1);
    }
    for (_, _, args) in calls(stmt, "staticcall") {
        if args.len() != 6 {
            return Err(unexpected(format!(
                "`staticcall` with {} arguments",
                args.len()
            )));
        }
        end = end.max(address(args.get(4))? + address(args.get(5))?);
    }
    Ok(end)
}

/// `stmt` with every `calldataload(x)` reading `x + shift` instead.
pub(super) fn shift_calldata(stmt: &str, shift: u64) -> Result<String, Error> {
    let mut out = String::with_capacity(stmt.len());
    let mut last = 0;
    for (start, end, args) in calls(stmt, "calldataload") {
        let x = args.first().and_then(|a| literal(a)).ok_or_else(|| {
            unexpected(format!(
                "a calldata offset that is not a literal in `{}`",
                stmt.trim()
            ))
        })?;
        out.push_str(&stmt[last..start]);
        out.push_str(&format!("calldataload({:#x})", x + shift));
        last = end;
    }
    out.push_str(&stmt[last..]);
    Ok(out)
}
