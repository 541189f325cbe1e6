//! The private format between the preview and its indexing child.
//!
//! Standard input, from the parent: `MAGIC`, then per page `1`, its URL, its source path,
//! whether it is a worksheet (one byte), its HTML (one byte, `1` when packed, then the
//! bytes), and `0` after the last page. The file, from the child: `MAGIC`, then per bundle
//! file `1`, its path and its bytes, and `0` after the last. Strings and byte runs are a
//! little-endian `u64` length and the bytes.

use std::io::{self, Read, Write};
use std::sync::mpsc;

use super::super::{Document, Pages};
use crate::output::{Contents, OutputFile};
use crate::packed::Packed;

/// First line of both streams: which format this is.
const MAGIC: &[u8] = b"sheaf search index 1\n";

/// The longest string or byte run either end accepts: far above any page or bundle file,
/// so a damaged stream is an error, not an allocation of its length.
const MAX_RUN: u64 = 1 << 32;

pub(super) fn send_pages(pages: &Pages, mut to: impl Write) -> io::Result<()> {
    to.write_all(MAGIC)?;
    write_run(&mut to, pages.language.as_bytes())?;
    for page in &pages.documents {
        to.write_all(&[1])?;
        write_run(&mut to, page.url.as_bytes())?;
        write_run(&mut to, page.source.as_bytes())?;
        to.write_all(&[u8::from(page.worksheet)])?;
        match &page.html {
            Contents::Packed(packed) => {
                to.write_all(&[1])?;
                write_run(&mut to, packed.block())?;
            }
            other => {
                to.write_all(&[0])?;
                write_run(&mut to, &other.bytes().unwrap_or_default())?;
            }
        }
    }
    to.write_all(&[0])?;
    to.flush()
}

/// Reads the start of what [`send_pages`] wrote: the language to index in.
pub(super) fn read_header(from: &mut impl Read) -> io::Result<String> {
    expect_magic(from)?;
    read_string(from)
}

/// Reads the rest of what [`send_pages`] wrote, handing each page to `pages` as it comes.
pub(super) fn read_pages(from: &mut impl Read, pages: &mpsc::Sender<Document>) -> io::Result<()> {
    while read_byte(from)? == 1 {
        let url = read_string(from)?;
        let source = read_string(from)?;
        let worksheet = read_byte(from)? == 1;
        let packed = read_byte(from)? == 1;
        let bytes = read_run(from)?;
        let html = match packed {
            true => Contents::Packed(Packed::from_block(&bytes)),
            false => Contents::Bytes(bytes.into()),
        };
        let document = Document {
            url,
            html,
            worksheet,
            source,
        };
        if pages.send(document).is_err() {
            break;
        }
    }
    Ok(())
}

pub(super) fn write_bundle(files: &[OutputFile], mut to: impl Write) -> io::Result<()> {
    to.write_all(MAGIC)?;
    for file in files {
        to.write_all(&[1])?;
        write_run(&mut to, file.path.as_bytes())?;
        write_run(&mut to, &file.contents.bytes().unwrap_or_default())?;
    }
    to.write_all(&[0])?;
    to.flush()
}

pub(super) fn read_bundle(from: &mut impl Read) -> io::Result<Vec<OutputFile>> {
    expect_magic(from)?;
    let mut files = Vec::new();
    while read_byte(from)? == 1 {
        let path = read_string(from)?;
        let bytes = read_run(from)?;
        files.push(OutputFile {
            path,
            contents: Contents::Bytes(bytes.into()),
        });
    }
    Ok(files)
}

fn expect_magic(from: &mut impl Read) -> io::Result<()> {
    let mut magic = [0; MAGIC.len()];
    from.read_exact(&mut magic)?;
    match magic == MAGIC {
        true => Ok(()),
        false => Err(invalid("not a sheaf search index stream of this version")),
    }
}

fn write_run(to: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    to.write_all(&(bytes.len() as u64).to_le_bytes())?;
    to.write_all(bytes)
}

fn read_byte(from: &mut impl Read) -> io::Result<u8> {
    let mut byte = [0];
    from.read_exact(&mut byte)?;
    Ok(byte[0])
}

fn read_run(from: &mut impl Read) -> io::Result<Vec<u8>> {
    let mut len = [0; 8];
    from.read_exact(&mut len)?;
    let len = u64::from_le_bytes(len);
    if len > MAX_RUN {
        return Err(invalid("a length past any page"));
    }
    let mut bytes = Vec::new();
    from.take(len).read_to_end(&mut bytes)?;
    match bytes.len() as u64 == len {
        true => Ok(bytes),
        false => Err(io::ErrorKind::UnexpectedEof.into()),
    }
}

fn read_string(from: &mut impl Read) -> io::Result<String> {
    String::from_utf8(read_run(from)?).map_err(|_| invalid("a name that is not UTF-8"))
}

fn invalid(why: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, why)
}

#[cfg(test)]
pub(super) mod tests {
    use std::sync::mpsc;

    use super::*;

    pub(in super::super) fn pages() -> Pages {
        let html = "<html><body><main data-pagefind-body><p>Hello</p></main></body></html>";
        let long = html.repeat(20);
        Pages {
            language: "en".into(),
            documents: vec![
                Document {
                    url: "/a/".into(),
                    html: Contents::Bytes(html.as_bytes().to_vec().into()),
                    worksheet: false,
                    source: "content/a.md".into(),
                },
                Document {
                    url: "/b/".into(),
                    html: Contents::Packed(Packed::pack(long.as_bytes()).unwrap()),
                    worksheet: true,
                    source: "content/b.md".into(),
                },
            ],
        }
    }

    #[test]
    fn pages_cross_the_pipe_as_they_were() {
        let mut wire = Vec::new();
        send_pages(&pages(), &mut wire).unwrap();
        let (sender, receiver) = mpsc::channel();
        let mut from = wire.as_slice();
        assert_eq!(read_header(&mut from).unwrap(), "en");
        read_pages(&mut from, &sender).unwrap();
        drop(sender);
        let got: Vec<Document> = receiver.iter().collect();
        let sent = pages();
        assert_eq!(got.len(), 2);
        for (got, sent) in got.iter().zip(&sent.documents) {
            assert_eq!(got.url, sent.url);
            assert_eq!(got.source, sent.source);
            assert_eq!(got.worksheet, sent.worksheet);
            assert_eq!(got.html.bytes(), sent.html.bytes());
        }
    }

    #[test]
    fn a_bundle_crosses_the_file_as_it_was() {
        let files = vec![OutputFile {
            path: "pagefind/pagefind.js".into(),
            contents: Contents::Bytes(b"x".to_vec().into()),
        }];
        let mut wire = Vec::new();
        write_bundle(&files, &mut wire).unwrap();
        let read = read_bundle(&mut wire.as_slice()).unwrap();
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].path, "pagefind/pagefind.js");
        assert_eq!(read[0].contents.bytes().unwrap().as_ref(), b"x");
    }

    #[test]
    fn a_damaged_or_foreign_stream_is_an_error_not_a_panic() {
        let mut wire = Vec::new();
        send_pages(&pages(), &mut wire).unwrap();
        let read_all = |mut from: &[u8]| {
            let (sender, _receiver) = mpsc::channel();
            read_header(&mut from).and_then(|_| read_pages(&mut from, &sender))
        };
        for cut in [0, 5, MAGIC.len() + 3, wire.len() / 2, wire.len() - 1] {
            assert!(read_all(&wire[..cut]).is_err(), "cut at {cut}");
        }
        let mut huge = MAGIC.to_vec();
        huge.extend_from_slice(&u64::MAX.to_le_bytes());
        assert!(read_all(&huge).is_err());
        assert!(read_bundle(&mut &b"running on port 1111\n"[..]).is_err());
    }
}
