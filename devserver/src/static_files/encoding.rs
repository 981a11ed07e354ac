//! Content negotiation for the precompressed siblings the build writes beside each bundle file
//! (`x.wasm.br`, `x.wasm.gz`): which one, if any, a request's `Accept-Encoding` allows.

/// The codings the build stores, with their file suffix, preferred first on equal quality.
pub const CODINGS: [(&str, &str); 2] = [("br", "br"), ("gzip", "gz")];

/// The quality (0 to 1) that `accept_encoding` gives `coding`: its own entry, else `*`'s, else 0.
/// A `q` that does not parse counts as 0: never send a coding the client may not decode.
fn quality(accept_encoding: &str, coding: &str) -> f32 {
    let mut wildcard = 0.0;
    for item in accept_encoding.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or_default().trim();
        let q = parts
            .filter_map(|p| p.trim().split_once('='))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case("q"))
            .map_or(Some(1.0), |(_, v)| v.trim().parse::<f32>().ok())
            .filter(|q| (0.0..=1.0).contains(q))
            .unwrap_or(0.0);
        if name.eq_ignore_ascii_case(coding) {
            return q;
        }
        if name == "*" {
            wildcard = q;
        }
    }
    wildcard
}

/// The best coding (name, file suffix) among those `available` for this file that the client
/// accepts; `None` means the plain file.
pub fn choose(
    accept_encoding: &str,
    available: impl Fn(&str) -> bool,
) -> Option<(&'static str, &'static str)> {
    let mut best: Option<((&'static str, &'static str), f32)> = None;
    for (name, suffix) in CODINGS {
        let q = quality(accept_encoding, name);
        if q > 0.0 && best.is_none_or(|(_, b)| q > b) && available(suffix) {
            best = Some(((name, suffix), q));
        }
    }
    best.map(|(coding, _)| coding)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(accept: &str) -> Option<&'static str> {
        choose(accept, |_| true).map(|(name, _)| name)
    }

    #[test]
    fn brotli_is_preferred_when_both_are_accepted_equally() {
        assert_eq!(pick("gzip, deflate, br, zstd"), Some("br"));
        assert_eq!(pick("*"), Some("br"));
    }

    #[test]
    fn quality_values_are_honoured() {
        assert_eq!(pick("br;q=0.5, gzip"), Some("gzip"));
        assert_eq!(pick("br;q=0, gzip;q=0"), None);
        assert_eq!(pick("*;q=0.1, br;q=0"), Some("gzip"));
        assert_eq!(pick("BR; Q=1"), Some("br"));
        assert_eq!(pick("br;q=bogus"), None);
        assert_eq!(pick("br;q=7"), None);
    }

    #[test]
    fn nothing_accepted_means_the_plain_file() {
        assert_eq!(pick(""), None);
        assert_eq!(pick("identity"), None);
        assert_eq!(pick("deflate, zstd"), None);
    }

    #[test]
    fn only_codings_with_a_sibling_on_disk_are_chosen() {
        assert_eq!(choose("br, gzip", |s| s == "gz"), Some(("gzip", "gz")));
        assert_eq!(choose("br", |s| s == "gz"), None);
    }
}
