//! Serving HTTP on one single-threaded runtime per core, each accepting on
//! its own socket bound to the same port (`SO_REUSEPORT`), so the kernel
//! spreads connections across them and a connection stays on one core.
//!
//! Why not tokio's work-stealing runtime: on the 2-core machine of the load
//! benchmark, a module page cost about one thread wake-up (a futex, an
//! inter-processor interrupt, a context switch) as workers parked and woke
//! each other to share the work, and both cores kept touching the same
//! reference counts. One runtime per core does none of that: module pages
//! a second went from 7,059 and 7,126 to 7,907 and 7,975 (alternated).
//!
//! The cost is that a connection cannot move to an idle core. Nothing slow
//! runs on these threads: database work that can wait goes to the blocking
//! pool (`Database::run`), as do password hashes.

use axum::Router;
use std::future::Future;
use std::net::SocketAddr;
use std::thread::JoinHandle;
use tokio::net::TcpSocket;
use tokio::sync::watch;

/// Listening sockets on one address, one per serving thread.
pub struct Listeners {
    sockets: Vec<std::net::TcpListener>,
    addr: SocketAddr,
}

impl Listeners {
    /// Binds `count` sockets (at least one) to `addr`; with port 0, the
    /// first picks a free port and the others share it.
    ///
    /// Must be called within a tokio runtime (the sockets start as tokio's).
    pub fn bind(addr: SocketAddr, count: usize) -> std::io::Result<Self> {
        let mut sockets = Vec::with_capacity(count);
        let mut addr = addr;
        for _ in 0..count.max(1) {
            let socket = if addr.is_ipv4() {
                TcpSocket::new_v4()?
            } else {
                TcpSocket::new_v6()?
            };
            // As `TcpListener::bind` does: a restart may bind again at once.
            socket.set_reuseaddr(true)?;
            socket.set_reuseport(true)?;
            socket.bind(addr)?;
            let listener = socket.listen(1024)?;
            addr = listener.local_addr()?;
            sockets.push(listener.into_std()?);
        }
        Ok(Self { sockets, addr })
    }

    /// The address bound (with the port chosen, if 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves `router` on every socket, each on a thread of its own, until
    /// `shutdown` completes; then waits for each thread to finish the
    /// requests it has begun.
    pub async fn serve(self, router: Router, shutdown: impl Future<Output = ()>) -> Result<(), String> {
        let (stop, stopped) = watch::channel(false);
        let mut threads = Vec::with_capacity(self.sockets.len());
        for (index, socket) in self.sockets.into_iter().enumerate() {
            threads.push(serve_on_thread(index, socket, router.clone(), stopped.clone())?);
        }
        shutdown.await;
        // Every thread holds a receiver until it stops, so this only fails
        // once they all have (each one's error is in its join below).
        let _ = stop.send(true);
        tokio::task::spawn_blocking(move || {
            threads.into_iter().try_for_each(|thread| {
                thread
                    .join()
                    .map_err(|_| "a serving thread panicked".to_owned())?
                    .map_err(|e| format!("a serving thread stopped: {e}"))
            })
        })
        .await
        .map_err(|e| e.to_string())?
    }
}

fn serve_on_thread(
    index: usize,
    socket: std::net::TcpListener,
    router: Router,
    mut stopped: watch::Receiver<bool>,
) -> Result<JoinHandle<std::io::Result<()>>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a serving thread's runtime: {e}"))?;
    std::thread::Builder::new()
        .name(format!("http-{index}"))
        .spawn(move || {
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(socket)?;
                let service = router.into_make_service_with_connect_info::<SocketAddr>();
                axum::serve(listener, service)
                    .with_graceful_shutdown(async move {
                        let _ = stopped.wait_for(|stop| *stop).await;
                    })
                    .await
            })
        })
        .map_err(|e| format!("cannot start a serving thread: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_socket_shares_the_port_the_first_one_chose() {
        let listeners = Listeners::bind("127.0.0.1:0".parse().unwrap(), 3).unwrap();
        let port = listeners.local_addr().port();
        assert_ne!(port, 0);
        assert_eq!(listeners.sockets.len(), 3);
        for socket in &listeners.sockets {
            assert_eq!(socket.local_addr().unwrap().port(), port);
        }
    }

    #[tokio::test]
    async fn each_thread_answers_and_all_stop_when_told() {
        let listeners = Listeners::bind("127.0.0.1:0".parse().unwrap(), 2).unwrap();
        let addr = listeners.local_addr();
        let router = Router::new().route(
            "/",
            axum::routing::get(|| async { std::thread::current().name().unwrap_or_default().to_owned() }),
        );
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = tokio::spawn(listeners.serve(router, async move {
            let _ = stopped.await;
        }));
        // New connections, so the kernel spreads them over both sockets.
        let mut answered_by = std::collections::BTreeSet::new();
        for _ in 0..64 {
            let client = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
            let body = client
                .get(format!("http://{addr}/"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            answered_by.insert(body);
        }
        assert_eq!(
            answered_by,
            ["http-0".to_owned(), "http-1".to_owned()].into(),
            "both threads answer"
        );
        stop.send(()).unwrap();
        serving.await.unwrap().unwrap();
        assert!(
            tokio::net::TcpStream::connect(addr).await.is_err(),
            "nobody listens once stopped"
        );
    }
}
