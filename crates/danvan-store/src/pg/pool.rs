//! A bounded pool of database connections, with timeouts.
//!
//! Ours rather than r2d2's: when the database cannot be reached a caller learns why at once
//! (refused, wrong password) instead of waiting out the pool's timeout while connections are
//! retried in the background; a connection that sat idle is checked before it is lent, so a
//! database restart costs no request; and the pool is closed on a thread of its own, because
//! the synchronous client closes a connection by blocking on its own runtime, which a tokio
//! worker thread (a server shutting down) does not allow.

use std::ops::{Deref, DerefMut};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use postgres::Client;
use postgres_native_tls::MakeTlsConnector;

/// A connection idle longer than this is checked with a round trip before it is lent.
const CHECK_AFTER: Duration = Duration::from_secs(1);

/// How long that check may take.
const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

pub(crate) struct Pool {
    config: postgres::Config,
    tls: MakeTlsConnector,
    max: usize,
    wait: Duration,
    state: Mutex<State>,
    freed: Condvar,
}

#[derive(Default)]
struct State {
    idle: Vec<(Client, Instant)>,
    /// Connections open, lent or idle.
    open: usize,
    closed: bool,
}

/// Why no connection was lent.
pub(crate) enum Refused {
    /// Connecting failed: the server's or the network's answer.
    Connect(postgres::Error),
    /// Every connection stayed busy for the pool's wait.
    Busy { max: usize, waited: Duration },
    /// The pool is closed.
    Closed,
}

impl Pool {
    pub(crate) fn new(
        config: postgres::Config,
        tls: MakeTlsConnector,
        max: usize,
        wait: Duration,
    ) -> Pool {
        Pool {
            config,
            tls,
            max: max.max(1),
            wait,
            state: Mutex::new(State::default()),
            freed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A connection: an idle one (checked when it sat a while), a new one while fewer than
    /// the bound are open, or the first one freed within the pool's wait.
    pub(crate) fn get(&self) -> Result<Lease<'_>, Refused> {
        let deadline = Instant::now() + self.wait;
        let mut state = self.lock();
        loop {
            if state.closed {
                return Err(Refused::Closed);
            }
            if let Some((mut client, since)) = state.idle.pop() {
                drop(state);
                if since.elapsed() < CHECK_AFTER || client.is_valid(CHECK_TIMEOUT).is_ok() {
                    return Ok(self.lease(client));
                }
                drop(client);
                state = self.lock();
                state.open -= 1;
                continue;
            }
            if state.open < self.max {
                state.open += 1;
                drop(state);
                return match self.config.connect(self.tls.clone()) {
                    Ok(client) => Ok(self.lease(client)),
                    Err(e) => {
                        self.lock().open -= 1;
                        self.freed.notify_one();
                        Err(Refused::Connect(e))
                    }
                };
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(Refused::Busy {
                    max: self.max,
                    waited: self.wait,
                });
            }
            state = self
                .freed
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    fn lease(&self, client: Client) -> Lease<'_> {
        Lease {
            pool: self,
            client: Some(client),
        }
    }

    /// How many connections are open, lent or idle.
    #[cfg(test)]
    pub(crate) fn open(&self) -> usize {
        self.lock().open
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        let idle = {
            let mut state = self.lock();
            state.closed = true;
            std::mem::take(&mut state.idle)
        };
        if !idle.is_empty() {
            let _ = std::thread::spawn(move || drop(idle)).join();
        }
    }
}

/// A connection lent by the pool; it goes back when dropped (unless it broke).
pub(crate) struct Lease<'p> {
    pool: &'p Pool,
    client: Option<Client>,
}

impl Deref for Lease<'_> {
    type Target = Client;

    fn deref(&self) -> &Client {
        self.client
            .as_ref()
            .unwrap_or_else(|| unreachable!("a lease holds its client"))
    }
}

impl DerefMut for Lease<'_> {
    fn deref_mut(&mut self) -> &mut Client {
        self.client
            .as_mut()
            .unwrap_or_else(|| unreachable!("a lease holds its client"))
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        let Some(client) = self.client.take() else {
            return;
        };
        let mut state = self.pool.lock();
        if client.is_closed() || state.closed {
            state.open -= 1;
            drop(state);
            drop(client);
        } else {
            state.idle.push((client, Instant::now()));
            drop(state);
        }
        self.pool.freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pg::scratch::ScratchDb;

    fn pool(db: &ScratchDb, max: usize, wait: Duration) -> Pool {
        let target = crate::pg::connect::parse(db.url(), Duration::from_secs(5))
            .unwrap_or_else(|_| panic!("bad test URL"));
        Pool::new(target.config, target.tls, max, wait)
    }

    #[test]
    fn the_bound_holds_and_a_freed_connection_is_lent_again() {
        let db = ScratchDb::new("pool_bound");
        let p = pool(&db, 2, Duration::from_millis(200));
        let a = p.get().ok().unwrap_or_else(|| panic!("first"));
        let b = p.get().ok().unwrap_or_else(|| panic!("second"));
        let started = Instant::now();
        assert!(matches!(p.get(), Err(Refused::Busy { max: 2, .. })));
        assert!(started.elapsed() >= Duration::from_millis(200));
        assert_eq!(p.open(), 2);
        drop(a);
        let mut c = p.get().ok().unwrap_or_else(|| panic!("freed"));
        let one: i32 = c
            .query_one("SELECT 1", &[])
            .unwrap_or_else(|e| panic!("{e}"))
            .get(0);
        assert_eq!((one, p.open()), (1, 2));
        drop((b, c));
    }

    #[test]
    fn a_connection_the_server_closed_is_replaced_not_lent() {
        let db = ScratchDb::new("pool_closed");
        let p = pool(&db, 1, Duration::from_secs(5));
        let pid: i32 = p
            .get()
            .ok()
            .unwrap_or_else(|| panic!("first"))
            .query_one("SELECT pg_backend_pid()", &[])
            .unwrap_or_else(|e| panic!("{e}"))
            .get(0);
        let mut admin =
            postgres::Client::connect(db.url(), postgres::NoTls).unwrap_or_else(|e| panic!("{e}"));
        admin
            .execute("SELECT pg_terminate_backend($1)", &[&pid])
            .unwrap_or_else(|e| panic!("{e}"));
        std::thread::sleep(CHECK_AFTER + Duration::from_millis(100));
        let mut c = p.get().ok().unwrap_or_else(|| panic!("replaced"));
        let now: i32 = c
            .query_one("SELECT pg_backend_pid()", &[])
            .unwrap_or_else(|e| panic!("{e}"))
            .get(0);
        assert_ne!(now, pid);
        assert_eq!(p.open(), 1);
    }

    #[test]
    fn an_unreachable_server_is_reported_at_once() {
        let target =
            crate::pg::connect::parse("postgres://u:p@127.0.0.1:9/db", Duration::from_secs(5))
                .unwrap_or_else(|_| panic!("bad URL"));
        let p = Pool::new(target.config, target.tls, 4, Duration::from_secs(30));
        let started = Instant::now();
        assert!(matches!(p.get(), Err(Refused::Connect(_))));
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(p.open(), 0);
    }
}
