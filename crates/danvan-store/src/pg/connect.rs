//! Reading a `postgres://` URL: the connection settings, TLS as `sslmode` asks, and the URL as
//! messages may show it (never with its password).

use std::str::FromStr;
use std::time::Duration;

use postgres::config::SslMode;
use postgres_native_tls::MakeTlsConnector;

use crate::error::StoreError;

/// A parsed connection target.
pub(crate) struct Target {
    pub(crate) config: postgres::Config,
    pub(crate) tls: MakeTlsConnector,
    /// The URL without its password, for messages and logs.
    pub(crate) shown: String,
    /// The password, to scrub from any message that might echo it.
    pub(crate) secret: Option<String>,
}

/// How `sslmode` asks the server's certificate to be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verify {
    /// `disable`, `allow`, `prefer`, `require`: encrypted when asked, not authenticated (as
    /// libpq does).
    None,
    /// `verify-ca`: the chain, not the host name.
    Chain,
    /// `verify-full`: the chain and the host name.
    Full,
}

/// Parses `url`. `connect_timeout` applies when the URL sets none.
pub(crate) fn parse(url: &str, connect_timeout: Duration) -> Result<Target, StoreError> {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    // tokio-postgres knows `disable`, `prefer` and `require`; the verifying modes and the root
    // certificate are ours to apply.
    let mut verify = Verify::None;
    let mut root_cert = None;
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match (k, v) {
            ("sslmode", "verify-ca") => {
                verify = Verify::Chain;
                kept.push("sslmode=require".to_string());
            }
            ("sslmode", "verify-full") => {
                verify = Verify::Full;
                kept.push("sslmode=require".to_string());
            }
            ("sslmode", "allow") => kept.push("sslmode=prefer".to_string()),
            ("sslrootcert", path) => root_cert = Some(path.to_string()),
            _ => kept.push(pair.to_string()),
        }
    }
    let cleaned = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    let mut config = postgres::Config::from_str(&cleaned).map_err(|e| StoreError::Database {
        at: crate::secret::hide_password(url).into(),
        message: format!(
            "not a PostgreSQL URL this build reads: {}",
            super::describe(&e)
        ),
    })?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(connect_timeout);
    }
    if config.get_application_name().is_none() {
        config.application_name("danvan");
    }
    let shown = shown(&config);
    let secret = config
        .get_password()
        .map(|p| String::from_utf8_lossy(p).into_owned());
    let tls = connector(verify, root_cert.as_deref(), &shown)?;
    if verify != Verify::None && config.get_ssl_mode() != SslMode::Require {
        config.ssl_mode(SslMode::Require);
    }
    Ok(Target {
        config,
        tls,
        shown,
        secret,
    })
}

fn connector(
    verify: Verify,
    root_cert: Option<&str>,
    shown: &str,
) -> Result<MakeTlsConnector, StoreError> {
    let fail = |message: String| StoreError::Database {
        at: shown.into(),
        message,
    };
    let mut builder = native_tls::TlsConnector::builder();
    match verify {
        Verify::None => {
            builder
                .danger_accept_invalid_certs(true)
                .danger_accept_invalid_hostnames(true);
        }
        Verify::Chain => {
            builder.danger_accept_invalid_hostnames(true);
        }
        Verify::Full => {}
    }
    if let Some(path) = root_cert {
        let pem = std::fs::read(path)
            .map_err(|e| fail(format!("cannot read sslrootcert {path}: {e}")))?;
        let cert = native_tls::Certificate::from_pem(&pem)
            .map_err(|e| fail(format!("sslrootcert {path} is not a PEM certificate: {e}")))?;
        builder.add_root_certificate(cert);
    }
    let tls = builder
        .build()
        .map_err(|e| fail(format!("cannot set up TLS: {e}")))?;
    Ok(MakeTlsConnector::new(tls))
}

/// `postgres://user@host:port/db`, from parsed settings.
fn shown(config: &postgres::Config) -> String {
    let user = config.get_user().unwrap_or("");
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .zip(
            config
                .get_ports()
                .iter()
                .copied()
                .chain(std::iter::repeat(5432)),
        )
        .map(|(h, port)| {
            let host = match h {
                postgres::config::Host::Tcp(name) => name.clone(),
                postgres::config::Host::Unix(path) => path.display().to_string(),
            };
            format!("{host}:{port}")
        })
        .collect();
    let at = if user.is_empty() {
        String::new()
    } else {
        format!("{user}@")
    };
    format!(
        "postgres://{at}{}/{}",
        hosts.join(","),
        config.get_dbname().unwrap_or("")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_urls_never_hold_the_password() {
        let t = parse(
            "postgres://danvan:s3cret-pass@db.example:6543/national?sslmode=require",
            Duration::from_secs(5),
        )
        .unwrap();
        assert_eq!(t.shown, "postgres://danvan@db.example:6543/national");
        assert_eq!(t.secret.as_deref(), Some("s3cret-pass"));
        assert_eq!(t.config.get_ssl_mode(), SslMode::Require);
    }

    #[test]
    fn verifying_modes_require_tls() {
        let t = parse(
            "postgresql://u@localhost/db?sslmode=verify-full",
            Duration::from_secs(1),
        )
        .unwrap();
        assert_eq!(t.config.get_ssl_mode(), SslMode::Require);
        assert_eq!(t.shown, "postgres://u@localhost:5432/db");
        let e = parse(
            "postgres://u:pw@h/db?sslmode=sometimes",
            Duration::from_secs(1),
        )
        .err()
        .unwrap()
        .to_string();
        assert!(e.contains("postgres://u:********@h/db"), "{e}");
        assert!(!e.contains("pw"), "{e}");
    }
}
