//! Hyper's own answers to requests it cannot parse, given in the API's error JSON.
//!
//! Hyper answers a request head it cannot parse itself, before any handler runs: 400 for a
//! malformed request line or header, 414 for a URI over 65,534 bytes, 431 for too many or
//! too large headers, each with an empty body, and then closes the connection. Hyper has no
//! option or hook for that answer, so it is recognised on the connection's write side:
//!
//! - [`CountingService`] wraps the router and counts, per connection, the requests hyper
//!   handed to it and the responses it is done with (their body dropped by hyper, which
//!   happens before hyper writes the body's last bytes into its buffer);
//! - [`JsonProtocolErrors`] wraps the socket. Hyper calls its `poll_flush` only once hyper's
//!   own write buffer is empty, so a flush at a moment when every dispatched request's
//!   response is done means everything hyper wrote so far is on the wire. Whatever hyper
//!   writes after such a flush and before it dispatches another request cannot belong to a
//!   handler's response: it is hyper's automatic answer to a head it could not parse (the only
//!   bytes hyper writes on its own; `100 Continue` comes only after a dispatch). The wrapper
//!   reads its status, writes the API's JSON answer for it instead, and swallows hyper's bytes.
//!
//! A status it does not know is passed through unchanged, so hyper's answer is never lost.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, ready};

use axum::body::Body;
use axum::http::{Request, Response};
use hyper::body::{Bytes, Frame, Incoming, SizeHint};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::error::ApiError;

/// Where one connection's requests stand: how many hyper handed to the router, and how many
/// of their responses hyper is done with.
#[derive(Debug, Default)]
pub(crate) struct Exchanges {
    dispatched: AtomicU64,
    done: AtomicU64,
}

impl Exchanges {
    /// A new connection's count: nothing dispatched yet.
    pub(crate) fn new() -> Arc<Exchanges> {
        Arc::new(Exchanges::default())
    }

    fn dispatched(&self) -> u64 {
        self.dispatched.load(Ordering::SeqCst)
    }

    /// No request is being answered: each one dispatched has its response done.
    fn settled(&self) -> Option<u64> {
        let dispatched = self.dispatched();
        (self.done.load(Ordering::SeqCst) == dispatched).then_some(dispatched)
    }
}

/// Counts a response as done when dropped (with its body, or with its handler's future if
/// the connection ends first).
struct ResponseDone(Arc<Exchanges>);

impl Drop for ResponseDone {
    fn drop(&mut self) {
        self.0.done.fetch_add(1, Ordering::SeqCst);
    }
}

/// The router as hyper's service on one connection, counting its [`Exchanges`].
#[derive(Clone)]
pub(crate) struct CountingService {
    router: TowerToHyperService<axum::Router>,
    exchanges: Arc<Exchanges>,
}

impl CountingService {
    pub(crate) fn new(router: axum::Router, exchanges: Arc<Exchanges>) -> CountingService {
        CountingService {
            router: TowerToHyperService::new(router),
            exchanges,
        }
    }
}

/// A response body that counts its response as done when hyper drops it.
pub(crate) struct CountedBody {
    body: Body,
    _done: ResponseDone,
}

impl hyper::body::Body for CountedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

type ResponseFuture =
    Pin<Box<dyn Future<Output = Result<Response<CountedBody>, Infallible>> + Send>>;

impl hyper::service::Service<Request<Incoming>> for CountingService {
    type Response = Response<CountedBody>;
    type Error = Infallible;
    type Future = ResponseFuture;

    fn call(&self, request: Request<Incoming>) -> ResponseFuture {
        // Counted before hyper can write a byte of this request's response.
        self.exchanges.dispatched.fetch_add(1, Ordering::SeqCst);
        let done = ResponseDone(self.exchanges.clone());
        let answer = self.router.call(request);
        Box::pin(async move {
            let response = answer.await?;
            // The body carries the counter: hyper drops it once its last bytes are buffered.
            Ok(response.map(|body| CountedBody { body, _done: done }))
        })
    }
}

/// The API's error for an answer hyper gives on its own, read from its status line.
fn api_error_for(hyper_answer: &[u8]) -> Option<ApiError> {
    let status = hyper_answer.strip_prefix(b"HTTP/1.1 ")?.get(..3)?;
    match status {
        b"400" => Some(ApiError::MalformedRequest),
        b"414" => Some(ApiError::UriTooLong),
        b"431" => Some(ApiError::HeadTooLarge),
        _ => None,
    }
}

/// Our answer being written in place of hyper's, and how much of it is out.
#[derive(Debug)]
struct Replacement {
    bytes: Vec<u8>,
    written: usize,
}

/// A connection's socket that answers hyper's own parse errors in the API's JSON (see the
/// module's header).
#[derive(Debug)]
pub(crate) struct JsonProtocolErrors<S> {
    io: S,
    exchanges: Arc<Exchanges>,
    /// The dispatch count at the last flush that found every response done and written.
    flushed_settled_at: Option<u64>,
    replacement: Option<Replacement>,
}

impl<S> JsonProtocolErrors<S> {
    pub(crate) fn new(io: S, exchanges: Arc<Exchanges>) -> JsonProtocolErrors<S> {
        JsonProtocolErrors {
            io,
            exchanges,
            // A new connection has written nothing.
            flushed_settled_at: Some(0),
            replacement: None,
        }
    }

    /// The socket, for answering a timed-out head after hyper gave up on it.
    pub(crate) fn into_inner(self) -> S {
        self.io
    }

    /// Whether hyper is writing on its own: nothing dispatched since a settled flush.
    fn hyper_is_answering(&self) -> bool {
        self.flushed_settled_at == Some(self.exchanges.dispatched())
    }
}

impl<S: AsyncWrite + Unpin> JsonProtocolErrors<S> {
    /// Writes what is left of the replacement; ready when all of it is out.
    fn poll_replacement(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let Some(replacement) = self.replacement.as_mut() else {
            return Poll::Ready(Ok(()));
        };
        while replacement.written < replacement.bytes.len() {
            let rest = &replacement.bytes[replacement.written..];
            let n = ready!(Pin::new(&mut self.io).poll_write(cx, rest))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            replacement.written += n;
        }
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for JsonProtocolErrors<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for JsonProtocolErrors<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if this.replacement.is_none()
            && this.hyper_is_answering()
            && let Some(error) = api_error_for(buf)
        {
            tracing::debug!(%error, "answering a request hyper could not parse");
            this.replacement = Some(Replacement {
                bytes: error.raw_http1_response(),
                written: 0,
            });
        }
        if this.replacement.is_some() {
            // Hyper's answer is replaced whole: its bytes are taken as written once ours are.
            ready!(this.poll_replacement(cx))?;
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut this.io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        if self.replacement.is_some() || self.hyper_is_answering() {
            // Rare (once per connection at most): the first slice holds hyper's status line.
            let first = bufs
                .iter()
                .find(|b| !b.is_empty())
                .map_or(&[][..], |b| &b[..]);
            return self.poll_write(cx, first);
        }
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        ready!(this.poll_replacement(cx))?;
        ready!(Pin::new(&mut this.io).poll_flush(cx))?;
        // Hyper flushes the socket only after writing out its whole buffer.
        if let Some(dispatched) = this.exchanges.settled() {
            this.flushed_settled_at = Some(dispatched);
        }
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        ready!(this.poll_replacement(cx))?;
        Pin::new(&mut this.io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyper_answers_are_read_by_their_status_line() {
        let answer = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\n\r\n";
        assert!(matches!(
            api_error_for(answer),
            Some(ApiError::HeadTooLarge)
        ));
        assert!(matches!(
            api_error_for(b"HTTP/1.1 400 Bad Request\r\n"),
            Some(ApiError::MalformedRequest)
        ));
        assert!(matches!(
            api_error_for(b"HTTP/1.1 414 URI Too Long\r\n"),
            Some(ApiError::UriTooLong)
        ));
        assert!(api_error_for(b"HTTP/1.1 200 OK\r\n").is_none());
        assert!(api_error_for(b"HTTP/1.1 4").is_none());
        assert!(api_error_for(b"").is_none());
    }

    #[tokio::test]
    async fn a_write_before_any_dispatch_is_replaced_and_one_after_is_not() {
        use tokio::io::AsyncWriteExt;
        let exchanges = Exchanges::new();
        let mut wire = JsonProtocolErrors::new(Vec::new(), exchanges.clone());
        wire.write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
            .await
            .expect("write");
        let written = String::from_utf8(wire.into_inner()).expect("utf-8");
        assert!(written.contains("\"malformed_request\""), "{written}");

        // A request in flight: what is written is its response, passed through.
        let mut wire = JsonProtocolErrors::new(Vec::new(), exchanges.clone());
        exchanges.dispatched.fetch_add(1, Ordering::SeqCst);
        let handler_answer = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 2\r\n\r\n{}";
        wire.write_all(handler_answer).await.expect("write");
        wire.flush().await.expect("flush");
        assert_eq!(wire.io, handler_answer);

        // Done and flushed: the next answer hyper writes alone is its own.
        drop(ResponseDone(exchanges.clone()));
        wire.flush().await.expect("flush");
        wire.write_all(b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\n\r\n")
            .await
            .expect("write");
        let written = String::from_utf8(wire.into_inner()).expect("utf-8");
        assert!(written.ends_with("\"}}"), "{written}");
        assert!(written.contains("\"uri_too_long\""), "{written}");
    }
}
