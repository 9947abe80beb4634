//! Strings by name in case modules. A line `;; @str $name "text"` in a case's WAT (or in
//! `conformance/lib/`) places the bytes in the case's data area and defines the immutable
//! i32 globals `$name` (the address) and `$name_len` (the byte length), so a case writes
//! `(global.get $name) (global.get $name_len)` and never an offset or a length. The same
//! names stand for those numbers in the case's YAML (`args: [2, $name, $name_len]`).
//!
//! Strings are laid out in the order they are declared (the case's before the library's,
//! which the include puts at the end of the module), each at an 8-byte boundary from
//! [`AREA_START`], and must end by [`AREA_END`]: the memory map of `lib/base.wat`.

use std::collections::BTreeMap;

/// The first address a string may take: 0..15 stay empty so that a null or small pointer
/// never reads a string by accident.
pub const AREA_START: u32 = 16;
/// Where the checks' scratch space of `lib/base.wat` begins.
pub const AREA_END: u32 = 1024;
const ALIGN: u32 = 8;
const DIRECTIVE: &str = ";; @str ";

/// One declared string, placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedString {
    /// Without the `$`.
    pub name: String,
    pub addr: u32,
    pub bytes: Vec<u8>,
    /// The string literals as written (reused for the data segment).
    pub literals: String,
    /// 1-based line of the directive.
    pub line: usize,
}

/// The strings a module declares, in layout order.
#[derive(Debug, Clone, Default)]
pub struct Strings {
    pub entries: Vec<NamedString>,
}

impl Strings {
    /// Reads and places every `;; @str` directive of `text`.
    ///
    /// # Errors
    /// A malformed directive, a name declared twice, or strings that overflow the area,
    /// each with its line.
    pub fn parse(text: &str) -> Result<Strings, String> {
        let mut entries: Vec<NamedString> = Vec::new();
        let mut next = AREA_START;
        for (i, line) in text.lines().enumerate() {
            let Some(rest) = line.trim_start().strip_prefix(DIRECTIVE) else {
                continue;
            };
            let at = |m: String| format!("line {}: {m}", i + 1);
            let (name, literals) = directive(rest).map_err(at)?;
            if entries.iter().any(|e| e.name == name) {
                return Err(at(format!("string ${name} is declared twice")));
            }
            let (bytes, used) = decode_literals(literals).map_err(at)?;
            let literals = &literals[..used];
            let end = next as usize + bytes.len();
            if end > AREA_END as usize {
                return Err(at(format!(
                    "string ${name} ends at {end}, past the data area {AREA_START}..{AREA_END}"
                )));
            }
            entries.push(NamedString {
                name: name.to_string(),
                addr: next,
                bytes,
                literals: literals.to_string(),
                line: i + 1,
            });
            next = (end as u32).div_ceil(ALIGN) * ALIGN;
        }
        Ok(Strings { entries })
    }

    /// `name` and `name_len` (without `$`) to their numbers.
    pub fn values(&self) -> BTreeMap<String, u32> {
        let mut out = BTreeMap::new();
        for e in &self.entries {
            out.insert(e.name.clone(), e.addr);
            out.insert(format!("{}_len", e.name), e.bytes.len() as u32);
        }
        out
    }

    /// The string whose bytes hold `addr`.
    pub fn holding(&self, addr: u32) -> Option<&NamedString> {
        self.entries
            .iter()
            .find(|e| addr >= e.addr && (addr - e.addr) < e.bytes.len() as u32)
    }
}

/// `$name "lit" ...` → (`name`, `"lit" ...`).
fn directive(rest: &str) -> Result<(&str, &str), String> {
    let rest = rest.trim();
    let body = rest.strip_prefix('$').ok_or("`;; @str` wants `$name \"text\"`")?;
    let end = body.find(|c: char| !is_idchar(c)).unwrap_or(body.len());
    let (name, literals) = body.split_at(end);
    if name.is_empty() {
        return Err("`;; @str` wants a name after `$`".into());
    }
    let literals = literals.trim();
    if !literals.starts_with('"') {
        return Err(format!("`;; @str ${name}` wants a string literal after the name"));
    }
    Ok((name, literals))
}

fn is_idchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The bytes of one or more WAT string literals separated by spaces, and the length of
/// `text` they take (a `;;` comment may follow).
fn decode_literals(text: &str) -> Result<(Vec<u8>, usize), String> {
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    let mut end = text.len() - rest.len();
    while !rest.is_empty() && !rest.starts_with(";;") {
        let body = rest
            .strip_prefix('"')
            .ok_or_else(|| format!("expected a string literal at `{rest}`"))?;
        let used = decode_literal(body, &mut out)?;
        end = text.len() - body.len() + used;
        rest = body[used..].trim_start();
    }
    Ok((out, end))
}

/// Decodes up to the closing quote; returns the bytes of `body` consumed, quote included.
fn decode_literal(body: &str, out: &mut Vec<u8>) -> Result<usize, String> {
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return Ok(i + 1),
            b'\\' => {
                let esc = *bytes.get(i + 1).ok_or("a string ends in `\\`")?;
                i += 2;
                match esc {
                    b'n' => out.push(b'\n'),
                    b't' => out.push(b'\t'),
                    b'r' => out.push(b'\r'),
                    b'"' | b'\'' | b'\\' => out.push(esc),
                    b'u' => {
                        let close = body[i..].find('}').ok_or("unterminated `\\u{...}`")?;
                        let hex = body[i..i + close].trim_start_matches('{');
                        let c = u32::from_str_radix(hex, 16)
                            .ok()
                            .and_then(char::from_u32)
                            .ok_or_else(|| format!("bad `\\u{{{hex}}}`"))?;
                        let mut buf = [0; 4];
                        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                        i += close + 1;
                    }
                    _ => {
                        let hex = body
                            .get(i - 1..i + 1)
                            .and_then(|h| u8::from_str_radix(h, 16).ok())
                            .ok_or_else(|| format!("bad escape `\\{}`", esc as char))?;
                        out.push(hex);
                        i += 1;
                    }
                }
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Err("unterminated string literal".into())
}

/// Places the module's named strings: each directive line stays as a comment, and the
/// globals and data segments go before the module's closing parenthesis.
///
/// # Errors
/// As [`Strings::parse`], or text that is not a module.
pub fn expand(module: &str) -> Result<String, String> {
    let strings = Strings::parse(module)?;
    if strings.entries.is_empty() {
        return Ok(module.to_string());
    }
    let mut fields = String::from("  ;; named strings (`;; @str`)\n");
    for e in &strings.entries {
        fields.push_str(&format!(
            "  (global ${} i32 (i32.const {}))\n  (global ${}_len i32 (i32.const {}))\n  (data (i32.const {}) {})\n",
            e.name,
            e.addr,
            e.name,
            e.bytes.len(),
            e.addr,
            e.literals
        ));
    }
    let end = module.rfind(')').ok_or("not a module: no closing parenthesis")?;
    let mut out = module.to_string();
    out.insert_str(end, &fields);
    Ok(out)
}

/// Replaces `$name` and `$name_len` tokens of a case's YAML with the numbers of the
/// strings its module declares; other `$` text is left alone.
pub fn substitute(yaml: &str, strings: &Strings) -> String {
    if strings.entries.is_empty() {
        return yaml.to_string();
    }
    let values = strings.values();
    let mut out = String::with_capacity(yaml.len());
    let mut rest = yaml;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let end = after.find(|c: char| !is_idchar(c)).unwrap_or(after.len());
        match values.get(&after[..end]) {
            Some(v) => out.push_str(&v.to_string()),
            None => out.push_str(&rest[at..at + 1 + end]),
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// A case's YAML with the names of its module's strings replaced ([`substitute`]). The
/// module is the case's `module:` when that is a `.wat`, else `<case>.wat`; a case with
/// another kind of module has no names.
///
/// # Errors
/// The module's directives are malformed ([`Strings::parse`]).
pub fn case_yaml(yaml: &str, case: &std::path::Path) -> Result<String, String> {
    let named = yaml
        .lines()
        .find_map(|l| l.strip_prefix("module:"))
        .map(|m| case.with_file_name(m.trim().trim_matches(['"', '\''])));
    let module = named.unwrap_or_else(|| case.with_extension("wat"));
    if module.extension().is_none_or(|e| e != "wat") {
        return Ok(yaml.to_string());
    }
    let Ok(source) = std::fs::read_to_string(&module) else {
        // a missing module is reported by the case's loader
        return Ok(yaml.to_string());
    };
    let strings = Strings::parse(&source).map_err(|e| format!("{}: {e}", module.display()))?;
    Ok(substitute(yaml, &strings))
}

/// The problems of a module source (a case's or a library's) that places strings by hand:
/// a data segment at a literal offset, a `(i32.const P) (i32.const L)` pair pointing into
/// a named string, and, in `expanded` (the module as built), data segments that overlap.
pub fn lint(source: &str, expanded: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let strings = match Strings::parse(expanded) {
        Ok(s) => s,
        Err(e) => return vec![e],
    };
    for (i, line) in source.lines().enumerate() {
        let code = line.split(";;").next().unwrap_or_default();
        if code.contains("(data ") {
            problems.push(format!(
                "line {}: a data segment placed by hand; declare it with `;; @str $name \"...\"`",
                i + 1
            ));
        }
        let consts = i32_consts(code);
        for pair in consts.windows(2) {
            let (addr, len) = (pair[0], pair[1]);
            let Some(s) = strings.holding(addr) else {
                continue;
            };
            if len > 0 && len <= s.addr + s.bytes.len() as u32 - addr {
                problems.push(format!(
                    "line {}: (i32.const {addr}) (i32.const {len}) points into ${} by hand; write (global.get ${}) (global.get ${}_len)",
                    i + 1,
                    s.name,
                    s.name,
                    s.name
                ));
            }
        }
    }
    let mut segments: Vec<(u32, u32, usize)> = Vec::new();
    for (i, line) in expanded.lines().enumerate() {
        if let Some((addr, len)) = data_segment(line) {
            segments.push((addr, len, i + 1));
        }
    }
    segments.sort();
    for pair in segments.windows(2) {
        let ((a, alen, aline), (b, _, bline)) = (pair[0], pair[1]);
        if a + alen > b {
            problems.push(format!(
                "data at {a} (built line {aline}, {alen} bytes) overlaps data at {b} (built line {bline})"
            ));
        }
    }
    problems
}

/// The values of `(i32.const N)` that follow each other directly (only whitespace
/// between), as runs: `[a, b]` for `(i32.const a) (i32.const b)`; a run is broken by
/// anything else.
fn i32_consts(code: &str) -> Vec<u32> {
    let mut run = Vec::new();
    let mut best = Vec::new();
    let mut rest = code;
    const TOKEN: &str = "(i32.const ";
    while let Some(at) = rest.find(TOKEN) {
        let between = &rest[..at];
        if !between.trim().is_empty() && !run.is_empty() {
            flush(&mut run, &mut best);
        }
        let after = &rest[at + TOKEN.len()..];
        let close = after.find(')').unwrap_or(after.len());
        match parse_int(after[..close].trim()) {
            Some(v) => run.push(v),
            None => flush(&mut run, &mut best),
        }
        rest = after.get(close + 1..).unwrap_or_default();
    }
    flush(&mut run, &mut best);
    best
}

/// Appends a run (with a separator that no pair spans: `u32::MAX` holds no string).
fn flush(run: &mut Vec<u32>, out: &mut Vec<u32>) {
    if run.len() > 1 {
        out.append(run);
        out.push(u32::MAX);
    }
    run.clear();
}

fn parse_int(text: &str) -> Option<u32> {
    let text = text.replace('_', "");
    match text.strip_prefix("0x") {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => text
            .parse::<u32>()
            .ok()
            .or_else(|| text.parse::<i32>().ok().map(|v| v as u32)),
    }
}

/// `(data (i32.const N) "..." ...)` on one line → (N, byte length).
fn data_segment(line: &str) -> Option<(u32, u32)> {
    let rest = line.trim_start().strip_prefix("(data (i32.const ")?;
    let close = rest.find(')')?;
    let addr = parse_int(rest[..close].trim())?;
    let literals = rest[close + 1..].trim().strip_suffix(')')?;
    let (bytes, _) = decode_literals(literals).ok()?;
    Some((addr, bytes.len() as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_placed_in_order_and_aligned() {
        let s = Strings::parse(
            ";; @str $a \"hello\" ;; a comment\n  ;; @str $b \"\\00\\01x\" \"yz\"\n;; @str $c \"\\u{e9}\"\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let got: Vec<(&str, u32, usize)> = s
            .entries
            .iter()
            .map(|e| (e.name.as_str(), e.addr, e.bytes.len()))
            .collect();
        assert_eq!(got, [("a", 16, 5), ("b", 24, 5), ("c", 32, 2)]);
        assert_eq!(s.entries[1].bytes, b"\x00\x01xyz");
        assert_eq!(s.entries[0].literals, "\"hello\"");
    }

    #[test]
    fn bad_directives_are_named_with_their_line() {
        for (text, want) in [
            (";; @str a \"x\"", "line 1: `;; @str` wants"),
            (";; @str $a\n", "wants a string literal"),
            (
                ";; @str $a \"x\"\n;; @str $a \"y\"",
                "line 2: string $a is declared twice",
            ),
            (";; @str $a \"x", "unterminated"),
            (";; @str $a \"\\zz\"", "bad escape"),
        ] {
            let err = Strings::parse(text).err().unwrap_or_default();
            assert!(err.contains(want), "{text:?}: {err}");
        }
        let big = format!(";; @str $big \"{}\"", "x".repeat(2000));
        let err = Strings::parse(&big).err().unwrap_or_default();
        assert!(err.contains("past the data area"), "{err}");
    }

    #[test]
    fn yaml_names_become_numbers() {
        let s = Strings::parse(";; @str $msg \"hello\"\n;; @str $key \"k\"").unwrap_or_default();
        assert_eq!(
            substitute("args: [2, $msg, $msg_len, $key] # $other costs $5", &s),
            "args: [2, 16, 5, 24] # $other costs $5"
        );
    }

    #[test]
    fn lint_names_hand_placed_strings_and_overlaps() {
        let source = "(module\n  (data (i32.const 16) \"hello\")\n  (data (i32.const 18) \"x\")\n)";
        let problems = lint(source, source);
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("line 2: a data segment placed by hand"))
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("data at 16") && p.contains("overlaps data at 18"))
        );

        let source = ";; @str $msg \"hello\"\n(module (func (drop (call $log (i32.const 2) (i32.const 17) (i32.const 3)))))";
        let expanded = expand(source).unwrap_or_default();
        let problems = lint(source, &expanded);
        assert_eq!(
            problems,
            [
                "line 2: (i32.const 17) (i32.const 3) points into $msg by hand; write (global.get $msg) (global.get $msg_len)"
            ]
        );

        let clean = ";; @str $msg \"hello\"\n(module (func (drop (call $log (i32.const 2) (global.get $msg) (global.get $msg_len)))))";
        assert_eq!(
            lint(clean, &expand(clean).unwrap_or_default()),
            Vec::<String>::new()
        );
    }
}
