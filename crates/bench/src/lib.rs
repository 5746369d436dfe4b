//! Benchmarks of lede against its peers (not published).
//!
//! - `benches/extract.rs`: criterion benches of `lede-extract` over a short plain-text
//!   page, a short HTML page and a long HTML page (generated, so the benches run anywhere).
//! - `src/bin/rs_trafilatura_batch.rs`: the peer rs-trafilatura as a batch command in the
//!   benchmark's `{in}`/`{out}` convention, so `bench/extract.sh` measures it in the same
//!   run as lede and Python trafilatura.
//!
//! [`synthetic_page`] builds the generated pages.

/// A news-like HTML page with `paragraphs` body paragraphs and the usual furniture
/// (navigation, share bar, sidebar, related list, footer), deterministic.
pub fn synthetic_page(paragraphs: usize) -> String {
    let mut html = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Council approves budget | The Example Times</title>\
         <meta property=\"og:site_name\" content=\"The Example Times\">\
         <script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"Council approves budget\",\
         \"datePublished\":\"2019-11-19T10:30:00-05:00\",\"author\":{\"@type\":\"Person\",\"name\":\"Ann Lee\"}}</script>\
         </head><body><nav class=\"site-nav\"><ul>",
    );
    for i in 0..12 {
        html.push_str(&format!("<li><a href=\"/section/{i}\">Section {i}</a></li>"));
    }
    html.push_str("</ul></nav><main><article><h1>Council approves budget</h1><div class=\"byline\">By Ann Lee</div>");
    html.push_str("<div class=\"share-bar\"><a href=\"#\">Share on Facebook</a><a href=\"#\">Tweet</a></div><div class=\"article-body\">");
    for i in 0..paragraphs {
        html.push_str(&format!(
            "<p>Paragraph {i} of the story: the council voted {} to {} on Tuesday to approve a budget that raises \
             spending on <a href=\"/schools\">schools</a> and roads, after a debate that lasted until late in the evening.</p>",
            5 + i % 3,
            i % 4
        ));
        if i % 7 == 6 {
            html.push_str("<div class=\"ad-slot\"><p>Advertisement</p></div><figure><img src=\"x.jpg\"><figcaption>Council members vote.</figcaption></figure>");
        }
    }
    html.push_str("</div></article></main><aside class=\"sidebar\"><h3>Most read</h3><ol>");
    for i in 0..10 {
        html.push_str(&format!(
            "<li><a href=\"/story/{i}\">A most-read story headline number {i}</a></li>"
        ));
    }
    html.push_str("</ol></aside><div class=\"related-stories\">");
    for i in 0..5 {
        html.push_str(&format!(
            "<a href=\"/related/{i}\">Related story about the council budget {i}</a>"
        ));
    }
    html.push_str(
        "</div><footer><p>© The Example Times. All rights reserved.</p></footer></body></html>",
    );
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_synthetic_page_reads_as_its_article() {
        let page = synthetic_page(20);
        let e =
            lede_extract::Extractor::default().extract(&page, &lede_extract::PageHints::default());
        assert_eq!(e.article.paragraphs.len(), 20, "{:?}", e.article.paragraphs);
        assert_eq!(e.article.title.as_deref(), Some("Council approves budget"));
        assert_eq!(e.article.related.len(), 5);
    }
}
