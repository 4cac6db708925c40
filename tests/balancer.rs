//! A small TCP load balancer for the several-instances test: each connection goes to the next
//! instance in turn; an instance that refuses (killed) is skipped, as a load balancer's health
//! check would, and a connection that finds none is closed (its client retries).

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Result;

/// A running balancer; it serves until the process ends.
#[derive(Debug)]
pub struct Balancer {
    /// The port clients connect to.
    pub port: u16,
}

impl Balancer {
    /// Listens on a free loopback port and spreads connections over `backends` (ports).
    pub fn start(backends: Vec<u16>) -> Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let backends = Arc::new(backends);
        let next = Arc::new(AtomicUsize::new(0));
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let backends = backends.clone();
                let first = next.fetch_add(1, Ordering::Relaxed);
                std::thread::spawn(move || {
                    let server = (0..backends.len()).find_map(|i| {
                        let port = backends[(first + i) % backends.len()];
                        TcpStream::connect(("127.0.0.1", port)).ok()
                    });
                    if let Some(server) = server {
                        relay(client, server);
                    }
                });
            }
        });
        Ok(Self { port })
    }
}

/// Copies bytes both ways until either side closes.
fn relay(client: TcpStream, server: TcpStream) {
    let (Ok(client_in), Ok(server_out)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    let up = std::thread::spawn(move || copy(client_in, server_out));
    copy(server, client);
    let _ = up.join();
}

fn copy(mut from: TcpStream, mut to: TcpStream) {
    let mut buffer = [0u8; 16 * 1024];
    loop {
        match from.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if to.write_all(&buffer[..n]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = to.shutdown(Shutdown::Write);
    let _ = from.shutdown(Shutdown::Read);
}
