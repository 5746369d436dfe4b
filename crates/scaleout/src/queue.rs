//! The work queue on NATS JetStream, behind a blocking API (the client is async; it runs on
//! a small tokio runtime of its own, so nothing else in lede sees tokio).
//!
//! - `LEDE_WORK`, a work-queue stream on the subject `lede.work`: each message is one
//!   [`Job`](crate::Job) (a small descriptor, never a page), removed once acknowledged.
//!   Publishes carry a message id, and the stream drops a second publish of the same id
//!   within [`DUPLICATE_WINDOW`] (a publisher that retried after a lost acknowledgement).
//! - `workers`, the one durable pull consumer every `lede worker` shares: a message not
//!   acknowledged within [`ACK_WAIT`] (its worker died or stalled) is delivered again, up
//!   to [`MAX_DELIVER`] times.
//! - `LEDE_DEAD`, where messages that failed go: a worker's report (`lede.dead`, the job
//!   and the last error) when the last delivery fails, and the server's advisory when a
//!   message ran out of deliveries without a report (its workers died on it each time).
//!   `lede errors` lists it.

use crate::{Error, Result};
use async_nats::jetstream::{self, AckKind, consumer, stream};
use futures_util::StreamExt;
use std::time::Duration;

/// The work stream, its subject and its consumer.
pub const WORK_STREAM: &str = "LEDE_WORK";
const WORK_SUBJECT: &str = "lede.work";
const CONSUMER: &str = "workers";
/// The dead-letter stream and the subject of workers' reports.
pub const DEAD_STREAM: &str = "LEDE_DEAD";
const DEAD_SUBJECT: &str = "lede.dead";
/// How long a delivered message waits for its acknowledgement (workers signal progress
/// on long ones) before it is delivered again: a dead worker's job waits this long. Set
/// when the consumer is created (by the first lede to connect); `LEDE_ACK_WAIT_SECS`
/// overrides it (the fault tests use a few seconds).
pub const ACK_WAIT: Duration = Duration::from_secs(60);

fn ack_wait() -> Duration {
    std::env::var("LEDE_ACK_WAIT_SECS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .filter(|&s| s > 0)
        .map_or(ACK_WAIT, Duration::from_secs)
}
/// Deliveries of a message at most.
pub const MAX_DELIVER: i64 = 5;
/// How long the stream remembers message ids to drop duplicate publishes.
pub const DUPLICATE_WINDOW: Duration = Duration::from_secs(30 * 60);

/// A connection to the work queue.
pub struct Queue {
    runtime: tokio::runtime::Runtime,
    js: jetstream::Context,
    work: tokio::sync::OnceCell<consumer::Consumer<consumer::pull::Config>>,
    /// The server's address, for errors.
    url: String,
}

/// A message handed to this worker.
pub struct Delivery {
    message: jetstream::Message,
    /// The job it carries (JSON).
    pub payload: Vec<u8>,
    /// Its id (the publisher's message id header).
    pub id: String,
    /// How many times it has been delivered, this time included.
    pub delivered: i64,
    /// Its place in the work stream.
    pub sequence: u64,
}

/// A message that failed for good.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DeadLetter {
    /// Its place in the dead-letter stream.
    pub sequence: u64,
    /// The job's message id, when known.
    pub id: Option<String>,
    /// The job (JSON), when it can still be read.
    pub job: Option<serde_json::Value>,
    /// Why it failed.
    pub error: String,
    /// Deliveries it had.
    pub deliveries: i64,
}

/// What a worker's report in the dead-letter stream holds.
#[derive(serde::Serialize, serde::Deserialize)]
struct Report {
    id: String,
    job: serde_json::Value,
    error: String,
    deliveries: i64,
}

/// The server's advisory for a message that ran out of deliveries.
#[derive(serde::Deserialize)]
struct MaxDeliveries {
    stream_seq: u64,
    deliveries: i64,
}

impl Queue {
    /// Connects to the NATS server at `url` and creates the streams and the consumer when
    /// they do not exist (any number of publishers and workers may do so at once).
    pub fn connect(url: &str) -> Result<Queue> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("lede-nats")
            .enable_all()
            .build()
            .map_err(|e| Error::Broker {
                url: url.into(),
                doing: "starting the client",
                message: e.to_string(),
            })?;
        let broker = |doing| move |e: String| Error::Broker { url: url.into(), doing, message: e };
        let js = runtime.block_on(async {
            let client = async_nats::ConnectOptions::new()
                .connection_timeout(Duration::from_secs(10))
                .name("lede")
                .connect(url)
                .await
                .map_err(|e| broker("connecting")(e.to_string()))?;
            let js = jetstream::new(client);
            js.get_or_create_stream(stream::Config {
                name: WORK_STREAM.into(),
                subjects: vec![WORK_SUBJECT.into()],
                retention: stream::RetentionPolicy::WorkQueue,
                storage: stream::StorageType::File,
                duplicate_window: DUPLICATE_WINDOW,
                ..Default::default()
            })
            .await
            .map_err(|e| broker("creating the work stream")(e.to_string()))?;
            js.get_or_create_stream(stream::Config {
                name: DEAD_STREAM.into(),
                subjects: vec![
                    DEAD_SUBJECT.into(),
                    format!("$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.{WORK_STREAM}.{CONSUMER}"),
                ],
                storage: stream::StorageType::File,
                ..Default::default()
            })
            .await
            .map_err(|e| broker("creating the dead-letter stream")(e.to_string()))?;
            Ok::<_, Error>(js)
        })?;
        Ok(Queue { runtime, js, work: tokio::sync::OnceCell::new(), url: url.into() })
    }

    fn broker(&self, doing: &'static str) -> impl Fn(String) -> Error + '_ {
        move |message| Error::Broker { url: self.url.clone(), doing, message }
    }

    async fn consumer(&self) -> Result<&consumer::Consumer<consumer::pull::Config>> {
        self.work
            .get_or_try_init(|| async {
                let stream = self
                    .js
                    .get_stream(WORK_STREAM)
                    .await
                    .map_err(|e| self.broker("opening the work stream")(e.to_string()))?;
                stream
                    .get_or_create_consumer(
                        CONSUMER,
                        consumer::pull::Config {
                            durable_name: Some(CONSUMER.into()),
                            ack_policy: consumer::AckPolicy::Explicit,
                            ack_wait: ack_wait(),
                            max_deliver: MAX_DELIVER,
                            ..Default::default()
                        },
                    )
                    .await
                    .map_err(|e| self.broker("creating the workers' consumer")(e.to_string()))
            })
            .await
    }

    /// Publishes `payload` under message id `id`; `false` when the stream had it already
    /// (a duplicate publish, dropped).
    pub fn publish(&self, id: &str, payload: Vec<u8>) -> Result<bool> {
        let err = self.broker("publishing work");
        self.runtime.block_on(async {
            let ack = self
                .js
                .send_publish(
                    WORK_SUBJECT,
                    jetstream::message::PublishMessage::build()
                        .payload(payload.into())
                        .message_id(id),
                )
                .await
                .map_err(|e| err(e.to_string()))?
                .await
                .map_err(|e| err(e.to_string()))?;
            Ok(!ack.duplicate)
        })
    }

    /// Up to `max` messages for this worker, waiting up to `wait` for the first.
    pub fn fetch(&self, max: usize, wait: Duration) -> Result<Vec<Delivery>> {
        let err = self.broker("fetching work");
        self.runtime.block_on(async {
            let consumer = self.consumer().await?;
            let mut batch = consumer
                .fetch()
                .max_messages(max)
                .expires(wait)
                .messages()
                .await
                .map_err(|e| err(e.to_string()))?;
            let mut out = Vec::new();
            while let Some(message) = batch.next().await {
                let message = message.map_err(|e| err(e.to_string()))?;
                let (delivered, sequence) = match message.info() {
                    Ok(info) => (info.delivered, info.stream_sequence),
                    Err(e) => return Err(err(e.to_string())),
                };
                let id = message
                    .headers
                    .as_ref()
                    .and_then(|h| h.get(async_nats::header::NATS_MESSAGE_ID))
                    .map(|v| v.as_str().to_owned())
                    .unwrap_or_else(|| format!("seq-{sequence}"));
                out.push(Delivery {
                    payload: message.payload.to_vec(),
                    message,
                    id,
                    delivered,
                    sequence,
                });
            }
            Ok(out)
        })
    }

    /// Acknowledges `delivery` (its work is committed), waiting for the server to confirm:
    /// an acknowledgement lost on the way only means one more delivery, which finds the
    /// work done.
    pub fn ack(&self, delivery: &Delivery) -> Result<()> {
        let err = self.broker("acknowledging work");
        self.runtime.block_on(delivery.message.double_ack()).map_err(|e| err(e.to_string()))
    }

    /// Tells the server this worker is still on `delivery` (a long file): the acknowledgement
    /// wait starts again.
    pub fn in_progress(&self, delivery: &Delivery) -> Result<()> {
        let err = self.broker("extending a delivery");
        self.runtime
            .block_on(delivery.message.ack_with(AckKind::Progress))
            .map_err(|e| err(e.to_string()))
    }

    /// Gives `delivery` back to be delivered again after `delay` (a failure that may pass:
    /// the database restarting).
    pub fn retry(&self, delivery: &Delivery, delay: Duration) -> Result<()> {
        let err = self.broker("giving work back");
        self.runtime
            .block_on(delivery.message.ack_with(AckKind::Nak(Some(delay))))
            .map_err(|e| err(e.to_string()))
    }

    /// Sends `delivery` to the dead-letter stream with `error`, and removes it from the work.
    pub fn dead(&self, delivery: &Delivery, error: &str) -> Result<()> {
        let err = self.broker("reporting failed work");
        let job = serde_json::from_slice(&delivery.payload).unwrap_or_else(|_| {
            serde_json::Value::String(String::from_utf8_lossy(&delivery.payload).into_owned())
        });
        let report = Report {
            id: delivery.id.clone(),
            job,
            error: error.to_owned(),
            deliveries: delivery.delivered,
        };
        let bytes = serde_json::to_vec(&report).expect("reports always serialise");
        self.runtime.block_on(async {
            self.js
                .publish(DEAD_SUBJECT, bytes.into())
                .await
                .map_err(|e| err(e.to_string()))?
                .await
                .map_err(|e| err(e.to_string()))?;
            delivery.message.double_ack_with(AckKind::Term).await.map_err(|e| err(e.to_string()))
        })
    }

    /// Every message in the dead-letter stream, oldest first.
    pub fn dead_letters(&self) -> Result<Vec<DeadLetter>> {
        Ok(self.dead_letters_after(0)?.0)
    }

    /// The messages of the dead-letter stream after sequence number `after`, oldest first,
    /// and the stream's last sequence number (to pass as `after` next time): one request
    /// when nothing is new, one more per new message.
    pub fn dead_letters_after(&self, after: u64) -> Result<(Vec<DeadLetter>, u64)> {
        let err = self.broker("reading the dead letters");
        self.runtime.block_on(async {
            let mut dead = self.js.get_stream(DEAD_STREAM).await.map_err(|e| err(e.to_string()))?;
            let state = dead.info().await.map_err(|e| err(e.to_string()))?.state.clone();
            let mut out = Vec::new();
            let first = state.first_sequence.max(after.saturating_add(1));
            if state.messages == 0 || first > state.last_sequence {
                return Ok((out, state.last_sequence.max(after)));
            }
            let work = self.js.get_stream(WORK_STREAM).await.map_err(|e| err(e.to_string()))?;
            for sequence in first..=state.last_sequence {
                let Ok(m) = dead.get_raw_message(sequence).await else {
                    continue; // removed
                };
                if m.subject.as_str() == DEAD_SUBJECT {
                    let letter = match serde_json::from_slice::<Report>(&m.payload) {
                        Ok(r) => DeadLetter {
                            sequence,
                            id: Some(r.id),
                            job: Some(r.job),
                            error: r.error,
                            deliveries: r.deliveries,
                        },
                        Err(e) => DeadLetter {
                            sequence,
                            id: None,
                            job: None,
                            error: format!("an unreadable report: {e}"),
                            deliveries: 0,
                        },
                    };
                    out.push(letter);
                    continue;
                }
                // The server's advisory: the job is still in the work stream (never
                // acknowledged); read it there.
                let Ok(advisory) = serde_json::from_slice::<MaxDeliveries>(&m.payload) else {
                    continue;
                };
                let original = work.get_raw_message(advisory.stream_seq).await.ok();
                let id = original.as_ref().and_then(|o| {
                    o.headers
                        .get(async_nats::header::NATS_MESSAGE_ID)
                        .map(|v| v.as_str().to_owned())
                });
                out.push(DeadLetter {
                    sequence,
                    id,
                    job: original.and_then(|o| serde_json::from_slice(&o.payload).ok()),
                    error: format!(
                        "delivered {} times without being done (each worker that took it \
                         stopped before acknowledging it)",
                        advisory.deliveries
                    ),
                    deliveries: advisory.deliveries,
                });
            }
            Ok((out, state.last_sequence))
        })
    }

    /// Messages waiting in the work stream (delivered or not, not yet acknowledged).
    pub fn pending(&self) -> Result<u64> {
        let err = self.broker("reading the work stream");
        self.runtime.block_on(async {
            let mut work = self.js.get_stream(WORK_STREAM).await.map_err(|e| err(e.to_string()))?;
            Ok(work.info().await.map_err(|e| err(e.to_string()))?.state.messages)
        })
    }
}
