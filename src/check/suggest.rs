//! "Did you mean" suggestions from string similarity (Jaro-Winkler and Levenshtein, strsim).

/// At most this many names are listed when none is close.
const LIST_LIMIT: usize = 8;

/// The candidate closest to `name`, when one is close enough to be a likely typo: a
/// Jaro-Winkler similarity of at least 0.8, or a Levenshtein distance of at most a third of the
/// name's length (case-insensitive). Ties go to the first candidate.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let mut best: Option<(f64, &'a str)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        let cl = c.to_lowercase();
        let jw = strsim::jaro_winkler(&lower, &cl);
        let lev = strsim::levenshtein(&lower, &cl);
        let close = jw >= 0.8 || lev * 3 <= name.chars().count().max(1);
        if close && best.is_none_or(|(s, _)| jw > s) {
            best = Some((jw, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Help text: "did you mean `X`?" when a candidate is close, else `"{list}: `A`, `B`"` with the
/// names that exist (`list` is "defined messages", "allowed keys", ...), at most a few, sorted.
pub fn suggestion_help<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str> + Clone, list: &str) -> String {
    if let Some(best) = did_you_mean(name, candidates.clone()) {
        return format!("did you mean `{best}`?");
    }
    let mut all: Vec<&str> = candidates.into_iter().collect();
    all.sort_unstable();
    all.dedup();
    if all.is_empty() {
        return format!("{list}: none");
    }
    let shown: Vec<String> = all.iter().take(LIST_LIMIT).map(|n| format!("`{n}`")).collect();
    let more = all.len().saturating_sub(LIST_LIMIT);
    if more > 0 {
        format!("{list}: {}, and {more} more", shown.join(", "))
    } else {
        format!("{list}: {}", shown.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_are_suggested() {
        let names = ["SwapEvent", "PoolStateUpdate", "LargeMessage"];
        assert_eq!(did_you_mean("SwapEvnt", names), Some("SwapEvent"));
        assert_eq!(did_you_mean("swapevent", names), Some("SwapEvent"));
        assert_eq!(did_you_mean("Completely", names), None);
        assert_eq!(did_you_mean("unit256", ["uint256", "u8", "int256"]), Some("uint256"));
    }

    #[test]
    fn far_names_list_what_exists() {
        let names = ["B", "A"];
        assert_eq!(suggestion_help("Zzzzzz", names, "defined messages"), "defined messages: `A`, `B`");
        let many: Vec<String> = (0..20).map(|i| format!("Message{i:02}")).collect();
        let help = suggestion_help("Qqqqqqqqqqqqqqqqqqqqqqqq", many.iter().map(String::as_str), "defined messages");
        assert!(help.ends_with("and 12 more"), "{help}");
        assert_eq!(suggestion_help("X", [], "defined messages"), "defined messages: none");
    }
}
