//! Reading the corpora the mining examples count: JSON Lines files (gzipped when their
//! name ends in `.gz`), each record's `text`.

use std::io::{BufRead, BufReader, Read};

/// Calls `f` with the `text` of every record of the files at `paths`, in order; records
/// that are not JSON or have no text are skipped.
pub(crate) fn for_each_text(
    paths: impl IntoIterator<Item = String>,
    mut f: impl FnMut(&str),
) -> Result<(), Box<dyn std::error::Error>> {
    for path in paths {
        let file = std::fs::File::open(&path).map_err(|e| format!("{path}: {e}"))?;
        let reader: Box<dyn Read> = if path.ends_with(".gz") {
            Box::new(flate2::read::MultiGzDecoder::new(file))
        } else {
            Box::new(file)
        };
        for line in BufReader::new(reader).lines() {
            let line = line?;
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line)
                && let Some(text) = v["text"].as_str()
            {
                f(text);
            }
        }
    }
    Ok(())
}
