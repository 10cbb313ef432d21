//! cmd.exe (`'npx' is not recognized ...`) and PowerShell (`The term 'npx' is not recognized ...`).

use super::*;

// cmd.exe, PowerShell

pub(super) fn windows_shells<'a>(text: &'a str, base: u32, out: &mut Vec<Signal<'a>>) {
    for at in find_all_ci(text, "is not recognized as") {
        let rest = &text[at + "is not recognized as".len()..];
        let via = if rest.starts_with(" an internal or external command") {
            "cmd"
        } else if rest.starts_with(" the name of a cmdlet")
            || rest.starts_with(" a name of a cmdlet")
        {
            "powershell"
        } else {
            continue;
        };
        // `'npx' is not ...` (cmd) / `The term 'npx' is not ...` (PowerShell)
        let pre = &text[..at];
        let Some(pre) = pre.strip_suffix(' ') else {
            continue;
        };
        let Some(q) = pre
            .as_bytes()
            .last()
            .copied()
            .filter(|&c| c == b'\'' || c == b'"')
        else {
            continue;
        };
        let inner = &pre[..pre.len() - 1];
        let line_start = inner.rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let Some(open) = inner[line_start..].rfind(q as char).map(|i| line_start + i) else {
            continue;
        };
        let name = &inner[open + 1..];
        if name.is_empty() {
            continue;
        }
        let end = at + "is not recognized as".len();
        let span_start = if via == "powershell" {
            text[..open]
                .rfind("The term ")
                .filter(|&i| i + 9 == open)
                .unwrap_or(open)
        } else {
            open
        };
        let span = abs(base, span_start..end);
        let prog = if json_level(text, open) > 0 && name.contains("\\\\") {
            (Cow::Owned(name.replace("\\\\", "\\")), None)
        } else {
            (Cow::Borrowed(name), Some(offset_of(text, name, base)))
        };
        out.push(build(span, Some(prog), "ENOENT", via));
    }
}
