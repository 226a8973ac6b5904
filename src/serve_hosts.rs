//! Which requests `semester serve` answers: only those that name this machine, so that a web
//! page elsewhere cannot read a private course's preview by pointing its own host name at
//! 127.0.0.1 (DNS rebinding) or by opening the event stream from its own origin.

use std::net::IpAddr;

use axum::http::{HeaderMap, StatusCode, header};

/// Which `Host` and `Origin` headers a request may carry: localhost names, the loopback and the
/// bound address, any IP address when bound to all interfaces (an address cannot be rebound
/// by DNS), and the `--allow-host` names. A web page elsewhere that points its own name at this
/// machine (DNS rebinding) or reads the event stream from its own origin is refused.
#[derive(Debug, Clone)]
pub struct HostPolicy {
    bind: IpAddr,
    names: Vec<String>,
}

impl HostPolicy {
    /// The policy of a server bound to `bind`, with extra allowed names.
    pub fn new(bind: IpAddr, allow_hosts: &[String]) -> HostPolicy {
        let names = allow_hosts
            .iter()
            .map(|h| h.trim().trim_end_matches('.').to_ascii_lowercase())
            .collect();
        HostPolicy { bind, names }
    }

    /// Whether a `Host` value (`name`, `name:port`, `[v6]:port`) names this server.
    pub fn host_ok(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        let name = match host.strip_prefix('[') {
            Some(rest) => match rest.split_once(']') {
                Some((ip, "")) => ip,
                Some((ip, port))
                    if port
                        .strip_prefix(':')
                        .is_some_and(|p| p.chars().all(|c| c.is_ascii_digit())) =>
                {
                    ip
                }
                _ => "",
            },
            None => host.rsplit_once(':').map_or(host.as_str(), |(n, p)| {
                if p.chars().all(|c| c.is_ascii_digit()) {
                    n
                } else {
                    ""
                }
            }),
        };
        let name = name.trim_end_matches('.');
        if name == "localhost" || name.ends_with(".localhost") {
            return true;
        }
        if let Ok(ip) = name.parse::<IpAddr>() {
            return ip.is_loopback() || ip == self.bind || self.bind.is_unspecified();
        }
        !name.is_empty() && self.names.iter().any(|n| n == name)
    }

    /// Whether an `Origin` value is a page of this server (`http://` and an allowed host).
    pub fn origin_ok(&self, origin: &str) -> bool {
        origin
            .strip_prefix("http://")
            .is_some_and(|h| !h.contains('/') && self.host_ok(h))
    }

    /// `None` when the request's headers are acceptable, else the status and text to refuse
    /// it with: 421 for a foreign `Host`, 403 for a foreign `Origin`.
    pub fn check(&self, headers: &HeaderMap) -> Option<(StatusCode, &'static str)> {
        // Exactly one Host (RFC 9112 §3.2: a second one is a bad request), and it names us:
        // with two, a proxy in front may read the other one.
        let mut hosts = headers.get_all(header::HOST).iter();
        let host = hosts.next().and_then(|v| v.to_str().ok());
        if hosts.next().is_some() || !host.is_some_and(|h| self.host_ok(h)) {
            return Some((
                StatusCode::MISDIRECTED_REQUEST,
                "semester serve: this host name is not allowed; use localhost or start the server with --allow-host NAME",
            ));
        }
        let origin_bad = headers
            .get_all(header::ORIGIN)
            .iter()
            .any(|o| !o.to_str().is_ok_and(|o| self.origin_ok(o)));
        origin_bad.then_some((
            StatusCode::FORBIDDEN,
            "semester serve: requests from pages of other sites are refused",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Host and Origin: localhost names, loopback, the bound address and --allow-host names.
    #[test]
    fn only_this_servers_names_are_answered() {
        let local = HostPolicy::new("127.0.0.1".parse().unwrap(), &["Preview.Example.".into()]);
        for ok in [
            "localhost:1111",
            "LOCALHOST",
            "a.localhost:80",
            "127.0.0.1:1111",
            "[::1]:1111",
            "127.0.0.2",
            "preview.example:1111",
            "localhost.",
        ] {
            assert!(local.host_ok(ok), "{ok}");
        }
        for bad in [
            "attacker.example",
            "attacker.example:1111",
            "localhost.attacker.example",
            "192.168.1.5:1111",
            "",
            "[::1",
            "localhost:x",
        ] {
            assert!(!local.host_ok(bad), "{bad}");
        }
        let all = HostPolicy::new("0.0.0.0".parse().unwrap(), &[]);
        assert!(all.host_ok("192.168.1.5:1111"));
        assert!(!all.host_ok("attacker.example"));
        assert!(local.origin_ok("http://localhost:1111"));
        for bad in [
            "null",
            "https://localhost:1111",
            "http://attacker.example",
            "http://localhost:1111/x",
            "file://",
        ] {
            assert!(!local.origin_ok(bad), "{bad}");
        }
    }

    /// A request with two Host headers is refused, whichever comes first.
    #[test]
    fn two_host_headers_are_refused() {
        let local = HostPolicy::new("127.0.0.1".parse().unwrap(), &[]);
        for pair in [
            ["localhost", "attacker.example"],
            ["attacker.example", "localhost"],
            ["localhost", "localhost"],
        ] {
            let mut headers = HeaderMap::new();
            for h in pair {
                headers.append(header::HOST, h.parse().unwrap());
            }
            let refused = local.check(&headers).map(|(status, _)| status);
            assert_eq!(refused, Some(StatusCode::MISDIRECTED_REQUEST), "{pair:?}");
        }
        let mut one = HeaderMap::new();
        one.append(header::HOST, "localhost:1111".parse().unwrap());
        assert_eq!(local.check(&one), None);
    }
}
