//! Building and running the service.

use crate::config::Settings;
use crate::http::{self, AppState};
use crate::search::{Rebuild, SearchIndex};
use crate::services::auth::{LoginLimiter, Passwords};
use crate::store::Db;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// A bound, migrated service, ready to run.
pub struct Application {
    listener: TcpListener,
    /// `/metrics`, apart from the public API.
    metrics_listener: TcpListener,
    state: AppState,
    rebuild: Rebuild,
}

impl Application {
    /// Connect, migrate and bind (port 0 picks a free port).
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let db = Db::connect_waiting(settings.database_url.expose(), settings.db_wait).await?;
        db.migrate().await?;
        Self::build_with_db(settings, db).await
    }

    pub async fn build_with_db(settings: Settings, db: Db) -> anyhow::Result<Application> {
        // A broken catalogue file stops the start, not the first page view.
        crate::http::pages::i18n::load();
        let (search, rebuild) = SearchIndex::open(&settings.index_dir)?;
        let listener = TcpListener::bind(settings.listen)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {} (XIAOQI_LISTEN): {e}", settings.listen))?;
        let metrics_listener = TcpListener::bind(settings.metrics_listen).await.map_err(|e| {
            anyhow::anyhow!("cannot listen on {} (XIAOQI_METRICS_LISTEN): {e}", settings.metrics_listen)
        })?;
        let links = crate::services::notices::Links {
            base_url: settings.base_url.clone(),
            signer: crate::services::signing::Signer::load_or_create(&db).await?,
        };
        let searches = crate::services::search_pool::SearchPool::new(
            search.clone(),
            settings.search_threads,
            settings.search_queue,
        );
        let search_rate = crate::services::search_rate::SearchRate::new(settings.search_rate);
        let tokens = crate::services::auth::VerifiedTokens::new(settings.token_cache);
        let state = AppState {
            db,
            links,
            settings: Arc::new(settings),
            passwords: Passwords::default(),
            tokens,
            limiter: LoginLimiter::default(),
            metrics: crate::telemetry::metrics(),
            searches,
            search_rate,
            search,
            rendered: Arc::new(std::sync::Mutex::new(crate::search::GenerationCache::new(
                crate::http::pages::templates::RENDERED_PAGES,
            ))),
            imports: Default::default(),
        };
        Ok(Application { listener, metrics_listener, state, rebuild })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("bound listener has an address")
    }

    pub fn metrics_addr(&self) -> SocketAddr {
        self.metrics_listener.local_addr().expect("bound listener has an address")
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serve until `shutdown` resolves, then let in-flight requests finish (bounded).
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        let db = self.state.db.clone();
        let (stop_follower, stopped) = tokio::sync::watch::channel(false);
        let sweeper = tokio::spawn(crate::services::rounds::sweep_stale(db.clone(), stopped.clone()));
        // Offers past their deadline expire, postings past their closing day close.
        let outcome_clock =
            tokio::spawn(crate::services::sweep::run(db.clone(), self.state.links.clone(), stopped.clone()));
        // The outbox worker: sends what requests queued (see src/notify/worker.rs for the
        // at-most-once guarantee).
        let mailer = crate::notify::Mailer::from_config(&self.state.settings.mail)?;
        let options = crate::notify::WorkerOptions::for_settings(&self.state.settings)?;
        let outbox = tokio::spawn(crate::notify::run(db.clone(), mailer, options, stopped.clone()));
        let reminders = tokio::spawn(crate::services::notices::remind(
            db.clone(),
            self.state.links.clone(),
            self.state.settings.reminder_offsets.clone(),
            Duration::from_secs(60),
            stopped.clone(),
        ));
        tracing::info!("metrics at http://{}/metrics", self.metrics_addr());
        let metrics_server = {
            let mut stopped = stopped.clone();
            let app = http::metrics_router(self.state.metrics.clone(), self.state.search.clone(), db.clone());
            let server = axum::serve(self.metrics_listener, app).with_graceful_shutdown(async move {
                let _ = stopped.changed().await;
            });
            tokio::spawn(async move { server.await })
        };
        let follower = self
            .state
            .settings
            .follow_changes
            .then(|| tokio::spawn(self.state.search.clone().follow(db.clone(), self.rebuild, stopped)));
        let app = http::router(self.state);
        let (stopping_tx, stopping_rx) = tokio::sync::oneshot::channel::<()>();
        let server = axum::serve(self.listener, app.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async move {
                shutdown.await;
                let _ = stopping_tx.send(());
            });
        let server = tokio::spawn(async move { server.await });
        tokio::pin!(server);
        tokio::select! {
            result = &mut server => { result??; }
            _ = stopping_rx => {
                tracing::info!("shutting down; waiting up to 10 s for requests in flight");
                match tokio::time::timeout(Duration::from_secs(10), &mut server).await {
                    Ok(result) => result??,
                    Err(_) => tracing::warn!("requests still in flight after 10 s; stopping anyway"),
                }
            }
        }
        let _ = stop_follower.send(true);
        if let Some(follower) = follower {
            let _ = follower.await;
        }
        let _ = metrics_server.await;
        let _ = sweeper.await;
        let _ = outcome_clock.await;
        let _ = reminders.await;
        let _ = outbox.await;
        db.close().await;
        Ok(())
    }

    pub async fn run(self) -> anyhow::Result<()> {
        self.run_until(shutdown_signal()).await
    }
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => tracing::info!("SIGINT received"),
        _ = terminate => tracing::info!("SIGTERM received"),
    }
}
