//! The format-neutral report: a list of blocks (title, headings, fields, items, math lines),
//! and one writer per format (text, Markdown, LaTeX, HTML), so every format says the same.

/// One unit of the report; every section renderer produces these.
pub(super) enum Block {
    /// The report's title (once, first).
    Title(String),
    /// A section heading (one per check).
    Heading(String),
    /// A named value; an empty value introduces the math lines that follow.
    Field(String, String),
    /// A bullet.
    Item(String),
    /// A formula line, printed verbatim.
    Math(String),
    /// A paragraph break.
    Blank,
}

/// Plain text: fields indented, math lines indented further.
pub(super) fn to_text(blocks: &[Block]) -> String {
    let mut s = String::new();
    for b in blocks {
        match b {
            Block::Title(t) => {
                s.push_str(t);
                s.push('\n');
                s.push_str(&"=".repeat(t.chars().count()));
                s.push('\n');
            }
            Block::Heading(h) => {
                s.push_str(h);
                s.push('\n');
            }
            Block::Field(k, v) if v.is_empty() => s.push_str(&format!("  {k}:\n")),
            Block::Field(k, v) => s.push_str(&format!("  {k}: {v}\n")),
            Block::Item(i) => s.push_str(&format!("  - {i}\n")),
            Block::Math(m) => s.push_str(&format!("      {m}\n")),
            Block::Blank => s.push('\n'),
        }
    }
    s
}

/// Markdown: fields as list items with code spans, math lines as a code block.
pub(super) fn to_markdown(blocks: &[Block]) -> String {
    let mut s = String::new();
    let mut in_math = false;
    for b in blocks {
        if in_math && !matches!(b, Block::Math(_)) {
            s.push_str("```\n");
            in_math = false;
        }
        match b {
            Block::Title(t) => s.push_str(&format!("# {t}\n\n")),
            Block::Heading(h) => s.push_str(&format!("## {h}\n\n")),
            Block::Field(k, v) if v.is_empty() => s.push_str(&format!("- **{k}**:\n")),
            Block::Field(k, v) => s.push_str(&format!("- **{k}**: `{v}`\n")),
            Block::Item(i) => s.push_str(&format!("- {i}\n")),
            Block::Math(m) => {
                if !in_math {
                    s.push_str("\n```\n");
                    in_math = true;
                }
                s.push_str(m);
                s.push('\n');
            }
            Block::Blank => s.push('\n'),
        }
    }
    if in_math {
        s.push_str("```\n");
    }
    s
}
