//! The text a log line shows: terminal colour and hyperlink sequences removed, every other control
//! character (carriage return, backspace, a stray ESC, BiDi overrides) made visible, so a line
//! can neither rewrite nor reorder what the reader sees.

const ESC: char = '\u{1b}';
const BEL: char = '\u{7}';

/// The line as a log viewer shows it. CSI sequences (`ESC[31m`, cursor moves) and OSC sequences
/// (`ESC]8;;url BEL`, window titles) are dropped, keeping a hyperlink's text; C0/C1 controls
/// other than tab become their Unicode control pictures (`␛`, `␍`, `␈`) or `⟨U+0085⟩`, and
/// BiDi embedding/override/isolate marks become `⟨U+202E⟩`.
pub fn display_text(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == ESC {
            if let Some(len) = sequence_len(rest) {
                rest = &rest[len..];
                continue;
            }
        }
        push_visible(&mut out, c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Byte length of a complete CSI or OSC sequence at the start of `s` (which starts with ESC).
fn sequence_len(s: &str) -> Option<usize> {
    let body = &s[1..];
    if let Some(csi) = body.strip_prefix('[') {
        // Parameter and intermediate bytes, then one final byte in @..~.
        let end = csi.find(|c: char| !('\u{20}'..='\u{3f}').contains(&c))?;
        let fin = csi[end..].chars().next()?;
        return ('\u{40}'..='\u{7e}').contains(&fin).then_some(2 + end + 1);
    }
    if let Some(osc) = body.strip_prefix(']') {
        // Ends at BEL or ST (ESC \); a control character before either one is not an OSC.
        let end = osc.find(|c: char| c.is_control())?;
        let tail = &osc[end..];
        if tail.starts_with(BEL) {
            return Some(2 + end + 1);
        }
        return tail.starts_with("\u{1b}\\").then_some(2 + end + 2);
    }
    None
}

fn push_visible(out: &mut String, c: char) {
    match c {
        '\t' => out.push(c),
        '\u{0}'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}')),
        '\u{7f}' => out.push('\u{2421}'),
        '\u{80}'..='\u{9f}'
        | '\u{61c}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => out.push_str(&format!("⟨U+{:04X}⟩", c as u32)),
        _ => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::display_text;

    #[test]
    fn colours_and_cursor_moves_are_dropped() {
        assert_eq!(
            display_text("\u{1b}[1;31mERROR\u{1b}[0m disk full"),
            "ERROR disk full"
        );
        assert_eq!(display_text("a\u{1b}[2Kb\u{1b}[?25l"), "ab");
    }

    #[test]
    fn hyperlinks_keep_their_text_only() {
        let link = "see \u{1b}]8;;https://evil.example/\u{7}the docs\u{1b}]8;;\u{1b}\\ now";
        assert_eq!(display_text(link), "see the docs now");
    }

    #[test]
    fn other_controls_become_visible() {
        assert_eq!(display_text("ok\rFAKE\u{8}\u{8}"), "ok␍FAKE␈␈");
        assert_eq!(display_text("a\u{1b}b \u{1b}[31"), "a␛b ␛[31");
        assert_eq!(display_text("x\u{1b}]8;;url"), "x␛]8;;url");
        assert_eq!(display_text("\u{0}\u{7f}\u{85}"), "␀␡⟨U+0085⟩");
        assert_eq!(display_text("\tin\u{202e}txt.exe"), "\tin⟨U+202E⟩txt.exe");
        assert_eq!(display_text("ünïcode ✓"), "ünïcode ✓");
    }
}
