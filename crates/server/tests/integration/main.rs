//! The server as a client sees it, called in-process: `lede_server::router` over a real
//! store, one `oneshot` per request, no socket.

mod explore;
mod intrinsic;
mod languages;
mod outlets;
mod passages;
mod router;
mod support;
