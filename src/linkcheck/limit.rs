//! How many requests may be in flight: a few overall, and fewer to any one host, so a
//! site with fifty links to one wiki does not hammer it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The request slots, shared by every check of one run.
pub(super) struct Limits {
    overall: Arc<Semaphore>,
    per_host: usize,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

/// A slot for one request; dropping it frees the slot.
pub(super) struct Slot {
    _host: OwnedSemaphorePermit,
    _overall: OwnedSemaphorePermit,
}

impl Limits {
    /// At most `overall` requests at once, and `per_host` to one host (both at least 1).
    pub(super) fn new(overall: usize, per_host: usize) -> Self {
        Limits {
            overall: Arc::new(Semaphore::new(overall.max(1))),
            per_host: per_host.max(1),
            hosts: Mutex::new(HashMap::new()),
        }
    }

    /// Waits for a slot to send one request to `host`. The host's slot is taken first, so
    /// requests queued behind a busy host do not hold overall slots other hosts could use.
    pub(super) async fn slot(&self, host: &str) -> Slot {
        let host = {
            let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
            let per_host = self.per_host;
            hosts
                .entry(host.to_ascii_lowercase())
                .or_insert_with(|| Arc::new(Semaphore::new(per_host)))
                .clone()
        };
        // The semaphores are never closed, so acquiring cannot fail.
        let host = host.acquire_owned().await.expect("host semaphore is open");
        let overall = self.overall.clone().acquire_owned().await;
        Slot {
            _host: host,
            _overall: overall.expect("overall semaphore is open"),
        }
    }
}
