//! Extraction speed over short and long pages. Each bench checks its result first.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lede_bench::synthetic_page;
use lede_extract::{Extractor, PageHints};
use std::hint::black_box;

const SEED: &str = include_str!("../../../tests/fixtures/seed/source.txt");

fn bench(c: &mut Criterion) {
    let extractor = Extractor::default();
    let hints = PageHints::default();
    let cases = [
        ("seed_text", SEED.to_owned(), 24),
        ("html_short", synthetic_page(8), 8),
        ("html_long", synthetic_page(400), 400),
    ];
    let mut group = c.benchmark_group("extract");
    for (name, page, paragraphs) in &cases {
        assert_eq!(extractor.extract(page, &hints).article.paragraphs.len(), *paragraphs, "{name}");
        group.throughput(Throughput::Bytes(page.len() as u64));
        group.bench_function(*name, |b| b.iter(|| extractor.extract(black_box(page), &hints)));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
