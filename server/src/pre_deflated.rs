//! A text deflated once, ahead of the answers that will carry it. A
//! module's text is three fifths of its page and the same for every
//! learner, so it is deflated when its course version is first read, at
//! zlib's best level, and each page deflates only what is around it (see
//! [`crate::http::compression`]).

use flate2::{Compress, Compression, FlushCompress, Status};
use std::io;

/// A text and its deflated form: deflate blocks that refer to nothing
/// before them and end on a byte boundary without ending the stream (what a
/// sync flush leaves), so they can stand anywhere in a gzip stream.
#[derive(Debug)]
pub struct PreDeflated {
    text: String,
    /// `None` if zlib refused, which it does not with room to write: the
    /// text is then deflated with its page, as any other.
    deflated: Option<Vec<u8>>,
    crc: crc32fast::Hasher,
}

impl PreDeflated {
    pub fn new(text: String) -> Self {
        let mut deflated = Vec::new();
        let deflated = match deflate_open(
            text.as_bytes(),
            &mut Compress::new(Compression::best(), false),
            &mut deflated,
        ) {
            Ok(()) => Some(deflated),
            Err(error) => {
                tracing::error!(%error, "a text could not be deflated ahead");
                None
            }
        };
        let mut crc = crc32fast::Hasher::new();
        crc.update(text.as_bytes());
        Self { text, deflated, crc }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn deflated(&self) -> Option<&[u8]> {
        self.deflated.as_deref()
    }

    /// The text's CRC-32, to be combined into its answer's.
    pub fn crc(&self) -> &crc32fast::Hasher {
        &self.crc
    }
}

/// Appends `plain`, deflated by `compressor` as it stands, to `out`, and
/// leaves the stream open on a byte boundary (a sync flush), so that what
/// follows may be deflated apart.
pub fn deflate_open(plain: &[u8], compressor: &mut Compress, out: &mut Vec<u8>) -> io::Result<()> {
    deflate(plain, compressor, out, FlushCompress::Sync)
}

/// Appends `plain`, deflated by `compressor` as it stands, to `out`, and
/// ends the stream.
pub fn deflate_end(plain: &[u8], compressor: &mut Compress, out: &mut Vec<u8>) -> io::Result<()> {
    deflate(plain, compressor, out, FlushCompress::Finish)
}

/// Moves `compressor` past `length` bytes that the reader will have from
/// elsewhere (a text deflated ahead, set in after what it has deflated so
/// far), so that what it deflates next refers back at the distances the
/// reader sees. It deflates that many zero bytes, and what it writes for
/// them is thrown away. Zeros go by in long copies: under a microsecond for
/// a module's 9 KB, against about 4 µs for starting a new stream (zlib
/// clears 128 KB of tables) and 27 µs for deflating the text itself.
///
/// What comes next must hold no zero byte: it could refer back to these
/// zeros, which the reader does not have.
pub fn deflate_past(length: usize, compressor: &mut Compress) -> io::Result<()> {
    static ZEROS: [u8; 4096] = [0; 4096];
    let mut thrown_away = Vec::with_capacity(1024);
    let mut left = length;
    while left > 0 {
        thrown_away.clear();
        let before = compressor.total_in();
        compressor.compress_vec(&ZEROS[..left.min(ZEROS.len())], &mut thrown_away, FlushCompress::None)?;
        let taken = usize::try_from(compressor.total_in() - before).unwrap_or(usize::MAX);
        if taken == 0 && thrown_away.is_empty() {
            return Err(io::Error::other("zlib took no input"));
        }
        left = left.saturating_sub(taken);
    }
    thrown_away.clear();
    deflate_open(&[], compressor, &mut thrown_away)
}

fn deflate(plain: &[u8], compressor: &mut Compress, out: &mut Vec<u8>, flush: FlushCompress) -> io::Result<()> {
    let start = compressor.total_in();
    let taken = |compressor: &Compress| usize::try_from(compressor.total_in() - start).unwrap_or(usize::MAX);
    loop {
        let done = taken(compressor).min(plain.len());
        // Room for the rest stored as it is, with block headers and the
        // flush; zlib is called again if it was not enough.
        out.reserve(plain.len() - done + 64);
        let status = compressor.compress_vec(&plain[done..], out, flush)?;
        let finished = match flush {
            FlushCompress::Finish => status == Status::StreamEnd,
            // A flush is complete once zlib stops with room to spare.
            _ => taken(compressor) >= plain.len() && out.len() < out.capacity(),
        };
        if finished {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{Decompress, FlushDecompress};

    /// Inflates raw deflate data that may be left open.
    fn inflate(deflated: &[u8]) -> Vec<u8> {
        let mut plain = Vec::with_capacity(1 << 20);
        Decompress::new(false)
            .decompress_vec(deflated, &mut plain, FlushDecompress::Sync)
            .unwrap();
        plain
    }

    #[test]
    fn texts_deflated_ahead_read_back_and_stand_on_their_own() {
        let prose = "<p>Grounding helps a group member come back to the room.</p>".repeat(300);
        let noise: String = (0..100_000u32)
            .map(|i| char::from(b'!' + (i * 7919 % 89) as u8))
            .collect();
        for text in [prose, noise, String::new()] {
            let part = PreDeflated::new(text.clone());
            let deflated = part.deflated().unwrap();
            assert_eq!(inflate(deflated), text.as_bytes());
            assert_eq!(
                &deflated[deflated.len() - 4..],
                [0, 0, 0xff, 0xff],
                "left open by a sync flush"
            );
            // Two in a row read as both: neither refers to the other.
            let twice = [deflated, deflated].concat();
            assert_eq!(inflate(&twice), [text.as_bytes(), text.as_bytes()].concat());
            let mut crc = crc32fast::Hasher::new();
            crc.update(text.as_bytes());
            assert_eq!(part.crc().clone().finalize(), crc.finalize());
        }
    }
}
