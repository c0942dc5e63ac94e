//! The one error type every server function returns.
//!
//! Its messages are what a learner reads, so they are plain and kind and
//! never carry internal details: the server logs those and sends `Internal`.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A failure a person can understand, with the HTTP status it maps to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please log in to continue.")]
    NotSignedIn,
    #[error("This part of Holdspace isn't open to your account.")]
    Forbidden,
    #[error("We couldn't find that page. It may have moved, or the link may be incomplete.")]
    NotFound,
    /// A certificate that was revoked is not handed out again.
    #[error(
        "This certificate was revoked on {on}, so it can no longer be downloaded. Its verify page shows the reason."
    )]
    Revoked { on: String },
    /// Input that cannot be accepted; the text says what to change.
    #[error("{0}")]
    Invalid(String),
    /// The request could not be read at all (a broken or hand-made form).
    #[error("We couldn't read that request. Please go back and try again.")]
    BadRequest,
    #[error("Too many tries in a short time. To keep accounts safe, please wait about {} and try again.", minutes_phrase(*retry_after_secs))]
    Throttled { retry_after_secs: u64 },
    /// A quiz or exam whose attempt policy does not open another attempt
    /// yet; the text says when, or who can open one.
    #[error("{0}")]
    AttemptNotOpen(String),
    /// Some quiz questions have no answer yet; the answers given are saved.
    #[error("{}", incomplete_message(missing))]
    QuizIncomplete { missing: Vec<u32> },
    #[error("Something went wrong on our side. Nothing you have saved is lost; please try again in a moment.")]
    Internal,
}

fn minutes_phrase(seconds: u64) -> String {
    match seconds.div_ceil(60) {
        0 | 1 => "a minute".to_owned(),
        n => format!("{n} minutes"),
    }
}

fn incomplete_message(missing: &[u32]) -> String {
    let list = match missing {
        [one] => format!("question {one}"),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(u32::to_string).collect();
            format!("questions {} and {last}", init.join(", "))
        }
        [] => "a question".to_owned(),
    };
    format!("There is no answer yet for {list}. Your other answers are saved, so take your time.")
}

impl AppError {
    /// The HTTP status this error is sent with.
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            Self::NotSignedIn => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::AttemptNotOpen(_) => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Revoked { .. } => StatusCode::GONE,
            Self::Invalid(_) | Self::BadRequest => StatusCode::BAD_REQUEST,
            Self::QuizIncomplete { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the browser tab says while this error is the page, so that a
    /// screen reader announces something and tabs stay told apart.
    pub fn page_title(&self) -> &'static str {
        match self {
            Self::NotSignedIn => "Please log in",
            Self::Forbidden | Self::AttemptNotOpen(_) => "Not available",
            Self::NotFound => "Page not found",
            Self::Revoked { .. } => "No longer valid",
            Self::Invalid(_) | Self::BadRequest | Self::QuizIncomplete { .. } => "Please check",
            Self::Throttled { .. } => "Please wait",
            Self::Internal => "Something went wrong",
        }
    }

    /// Shorthand for an `Invalid` error with a message.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::Invalid(message.into())
    }
}

/// How an error travels: the variant for programs, the sentence for people.
#[derive(Serialize, Deserialize)]
struct WireError {
    error: AppError,
    message: String,
}

impl AppError {
    /// Reads an error body as sent by [`FromServerFnError::ser`].
    pub fn from_wire(bytes: &[u8]) -> Option<AppError> {
        serde_json::from_slice::<WireError>(bytes).ok().map(|wire| wire.error)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn ser(&self) -> leptos::server_fn::Bytes {
        let wire = WireError {
            error: self.clone(),
            message: self.to_string(),
        };
        serde_json::to_vec(&wire).unwrap_or_default().into()
    }

    fn de(data: leptos::server_fn::Bytes) -> Self {
        AppError::from_wire(&data).unwrap_or(AppError::BadRequest)
    }

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Garbage in a request body or query string is the caller's mistake.
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => Self::BadRequest,
            _ => Self::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incomplete_quiz_lists_the_questions_without_blame() {
        assert_eq!(
            AppError::QuizIncomplete { missing: vec![2, 4, 5] }.to_string(),
            "There is no answer yet for questions 2, 4 and 5. Your other answers are saved, so take your time."
        );
        assert!(
            AppError::QuizIncomplete { missing: vec![3] }
                .to_string()
                .contains("for question 3.")
        );
    }

    #[test]
    fn throttle_message_rounds_up_to_whole_minutes() {
        assert!(
            AppError::Throttled { retry_after_secs: 61 }
                .to_string()
                .contains("about 2 minutes")
        );
        assert!(
            AppError::Throttled { retry_after_secs: 10 }
                .to_string()
                .contains("about a minute")
        );
    }

    #[test]
    fn the_wire_form_carries_the_sentence_and_round_trips() {
        let error = AppError::Throttled { retry_after_secs: 120 };
        let bytes = error.ser();
        let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(json["message"], error.to_string());
        assert_eq!(AppError::de(bytes), error);
    }

    #[test]
    fn unreadable_requests_are_client_errors() {
        let error = AppError::from_server_fn_error(ServerFnErrorErr::Args("x".into()));
        assert_eq!(error.status(), http::StatusCode::BAD_REQUEST);
    }
}
