//! Timestamps: RFC 3339 parsing and `kubectl`-style ages ("5m10s", "3h", "12d").

/// Seconds since the Unix epoch of an RFC 3339 timestamp as the API writes it
/// (`2026-11-25T10:00:00Z`, optional fraction, `Z` or `±hh:mm` offset), parsed by the `time`
/// crate. `None` if malformed or impossible (`2026-02-30`, `25:00`).
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(time::OffsetDateTime::unix_timestamp)
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

/// The Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
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
        assert_eq!(parse_rfc3339("2026-11-25t05:38:11z"), Some(1_795_585_091));
    }

    #[test]
    fn impossible_dates_and_times_are_refused() {
        for bad in [
            "2026-02-30T00:00:00Z",
            "2026-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-11-25T24:00:00Z",
            "2026-11-25T05:60:00Z",
            "2026-11-25T05:38:11+24:00",
            "2026-11-25T05:38:11+01",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
        // 2028 is a leap year.
        assert_eq!(
            parse_rfc3339("2028-02-29T00:00:00Z"),
            Some(parse_rfc3339("2028-03-01T00:00:00Z").unwrap() - 86_400)
        );
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
