//! A participant's phone, as a test drives it: one sealed request per
//! HTTP connection, with the room key from the address the projector
//! shows, and every byte that crossed the wire kept.

use roundtable::net::phones::seal::Seal;
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::time::Duration;

/// One HTTP request on its own connection; the status, the body, and the
/// bytes that went over the wire both ways.
pub fn http(addr: SocketAddr, method: &str, path: &str, body: &str) -> (u16, String, Vec<u8>) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut got = Vec::new();
    s.read_to_end(&mut got).unwrap();
    let text = String::from_utf8_lossy(&got).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|x| x.1)
        .unwrap_or("")
        .to_owned();
    let mut wire = req.into_bytes();
    wire.extend_from_slice(&got);
    (status, body, wire)
}

pub struct Phone {
    pub addr: SocketAddr,
    pub seal: Seal,
    pub n: u64,
    pub token: Option<String>,
    /// Every byte sent and received.
    pub wire: Vec<u8>,
    /// The last request as sent, sealed.
    pub last: String,
    /// The size of the last sealed answer, as a listener sees it.
    pub answer_len: usize,
}

impl Phone {
    pub fn new(url: &str) -> Phone {
        let (host, fragment) = url.trim_start_matches("http://").split_once("/#").unwrap();
        Phone {
            addr: host.parse().unwrap(),
            seal: Seal::from_fragment(fragment).unwrap(),
            n: 1_000_000,
            token: None,
            wire: Vec::new(),
            last: String::new(),
            answer_len: 0,
        }
    }

    pub fn call(&mut self, mut ask: serde_json::Value) -> serde_json::Value {
        self.n += 1;
        ask["n"] = self.n.into();
        if let Some(t) = &self.token {
            ask["phone"] = t.clone().into();
        }
        self.last = self.seal.seal(ask.to_string().as_bytes()).unwrap();
        let last = self.last.clone();
        self.send_sealed(&last)
    }

    pub fn send_sealed(&mut self, sealed: &str) -> serde_json::Value {
        let (status, body, wire) = http(self.addr, "POST", "/api", sealed);
        self.wire.extend(wire);
        assert_eq!(status, 200, "{body}");
        self.answer_len = body.len();
        let plain = self.seal.open(body.as_bytes()).expect("the answer opens");
        serde_json::from_slice(&plain).unwrap()
    }
}
