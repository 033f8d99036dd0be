//! The phone load generator: many phones, each from its own loopback
//! address, join a hosted session and cast one ballot each in the open
//! round, all at once. Bounded in count and time, loopback only.

use roundtable::net::phones::seal::Seal;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// At most this many phones, and this long in all.
pub const MOST_PHONES: usize = 2000;
pub const MOST_TIME: Duration = Duration::from_secs(120);

/// One phone's keep-alive connection and its request numbers.
struct Phone {
    conn: TcpStream,
    seal: Seal,
    n: u64,
    token: Option<String>,
}

impl Phone {
    async fn call(
        &mut self,
        host: SocketAddr,
        mut ask: serde_json::Value,
    ) -> Result<serde_json::Value, String> {
        self.n += 1;
        ask["n"] = self.n.into();
        if let Some(t) = &self.token {
            ask["phone"] = t.clone().into();
        }
        let body = self.seal.seal(ask.to_string().as_bytes())?;
        let req = format!(
            "POST /api HTTP/1.1\r\nHost: {host}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        self.conn
            .write_all(req.as_bytes())
            .await
            .map_err(|e| e.to_string())?;
        let answer = read_response(&mut self.conn).await?;
        let plain = self.seal.open(&answer).ok_or("the answer did not open")?;
        serde_json::from_slice(&plain).map_err(|e| e.to_string())
    }
}

/// Reads one HTTP/1.1 response with a Content-Length; its body.
async fn read_response(conn: &mut TcpStream) -> Result<Vec<u8>, String> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            if !head.starts_with("http/1.1 200") {
                return Err(head.lines().next().unwrap_or_default().to_owned());
            }
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .ok_or("no content-length")?;
            let start = end + 4;
            while buf.len() < start + len {
                let n = conn.read(&mut chunk).await.map_err(|e| e.to_string())?;
                if n == 0 {
                    return Err("closed".into());
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            return Ok(buf[start..start + len].to_vec());
        }
        if buf.len() > 64 * 1024 {
            return Err("a response head too long".into());
        }
        let n = conn.read(&mut chunk).await.map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("closed".into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// The `i`th phone's own loopback address: 127.1.x.y.
fn source(i: usize) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(127, 1, (i / 250) as u8, (i % 250 + 1) as u8))
}

/// Where phones wait for each other with `--together`: every phone is in
/// (or has failed to get in) before any votes.
struct Gate {
    arrived: std::sync::atomic::AtomicUsize,
    all: usize,
    notify: tokio::sync::Notify,
}

impl Gate {
    /// One phone is in (`wait`: and waits for the rest) or has given up.
    async fn arrive(&self, wait: bool) {
        use std::sync::atomic::Ordering;
        self.arrived.fetch_add(1, Ordering::SeqCst);
        self.notify.notify_waiters();
        if !wait {
            return;
        }
        loop {
            let notified = self.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.arrived.load(Ordering::SeqCst) >= self.all {
                return;
            }
            notified.await;
        }
    }
}

/// Phone `i` joins as `participant` and votes `pick` in `round` (with a
/// gate, once every phone is in): the time from sending the vote to its
/// "recorded".
async fn one(
    url: &str,
    i: usize,
    participant: String,
    (round, pick): (String, usize),
    gate: Option<std::sync::Arc<Gate>>,
) -> Result<Duration, String> {
    let admitted = admitted(url, i, participant).await;
    if let Some(gate) = &gate {
        gate.arrive(admitted.is_ok()).await;
    }
    let (mut phone, host) = admitted?;
    let sent = Instant::now();
    let voted = phone
        .call(
            host,
            serde_json::json!({ "op": "vote", "round": round, "pick": pick }),
        )
        .await?;
    if voted["recorded"].as_u64().is_none() {
        return Err(voted.to_string());
    }
    Ok(sent.elapsed())
}

/// Phone `i` joins as `participant` and waits until it is let in.
async fn admitted(url: &str, i: usize, participant: String) -> Result<(Phone, SocketAddr), String> {
    let (host, fragment) = url
        .trim_start_matches("http://")
        .split_once("/#")
        .ok_or("not a phone address")?;
    let host: SocketAddr = host.parse().map_err(|_| "not an address")?;
    if !host.ip().is_loopback() {
        return Err("loopback only".into());
    }
    let socket = tokio::net::TcpSocket::new_v4().map_err(|e| e.to_string())?;
    socket
        .bind(SocketAddr::new(source(i), 0))
        .map_err(|e| e.to_string())?;
    let conn = socket.connect(host).await.map_err(|e| e.to_string())?;
    conn.set_nodelay(true).map_err(|e| e.to_string())?;
    let mut phone = Phone {
        conn,
        seal: Seal::from_fragment(fragment).ok_or("no room key in the address")?,
        n: 1_000_000,
        token: None,
    };
    // The facilitator lets a few phones at a time in (the harness host
    // with --admit-all does it at once): a phone told to try again does,
    // and then waits to be let in.
    let joined = loop {
        let joined = phone
            .call(
                host,
                serde_json::json!({ "op": "join", "participant": participant }),
            )
            .await?;
        if joined["error"]
            .as_str()
            .is_some_and(|e| e.contains("try again"))
        {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        }
        break joined;
    };
    let token = joined["phone"].as_str().ok_or_else(|| joined.to_string())?;
    phone.token = Some(token.to_owned());
    let mut since = 0;
    loop {
        let state = phone
            .call(host, serde_json::json!({ "op": "state", "since": since }))
            .await?;
        if let Some(e) = state["error"].as_str() {
            return Err(e.to_owned());
        }
        if state["asking"].is_null() {
            break;
        }
        since = state["head"].as_u64().unwrap_or(0);
    }
    Ok((phone, host))
}

/// Runs `phones` phones (participants `P1`…) against `url`, all at once;
/// prints one line of JSON: how many were recorded, the failures, and the
/// times from sending a vote to "recorded" (p50, p99, max) and in all.
/// `together`: no phone votes until every phone is in, as when the
/// facilitator opens a vote in a room already joined.
pub fn run(url: &str, phones: usize, round: &str, together: bool) -> Result<(), String> {
    if phones > MOST_PHONES {
        return Err(format!("at most {MOST_PHONES} phones"));
    }
    // One thread for every phone: the host has the other core.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    let results = rt.block_on(async {
        let mut tasks = tokio::task::JoinSet::new();
        let gate = together.then(|| {
            std::sync::Arc::new(Gate {
                arrived: 0.into(),
                all: phones,
                notify: tokio::sync::Notify::new(),
            })
        });
        for i in 0..phones {
            let (url, round, gate) = (url.to_owned(), round.to_owned(), gate.clone());
            tasks.spawn(
                async move { one(&url, i, format!("P{}", i + 1), (round, i % 5), gate).await },
            );
        }
        let mut results = Vec::new();
        let deadline = tokio::time::sleep(MOST_TIME);
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                r = tasks.join_next() => match r {
                    Some(r) => results.push(r.map_err(|e| e.to_string()).and_then(|x| x)),
                    None => break,
                },
                () = &mut deadline => {
                    tasks.abort_all();
                    results.push(Err("out of time".into()));
                    break;
                }
            }
        }
        results
    });
    let all = started.elapsed();
    let mut times: Vec<Duration> = results
        .iter()
        .filter_map(|r| r.as_ref().ok().copied())
        .collect();
    times.sort();
    let failures: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    let pct = |p: usize| {
        times
            .get((times.len() * p / 100).min(times.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "{}",
        serde_json::json!({
            "recorded": times.len(),
            "failures": failures.iter().take(5).collect::<Vec<_>>(),
            "failed": failures.len(),
            "p50_ms": pct(50),
            "p99_ms": pct(99),
            "max_ms": times.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0),
            "all_ms": all.as_secs_f64() * 1000.0,
        })
    );
    Ok(())
}
