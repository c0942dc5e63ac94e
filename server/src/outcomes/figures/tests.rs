use super::*;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn at(text: &str) -> NaiveDateTime {
    day(text).and_hms_opt(10, 0, 0).unwrap()
}

#[test]
fn a_range_reads_what_a_date_input_sends_and_explains_what_it_changed() {
    let today = day("2026-11-23");
    assert_eq!(
        Range::from_query(None, None, today),
        (
            Range {
                from: day("2025-11-24"),
                to: today
            },
            None
        )
    );
    assert_eq!(
        Range::from_query(Some("2026-01-01"), Some(" 2026-03-31 "), today),
        (
            Range {
                from: day("2026-01-01"),
                to: day("2026-03-31")
            },
            None
        )
    );
    let (swapped, note) = Range::from_query(Some("2026-03-31"), Some("2026-01-01"), today);
    assert_eq!(
        swapped,
        Range {
            from: day("2026-01-01"),
            to: day("2026-03-31")
        }
    );
    assert_eq!(
        note.unwrap(),
        "The start date was after the end date, so we swapped them."
    );
    let (unread, note) = Range::from_query(Some("next tuesday"), None, today);
    assert_eq!(
        unread,
        Range {
            from: day("2025-11-24"),
            to: today
        }
    );
    assert!(
        note.unwrap()
            .contains("We couldn't read the start date \"next tuesday\"")
    );
    let (long, note) = Range::from_query(Some("1900-01-01"), None, today);
    assert_eq!(long.from, day("2006-11-23"));
    assert!(note.unwrap().contains("at most 20 years"));
}

#[test]
fn periods_are_weeks_months_or_years_and_cover_the_whole_range() {
    let weeks = Range {
        from: day("2026-11-01"),
        to: day("2026-11-23"),
    }
    .periods();
    assert_eq!(
        weeks.iter().map(|p| p.1.as_str()).collect::<Vec<_>>(),
        ["26 Oct", "2 Nov", "9 Nov", "16 Nov", "23 Nov"]
    );
    let months = Range {
        from: day("2025-11-24"),
        to: day("2026-11-23"),
    }
    .periods();
    assert_eq!(months.len(), 13);
    assert_eq!((months[0].1.as_str(), months[12].1.as_str()), ("Nov 2025", "Nov 2026"));
    let years = Range {
        from: day("2020-06-01"),
        to: day("2026-11-23"),
    }
    .periods();
    assert_eq!(
        years.iter().map(|p| p.1.as_str()).collect::<Vec<_>>(),
        ["2020", "2021", "2022", "2023", "2024", "2025", "2026"]
    );
}

#[test]
fn the_median_takes_the_middle_or_the_mean_of_the_middle_two() {
    assert_eq!(median(vec![]), None);
    assert_eq!(median(vec![9, 1, 5]), Some(5.0));
    assert_eq!(median(vec![10, 1, 4, 30]), Some(7.0));
}

/// Ana starts in range and is certified 10 days later; Ben starts in
/// range, is certified 20 days later, then renews; Cy starts in range
/// and is still learning; Dee started before the range, so counts in no
/// cohort figure, though her certificate issued in the range shows on
/// the timeline and her expiry is near; Eve's certificate was revoked.
#[test]
fn the_cohort_figures_follow_the_people_who_started_in_the_range() {
    let now = at("2026-11-23");
    let certificate = |person, issued: &str, expires: &str, revoked| Certificate {
        person,
        program: ProgramId(1),
        issued_at: at(issued),
        expires_at: at(expires),
        revoked,
    };
    let facts = Facts {
        enrollments: vec![
            Enrollment {
                person: UserId(1),
                at: at("2026-03-01"),
            },
            Enrollment {
                person: UserId(1),
                at: at("2026-03-05"),
            },
            Enrollment {
                person: UserId(2),
                at: at("2026-04-01"),
            },
            Enrollment {
                person: UserId(3),
                at: at("2026-05-01"),
            },
            Enrollment {
                person: UserId(4),
                at: at("2025-01-01"),
            },
            Enrollment {
                person: UserId(4),
                at: at("2026-06-01"),
            },
            Enrollment {
                person: UserId(5),
                at: at("2026-07-01"),
            },
        ],
        certificates: vec![
            certificate(UserId(1), "2026-03-11", "2027-03-11", false),
            certificate(UserId(2), "2026-04-21", "2026-12-01", false),
            certificate(UserId(2), "2026-11-20", "2027-11-20", false),
            certificate(UserId(4), "2026-06-10", "2027-01-10", false),
            certificate(UserId(5), "2026-07-10", "2026-12-10", true),
        ],
        attempts: vec![
            Attempt {
                person: UserId(1),
                course: CourseId(7),
                at: at("2026-03-10"),
                passed: false,
            },
            Attempt {
                person: UserId(1),
                course: CourseId(7),
                at: at("2026-03-11"),
                passed: true,
            },
            Attempt {
                person: UserId(3),
                course: CourseId(7),
                at: at("2026-05-02"),
                passed: true,
            },
            Attempt {
                person: UserId(3),
                course: CourseId(7),
                at: at("2024-05-02"),
                passed: false,
            },
        ],
        hours: vec![
            Hours {
                at: at("2026-03-02"),
                minutes: 90,
                supervised: false,
            },
            Hours {
                at: at("2026-03-20"),
                minutes: 120,
                supervised: true,
            },
            Hours {
                at: at("2025-03-20"),
                minutes: 600,
                supervised: true,
            },
        ],
        sessions: vec![at("2026-03-02"), at("2026-04-09")],
        courses: vec![
            (CourseId(7), "Listening".to_owned()),
            (CourseId(8), "Closing".to_owned()),
        ],
    };
    let range = Range {
        from: day("2026-01-01"),
        to: day("2026-11-23"),
    };
    let outcomes = summarize(OutcomeAudience::Everyone, &facts, range, None, now);
    assert_eq!(outcomes.range_label, "1 Jan 2026 to 23 Nov 2026");
    assert_eq!((outcomes.enrolled, outcomes.in_training, outcomes.certified), (4, 2, 2));
    assert_eq!(outcomes.completion_rate(), Some(0.5));
    assert_eq!(outcomes.median_days_to_certify, Some(15.0));
    // Dee's certificate lapses on 10 January; Ben's first (1 December) was renewed; Eve's was revoked.
    assert_eq!(outcomes.expiring_soon, 1);
    assert_eq!(outcomes.period, PeriodLength::Month);
    let started: u32 = outcomes.periods.iter().map(|p| p.started).sum();
    let certified: u32 = outcomes.periods.iter().map(|p| p.certified).sum();
    assert_eq!((started, certified), (4, 4));
    assert_eq!(
        outcomes.periods[2],
        PeriodCounts {
            label: "Mar 2026".into(),
            started: 1,
            certified: 1,
            training_minutes: 90,
            supervised_minutes: 120,
            sessions_held: 1,
        }
    );
    assert_eq!(
        outcomes.courses[0],
        CoursePassRate {
            title: "Listening".into(),
            attempts: 3,
            passed: 2,
            learners: 2
        }
    );
    assert_eq!(outcomes.courses[1].rate(), None);
}
