//! A guard run before YAML reaches the parser: libyaml's scanner takes time quadratic in
//! the depth of flow collections (`[[[...]]]`: 20 000 levels took 5.6 s), and serde stops
//! at 128 levels anyway, so deeper text is refused up front, in linear time.

/// The deepest flow nesting accepted (serde_yaml_ng's own recursion limit).
pub const MAX_YAML_FLOW_DEPTH: usize = 128;

/// Where `text` first nests flow collections (`[`, `{`) deeper than
/// [`MAX_YAML_FLOW_DEPTH`]: its line (1-based), or `None` when it does not. Brackets
/// inside quoted scalars and comments do not count.
pub fn too_deep_at(text: &str) -> Option<usize> {
    let (mut depth, mut line) = (0usize, 1usize);
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut previous = '\n';
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\n' {
            line += 1;
            comment = false;
        } else if comment {
        } else if let Some(q) = quote {
            if c == q {
                quote = None;
            } else if q == '"' && c == '\\' {
                chars.next();
            }
        } else {
            match c {
                // Only where a scalar can start: an apostrophe inside a plain scalar
                // (`the host's`) opens nothing.
                '"' | '\'' if matches!(previous, ' ' | '\t' | '\n' | '[' | '{' | ',' | ':' | '-') => {
                    quote = Some(c)
                }
                '#' if previous.is_whitespace() => comment = true,
                '[' | '{' => {
                    depth += 1;
                    if depth > MAX_YAML_FLOW_DEPTH {
                        return Some(line);
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        previous = c;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_flow_nesting_is_found_in_linear_time() {
        let ok = format!("a: {}{}", "[".repeat(128), "]".repeat(128));
        assert_eq!(too_deep_at(&ok), None);
        let deep = format!("a: 1\nb: {}{}", "[".repeat(129), "]".repeat(129));
        assert_eq!(too_deep_at(&deep), Some(2));
        // a million levels: refused at once, not after minutes of scanning
        let huge = "{".repeat(1_000_000);
        assert_eq!(too_deep_at(&huge), Some(1));
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let text = format!(
            "a: \"{0}\"\nb: '{0}'\nc: x # {0}\nd: \"\\\"{0}\"\n",
            "[".repeat(200)
        );
        assert_eq!(too_deep_at(&text), None);
        // apostrophes in plain scalars open no quote that would hide the closing brackets
        let plain = "- [it's, x]\n".repeat(200);
        assert_eq!(too_deep_at(&plain), None);
    }
}
