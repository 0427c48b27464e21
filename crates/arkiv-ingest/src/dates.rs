//! Danish dates as meeting documents print them: "Tirsdag d. 19. februar
//! 2018", "18. juni 2021", "Dato: 24.02.20", "2021-06-18", "19/2 2019".

use chrono::{Datelike, NaiveDate, Weekday};
use regex::Regex;
use std::sync::LazyLock;

/// A full date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct Date(pub NaiveDate);

impl Date {
    pub fn new(y: i32, m: u32, d: u32) -> Date {
        Date(NaiveDate::from_ymd_opt(y, m, d).expect("valid date"))
    }
    pub fn iso(&self) -> String {
        self.0.format("%Y-%m-%d").to_string()
    }
    pub fn year(&self) -> i32 {
        self.0.year()
    }
}

/// A date as printed: the year and weekday may be missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrintedDate {
    pub day: u32,
    pub month: u32,
    pub year: Option<i32>,
    pub weekday: Option<Weekday>,
}

impl PrintedDate {
    pub fn full(&self) -> Option<Date> {
        NaiveDate::from_ymd_opt(self.year?, self.month, self.day).map(Date)
    }
    fn in_year(&self, y: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, self.month, self.day)
    }

    /// The meeting date this printed date stands for, given the document's
    /// own date (a page header's "Dato:") and a year known otherwise. A
    /// weekday that contradicts the printed year moves the year to the
    /// nearest one where the weekday holds, nearest the document date;
    /// a missing year is taken from the document date the same way.
    /// Returns the date and a note when it was not read literally.
    pub fn resolve(&self, doc: Option<Date>, year_hint: Option<i32>) -> Option<(Date, Option<String>)> {
        let anchor_year = doc.map(|d| d.year()).or(year_hint);
        match (self.year, self.weekday) {
            (Some(y), None) => self.in_year(y).map(|d| (Date(d), None)),
            (Some(y), Some(wd)) => {
                let lit = self.in_year(y)?;
                if lit.weekday() == wd {
                    return Some((Date(lit), None));
                }
                let anchor = anchor_year.unwrap_or(y);
                let best = self.nearest_with_weekday(wd, anchor, doc)?;
                Some((
                    Date(best),
                    Some(format!(
                        "printed '{} {}' but that day was a {}; {} was a {} (document date {})",
                        weekday_name(wd),
                        lit.format("%Y-%m-%d"),
                        weekday_name(lit.weekday()),
                        best.format("%Y-%m-%d"),
                        weekday_name(wd),
                        doc.map(|d| d.iso()).unwrap_or_else(|| "unknown".into())
                    )),
                ))
            }
            (None, wd) => {
                let anchor = anchor_year?;
                let best = match wd {
                    Some(wd) => self.nearest_with_weekday(wd, anchor, doc).or_else(|| self.in_year(anchor))?,
                    None => {
                        // Without a weekday, the year of the document date,
                        // or the year before when the date would fall long
                        // after the document was written.
                        let d = self.in_year(anchor)?;
                        match doc {
                            Some(doc) if d > doc.0 + chrono::Duration::days(200) => self.in_year(anchor - 1).unwrap_or(d),
                            _ => d,
                        }
                    }
                };
                Some((Date(best), Some(format!("year not printed; taken from the document date ({})", best.format("%Y")))))
            }
        }
    }

    fn nearest_with_weekday(&self, wd: Weekday, anchor: i32, doc: Option<Date>) -> Option<NaiveDate> {
        let target = doc.map(|d| d.0).or_else(|| self.in_year(anchor))?;
        (anchor - 1..=anchor + 1)
            .filter_map(|y| self.in_year(y))
            .filter(|d| d.weekday() == wd)
            .min_by_key(|d| (*d - target).num_days().abs())
    }
}

pub fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "mandag",
        Weekday::Tue => "tirsdag",
        Weekday::Wed => "onsdag",
        Weekday::Thu => "torsdag",
        Weekday::Fri => "fredag",
        Weekday::Sat => "lørdag",
        Weekday::Sun => "søndag",
    }
}

fn weekday(s: &str) -> Option<Weekday> {
    Some(match s.to_lowercase().as_str() {
        "mandag" => Weekday::Mon,
        "tirsdag" => Weekday::Tue,
        "onsdag" => Weekday::Wed,
        "torsdag" => Weekday::Thu,
        "fredag" => Weekday::Fri,
        "lørdag" => Weekday::Sat,
        "søndag" => Weekday::Sun,
        _ => return None,
    })
}

/// Month number of a Danish month name or abbreviation.
pub fn month(s: &str) -> Option<u32> {
    let s = s.to_lowercase();
    let s = s.trim_end_matches('.');
    Some(match s {
        "januar" | "jan" => 1,
        "februar" | "feb" => 2,
        "marts" | "mar" => 3,
        "april" | "apr" => 4,
        "maj" => 5,
        "juni" | "jun" => 6,
        "juli" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "oktober" | "okt" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

static WORDY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:\b(mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag),?(?:\s+(?:d\.?|den))?\s+)?\b(\d{1,2})[.-]?\s*(januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december|(?:jan|feb|mar|apr|jun|jul|aug|sept?|okt|nov|dec)\.|(?:jan|feb|mar|apr|jun|jul|aug|sept?|okt|nov|dec)\s+(\d{4})\b)(?:,?\s+(\d{4})|-(\d{4}))?",
    )
    .unwrap()
});
/// A web page's month first: "Torsdag, Marts 3, 2016 - 08:00" (a CMS's
/// English order with Danish names).
static MONTH_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\b(mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag),?\s+)?\b(januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december)\s+(\d{1,2}),\s+(\d{4})\b").unwrap()
});
static ISO: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b").unwrap());
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\b(mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag)(?:\s+(?:d\.?|den))?\s+)?\b(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})\b|\b(\d{1,2})/(\d{1,2})\s+(\d{4})\b").unwrap()
});

/// The first date printed in `s`.
/// A date in a title line, its year taken from the same line where the
/// date lacks one: "Forretningsudvalgets 3. møde i 2012, torsdag den 23.
/// august".
pub fn find_date_with_year_nearby(s: &str) -> Option<PrintedDate> {
    let mut d = find_date(s)?;
    if d.year.is_none() {
        let mut years = LONE_YEAR.captures_iter(s).filter_map(|c| c[1].parse::<i32>().ok());
        if let (Some(y), None) = (years.next(), years.next()) {
            d.year = Some(y);
        }
    }
    Some(d)
}

/// A year on its own: "i 2012", "2012,", not part of a date or a number.
static LONE_YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:^|[\s(])((?:19|20)\d{2})(?:$|[\s,.)])").unwrap());

pub fn find_date(s: &str) -> Option<PrintedDate> {
    if !s.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut found: Vec<(usize, PrintedDate)> = vec![];
    if let Some(c) = WORDY.captures(s) {
        let day: u32 = c[2].parse().ok()?;
        // An abbreviation without its period is a month only before a year
        // ("02. sep 2020"): the year is then inside the month's group.
        let m = month(c[3].split_whitespace().next().unwrap_or(""))?;
        let year = c.get(4).or(c.get(5)).or(c.get(6)).and_then(|y| y.as_str().parse().ok());
        let wd = c.get(1).and_then(|w| weekday(w.as_str()));
        if (1..=31).contains(&day) {
            found.push((c.get(0).unwrap().start(), PrintedDate { day, month: m, year, weekday: wd }));
        }
    }
    // The month first always has a comma before its year.
    let month_first = if s.contains(',') { MONTH_FIRST.captures(s) } else { None };
    if let Some(c) = month_first {
        let (m, day, year) = (month(&c[2])?, c[3].parse::<u32>().ok()?, c[4].parse::<i32>().ok()?);
        if NaiveDate::from_ymd_opt(year, m, day).is_some() {
            found.push((c.get(0).unwrap().start(), PrintedDate { day, month: m, year: Some(year), weekday: c.get(1).and_then(|w| weekday(w.as_str())) }));
        }
    }
    if let Some(c) = ISO.captures(s) {
        let (y, m, d) = (c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
        if NaiveDate::from_ymd_opt(y, m, d).is_some() {
            found.push((c.get(0).unwrap().start(), PrintedDate { day: d, month: m, year: Some(y), weekday: None }));
        }
    }
    for c in NUMERIC.captures_iter(s) {
        let (d, m, y, wd) = if c.get(2).is_some() {
            let y: i32 = c[4].parse().ok()?;
            let y = if c[4].len() == 2 { 2000 + y } else { y };
            (c[2].parse().ok()?, c[3].parse().ok()?, y, c.get(1).and_then(|w| weekday(w.as_str())))
        } else {
            (c[5].parse().ok()?, c[6].parse().ok()?, c[7].parse().ok()?, None)
        };
        if NaiveDate::from_ymd_opt(y, m, d).is_some() && (1990..=2100).contains(&y) {
            found.push((c.get(0).unwrap().start(), PrintedDate { day: d, month: m, year: Some(y), weekday: wd }));
            break;
        }
    }
    found.sort_by_key(|f| f.0);
    found.first().map(|f| f.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_forms() {
        let d = find_date("Mødetid: Tirsdag d. 19. februar 2018").unwrap();
        assert_eq!((d.day, d.month, d.year, d.weekday), (19, 2, Some(2018), Some(Weekday::Tue)));
        assert_eq!(find_date("Dato: 24.02.20").unwrap().full(), Some(Date::new(2020, 2, 24)));
        assert_eq!(find_date("Møde i Chefforum 18. juni 2021").unwrap().full(), Some(Date::new(2021, 6, 18)));
        assert_eq!(find_date("den 2021-06-18 kl 9").unwrap().full(), Some(Date::new(2021, 6, 18)));
        assert_eq!(find_date("Mødedato: 3/5 2022").unwrap().full(), Some(Date::new(2022, 5, 3)));
        assert_eq!(find_date("Torsdag d. 20. februar kl 12.30").unwrap().year, None);
        assert!(find_date("punkt 3 og 4").is_none());
        assert_eq!(find_date("02. sep 2020").unwrap().full(), Some(Date::new(2020, 9, 2)));
        assert_eq!(find_date("Onsdag den 15-maj-2002 Kommunalbestyrelsens mødelokaler").unwrap().full(), Some(Date::new(2002, 5, 15)));
        assert_eq!(find_date("Dato: Torsdag, Marts 3, 2016 - 08:00").unwrap().full(), Some(Date::new(2016, 3, 3)));
        assert_eq!(find_date("Mandag, 11 januar, 2021 - 19:00").unwrap().full(), Some(Date::new(2021, 1, 11)));
        assert!(find_date("3 mar-kerede felter").is_none_or(|d| d.month != 3));
    }

    #[test]
    fn weekday_contradicting_year_is_resolved_by_document_date() {
        let d = find_date("Tirsdag d. 19. februar 2018").unwrap();
        let (r, note) = d.resolve(Some(Date::new(2019, 1, 16)), None).unwrap();
        assert_eq!(r, Date::new(2019, 2, 19));
        assert!(note.is_some());
        // A weekday that agrees keeps the literal date.
        let d = find_date("Mandag d. 19. februar 2018").unwrap();
        assert_eq!(d.resolve(Some(Date::new(2019, 1, 16)), None).unwrap(), (Date::new(2018, 2, 19), None));
    }

    #[test]
    fn missing_year_comes_from_document_date() {
        let d = find_date("Torsdag d. 20. februar kl 12.30-16.00").unwrap();
        assert_eq!(d.resolve(Some(Date::new(2020, 2, 24)), None).unwrap().0, Date::new(2020, 2, 20));
        assert!(d.resolve(None, None).is_none());
    }

    #[test]
    fn a_title_lines_year_completes_its_date() {
        let d = find_date_with_year_nearby("Forretningsudvalgets 3. møde i 2012 torsdag den 23. august kl. 12,30-14,00").unwrap();
        assert_eq!(d.full(), Some(Date::new(2012, 8, 23)));
        // Two years, or a year inside a number: none is taken.
        assert_eq!(find_date_with_year_nearby("Budget 2021 og 2022, mødet 23. august").unwrap().year, None);
        assert_eq!(find_date_with_year_nearby("Sagsnr. 2012-114, mødet 23. august").unwrap().year, None);
    }
}
