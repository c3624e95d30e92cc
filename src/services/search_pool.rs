//! Searches run here, never on the async worker threads: a search is CPU work (tantivy
//! reads and scores posting lists) that would stall every other request on the thread it
//! ran on. At most `threads` run at once on tokio's blocking threads; `queue` more may
//! wait, each for at most [`SearchPool::WAIT`]; beyond that a search is refused at once
//! with a 503 and `Retry-After`, so a burst of expensive searches cannot pile up behind
//! each other while `/healthz`, sign-ins and saves keep answering.

use crate::error::{AppError, AppResult};
use crate::search::SearchIndex;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

#[derive(Clone)]
pub struct SearchPool {
    index: Arc<SearchIndex>,
    /// One permit per search running.
    running: Arc<Semaphore>,
    /// One permit per search running or waiting.
    admitted: Arc<Semaphore>,
}

impl SearchPool {
    /// How long a search may wait for a thread before it is refused.
    pub const WAIT: Duration = Duration::from_secs(2);

    /// `threads` searches at once (at least one), and up to `queue` waiting.
    pub fn new(index: Arc<SearchIndex>, threads: usize, queue: usize) -> Self {
        let threads = threads.max(1);
        SearchPool {
            index,
            running: Arc::new(Semaphore::new(threads)),
            admitted: Arc::new(Semaphore::new(threads + queue)),
        }
    }

    /// The index searched (for what needs no search: its generation, readiness).
    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// Run `search` on a blocking thread once one of the pool's places is free; a 503
    /// when the queue is full or the wait runs out. The places stay taken until `search`
    /// returns, even if the request that asked has gone (its thread is busy until then).
    pub async fn run<T: Send + 'static>(
        &self,
        search: impl FnOnce(&SearchIndex) -> anyhow::Result<T> + Send + 'static,
    ) -> AppResult<T> {
        let admitted = self.admitted.clone().try_acquire_owned().map_err(|_| busy("queue_full"))?;
        let asked = Instant::now();
        let running = match tokio::time::timeout(Self::WAIT, self.running.clone().acquire_owned()).await {
            Ok(Ok(permit)) => permit,
            _ => return Err(busy("waited_too_long")),
        };
        metrics::histogram!("xiaoqi_search_wait_seconds").record(asked.elapsed().as_secs_f64());
        let index = self.index.clone();
        let done = tokio::task::spawn_blocking(move || {
            let _places = (admitted, running);
            search(&index)
        })
        .await;
        match done {
            Ok(result) => Ok(result?),
            Err(error) => Err(AppError::Internal(anyhow::anyhow!("search task failed: {error}"))),
        }
    }
}

fn busy(why: &'static str) -> AppError {
    metrics::counter!("xiaoqi_search_refused_total", "why" => why).increment(1);
    AppError::Busy { retry_after_secs: 1 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_pool_refuses_at_once_and_frees_its_place_after() {
        let dir = tempfile::tempdir().unwrap();
        let (index, _rebuild) = SearchIndex::open(dir.path()).unwrap();
        let pool = SearchPool::new(index, 1, 0);
        // A search that holds the only place until told to finish.
        let (finish, finished) = mpsc::channel::<()>();
        let (started, is_started) = tokio::sync::oneshot::channel::<()>();
        let slow = {
            let pool = pool.clone();
            tokio::spawn(async move {
                pool.run(move |_| {
                    let _ = started.send(());
                    finished.recv().ok();
                    Ok(1)
                })
                .await
            })
        };
        is_started.await.unwrap();
        let refused = pool.run(|_| Ok(2)).await.unwrap_err();
        assert_eq!(refused.status(), axum::http::StatusCode::SERVICE_UNAVAILABLE);
        finish.send(()).unwrap();
        assert_eq!(slow.await.unwrap().unwrap(), 1);
        assert_eq!(pool.run(|_| Ok(3)).await.unwrap(), 3);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_queued_search_waits_for_a_place() {
        let dir = tempfile::tempdir().unwrap();
        let (index, _rebuild) = SearchIndex::open(dir.path()).unwrap();
        let pool = SearchPool::new(index, 1, 4);
        let searches: Vec<_> = (0..5)
            .map(|i| {
                let pool = pool.clone();
                tokio::spawn(async move {
                    pool.run(move |_| {
                        std::thread::sleep(Duration::from_millis(20));
                        Ok(i)
                    })
                    .await
                })
            })
            .collect();
        for (i, search) in searches.into_iter().enumerate() {
            assert_eq!(search.await.unwrap().unwrap(), i);
        }
    }
}
