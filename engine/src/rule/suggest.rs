//! "Did you mean `X`?" for the closed sets of the rule language (keys, fields,
//! modifiers, formats, sources, step ids, signals and their fields).
//!
//! Only string distance: this module never decides whether a name is wrong
//! (the caller knows the set) and never allocates more than the hint it returns.

/// The candidate closest to `name`, when it is close enough to be a typo:
/// within edit distance 1 for names of up to 4 characters, 2 for longer ones
/// (a transposition counts as one edit). Ties go to the earlier candidate.
pub fn closest<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let lower = name.to_ascii_lowercase();
    let limit = if name.chars().count() <= 4 { 1 } else { 2 };
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        let d = distance(&lower, &c.to_ascii_lowercase());
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// `"; did you mean `X`?"`, or an empty string when nothing is close.
pub fn hint<'a, I>(name: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    match closest(name, candidates) {
        Some(c) => format!("; did you mean `{c}`?"),
        None => String::new(),
    }
}

/// Optimal string alignment distance (Levenshtein plus adjacent
/// transpositions), by `strsim`.
pub fn distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("contians", "contains"), 1);
        assert_eq!(distance("", "abc"), 3);
    }

    #[test]
    fn closest_names() {
        let mods = ["contains", "startswith", "re"];
        assert_eq!(closest("contians", mods), Some("contains"));
        assert_eq!(closest("zzzzzz", mods), None);
        assert_eq!(closest("rx", mods), Some("re"));
        assert_eq!(closest("xy", mods), None);
        assert_eq!(hint("strat", ["start", "next"]), "; did you mean `start`?");
        assert_eq!(hint("q", ["start"]), "");
    }
}
