//! Files for signed-in people: a holder's certificate and credential, a
//! person's own data, a trainer's course export and rosters, an
//! organization's roster and bulk results. Plain routes, not pages, so that
//! a browser saves them; they call the areas directly, and the same access
//! rules as the pages decide who may have them.

use super::csv;
use super::errors::SignedInUser;
use crate::authoring::course_files::Audience;
use crate::authoring::{self, course_archive};
use crate::certificates::{self, pdf};
use crate::error::{ServerError, ServerResult};
use crate::organizations::{self, bulk};
use crate::site::Site;
use crate::{following, privacy};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use holdspace_app::dto::{BulkCheck, BulkCheckId, RosterFilter};
use holdspace_app::error::AppError;
use serde::Deserialize;

const CSV: &str = "text/csv; charset=utf-8";

/// A file for the browser to save, never to be cached by anyone else.
pub fn attachment(file_name: &str, content_type: &'static str, body: impl IntoResponse) -> Response {
    let disposition = format!("attachment; filename=\"{file_name}\"");
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")),
        ),
        (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
    ];
    (headers, body).into_response()
}

/// The printable `key` of `audience`, as a PDF download.
fn printable(site: &Site, audience: Audience, key: &str) -> ServerResult<Response> {
    let file = site
        .settings
        .printables
        .iter()
        .find(|p| p.audience == audience && p.key == key)
        .ok_or(AppError::NotFound)?;
    let issuer = site.issuing()?.issuer.name.clone();
    let bytes = crate::printables::render(file, &issuer)?;
    Ok(attachment(&format!("{key}.pdf"), "application/pdf", bytes))
}

/// `GET /toolkit/{name}.pdf`: a page of the facilitator toolkit, for anyone.
pub async fn toolkit_pdf(State(site): State<Site>, Path(file): Path<String>) -> ServerResult<Response> {
    let key = file.strip_suffix(".pdf").ok_or(AppError::NotFound)?;
    printable(&site, Audience::Everyone, key)
}

/// `GET /teach/guides/{course}.pdf`: a course's trainer's guide, for staff only.
pub async fn trainer_guide_pdf(
    State(site): State<Site>,
    SignedInUser(staff): SignedInUser,
    Path(file): Path<String>,
) -> ServerResult<Response> {
    site.db
        .run(move |conn, _| crate::access::staff(conn, staff).map(|_| ()))
        .await?;
    let key = file.strip_suffix(".pdf").ok_or(AppError::NotFound)?;
    printable(&site, Audience::Staff, key)
}

/// `GET /me/record.pdf`: the signed-in learner's record as a transcript.
pub async fn record_pdf(State(site): State<Site>, SignedInUser(learner): SignedInUser) -> ServerResult<Response> {
    let issuer = site.issuing()?.issuer.name.clone();
    let bytes = site
        .db
        .run(move |conn, now| {
            let record = crate::record::record(conn, learner, now)?;
            let holder: String = crate::access::Actor::load(conn, learner)?.name;
            let document = crate::record::transcript(&record, &holder, &issuer, &crate::dates::day(now));
            Ok(pdf::render_document(&document)?)
        })
        .await?;
    Ok(attachment("holdspace-training-record.pdf", "application/pdf", bytes))
}

/// `GET /certificates/{code}/certificate.pdf`: drawn on request from what
/// was recorded at issue. Someone else's certificate is "not found", and a
/// revoked one is gone (410).
pub async fn certificate_pdf(
    State(site): State<Site>,
    SignedInUser(holder): SignedInUser,
    Path(code): Path<String>,
) -> ServerResult<Response> {
    let issuer = site.issuing()?.issuer.clone();
    let (code, bytes) = site
        .db
        .run(move |conn, now| {
            let owned = certificates::own(conn, holder, &code, now)?;
            let document = pdf::CertificateDocument {
                issuer_name: issuer.name.clone(),
                // Only a withdrawn certificate has no name, and it is revoked: never downloaded.
                holder_name: owned.certificate.holder_name.unwrap_or_default(),
                program_title: owned.certificate.program_title,
                courses: owned.certificate.courses,
                issued_on: owned.issued_at.date(),
                expires_on: owned.expires_at.date(),
                verify_url: issuer.verify_url(&owned.certificate.code),
                code: owned.certificate.code,
                credential: owned.linked_data,
            };
            Ok((document.code.clone(), pdf::render_kept(&document)?))
        })
        .await?;
    Ok(attachment(
        &format!("holdspace-certificate-{code}.pdf"),
        "application/pdf",
        bytes,
    ))
}

/// `GET /certificates/{code}/credential.jwt`: the signed credential, as issued.
pub async fn credential(
    State(site): State<Site>,
    SignedInUser(holder): SignedInUser,
    Path(code): Path<String>,
) -> ServerResult<Response> {
    let owned = site
        .db
        .run(move |conn, now| certificates::own(conn, holder, &code, now))
        .await?;
    let name = format!("holdspace-certificate-{}.jwt", owned.certificate.code);
    Ok(attachment(&name, "application/vc+jwt", owned.credential_jwt))
}

/// `GET /certificates/{code}/credential.json`: the credential as JSON-LD
/// with its Data Integrity proof, a file to add to a wallet.
pub async fn linked_data_credential(
    State(site): State<Site>,
    SignedInUser(holder): SignedInUser,
    Path(code): Path<String>,
) -> ServerResult<Response> {
    let owned = site
        .db
        .run(move |conn, now| certificates::own(conn, holder, &code, now))
        .await?;
    let name = format!("holdspace-certificate-{}.json", owned.certificate.code);
    let credential = owned.linked_data.ok_or(AppError::NotFound)?;
    Ok(attachment(&name, "application/ld+json", credential))
}

/// `GET /me/data.json`: everything stored about the signed-in person.
pub async fn personal_data(State(site): State<Site>, SignedInUser(person): SignedInUser) -> ServerResult<Response> {
    let json = site
        .db
        .run(move |conn, now| privacy::personal_data(conn, person, now))
        .await?;
    Ok(attachment("holdspace-my-data.json", "application/json", json))
}

/// `GET /teach/{course}/export.tar.gz`: the published course, in the `courses/` format.
pub async fn course_export(
    State(site): State<Site>,
    SignedInUser(staff): SignedInUser,
    Path(course): Path<String>,
) -> ServerResult<Response> {
    let content = site
        .db
        .run(move |conn, _| authoring::export(conn, staff, &course))
        .await?;
    let archive = course_archive::pack(&content).map_err(|error| ServerError::Corrupt(error.to_string()))?;
    Ok(attachment(
        &format!("{}-{}.tar.gz", content.slug, content.version),
        "application/gzip",
        archive,
    ))
}

/// `GET /teach/{course}/learners.csv`.
pub async fn learners_csv(
    State(site): State<Site>,
    SignedInUser(staff): SignedInUser,
    Path(course): Path<String>,
) -> ServerResult<Response> {
    let name = format!("{course}-learners.csv");
    let following = site
        .db
        .run(move |conn, now| following::course_following(conn, staff, &course, now))
        .await?;
    Ok(attachment(&name, CSV, csv::learners(&following)))
}

/// `GET /teach/{course}/questions.csv`.
pub async fn questions_csv(
    State(site): State<Site>,
    SignedInUser(staff): SignedInUser,
    Path(course): Path<String>,
) -> ServerResult<Response> {
    let name = format!("{course}-questions.csv");
    let following = site
        .db
        .run(move |conn, now| following::course_following(conn, staff, &course, now))
        .await?;
    Ok(attachment(&name, CSV, csv::questions(&following)))
}

/// `GET /teach/programs/{program}/progress.csv`.
pub async fn program_csv(
    State(site): State<Site>,
    SignedInUser(staff): SignedInUser,
    Path(program): Path<String>,
) -> ServerResult<Response> {
    let name = format!("{program}-progress.csv");
    let progress = site
        .db
        .run(move |conn, now| following::program_progress(conn, staff, &program, now))
        .await?;
    Ok(attachment(&name, CSV, csv::program(&progress)))
}

#[derive(Deserialize)]
pub struct RosterQuery {
    show: Option<String>,
}

/// `GET /org/roster.csv?show=FILTER`: the members the roster page shows.
pub async fn roster_csv(
    State(site): State<Site>,
    SignedInUser(admin): SignedInUser,
    Query(query): Query<RosterQuery>,
) -> ServerResult<Response> {
    let filter = query.show.as_deref().and_then(RosterFilter::parse).unwrap_or_default();
    let base = site.base_url();
    let roster = site
        .db
        .run(move |conn, now| organizations::roster(conn, admin, &base, now))
        .await?;
    Ok(attachment(
        &format!("holdspace-members-{}.csv", filter.as_str()),
        CSV,
        csv::organization(&roster, filter),
    ))
}

/// `GET /org/verify/{id}/results.csv`: a bulk verification's results.
pub async fn bulk_csv(
    State(site): State<Site>,
    SignedInUser(sender): SignedInUser,
    Path(id): Path<BulkCheckId>,
) -> ServerResult<Response> {
    match site
        .db
        .run(move |conn, now| bulk::results(conn, sender, Some(id), now))
        .await?
    {
        Some(BulkCheck::Done(rows)) => Ok(attachment("holdspace-verification.csv", CSV, csv::bulk(&rows))),
        Some(BulkCheck::Checking { .. }) => Err(AppError::invalid(
            "These codes are still being checked. Please download the results once the page shows them.",
        )
        .into()),
        Some(BulkCheck::Interrupted) => {
            Err(AppError::invalid("This check stopped before the end. Please send the list again.").into())
        }
        None => Err(AppError::NotFound.into()),
    }
}
