//! Incremental splitting of a byte stream into lines (the framing of watch streams and logs).
//!
//! The API server writes one JSON document per line, but the network hands us arbitrary chunks: a line
//! may span many chunks and a chunk may hold many lines. [`LineSplitter`] buffers the unfinished tail
//! and yields only complete lines, so the result is the same however the body was split (also inside
//! a UTF-8 sequence: lines are bytes until the JSON decoder reads them). A line longer than the
//! limit is an error rather than unbounded memory.

use crate::api::error::Error;

/// Default longest line: far above any Kubernetes object (etcd stores at most ~1.5 MiB).
pub const DEFAULT_MAX_LINE: usize = 16 * 1024 * 1024;

/// Splits pushed bytes into complete `\n`-terminated lines, keeping the unfinished tail.
#[derive(Debug)]
pub struct LineSplitter {
    buf: Vec<u8>,
    /// Bytes of `buf` already searched for `\n` (so a long line is not rescanned on every chunk).
    scanned: usize,
    /// Start of the first line not yet handed out.
    start: usize,
    /// Longest line accepted.
    max_line: usize,
    /// Hand out blank lines too (logs), instead of skipping them (watch streams).
    keep_blank: bool,
}

impl Default for LineSplitter {
    fn default() -> Self {
        Self::with_max_line(DEFAULT_MAX_LINE)
    }
}

impl LineSplitter {
    /// An empty splitter with the default line limit.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty splitter that rejects lines longer than `max_line` bytes.
    pub fn with_max_line(max_line: usize) -> Self {
        LineSplitter {
            buf: Vec::new(),
            scanned: 0,
            start: 0,
            max_line,
            keep_blank: false,
        }
    }

    /// Also hands out blank lines (for logs, where they are content).
    pub fn keeping_blank_lines(mut self) -> Self {
        self.keep_blank = true;
        self
    }

    /// Appends a chunk of the body.
    pub fn push(&mut self, chunk: &[u8]) {
        if self.start > 0 && self.start == self.buf.len() {
            self.buf.clear();
            self.scanned = 0;
            self.start = 0;
        }
        self.buf.extend_from_slice(chunk);
    }

    /// The next complete line (without its `\n` or `\r\n`), or `None` until more bytes arrive.
    /// Blank lines are skipped. Fails once an unfinished line exceeds the limit.
    pub fn next_line(&mut self) -> Result<Option<&[u8]>, Error> {
        loop {
            let from = self.scanned.max(self.start);
            let Some(offset) = self.buf[from..].iter().position(|b| *b == b'\n') else {
                self.scanned = self.buf.len();
                self.compact();
                if self.buf.len() - self.start > self.max_line {
                    return Err(Error::Decode(format!(
                        "a line of the stream exceeds {} bytes without ending",
                        self.max_line
                    )));
                }
                return Ok(None);
            };
            let begin = self.start;
            let mut end = from + offset;
            self.start = end + 1;
            self.scanned = self.start;
            if end > begin && self.buf[end - 1] == b'\r' {
                end -= 1;
            }
            if !self.keep_blank && self.buf[begin..end].iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            if end - begin > self.max_line {
                return Err(Error::Decode(format!(
                    "a line of the stream exceeds {} bytes",
                    self.max_line
                )));
            }
            return Ok(Some(&self.buf[begin..end]));
        }
    }

    /// Bytes received after the last complete line (a partial line, when the stream ended early).
    pub fn pending(&self) -> &[u8] {
        &self.buf[self.start..]
    }

    /// Drops consumed bytes once they dominate the buffer, keeping memory bounded by one line.
    fn compact(&mut self) {
        if self.start > 0 && self.start * 2 >= self.buf.len() {
            self.buf.drain(..self.start);
            self.scanned -= self.start;
            self.start = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_all(chunks: &[&[u8]]) -> (Vec<String>, String) {
        let mut s = LineSplitter::new();
        let mut out = Vec::new();
        for c in chunks {
            s.push(c);
            while let Some(line) = s.next_line().unwrap() {
                out.push(String::from_utf8(line.to_vec()).unwrap());
            }
        }
        (out, String::from_utf8_lossy(s.pending()).into_owned())
    }

    #[test]
    fn every_split_of_a_body_gives_the_same_lines() {
        let body =
            "{\"a\":1}\n{\"b\":\"x\\ny ünïcødé 🚀\"}\r\n\n{\"c\":[1,2,3]}\n{\"partial\"".as_bytes();
        let whole = split_all(&[body]);
        assert_eq!(
            whole.0,
            vec![
                "{\"a\":1}",
                "{\"b\":\"x\\ny ünïcødé 🚀\"}",
                "{\"c\":[1,2,3]}"
            ]
        );
        assert_eq!(whole.1, "{\"partial\"");
        for i in 0..=body.len() {
            for j in i..=body.len() {
                let parts = [&body[..i], &body[i..j], &body[j..]];
                assert_eq!(split_all(&parts), whole, "split at {i},{j}");
            }
        }
    }

    #[test]
    fn random_chunkings_of_a_recorded_watch_equal_one_shot() {
        let body = include_bytes!("../../tests/fixtures/watch-pods.jsonl");
        let whole = split_all(&[body]);
        assert_eq!(whole.0.len(), 10);
        let mut rng = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..300 {
            let mut parts = Vec::new();
            let mut rest = &body[..];
            while !rest.is_empty() {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                let n = (rng % 3000) as usize + 1;
                let (a, b) = rest.split_at(n.min(rest.len()));
                parts.push(a);
                rest = b;
            }
            assert_eq!(split_all(&parts), whole);
        }
    }

    #[test]
    fn many_lines_in_one_chunk_and_buffer_stays_small() {
        let mut s = LineSplitter::new();
        for _ in 0..1000 {
            s.push(b"{\"type\":\"BOOKMARK\"}\n{\"ty");
            while s.next_line().unwrap().is_some() {}
            s.push(b"pe\":\"ADDED\"}\n");
            assert_eq!(s.next_line().unwrap(), Some(&b"{\"type\":\"ADDED\"}"[..]));
            assert_eq!(s.next_line().unwrap(), None);
        }
        assert!(s.buf.len() < 64, "buffer grew to {}", s.buf.len());
    }

    #[test]
    fn overlong_lines_are_a_clear_error() {
        let mut s = LineSplitter::with_max_line(10);
        s.push(b"0123456789abc");
        let e = s.next_line().unwrap_err();
        assert_eq!(
            e.to_string(),
            "unexpected response: a line of the stream exceeds 10 bytes without ending"
        );
        let mut s = LineSplitter::with_max_line(10);
        s.push(b"0123456789abc\n");
        assert!(s.next_line().is_err());
        let mut s = LineSplitter::with_max_line(10);
        s.push(b"0123456789\n");
        assert_eq!(s.next_line().unwrap(), Some(&b"0123456789"[..]));
    }
}
