//! Solidity templates: the `.sol.tmpl` files of `contracts/src/verifier/`,
//! compiled in with `include_str!` and filled here.
//!
//! A template is text with two additions. A line that starts with `//#` is
//! the template's own comment and never reaches the output; `//# @NAME`
//! starts the section `NAME`, which runs to the next section (its last
//! newline included). `{{NAME}}` is a placeholder: [`fill`] replaces it in
//! one pass, so a value is never scanned for placeholders itself.

/// A template's sections, in order.
pub(crate) struct Template<'t> {
    sections: Vec<(&'t str, String)>,
}

impl<'t> Template<'t> {
    /// The sections of `text`; what precedes the first `//# @NAME` (its own
    /// comment aside) is the section named `""`.
    pub(crate) fn parse(text: &'t str) -> Self {
        let mut sections = vec![("", String::new())];
        for line in text.split_inclusive('\n') {
            if let Some(comment) = line.strip_prefix("//#") {
                if let Some(name) = comment.trim().strip_prefix('@') {
                    sections.push((name.trim(), String::new()));
                }
            } else if let Some((_, body)) = sections.last_mut() {
                body.push_str(line);
            }
        }
        Template { sections }
    }

    /// The text of section `name`, if the template has it.
    pub(crate) fn section(&self, name: &str) -> Option<&str> {
        self.sections
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, body)| body.as_str())
    }

    /// The names of the sections, in order (`""` first).
    #[cfg(test)]
    pub(crate) fn names(&self) -> Vec<&str> {
        self.sections.iter().map(|(n, _)| *n).collect()
    }
}

/// `text` with every `{{NAME}}` that `values` names replaced by its value,
/// in one pass; other text, an unknown placeholder included, is kept.
pub(crate) fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let value = after.find("}}").and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(v);
                rest = &after[close + 2..];
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholders `{{NAME}}` left in `text` (names of capitals, digits
/// and `_`).
#[cfg(test)]
pub(crate) fn placeholders(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        rest = &rest[open + 2..];
        if let Some(close) = rest.find("}}") {
            let name = &rest[..close];
            if !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            {
                found.push(name);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_drop_template_comments_and_keep_newlines() {
        let t = Template::parse("//# about\nhead\n//# @a\nx {{V}}\n//# note\n\n//# @b\ny");
        assert_eq!(t.names(), ["", "a", "b"]);
        assert_eq!(t.section(""), Some("head\n"));
        assert_eq!(t.section("a"), Some("x {{V}}\n\n"));
        assert_eq!(t.section("b"), Some("y"));
        assert_eq!(t.section("c"), None);
    }

    #[test]
    fn fill_is_one_pass_and_keeps_unknown_text() {
        let text = "{{A}} {{B}} {{C}} { {x} }} {{";
        let out = fill(text, &[("A", "{{B}}"), ("B", "b")]);
        assert_eq!(out, "{{B}} b {{C}} { {x} }} {{");
        assert_eq!(placeholders(&out), ["B", "C"]);
    }
}
