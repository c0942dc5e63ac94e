//! The OpenAPI document at `/api/v1/openapi.json` against the live server,
//! checked by tools nobody here wrote: openapi-spec-validator (is it valid
//! OpenAPI?), Python's jsonschema (does every kind of real answer match its
//! documented schema?) and schemathesis (generated requests, good and bad:
//! no 5xx, and no status, header, content type or body the document does
//! not promise). `.ci/lib.sh` (`ensure_api_tools`) installs them, pinned,
//! in `.ci/tools/python`.

use crate::organizations::{new_api_token, revoke, two_organizations, typo_of};
use crate::support::*;
use holdspace_server::certificates::code::CertificateCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn tools() -> PathBuf {
    let dir = std::env::var_os("HOLDSPACE_API_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../.ci/tools/python/bin"));
    assert!(
        dir.join("schemathesis").exists(),
        "the API contract tools are missing from {}: run `bash -c 'source .ci/lib.sh; ensure_api_tools'`",
        dir.display()
    );
    dir
}

/// Runs a tool in `dir`, where schemathesis leaves its cache.
fn run(dir: &Path, tool: &str, args: &[&str]) -> Output {
    Command::new(tools().join(tool))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{tool} runs: {e}"))
}

fn printed(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Checks each answer's body against the schema the document gives for its
/// path, method, status and content type; prints one line per mismatch.
const VALIDATE_ANSWERS: &str = r#"
import json, sys
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012
document = json.load(open(sys.argv[1]))
registry = Registry().with_resource("urn:api", DRAFT202012.create_resource(document))
failures = 0
for answer in json.load(open(sys.argv[2])):
    response = document["paths"][answer["path"]][answer["method"]]["responses"].get(str(answer["status"]))
    if response is None:
        print("undocumented status", answer["status"], "for", answer["method"], answer["path"]); failures += 1; continue
    if "$ref" in response:
        response = registry.resolver().lookup("urn:api" + response["$ref"]).contents
    media = response["content"].get(answer["content_type"])
    if media is None:
        print("undocumented content type", answer["content_type"], "for", answer["path"], answer["status"]); failures += 1; continue
    schema = dict(media["schema"], **{"$schema": "https://json-schema.org/draft/2020-12/schema"})
    if "$ref" in schema:
        schema["$ref"] = "urn:api" + schema["$ref"]
    for error in Draft202012Validator(schema, registry=registry).iter_errors(answer["body"]):
        print(answer["method"], answer["path"], answer["status"], list(error.absolute_path), error.message); failures += 1
print(failures, "mismatches")
sys.exit(1 if failures else 0)
"#;

/// Requests per operation in schemathesis's generated phase: enough to
/// try every kind of input, few enough for a minute on two cores.
const EXAMPLES_PER_OPERATION: &str = "100";

#[tokio::test]
async fn the_openapi_document_is_valid_and_the_live_api_keeps_to_it() {
    let server = TestServer::start();
    let (_, valid) = certified(&server, "Ana María Muñoz", "ana@example.org").await;
    let (_, revoked) = certified(&server, "Ben Okafor", "ben@example.org").await;
    revoke(&server, &revoked).await;
    let (north, _) = two_organizations(&server).await;
    let token = new_api_token(&north, "Contract test").await;

    let dir = tempfile::tempdir().unwrap();
    let document_path = dir.path().join("openapi.json");
    let response = reqwest::get(server.url("/api/v1/openapi.json")).await.unwrap();
    assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
    let document: Value = response.json().await.unwrap();
    std::fs::write(&document_path, serde_json::to_vec_pretty(&document).unwrap()).unwrap();
    let document_file = document_path.to_str().unwrap();

    let validated = run(dir.path(), "openapi-spec-validator", &[document_file]);
    assert!(
        validated.status.success(),
        "not valid OpenAPI:\n{}",
        printed(&validated)
    );

    // One of every kind of answer, checked against its documented schema.
    let typo = typo_of(&valid);
    let unknown = CertificateCode::generate().to_string();
    let api = reqwest::Client::new();
    let mut answers = Vec::new();
    let mut record = async |path: &str, method: &str, request: reqwest::RequestBuilder| {
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let content_type = response.headers()[CONTENT_TYPE].to_str().unwrap().to_owned();
        let body: Value = response.json().await.unwrap();
        answers.push(
            json!({ "path": path, "method": method, "status": status, "content_type": content_type, "body": body }),
        );
        status
    };
    let lookup = "/api/v1/certificates/{code}";
    for (code, status) in [
        (valid.as_str(), 200),
        (revoked.as_str(), 200),
        (typo.as_str(), 400),
        ("HS-1", 400),
        (unknown.as_str(), 404),
    ] {
        assert_eq!(
            record(
                lookup,
                "get",
                api.get(server.url(&format!("/api/v1/certificates/{code}")))
            )
            .await,
            status,
            "{code}"
        );
    }
    let verifications = "/api/v1/verifications";
    let post = |body: Value| api.post(server.url(verifications)).json(&body);
    let mixed = json!({ "codes": [valid, revoked.to_lowercase(), typo, unknown, "not a code"] });
    assert_eq!(
        record(verifications, "post", post(mixed.clone()).bearer_auth(&token)).await,
        200
    );
    assert_eq!(
        record(
            verifications,
            "post",
            post(json!({ "code": valid })).bearer_auth(&token)
        )
        .await,
        400
    );
    assert_eq!(
        record(verifications, "post", post(mixed).bearer_auth("hsv_wrong")).await,
        401
    );
    assert_eq!(
        record(
            "/.well-known/jwks.json",
            "get",
            api.get(server.url("/.well-known/jwks.json"))
        )
        .await,
        200
    );
    assert_eq!(record("/issuer", "get", api.get(server.url("/issuer"))).await, 200);
    assert_eq!(
        record(
            "/api/v1/openapi.json",
            "get",
            api.get(server.url("/api/v1/openapi.json"))
        )
        .await,
        200
    );
    let answers_path = dir.path().join("answers.json");
    std::fs::write(&answers_path, serde_json::to_vec(&answers).unwrap()).unwrap();
    let script = dir.path().join("validate.py");
    std::fs::write(&script, VALIDATE_ANSWERS).unwrap();
    let checked = run(
        dir.path(),
        "python",
        &[script.to_str().unwrap(), document_file, answers_path.to_str().unwrap()],
    );
    assert!(
        checked.status.success(),
        "answers that contradict the document:\n{}",
        printed(&checked)
    );

    // Generated requests. Real codes (and their typos) are offered beside
    // random strings, so found certificates are checked too.
    let codes = serde_json::to_string(&[&valid, &revoked, &typo, &unknown]).unwrap();
    let config = dir.path().join("schemathesis.toml");
    std::fs::write(
        &config,
        format!(
            r#"
[dictionaries.codes]
values = {codes}

[parameters]
code = {{ dictionary = "codes", probability = 0.5 }}

[auth.openapi.apiToken]
bearer = "{token}"

[checks.positive_data_acceptance]
# A well-formed string may still not be a code, or have a typo: the lookup
# answers those with a documented 400, which is an answer, not a refusal.
expected-statuses = ["2xx", "400", "401", "404", "429"]
"#
        ),
    )
    .unwrap();
    let fuzzed = run(
        dir.path(),
        "schemathesis",
        &[
            "--config-file",
            config.to_str().unwrap(),
            "run",
            document_file,
            "--url",
            &server.base,
            "--checks",
            "all",
            "--max-examples",
            EXAMPLES_PER_OPERATION,
            "--seed",
            "20261123",
            "--workers",
            "1",
            "--no-color",
        ],
    );
    let report = printed(&fuzzed);
    assert!(
        fuzzed.status.success(),
        "schemathesis found responses that contradict the document:\n{report}"
    );
    assert!(
        !server.server_log().contains("ERROR"),
        "no request made the server log an error:\n{}",
        server.server_log()
    );
}
