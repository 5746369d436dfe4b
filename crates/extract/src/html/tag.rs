//! The HTML elements extraction cares about, and their parsing properties.

/// An HTML element kind. Elements lede has no rule for are [`Tag::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // the variants are the element names
pub(crate) enum Tag {
    A,
    Abbr,
    Address,
    Applet,
    Area,
    Article,
    Aside,
    Audio,
    B,
    Base,
    Blockquote,
    Body,
    Br,
    Button,
    Canvas,
    Caption,
    Center,
    Cite,
    Code,
    Col,
    Colgroup,
    Dd,
    Del,
    Details,
    Dialog,
    Dir,
    Div,
    Dl,
    Dt,
    Em,
    Embed,
    Fieldset,
    Figcaption,
    Figure,
    Font,
    Footer,
    Form,
    Frame,
    Frameset,
    H1,
    H2,
    H3,
    H4,
    H5,
    H6,
    Head,
    Header,
    Hgroup,
    Hr,
    Html,
    I,
    Iframe,
    Img,
    Input,
    Ins,
    Keygen,
    Label,
    Legend,
    Li,
    Link,
    Listing,
    Main,
    Map,
    Mark,
    Marquee,
    Math,
    Menu,
    Meta,
    Nav,
    Noembed,
    Noframes,
    Noscript,
    Object,
    Ol,
    Optgroup,
    Option,
    Output,
    P,
    Param,
    Picture,
    Plaintext,
    Pre,
    Q,
    S,
    Samp,
    Script,
    Section,
    Select,
    Small,
    Source,
    Span,
    Strike,
    Strong,
    Style,
    Sub,
    Summary,
    Sup,
    Svg,
    Table,
    Tbody,
    Td,
    Template,
    Textarea,
    Tfoot,
    Th,
    Thead,
    Time,
    Title,
    Tr,
    Track,
    Tt,
    U,
    Ul,
    Var,
    Video,
    Wbr,
    Xmp,
    Other,
}

/// How the tokenizer must read an element's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RawText {
    /// Markup, read as tags.
    No,
    /// `<script>` data.
    Script,
    /// Raw text, no character references (`<style>`, `<iframe>`, `<noscript>`...).
    Raw,
    /// Text with character references (`<title>`, `<textarea>`).
    Rcdata,
    /// Everything to the end of the input (`<plaintext>`).
    Plaintext,
}

impl Tag {
    /// The tag for an element name (lower-cased by the tokenizer).
    pub(crate) fn from_name(name: &str) -> Tag {
        use Tag::*;
        match name {
            "a" => A,
            "abbr" => Abbr,
            "address" => Address,
            "applet" => Applet,
            "area" => Area,
            "article" => Article,
            "aside" => Aside,
            "audio" => Audio,
            "b" => B,
            "base" => Base,
            "blockquote" => Blockquote,
            "body" => Body,
            "br" => Br,
            "button" => Button,
            "canvas" => Canvas,
            "caption" => Caption,
            "center" => Center,
            "cite" => Cite,
            "code" => Code,
            "col" => Col,
            "colgroup" => Colgroup,
            "dd" => Dd,
            "del" => Del,
            "details" => Details,
            "dialog" => Dialog,
            "dir" => Dir,
            "div" => Div,
            "dl" => Dl,
            "dt" => Dt,
            "em" => Em,
            "embed" => Embed,
            "fieldset" => Fieldset,
            "figcaption" => Figcaption,
            "figure" => Figure,
            "font" => Font,
            "footer" => Footer,
            "form" => Form,
            "frame" => Frame,
            "frameset" => Frameset,
            "h1" => H1,
            "h2" => H2,
            "h3" => H3,
            "h4" => H4,
            "h5" => H5,
            "h6" => H6,
            "head" => Head,
            "header" => Header,
            "hgroup" => Hgroup,
            "hr" => Hr,
            "html" => Html,
            "i" => I,
            "iframe" => Iframe,
            "img" | "image" => Img,
            "input" => Input,
            "ins" => Ins,
            "keygen" => Keygen,
            "label" => Label,
            "legend" => Legend,
            "li" => Li,
            "link" => Link,
            "listing" => Listing,
            "main" => Main,
            "map" => Map,
            "mark" => Mark,
            "marquee" => Marquee,
            "math" => Math,
            "menu" => Menu,
            "meta" => Meta,
            "nav" => Nav,
            "noembed" => Noembed,
            "noframes" => Noframes,
            "noscript" => Noscript,
            "object" => Object,
            "ol" => Ol,
            "optgroup" => Optgroup,
            "option" => Option,
            "output" => Output,
            "p" => P,
            "param" => Param,
            "picture" => Picture,
            "plaintext" => Plaintext,
            "pre" => Pre,
            "q" => Q,
            "s" => S,
            "samp" => Samp,
            "script" => Script,
            "section" => Section,
            "select" => Select,
            "small" => Small,
            "source" => Source,
            "span" => Span,
            "strike" => Strike,
            "strong" => Strong,
            "style" => Style,
            "sub" => Sub,
            "summary" => Summary,
            "sup" => Sup,
            "svg" => Svg,
            "table" => Table,
            "tbody" => Tbody,
            "td" => Td,
            "template" => Template,
            "textarea" => Textarea,
            "tfoot" => Tfoot,
            "th" => Th,
            "thead" => Thead,
            "time" => Time,
            "title" => Title,
            "tr" => Tr,
            "track" => Track,
            "tt" => Tt,
            "u" => U,
            "ul" => Ul,
            "var" => Var,
            "video" => Video,
            "wbr" => Wbr,
            "xmp" => Xmp,
            _ => Other,
        }
    }

    /// Elements that never have content or an end tag.
    pub(crate) fn is_void(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Area | Base
                | Br
                | Col
                | Embed
                | Hr
                | Img
                | Input
                | Keygen
                | Link
                | Meta
                | Param
                | Source
                | Track
                | Wbr
                | Frame
        )
    }

    /// How the element's content is tokenized.
    pub(crate) fn raw_text(self) -> RawText {
        use Tag::*;
        match self {
            Script => RawText::Script,
            Style | Xmp | Iframe | Noembed | Noframes | Noscript => RawText::Raw,
            Title | Textarea => RawText::Rcdata,
            Plaintext => RawText::Plaintext,
            _ => RawText::No,
        }
    }

    /// Start tags that close an open `<p>` (HTML's "close a p element").
    pub(crate) fn closes_p(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Address
                | Article
                | Aside
                | Blockquote
                | Center
                | Details
                | Dialog
                | Dir
                | Div
                | Dl
                | Dd
                | Dt
                | Fieldset
                | Figcaption
                | Figure
                | Footer
                | Form
                | H1
                | H2
                | H3
                | H4
                | H5
                | H6
                | Header
                | Hgroup
                | Hr
                | Li
                | Listing
                | Main
                | Menu
                | Nav
                | Ol
                | P
                | Plaintext
                | Pre
                | Section
                | Summary
                | Table
                | Ul
                | Xmp
        )
    }

    /// Headings `<h1>` to `<h6>`.
    pub(crate) fn is_heading(self) -> bool {
        use Tag::*;
        matches!(self, H1 | H2 | H3 | H4 | H5 | H6)
    }

    /// Elements an end tag of an ordinary element may not reach across (HTML's scope
    /// boundaries: a stray `</div>` inside a table cell does not close the cell).
    pub(crate) fn is_scope_boundary(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Applet | Caption | Html | Table | Td | Th | Marquee | Object | Template | Svg | Math
        )
    }

    /// Table-structure elements, whose end tags may cross cell boundaries.
    pub(crate) fn is_table_part(self) -> bool {
        use Tag::*;
        matches!(self, Table | Caption | Colgroup | Tbody | Tfoot | Thead | Tr | Td | Th)
    }
}
