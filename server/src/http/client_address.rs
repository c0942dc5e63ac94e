//! The address a request really comes from.
//!
//! Behind a reverse proxy every request arrives from the proxy, so counting
//! failed sign-ins per TCP peer would put every visitor in one bucket and
//! let twenty typos lock everyone out. The proxy says who its client was in
//! `Forwarded` or `X-Forwarded-For`, but anyone can send those headers, so
//! they are believed only when the peer is a proxy the operator named
//! (`--trusted-proxy`), and read from the right: each trusted hop appends
//! what it saw, and whatever a client wrote itself stands further left.

use axum::http::HeaderMap;
use ipnet::IpNet;
use std::net::IpAddr;

/// The reverse proxies whose forwarding headers are believed.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Addresses (`10.0.0.5`) or networks (`10.0.0.0/8`, `::1/128`).
    pub fn parse(entries: &[String]) -> Result<Self, String> {
        entries
            .iter()
            .map(|entry| {
                let entry = entry.trim();
                entry
                    .parse::<IpNet>()
                    .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| {
                        format!("--trusted-proxy {entry:?} is neither an address nor a network like 10.0.0.0/8")
                    })
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }

    fn trusts(&self, address: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&address))
    }

    /// The client's address: the peer itself, unless the peer is a trusted
    /// proxy, then the nearest forwarded address that is not one.
    pub fn client_address(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let chain = forwarded_for(headers);
        let mut client = peer;
        for hop in chain.iter().rev() {
            match hop {
                Some(address) if self.trusts(*address) => client = *address,
                Some(address) => return *address,
                // An entry nobody can read (`unknown`, garbage): stop at the last known hop.
                None => return client,
            }
        }
        client
    }
}

/// The forwarded chain, nearest hop last: `Forwarded`'s `for=` values if
/// that header is present (RFC 7239), else `X-Forwarded-For`'s.
fn forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let lines = |name: &str| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
    };
    let forwarded = lines("forwarded");
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .flat_map(|line| line.split(','))
            .map(|element| {
                element
                    .split(';')
                    .filter_map(|pair| pair.split_once('='))
                    .find(|(key, _)| key.trim().eq_ignore_ascii_case("for"))
                    .and_then(|(_, value)| parse_node(value))
            })
            .collect();
    }
    lines("x-forwarded-for")
        .iter()
        .flat_map(|line| line.split(','))
        .map(parse_node)
        .collect()
}

/// `192.0.2.60`, `"[2001:db8::17]:4711"`, `192.0.2.60:8080`.
fn parse_node(node: &str) -> Option<IpAddr> {
    let node = node.trim().trim_matches('"');
    if let Some(rest) = node.strip_prefix('[') {
        return rest.split_once(']').and_then(|(address, _)| address.parse().ok());
    }
    node.parse()
        .ok()
        .or_else(|| node.rsplit_once(':').and_then(|(address, _)| address.parse().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn proxies(list: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(&list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn forwarding_headers_from_anyone_else_are_ignored() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client_address(ip("203.0.113.9"), &headers(&[("x-forwarded-for", "198.51.100.1")])),
            ip("203.0.113.9")
        );
        let some = proxies(&["10.0.0.0/8"]);
        assert_eq!(
            some.client_address(ip("203.0.113.9"), &headers(&[("x-forwarded-for", "198.51.100.1")])),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn the_nearest_untrusted_hop_is_the_client() {
        let trusted = proxies(&["10.0.0.0/8", "127.0.0.1"]);
        // A client that forged its own header: the proxy appended the real one.
        let forged = headers(&[("x-forwarded-for", "1.2.3.4, 198.51.100.7")]);
        assert_eq!(trusted.client_address(ip("127.0.0.1"), &forged), ip("198.51.100.7"));
        // Two trusted hops.
        let chained = headers(&[("x-forwarded-for", "198.51.100.7, 10.1.1.1")]);
        assert_eq!(trusted.client_address(ip("10.0.0.2"), &chained), ip("198.51.100.7"));
        // Several header lines are one list.
        let split = headers(&[("x-forwarded-for", "1.2.3.4"), ("x-forwarded-for", "198.51.100.8")]);
        assert_eq!(trusted.client_address(ip("127.0.0.1"), &split), ip("198.51.100.8"));
    }

    #[test]
    fn forwarded_wins_over_x_forwarded_for() {
        let trusted = proxies(&["127.0.0.1"]);
        let both = headers(&[
            ("forwarded", "for=1.2.3.4, for=\"[2001:db8:cafe::17]:4711\";proto=https"),
            ("x-forwarded-for", "198.51.100.1"),
        ]);
        assert_eq!(trusted.client_address(ip("127.0.0.1"), &both), ip("2001:db8:cafe::17"));
    }

    #[test]
    fn unreadable_entries_stop_at_the_last_known_hop() {
        let trusted = proxies(&["127.0.0.1"]);
        assert_eq!(
            trusted.client_address(ip("127.0.0.1"), &headers(&[("x-forwarded-for", "garbage")])),
            ip("127.0.0.1")
        );
        assert_eq!(
            trusted.client_address(ip("127.0.0.1"), &HeaderMap::new()),
            ip("127.0.0.1")
        );
        assert_eq!(parse_node("192.0.2.60:8080"), Some(ip("192.0.2.60")));
    }

    #[test]
    fn bad_settings_are_refused_with_a_sentence() {
        assert!(
            TrustedProxies::parse(&["10.0.0.0/33".into()])
                .unwrap_err()
                .contains("--trusted-proxy")
        );
        assert!(TrustedProxies::parse(&["::1".into(), "192.168.0.0/16".into()]).is_ok());
    }
}
