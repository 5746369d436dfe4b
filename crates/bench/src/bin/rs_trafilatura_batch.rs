//! The peer rs-trafilatura as a batch command: `rs_trafilatura_batch IN OUT [--jobs N]`
//! reads every `IN/<id>.html` and writes `OUT/<id>.json` (`{"text": …}`), the
//! convention of `shared/bench/extraction/evaluate.py`. Pages are read with default options,
//! on `N` threads (default: one per core, as `lede analyze` does).

#![allow(clippy::print_stderr)]

use rayon::prelude::*;
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: rs_trafilatura_batch IN OUT [--jobs N]");
        std::process::exit(2);
    }
    let (input, output) = (PathBuf::from(&args[0]), PathBuf::from(&args[1]));
    let jobs = args
        .iter()
        .position(|a| a == "--jobs")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    rayon::ThreadPoolBuilder::new().num_threads(jobs).build_global().expect("thread pool");
    let pages: Vec<PathBuf> = std::fs::read_dir(&input)
        .expect("readable input directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    std::fs::create_dir_all(&output).expect("writable output directory");
    pages.par_iter().for_each(|page| {
        let bytes = match std::fs::read(page) {
            Ok(b) => b,
            Err(e) => return eprintln!("{}: {e}", page.display()),
        };
        let text = match rs_trafilatura::extract_bytes(&bytes) {
            Ok(r) => r.content_text,
            Err(e) => {
                eprintln!("{}: {e}", page.display());
                String::new()
            }
        };
        let stem = page.file_stem().expect("a file name").to_string_lossy();
        let json = serde_json::json!({ "text": text });
        if let Err(e) = std::fs::write(output.join(format!("{stem}.json")), json.to_string()) {
            eprintln!("{stem}: {e}");
        }
    });
}
