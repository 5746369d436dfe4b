//! `lede analyze`: read pages, print their articles.

use crate::args::AnalyzeArgs;
use crate::outcome::Outcome;
use crate::view;
use anyhow::Context;
use lede_engine::{Analysis, Analyzer};
use lede_extract::Extractor;
use lede_ingest::Source;
use rayon::prelude::*;
use std::collections::HashSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Pages analysed in parallel before their results are printed in input order.
const CHUNK: usize = 64;

pub(crate) fn run(args: &AnalyzeArgs) -> anyhow::Result<ExitCode> {
    if args.url.is_some() && args.inputs.len() > 1 {
        eprintln!("lede: --url names one page's address; give one input with it");
        return Ok(ExitCode::from(2));
    }
    if args.inputs.iter().filter(|i| *i == "-").count() > 1 {
        eprintln!("lede: standard input (-) can be read once only");
        return Ok(ExitCode::from(2));
    }
    let reader = args.read.reader();
    let analyzer = Analyzer::new(reader, Extractor::default());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .context("cannot start worker threads")?;
    let sources: Vec<Source> = args.inputs.iter().map(|s| Source::parse(s)).collect();
    if sources.len() > 1 && !args.explain {
        lede_engine::load_models_in_background();
    }
    if args.explain {
        let failed = explain_all(&analyzer, &sources, args.url.as_deref())?;
        return Ok(outcome(sources.len(), failed).exit_code(args.strict));
    }
    let analyze = |s: &Source| analyzer.analyze_with_url(s, args.url.as_deref());
    let failed = match &args.out_dir {
        Some(dir) => pool.install(|| write_all(dir, &sources, &analyze))?,
        None => pool.install(|| print_all(args.json, &sources, &analyze))?,
    };
    Ok(outcome(sources.len(), failed).exit_code(args.strict))
}

fn outcome(inputs: usize, failed: usize) -> Outcome {
    Outcome { read: (inputs - failed) as u64, failed: failed as u64 }
}

/// Prints why each block was kept or dropped; returns how many pages failed.
fn explain_all(
    analyzer: &Analyzer,
    sources: &[Source],
    url: Option<&str>,
) -> anyhow::Result<usize> {
    let mut out = io::stdout().lock();
    let mut failed = 0;
    for source in sources {
        match analyzer.explain(source, url) {
            Ok(lines) => {
                writeln!(out, "== {}", source.origin())?;
                for line in lines {
                    writeln!(out, "{line}")?;
                }
            }
            Err(err) => {
                failed += 1;
                eprintln!("lede: {err}");
            }
        }
    }
    Ok(failed)
}

/// Prints every page in input order; returns how many failed.
fn print_all(
    json: bool,
    sources: &[Source],
    analyze: &(dyn Fn(&Source) -> lede_engine::Result<Analysis> + Sync),
) -> anyhow::Result<usize> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut failed = 0;
    let several = sources.len() > 1;
    for (chunk_index, chunk) in sources.chunks(CHUNK).enumerate() {
        let results: Vec<_> = chunk.par_iter().map(analyze).collect();
        for (i, result) in results.into_iter().enumerate() {
            match result {
                Ok(analysis) => {
                    warn(&analysis);
                    if json {
                        if several {
                            serde_json::to_writer(&mut out, &analysis.to_json())?;
                        } else {
                            serde_json::to_writer_pretty(&mut out, &analysis.to_json())?;
                        }
                        writeln!(out)?;
                    } else {
                        if several && chunk_index * CHUNK + i > 0 {
                            writeln!(out, "\n{}\n", "─".repeat(72))?;
                        }
                        view::write_article(&mut out, &analysis)?;
                    }
                }
                Err(err) => {
                    failed += 1;
                    out.flush()?;
                    eprintln!("lede: {err}");
                }
            }
        }
        out.flush()?;
    }
    Ok(failed)
}

/// Writes `<name>.json` per page into `dir`; returns how many failed.
///
/// The pages are read on the pool's threads and their files created by one thread of its
/// own: threads creating files in one directory take turns on its lock, and spinning on it
/// was 11% of the CPU of a run over the 181 benchmark pages (#13).
fn write_all(
    dir: &Path,
    sources: &[Source],
    analyze: &(dyn Fn(&Source) -> lede_engine::Result<Analysis> + Sync),
) -> anyhow::Result<usize> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let names = output_names(sources);
    let (files, written) = std::sync::mpsc::sync_channel::<(PathBuf, Vec<u8>)>(64);
    let errors: Vec<String> = std::thread::scope(|scope| {
        let writer = scope.spawn(move || {
            written
                .into_iter()
                .filter_map(|(path, bytes)| {
                    write_atomically(&path, &bytes)
                        .err()
                        .map(|e| format!("{}: cannot write: {e}", path.display()))
                })
                .collect::<Vec<String>>()
        });
        let mut errors: Vec<String> = sources
            .par_iter()
            .zip(names.par_iter())
            .filter_map(|(source, name)| {
                let analysis = match analyze(source) {
                    Ok(analysis) => analysis,
                    Err(e) => return Some(e.to_string()),
                };
                warn(&analysis);
                let path = dir.join(format!("{name}.json"));
                let mut bytes = match serde_json::to_vec(&analysis.to_json()) {
                    Ok(bytes) => bytes,
                    Err(e) => return Some(format!("{}: cannot write: {e}", path.display())),
                };
                bytes.push(b'\n');
                // The writer stops only when every sender is gone: a send cannot fail.
                files.send((path, bytes)).ok();
                None
            })
            .collect();
        drop(files);
        errors.extend(writer.join().unwrap_or_else(|_| vec!["the file writer failed".into()]));
        errors
    });
    let failed = errors.len();
    for err in errors {
        eprintln!("lede: {err}");
    }
    if failed > 0 {
        eprintln!(
            "lede: wrote {} of {} pages to {}; {failed} failed",
            sources.len() - failed,
            sources.len(),
            dir.display()
        );
    }
    Ok(failed)
}

/// Writes to a temporary file, then renames: a reader never sees half a file.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = path.with_extension("json.part");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

/// One output name per source: the file name without `.gz` and its extension, made
/// unique with `-2`, `-3`… when two inputs share a name.
fn output_names(sources: &[Source]) -> Vec<String> {
    let mut seen = HashSet::new();
    sources
        .iter()
        .map(|s| {
            let base = match s {
                Source::File(p) => file_stem(p),
                Source::Url(u) => {
                    sanitize(u.split_once("://").map_or(u.as_str(), |(_, rest)| rest))
                }
                Source::Stdin => "stdin".to_owned(),
            };
            let mut name = base.clone();
            let mut n = 1;
            while !seen.insert(name.clone()) {
                n += 1;
                name = format!("{base}-{n}");
            }
            name
        })
        .collect()
}

fn file_stem(path: &Path) -> String {
    let name =
        path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "page".into());
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let stem = PathBuf::from(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem.is_empty() { "page".into() } else { sanitize(&stem) }
}

fn sanitize(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' })
        .take(150)
        .collect();
    cleaned.trim_matches(['.', '_']).to_owned()
}

fn warn(analysis: &Analysis) {
    for w in analysis.warnings() {
        eprintln!("lede: {}: warning: {w}", analysis.origin);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_outputs() {
        let sources = [
            Source::File("a/abc.html.gz".into()),
            Source::File("b/abc.html".into()),
            Source::File("noext".into()),
            Source::Url("https://x.org/a/b?c=1".into()),
            Source::Stdin,
        ];
        assert_eq!(output_names(&sources), ["abc", "abc-2", "noext", "x.org_a_b_c_1", "stdin"]);
    }
}
