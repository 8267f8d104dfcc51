//! Dates at the precision a text gives them: a year, a month, a day, or a span between two of those.

use std::fmt;

/// A single calendar value at its stated precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateValue {
    Year(i32),
    YearMonth(i32, u8),
    Day(i32, u8, u8),
}

/// A full calendar day, the unit of the normalised bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// A parsed date: the stated value when there is one, and the bounds it implies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Date {
    pub value: Option<DateValue>,
    pub earliest: Option<Day>,
    pub latest: Option<Day>,
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Display for DateValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Year(y) => write!(f, "{y:04}"),
            Self::YearMonth(y, m) => write!(f, "{y:04}-{m:02}"),
            Self::Day(y, m, d) => write!(f, "{y:04}-{m:02}-{d:02}"),
        }
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl DateValue {
    /// The first day the value covers.
    pub fn first_day(self) -> Day {
        match self {
            Self::Year(year) => Day { year, month: 1, day: 1 },
            Self::YearMonth(year, month) => Day { year, month, day: 1 },
            Self::Day(year, month, day) => Day { year, month, day },
        }
    }

    /// The last day the value covers.
    pub fn last_day(self) -> Day {
        match self {
            Self::Year(year) => Day { year, month: 12, day: 31 },
            Self::YearMonth(year, month) => Day {
                year,
                month,
                day: days_in_month(year, month),
            },
            Self::Day(year, month, day) => Day { year, month, day },
        }
    }

    /// The XSD datatype local name that keeps this precision.
    pub fn xsd_type(self) -> &'static str {
        match self {
            Self::Year(_) => "gYear",
            Self::YearMonth(..) => "gYearMonth",
            Self::Day(..) => "date",
        }
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize, what: &str| -> Result<u32, String> {
            if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("'{s}': the {what} must be {len} digits"));
            }
            p.parse::<u32>().map_err(|e| e.to_string())
        };
        let year = num(parts[0], 4, "year")? as i32;
        if !(1000..=2999).contains(&year) {
            return Err(format!("'{s}': year {year} is out of range"));
        }
        let month = match parts.get(1) {
            None => return Ok(Self::Year(year)),
            Some(p) => num(p, 2, "month")? as u8,
        };
        if !(1..=12).contains(&month) {
            return Err(format!("'{s}': month {month} does not exist"));
        }
        let day = match parts.get(2) {
            None => return Ok(Self::YearMonth(year, month)),
            Some(p) => num(p, 2, "day")? as u8,
        };
        if parts.len() > 3 || day == 0 || day > days_in_month(year, month) {
            return Err(format!("'{s}': not a calendar date"));
        }
        Ok(Self::Day(year, month, day))
    }
}

impl Date {
    /// Parses a single value or a span `A/B`, where either end may be `..` (unknown).
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let Some((start, end)) = s.split_once('/') else {
            let value = DateValue::parse(s)?;
            return Ok(Self {
                value: Some(value),
                earliest: Some(value.first_day()),
                latest: Some(value.last_day()),
            });
        };
        let bound = |part: &str| -> Result<Option<DateValue>, String> {
            if part == ".." {
                Ok(None)
            } else {
                DateValue::parse(part).map(Some)
            }
        };
        let (start, end) = (bound(start)?, bound(end)?);
        if start.is_none() && end.is_none() {
            return Err(format!("'{s}': a span needs at least one known end"));
        }
        let earliest = start.map(DateValue::first_day);
        let latest = end.map(DateValue::last_day);
        if let (Some(e), Some(l)) = (earliest, latest) {
            if e > l {
                return Err(format!("'{s}': the span ends before it starts"));
            }
        }
        Ok(Self {
            value: None,
            earliest,
            latest,
        })
    }

    /// Parses a date that must be a single value (no span).
    pub fn parse_single(s: &str) -> Result<Self, String> {
        if s.contains('/') {
            return Err(format!("'{s}': a single date is expected here, not a span"));
        }
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_form_with_its_bounds() {
        let cases = [
            ("1984", Some("1984"), Some("1984-01-01"), Some("1984-12-31")),
            ("1984-02", Some("1984-02"), Some("1984-02-01"), Some("1984-02-29")),
            ("1983-02", Some("1983-02"), Some("1983-02-01"), Some("1983-02-28")),
            ("1979-04-05", Some("1979-04-05"), Some("1979-04-05"), Some("1979-04-05")),
            ("1980/1983", None, Some("1980-01-01"), Some("1983-12-31")),
            ("1978-10/..", None, Some("1978-10-01"), None),
            ("../1988", None, None, Some("1988-12-31")),
        ];
        for (input, value, earliest, latest) in cases {
            let d = Date::parse(input).unwrap();
            assert_eq!(d.value.map(|v| v.to_string()).as_deref(), value, "{input}");
            assert_eq!(d.earliest.map(|v| v.to_string()).as_deref(), earliest, "{input}");
            assert_eq!(d.latest.map(|v| v.to_string()).as_deref(), latest, "{input}");
        }
    }

    #[test]
    fn rejects_malformed_dates() {
        for bad in [
            "84",
            "1984-3",
            "1984-13",
            "1983-02-29",
            "1984/1980",
            "../..",
            "198x",
            "1984-01-01-01",
            "spring 1984",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad} should be rejected");
        }
        assert!(Date::parse_single("1980/1983").is_err());
    }
}
