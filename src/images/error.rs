//! What can go wrong with an image, in words an author can act on. The lead's pipeline
//! turns each into a diagnostic located at the file (or at the `![](…)` that names it).

/// Why [`super::probe`] could not tell an image's size.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProbeError {
    /// Not one of the formats sheaf reads.
    #[error("not an image sheaf can read (PNG, JPEG, GIF, WebP, AVIF or SVG)")]
    Unsupported,
    /// The bytes end before the header says the size (a truncated file, or a prefix that
    /// was too short: [`super::probe_file`] then reads the whole file).
    #[error("the file ends before its header gives the image's size; it may be truncated")]
    Truncated,
    /// The header is there but makes no sense.
    #[error("damaged {format} header: {reason}")]
    Malformed {
        /// "PNG", "JPEG", ...
        format: &'static str,
        /// What is wrong, in a few words.
        reason: &'static str,
    },
    /// An SVG whose size cannot be told.
    #[error("SVG: {0}")]
    Svg(&'static str),
    /// Reading the file failed.
    #[error("could not read the file: {0}")]
    Io(String),
}

/// Why [`super::render`] made no variant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    /// The header could not be read.
    #[error(transparent)]
    Probe(#[from] ProbeError),
    /// A format sheaf measures but does not resize (SVG, AVIF, animations).
    #[error("{0} images are published as they are, not resized")]
    NotResizable(&'static str),
    /// More pixels than [`super::MAX_PIXELS`]: decoding it could take gigabytes (a small
    /// file can claim a huge size: a "decompression bomb").
    #[error(
        "the image is {width}×{height} pixels, more than the {limit} million sheaf decodes; \
         publish a smaller copy"
    )]
    TooLarge {
        /// Its width in pixels.
        width: u32,
        /// Its height in pixels.
        height: u32,
        /// The limit, in millions of pixels.
        limit: u64,
    },
    /// The pixel data is damaged or truncated.
    #[error("the image data is damaged or truncated: {0}")]
    Decode(String),
    /// The encoder failed (a bug, not the author's).
    #[error("could not encode the {format} variant: {reason}")]
    Encode {
        /// "WebP", "JPEG", "PNG".
        format: &'static str,
        /// The encoder's words.
        reason: String,
    },
}
