//! Timestamps: RFC 3339 parsing and `kubectl`-style ages ("5m10s", "3h", "12d").

/// Seconds since the Unix epoch of an RFC 3339 UTC timestamp as the API writes it
/// (`2026-11-25T10:00:00Z`, optional fraction, `Z` or `±hh:mm` offset). `None` if malformed.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> { s.get(r)?.parse().ok() };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        rest = &frac[digits..];
    }
    // Bytes, not string slices: the offset may hold any character, not only ASCII.
    let two = |a: u8, b: u8| {
        Some(i64::from(
            (a as char).to_digit(10)? * 10 + (b as char).to_digit(10)?,
        ))
    };
    let offset = match *rest.as_bytes() {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let seconds = two(h1, h2)? * 3600 + two(m1, m2)? * 60;
            if sign == b'-' {
                -seconds
            } else {
                seconds
            }
        }
        _ => return None,
    };
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec - offset)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Formats seconds since the Unix epoch as RFC 3339 UTC (`2026-11-25T10:00:00Z`), as the API writes it.
pub fn format_rfc3339(epoch_seconds: i64) -> String {
    let (days, secs) = (
        epoch_seconds.div_euclid(86_400),
        epoch_seconds.rem_euclid(86_400),
    );
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// The Gregorian date of a day count since 1970-01-01 (inverse of [`days_from_civil`]).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// An age as `kubectl get` prints it: precise when young, coarser as it grows.
pub fn format_age(seconds: i64) -> String {
    if seconds < 0 {
        return "0s".into();
    }
    let (m, h, d) = (seconds / 60, seconds / 3600, seconds / 86_400);
    let y = d / 365;
    match () {
        _ if seconds < 120 => format!("{seconds}s"),
        _ if m < 10 && seconds % 60 != 0 => format!("{m}m{}s", seconds % 60),
        _ if m < 180 => format!("{m}m"),
        _ if h < 8 && m % 60 != 0 => format!("{h}h{}m", m % 60),
        _ if h < 48 => format!("{h}h"),
        _ if h < 192 && h % 24 != 0 => format!("{d}d{}h", h % 24),
        _ if d < 730 => format!("{d}d"),
        _ if y < 8 && d % 365 != 0 => format!("{y}y{}d", d % 365),
        _ => format!("{y}y"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_api_timestamps() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("2026-11-25T05:38:11Z"), Some(1_795_585_091));
        assert_eq!(
            parse_rfc3339("2026-11-25T05:38:11.123456Z"),
            Some(1_795_585_091)
        );
        assert_eq!(
            parse_rfc3339("2026-11-25T06:38:11+01:00"),
            Some(1_795_585_091)
        );
        assert_eq!(parse_rfc3339("2026-13-25T05:38:11Z"), None);
        assert_eq!(parse_rfc3339("yesterday"), None);
        assert_eq!(parse_rfc3339("2026-11-25T05:38:11"), None);
    }

    #[test]
    fn formatting_round_trips() {
        for t in [0, 951_782_400, 1_795_585_091, 4_102_444_800 + 86_399] {
            assert_eq!(parse_rfc3339(&format_rfc3339(t)), Some(t), "{t}");
        }
        assert_eq!(format_rfc3339(1_795_585_091), "2026-11-25T05:38:11Z");
    }

    #[test]
    fn ages_read_like_kubectl() {
        let cases = [
            (-5, "0s"),
            (59, "59s"),
            (119, "119s"),
            (130, "2m10s"),
            (600, "10m"),
            (7199, "119m"),
            (3 * 3600 + 120, "3h2m"),
            (10 * 3600, "10h"),
            (3 * 86_400 + 3600, "3d1h"),
            (30 * 86_400, "30d"),
            (800 * 86_400, "2y70d"),
            (3650 * 86_400, "10y"),
        ];
        for (secs, want) in cases {
            assert_eq!(format_age(secs), want, "{secs}");
        }
    }
}
