//! `danvan serve`: the HTTP API on the store; `danvan token new`: an API token.
//!
//! Settings come from a TOML file (`--config`), then the environment (`DANVAN_*`), then flags,
//! each overriding the one before.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use danvan_http::config::{ReadAccess, Scope, TokenEntry, hash_token, new_token};
use danvan_http::{Api, Config};
use danvan_store::{Place, Store, StoreError};

use crate::Ctx;
use crate::error::{CommandError, ErrorKind};

/// Arguments of `danvan serve`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// A TOML configuration file: bind, read_access, body_limit, request_timeout_secs,
    /// cors_origins, log_json and `[[tokens]]` tables.
    #[arg(long, env = "DANVAN_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    /// The address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "DANVAN_BIND", value_name = "ADDR")]
    bind: Option<SocketAddr>,
    /// Whether reads need a token: open or token [default: open].
    #[arg(long, env = "DANVAN_READ_ACCESS", value_parser = crate::vocabulary::parser::<ReadAccess>())]
    read_access: Option<ReadAccess>,
    /// Hold a province's token to its provinces' records when it reads too (lists, search,
    /// records and histories, the change feed, exports, reviews due, reports); national
    /// tokens read everything. Use with --read-access token.
    #[arg(long, env = "DANVAN_BOUND_READS")]
    bound_reads: bool,
    /// The largest request body, in bytes [default: 16 MiB].
    #[arg(long, env = "DANVAN_BODY_LIMIT", value_name = "BYTES")]
    body_limit: Option<usize>,
    /// How long a request may take, in seconds [default: 30].
    #[arg(long, env = "DANVAN_REQUEST_TIMEOUT", value_name = "SECONDS")]
    request_timeout: Option<f64>,
    /// How long a connection may take to send a request's headers, and stay open between
    /// requests, in seconds [default: 15].
    #[arg(long, env = "DANVAN_IDLE_TIMEOUT", value_name = "SECONDS")]
    idle_timeout: Option<f64>,
    /// How many connections to serve at once; more wait [default: 512].
    #[arg(long, env = "DANVAN_MAX_CONNECTIONS", value_name = "N")]
    max_connections: Option<usize>,
    /// How long shutdown waits for requests in flight, in seconds [default: 10].
    #[arg(long, env = "DANVAN_SHUTDOWN_DEADLINE", value_name = "SECONDS")]
    shutdown_deadline: Option<f64>,
    /// How long a request waits for another process's lock on the store before a 503, in
    /// seconds [default: 2].
    #[arg(long, env = "DANVAN_LOCK_WAIT", value_name = "SECONDS")]
    lock_wait: Option<f64>,
    /// Memory for records kept as JSON, so that a record read again is not serialised again,
    /// in MiB; 0 turns it off [default: 128].
    #[arg(long, env = "DANVAN_RECORD_CACHE", value_name = "MIB")]
    record_cache: Option<usize>,
    /// Memory for list pages as answered, so that a page asked for again before the next write
    /// is not made again, in MiB; 0 turns it off [default: 32].
    #[arg(long, env = "DANVAN_PAGE_CACHE", value_name = "MIB")]
    page_cache: Option<usize>,
    /// The secret the web app's session cookies are signed with: servers given the same one
    /// share their users' sessions (several servers behind a load balancer). At least 16
    /// characters; without it each server makes its own, and a restart signs everyone out.
    #[arg(
        long,
        env = "DANVAN_SESSION_SECRET",
        value_name = "TEXT",
        hide_env_values = true
    )]
    session_secret: Option<String>,
    /// An origin allowed to call the API from a browser (repeat, or comma-separate); CORS is
    /// off without one.
    #[arg(
        long = "cors-origin",
        env = "DANVAN_CORS_ORIGINS",
        value_delimiter = ','
    )]
    cors_origins: Vec<String>,
    /// Log one JSON object per line instead of text.
    #[arg(long, env = "DANVAN_LOG_JSON")]
    log_json: bool,
    /// How often to check the store's files for damage, in seconds; 0 turns it off
    /// [default: 300].
    #[arg(long, env = "DANVAN_INTEGRITY_CHECK", value_name = "SECONDS")]
    integrity_check: Option<u64>,
    /// Where webhooks are kept (their registrations, where their deliveries stand, a log of
    /// recent deliveries) [default: beside a store directory, DIR.webhooks.json; none for a
    /// database: give one server of a deployment this file].
    #[arg(long, env = "DANVAN_WEBHOOKS", value_name = "FILE")]
    webhooks: Option<PathBuf>,
    /// A DHIS2/ADX mapping (TOML: indicators to data elements, provinces to organisation
    /// units): /v1/exchange/dhis2 and /v1/exchange/adx exchange the figures through it.
    #[arg(long, env = "DANVAN_EXCHANGE_MAPPING", value_name = "FILE")]
    exchange_mapping: Option<PathBuf>,
    /// Fail if the store does not exist, instead of creating it with the demo dataset.
    #[arg(long)]
    no_seed: bool,
}

/// Arguments of `danvan token`.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum TokenAction {
    /// Make a new random token: print it once, and add its hash to a configuration file.
    New {
        /// Who will hold it (shown in the logs).
        #[arg(long)]
        name: String,
        /// What it may do: read, write (includes read) or admin (includes write: bulk import).
        #[arg(long, value_parser = crate::vocabulary::parser::<Scope>())]
        scope: Scope,
        /// Bind it to a province's records (repeat for several): a slug or name on today's map.
        /// It then writes only their records (those of the provinces merged into them
        /// included); without it, every province's. Not for admin tokens.
        #[arg(long = "province", value_name = "PROVINCE")]
        provinces: Vec<String>,
        /// The configuration file to add it to (created if missing); without it, the TOML
        /// entry to add by hand is printed.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
}

fn data(message: impl Into<String>) -> CommandError {
    CommandError::new(ErrorKind::Data, message)
}

/// The configuration: the file, then the environment and flags (clap reads both).
fn configuration(args: &Args) -> Result<Config, CommandError> {
    let mut config = match &args.config {
        Some(path) => Config::from_file(path).map_err(|e| data(e.to_string()))?,
        None => Config::default(),
    };
    if let Some(b) = args.bind {
        config.bind = b;
    }
    if let Some(r) = args.read_access {
        config.read_access = r;
    }
    if let Some(secs) = args.integrity_check {
        config.integrity_check_secs = secs;
    }
    if let Some(l) = args.body_limit {
        config.body_limit = l;
    }
    if let Some(t) = args.idle_timeout {
        config.idle_timeout_secs = t;
    }
    if let Some(n) = args.max_connections {
        config.max_connections = n;
    }
    if let Some(d) = args.shutdown_deadline {
        config.shutdown_deadline_secs = d;
    }
    if let Some(w) = args.lock_wait {
        config.lock_wait_secs = w;
    }
    if let Some(m) = args.record_cache {
        config.record_cache_mib = m;
    }
    if let Some(m) = args.page_cache {
        config.page_cache_mib = m;
    }
    if let Some(secret) = &args.session_secret {
        config.session_secret = Some(secret.clone());
    }
    if let Some(t) = args.request_timeout {
        config.request_timeout_secs = t;
    }
    if !args.cors_origins.is_empty() {
        config.cors_origins = args.cors_origins.clone();
    }
    if let Some(m) = &args.exchange_mapping {
        config.exchange_mapping = Some(m.clone());
    }
    if let Some(w) = &args.webhooks {
        config.webhooks_file = Some(w.clone());
    }
    config.log_json |= args.log_json;
    config.bound_reads |= args.bound_reads;
    config.check().map_err(|e| data(e.to_string()))?;
    Ok(config)
}

/// The webhooks file: the configuration's, else `DIR.webhooks.json` beside a store directory.
fn webhooks_file(ctx: &Ctx, config: &Config) -> Option<PathBuf> {
    if let Some(path) = &config.webhooks_file {
        return Some(path.clone());
    }
    match ctx.place() {
        Place::Dir(dir) => {
            let name = dir.file_name()?.to_string_lossy().into_owned();
            Some(dir.with_file_name(format!("{name}.webhooks.json")))
        }
        Place::Postgres(_) => None,
    }
}

/// Opens the store, creating it with the demo dataset on first run unless told not to. Its
/// writes wait for another writer only as long as a request may: then the request gets 503
/// with Retry-After.
fn open_or_seed(
    ctx: &Ctx,
    no_seed: bool,
    lock_wait: std::time::Duration,
) -> Result<Box<dyn Store>, CommandError> {
    let place = ctx.place();
    match place.open(lock_wait) {
        Err(StoreError::NotAStore { .. }) if !no_seed => {
            let store = place.init()?;
            let report = crate::demo::seed(store.as_ref(), &ctx.author)?;
            if !ctx.quiet {
                println!(
                    "Created a store at {place} with the demo dataset ({} records)",
                    report.created
                );
            }
            drop(store);
            Ok(place.open(lock_wait)?)
        }
        other => Ok(other?),
    }
}

pub(crate) fn run(ctx: &Ctx, args: &Args) -> Result<ExitCode, CommandError> {
    let config = configuration(args)?;
    init_logging(config.log_json);
    let lock_wait = std::time::Duration::from_secs_f64(config.lock_wait_secs.max(0.0));
    let store = open_or_seed(ctx, args.no_seed, lock_wait)?;
    let revision = store.revision()?;
    // Read before the runtime starts: a database store's client blocks.
    let demo = crate::demo::users_in(store.as_ref());
    // The mapping is checked now, against the store's indicators: a server does not start
    // with one it cannot use.
    let exchange_mapping = match &config.exchange_mapping {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| data(format!("{}: {e}", path.display())))?;
            danvan_exchange::store::mapping(store.as_ref(), &text)
                .map_err(|e| data(format!("{}: {e}", path.display())))?;
            Some(text)
        }
        None => None,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            CommandError::new(ErrorKind::Unreadable, format!("starting the server: {e}"))
        })?;
    let served = runtime.block_on(async move {
        // Before anything can answer: a SIGTERM sent once the first health check passes must
        // find the handler installed.
        let shutdown = danvan_http::shutdown_signal();
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .map_err(|e| {
                CommandError::new(
                    ErrorKind::Unreadable,
                    format!("cannot listen on {}: {e}", config.bind),
                )
                .with_hint("another program may use the port: pass --bind 127.0.0.1:PORT")
            })?;
        let addr = listener.local_addr().map_err(|e| data(e.to_string()))?;
        if !ctx.quiet {
            print_welcome(
                addr,
                ctx.place(),
                revision,
                &config,
                webhooks_file(ctx, &config).as_deref(),
                &demo,
            );
        }
        let mut api = Api::new(Arc::from(store), &config);
        if let Some(text) = exchange_mapping {
            api = api.with_exchange_mapping(text);
        }
        if let Some(path) = webhooks_file(ctx, &config) {
            let hooks = danvan_http::webhooks::Webhooks::open(&path, &config)
                .map_err(|e| data(e.to_string()))?;
            api = api.with_webhooks(Arc::new(hooks));
        }
        api.spawn_integrity_check();
        api.spawn_warm_up();
        // The web app, beside the API and over the same store.
        let app = danvan_web::mount(api, config.session_secret.as_deref()).app();
        let limits = danvan_http::server::Limits::of(&config);
        danvan_http::server::serve_with(listener, app, shutdown, limits)
            .await
            .map_err(|e| CommandError::new(ErrorKind::Unreadable, format!("serving: {e}")))?;
        if !ctx.quiet {
            let kept = match ctx.place() {
                Place::Dir(_) => "on disk",
                Place::Postgres(_) => "committed in the database",
            };
            println!("Stopped; every acknowledged write is {kept}.");
        }
        Ok(ExitCode::SUCCESS)
    });
    // Work still on the blocking pool after the shutdown deadline (a store call of a request
    // that was dropped) does not hold the process: nothing it does was acknowledged, and the
    // store is whole whenever a process stops.
    runtime.shutdown_timeout(std::time::Duration::from_millis(500));
    served
}

fn print_welcome(
    addr: SocketAddr,
    store: &Place,
    revision: u64,
    config: &Config,
    webhooks: Option<&std::path::Path>,
    demo: &[(&str, &str)],
) {
    let base = format!("http://{addr}");
    println!("danvan API listening on {base}/  (store {store}, revision {revision})");
    println!("  documentation  {base}/docs");
    println!("  OpenAPI        {base}/openapi.json");
    if demo.is_empty() {
        println!(
            "  web app        {base}/app  (people: `danvan user add --help`; tokens: `danvan token new --help`)"
        );
    } else {
        println!("  web app        {base}/app  (the demo store's users: Thái Nguyên's board)");
        for (login, password) in demo {
            println!("                   login {login}, password {password}");
        }
    }
    println!(
        "  try            curl '{base}{}'",
        danvan_http::EXAMPLES[1].1
    );
    let writes = if config.tokens.is_empty() {
        "writes are closed: no tokens configured (`danvan token new --help`)".to_string()
    } else {
        format!("{} token(s) configured", config.tokens.len())
    };
    let reads = match config.read_access {
        ReadAccess::Open => "reads are open",
        ReadAccess::Token => "reads need a token",
    };
    println!("  access         {reads}; {writes}");
    if let Some(file) = webhooks {
        println!(
            "  webhooks       {base}/v1/webhooks (admin scope), kept in {}",
            file.display()
        );
    }
    println!("Press Ctrl-C to stop.");
}

fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("DANVAN_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Colours only on a terminal: a log file or a journal gets plain text.
    let colour = std::io::IsTerminal::is_terminal(&std::io::stderr())
        && std::env::var_os("NO_COLOR").is_none();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour)
        .with_writer(std::io::stderr);
    // A second call (tests run commands in one process) keeps the first subscriber.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

pub(crate) fn token(ctx: &Ctx, action: &TokenAction) -> Result<ExitCode, CommandError> {
    let TokenAction::New {
        name,
        scope,
        provinces,
        config,
    } = action;
    let scope = *scope;
    if scope == Scope::Admin && !provinces.is_empty() {
        return Err(data("an admin token is national: drop --province, or choose --scope write")
            .with_hint("province-bound tokens write their provinces' records; bulk import needs a national admin token"));
    }
    let provinces = provinces
        .iter()
        .map(|p| danvan_http::config::current_province(p).map(str::to_string))
        .collect::<Result<Vec<_>, _>>()
        .map_err(data)?;
    let token = new_token().map_err(|e| data(format!("no randomness from the OS: {e}")))?;
    let entry = TokenEntry {
        name: name.clone(),
        sha256: hash_token(&token),
        scopes: vec![scope],
        provinces: provinces.clone(),
    };
    #[derive(serde::Serialize)]
    struct Entries<'a> {
        tokens: [&'a TokenEntry; 1],
    }
    let snippet =
        toml::to_string(&Entries { tokens: [&entry] }).map_err(|e| data(e.to_string()))?;
    match config {
        Some(path) => {
            let mut text = match std::fs::read_to_string(path) {
                Ok(t) => t,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
                Err(e) => return Err(data(format!("{}: {e}", path.display()))),
            };
            let existing =
                Config::from_toml(&text).map_err(|e| data(format!("{}: {e}", path.display())))?;
            if existing.tokens.iter().any(|t| t.name == *name) {
                return Err(data(format!(
                    "{} already has a token named {name:?}; choose another name or remove it",
                    path.display()
                )));
            }
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            text.push('\n');
            text.push_str(&snippet);
            Config::from_toml(&text).map_err(|e| data(e.to_string()))?;
            // Write beside and rename, so a crash leaves the old file or the new one.
            let tmp = path.with_extension("toml.tmp");
            std::fs::write(&tmp, &text)
                .and_then(|()| std::fs::rename(&tmp, path))
                .map_err(|e| data(format!("{}: {e}", path.display())))?;
            println!("{token}");
            if !ctx.quiet {
                let bound = if provinces.is_empty() {
                    String::new()
                } else {
                    format!(", for the records of {}", provinces.join(", "))
                };
                eprintln!(
                    "Added token {name:?} ({}{bound}) to {}. The token is shown only now: keep it.",
                    scope.as_str(),
                    path.display()
                );
            }
        }
        None => {
            println!("{token}");
            if !ctx.quiet {
                eprintln!(
                    "The token is shown only now: keep it. Add this to the server's configuration file:\n\n{snippet}"
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
