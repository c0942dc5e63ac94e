//! A credential as RDF, canonicalized (RDFC-1.0): what a Data Integrity
//! proof signs.
//!
//! The JSON-LD contexts credentials name are bundled in the binary and the
//! loader knows no others, so signing never reaches the network and a
//! document naming an unknown context is refused rather than fetched.

use json_ld::{IriBuf, JsonLdProcessor, RemoteDocument};
use std::collections::HashMap;
use std::sync::LazyLock;

/// The Verifiable Credentials 2.0 context (it defines Data Integrity
/// proofs and Bitstring Status Lists too).
pub const CREDENTIALS_V2: &str = "https://www.w3.org/ns/credentials/v2";
/// The Open Badges 3.0 context.
pub const OPEN_BADGES_V3: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

static CONTEXTS: LazyLock<HashMap<IriBuf, RemoteDocument>> = LazyLock::new(|| {
    [
        (CREDENTIALS_V2, include_str!("contexts/credentials-v2.jsonld")),
        (OPEN_BADGES_V3, include_str!("contexts/ob-v3p0-3.0.3.jsonld")),
    ]
    .into_iter()
    .map(|(url, text)| {
        let iri = IriBuf::new(url.to_owned()).expect("a bundled context's URL is an IRI");
        let json: serde_json::Value = serde_json::from_str(text).expect("a bundled context is JSON");
        let document = RemoteDocument::new(Some(iri.clone()), None, json_syntax::Value::from_serde_json(json));
        (iri, document)
    })
    .collect()
});

#[derive(Debug, thiserror::Error)]
pub enum LinkedDataError {
    #[error("the document is not valid JSON-LD with the bundled contexts: {0}")]
    Expansion(String),
    #[error("the document's RDF could not be canonicalized: {0}")]
    Canonicalization(String),
}

/// The document's RDF dataset as canonical N-Quads.
pub fn canonical_nquads(document: &serde_json::Value) -> Result<String, LinkedDataError> {
    let input = RemoteDocument::new(None, None, json_syntax::Value::from_serde_json(document.clone()));
    let generator = json_ld::rdf_types::generator::Blank::new();
    // The bundled loader answers at once, so the future is ready on its
    // first poll: no executor is needed.
    let future = std::pin::pin!(input.to_rdf(generator, &*CONTEXTS));
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    let std::task::Poll::Ready(result) = future.poll(&mut context) else {
        return Err(LinkedDataError::Expansion("a context loader waited".into()));
    };
    let mut rdf = result.map_err(|e| LinkedDataError::Expansion(e.to_string()))?;
    let quads: Vec<oxrdf::Quad> = rdf.cloned_quads().map(quad).collect::<Result<_, _>>()?;
    rdf_canon::canonicalize_quads(&quads).map_err(|e| LinkedDataError::Canonicalization(e.to_string()))
}

type JsonLdQuad = json_ld::rdf_types::Quad<Id, Id, json_ld::rdf_types::Object, Id>;
type Id = json_ld::rdf_types::Id;

fn quad(quad: JsonLdQuad) -> Result<oxrdf::Quad, LinkedDataError> {
    let json_ld::rdf_types::Quad(subject, predicate, object, graph) = quad;
    let Id::Iri(predicate) = predicate else {
        return Err(LinkedDataError::Expansion("a blank node as a property".into()));
    };
    let graph = match graph {
        None => oxrdf::GraphName::DefaultGraph,
        Some(json_ld::rdf_types::Id::Iri(iri)) => named(iri.as_str())?.into(),
        Some(json_ld::rdf_types::Id::Blank(blank)) => blank_node(blank.as_str())?.into(),
    };
    Ok(oxrdf::Quad::new(
        subject_of(subject)?,
        named(predicate.as_str())?,
        object_of(object)?,
        graph,
    ))
}

fn named(iri: &str) -> Result<oxrdf::NamedNode, LinkedDataError> {
    oxrdf::NamedNode::new(iri).map_err(|e| LinkedDataError::Expansion(e.to_string()))
}

fn blank_node(label: &str) -> Result<oxrdf::BlankNode, LinkedDataError> {
    oxrdf::BlankNode::new(label.trim_start_matches("_:")).map_err(|e| LinkedDataError::Expansion(e.to_string()))
}

fn subject_of(id: json_ld::rdf_types::Id) -> Result<oxrdf::Subject, LinkedDataError> {
    Ok(match id {
        json_ld::rdf_types::Id::Iri(iri) => named(iri.as_str())?.into(),
        json_ld::rdf_types::Id::Blank(blank) => blank_node(blank.as_str())?.into(),
    })
}

fn object_of(term: json_ld::rdf_types::Object) -> Result<oxrdf::Term, LinkedDataError> {
    use json_ld::rdf_types::{LiteralType, Term};
    Ok(match term {
        Term::Id(id) => match subject_of(id)? {
            oxrdf::Subject::NamedNode(node) => node.into(),
            oxrdf::Subject::BlankNode(node) => node.into(),
        },
        Term::Literal(literal) => match literal.type_ {
            LiteralType::Any(datatype) => {
                oxrdf::Literal::new_typed_literal(literal.value, named(datatype.as_str())?).into()
            }
            LiteralType::LangString(language) => {
                oxrdf::Literal::new_language_tagged_literal(literal.value, language.as_str())
                    .map_err(|e| LinkedDataError::Expansion(e.to_string()))?
                    .into()
            }
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_credential_becomes_canonical_nquads_with_the_bundled_contexts() {
        let credential = json!({
            "@context": [CREDENTIALS_V2, OPEN_BADGES_V3],
            "id": "https://learn.example.org/verify/HS-7K2M",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": { "id": "did:web:learn.example.org", "type": ["Profile"], "name": "Example" },
            "validFrom": "2026-11-23T10:30:00Z",
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "identifier": [{ "type": "IdentityObject", "identityType": "emailAddress", "hashed": true, "identityHash": "sha256$abc", "salt": "00ff" }],
                "achievement": { "id": "https://learn.example.org/issuer#psf", "type": ["Achievement"], "name": "PSF", "criteria": { "narrative": "Read every module." } },
            },
        });
        let nquads = canonical_nquads(&credential).unwrap();
        // As jsonld.js canonicalizes the same document.
        for line in [
            "<did:web:learn.example.org> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Profile> .",
            "<https://learn.example.org/verify/HS-7K2M> <https://www.w3.org/2018/credentials#validFrom> \"2026-11-23T10:30:00Z\"^^<http://www.w3.org/2001/XMLSchema#dateTime> .",
            "_:c14n0 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#hashed> \"true\"^^<https://www.w3.org/2001/XMLSchema#boolean> .",
            "_:c14n1 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#narrative> \"Read every module.\" .",
            "_:c14n2 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#identifier> _:c14n0 .",
        ] {
            assert!(nquads.lines().any(|l| l == line), "{line}\nnot in\n{nquads}");
        }
    }

    #[test]
    fn a_context_that_is_not_bundled_is_refused_not_fetched() {
        let document = json!({ "@context": "https://example.org/elsewhere.jsonld", "name": "x" });
        assert!(matches!(
            canonical_nquads(&document),
            Err(LinkedDataError::Expansion(_))
        ));
    }
}
