//! Organization rules both sides share: the slug Clerk suggests for a name.

/// The slug for an organization name, as Clerk suggests it: lowercase ASCII letters and
/// digits, every other run of characters one `-`, none at either end. It may be empty (a name
/// with no letters or digits); the caller decides what to use then.
///
/// ```
/// use clerk_core::organization::slugify;
/// assert_eq!(slugify("  Acme, Inc. "), "acme-inc");
/// assert_eq!(slugify("Déjà 2 vu"), "d-j-2-vu");
/// assert_eq!(slugify("!!!"), "");
/// ```
pub fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let len = slug.trim_end_matches('-').len();
    slug.truncate(len);
    slug
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn runs_collapse_and_ends_are_trimmed() {
        assert_eq!(slugify("Acme"), "acme");
        assert_eq!(slugify("--Acme  Labs--"), "acme-labs");
        assert_eq!(slugify("a_b.c"), "a-b-c");
        assert_eq!(slugify(""), "");
        assert_eq!(slugify("ÄÖÜ"), "");
    }
}
