//! Who is in an article and who said what.
//!
//! [`Annotator::annotate`] reads an article's body paragraphs and returns
//! [`Annotations`](lede_core::Annotations): sentences, entity mentions (people,
//! organisations, places; a nationality is a mention of its country) grouped under one
//! canonical name per entity, and quotes with their speakers.
//!
//! The pieces, in the order they run:
//! - tokens with byte spans, and sentences that survive news abbreviations;
//! - a statistical tagger: an averaged structured perceptron over BIO labels with Viterbi
//!   decoding, trained in Rust on openly licensed annotated text ([`Trainer`]); its weights
//!   are committed in `model/ner.bin` and compiled in, so nothing is loaded at run time
//!   (German, Portuguese and Russian have taggers of their own: `model/ner-de.bin` and
//!   `model/ner-pt.bin`, trained on CC BY-SA data and shared under its terms, and
//!   `model/ner-ru.bin`, trained on factRuEval-2016, MIT);
//! - gazetteers (places, organisations, nationalities, titles, given names) as features of
//!   the tagger and as the source of canonical names;
//! - within-article name resolution ("Mr Tillerson" -> "Rex Tillerson");
//! - quote finding and attribution by rules over quotation marks, speech verbs and the
//!   tagged mentions.
//!
//! Pure: no I/O.
//!
//! ```
//! use lede_entities::Annotator;
//!
//! let read = Annotator::builtin().annotate(&[
//!     "Secretary of State Rex Tillerson met Russian President Vladimir Putin in Moscow.",
//!     "\"There is a low level of trust between our two countries,\" Mr Tillerson said.",
//! ]);
//! let tillerson = read.entities.iter().find(|e| e.name == "Rex Tillerson").unwrap();
//! assert_eq!(tillerson.mentions.len(), 2);
//! assert!(read.entities.iter().any(|e| e.name == "Russia"));
//! assert_eq!(read.quotes[0].speaker.as_deref(), Some("Rex Tillerson"));
//! ```

mod aliases;
mod annotate;
mod features;
mod gazetteer;
mod languages;
mod model;
mod names;
mod quotes;
mod speech;
mod taggers;
mod train;

pub use annotate::Annotator;
pub use languages::{ENTITY_LANGUAGES, reads_entities};
pub use model::{LABELS, ModelError};
pub use speech::{quote_languages, reads_quotes};
pub use train::{Trainer, TrainingSentence, label_tokens};
