//! Ids of stored things, each its own type, so that an attempt's id can
//! never be passed where a user's is wanted.
//!
//! They travel to the browser as plain numbers (`#[serde(transparent)]`).
//! With `ssr` they also tell Diesel how they are stored (a `BigInt`), so
//! that the server's queries bind and read them directly; nothing in this
//! crate opens a connection.

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "ssr", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow))]
        #[cfg_attr(feature = "ssr", diesel(sql_type = diesel::sql_types::BigInt))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                text.parse().map(Self)
            }
        }

        #[cfg(feature = "ssr")]
        impl<DB> diesel::serialize::ToSql<diesel::sql_types::BigInt, DB> for $name
        where
            DB: diesel::backend::Backend,
            i64: diesel::serialize::ToSql<diesel::sql_types::BigInt, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut diesel::serialize::Output<'b, '_, DB>) -> diesel::serialize::Result {
                self.0.to_sql(out)
            }
        }

        #[cfg(feature = "ssr")]
        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::BigInt, DB> for $name
        where
            DB: diesel::backend::Backend,
            i64: diesel::deserialize::FromSql<diesel::sql_types::BigInt, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                i64::from_sql(bytes).map(Self)
            }
        }
    )*};
}

ids! {
    /// An account.
    UserId;
    /// A course (all its versions).
    CourseId;
    /// One published, immutable version of a course.
    CourseVersionId;
    /// A module of one course version.
    ModuleId;
    /// A question of one module.
    QuestionId;
    /// A learner's enrolment in a course.
    EnrollmentId;
    /// One sitting of a quiz: the questions and option order a learner was shown.
    SittingId;
    /// A graded attempt.
    AttemptId;
    /// One sitting of a program's final exam.
    ExamSittingId;
    /// A graded exam attempt.
    ExamAttemptId;
    /// A trainer's leave for one attempt beyond a quiz's or exam's policy.
    AttemptGrantId;
    /// A certificate program.
    ProgramId;
    /// A session of supervised practice a learner logged.
    PracticeLogId;
    /// A live training session a trainer scheduled.
    LiveSessionId;
    /// A training taken elsewhere that a learner logged.
    ExternalTrainingId;
    /// An issued certificate.
    CertificateId;
    /// An organization.
    OrganizationId;
    /// An invitation to join an organization.
    InvitationId;
    /// An organization's API token.
    ApiTokenId;
    /// A bulk verification and its results.
    BulkCheckId;
    /// A message in the outbox.
    OutboxId;
}
