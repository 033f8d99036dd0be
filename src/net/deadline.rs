//! A connection that must keep reading what it is sent: a write that
//! cannot go out for [`WRITE_DEADLINE`] (the other end reads nothing, as a
//! slow-reader attack does) fails, and the connection is closed, giving
//! its file descriptor and its place at the door back.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Longest a write may wait for the other end to read.
pub const WRITE_DEADLINE: Duration = Duration::from_secs(10);

pub struct WriteDeadline<T> {
    inner: T,
    /// Started when a write first could not go out; cleared when one does.
    waiting: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<T> WriteDeadline<T> {
    pub fn new(inner: T) -> Self {
        WriteDeadline {
            inner,
            waiting: None,
        }
    }

    /// A pending write: past the deadline, an error.
    fn stalled(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Error> {
        let timer = self
            .waiting
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(WRITE_DEADLINE)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the other end stopped reading",
            )),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for WriteDeadline<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for WriteDeadline<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write(cx, buf) {
            Poll::Pending => self.stalled(cx).map(Err),
            done => {
                self.waiting = None;
                done
            }
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match Pin::new(&mut self.inner).poll_flush(cx) {
            Poll::Pending => self.stalled(cx).map(Err),
            done => {
                self.waiting = None;
                done
            }
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Open files kept back from the phones for everything else: the LAN
/// door's waiting places and joined terminals, the journal and snapshot,
/// the terminal, pipes and the runtime's own.
pub const KEPT_BACK: u64 = 256;
