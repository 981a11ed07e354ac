//! Incremental splitting of a byte stream into lines (the framing of watch streams and logs).
//!
//! The API server writes one JSON document per line, but the network hands us arbitrary chunks: a line
//! may span many chunks and a chunk may hold many lines. [`LineSplitter`] buffers the unfinished tail
//! and yields only complete lines, so the result is the same however the body was split.

/// Splits pushed bytes into complete `\n`-terminated lines, keeping the unfinished tail.
#[derive(Debug, Default)]
pub struct LineSplitter {
    buf: Vec<u8>,
    /// Bytes of `buf` already searched for `\n` (so a long line is not rescanned on every chunk).
    scanned: usize,
    /// Start of the first line not yet handed out.
    start: usize,
}

impl LineSplitter {
    /// An empty splitter.
    pub fn new() -> Self {
        Self::default()
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
    /// Blank lines are skipped.
    pub fn next_line(&mut self) -> Option<&[u8]> {
        loop {
            let from = self.scanned.max(self.start);
            let Some(offset) = self.buf[from..].iter().position(|b| *b == b'\n') else {
                self.scanned = self.buf.len();
                self.compact();
                return None;
            };
            let begin = self.start;
            let mut end = from + offset;
            self.start = end + 1;
            self.scanned = self.start;
            if end > begin && self.buf[end - 1] == b'\r' {
                end -= 1;
            }
            if self.buf[begin..end].iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(&self.buf[begin..end]);
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
            while let Some(line) = s.next_line() {
                out.push(String::from_utf8_lossy(line).into_owned());
            }
        }
        (out, String::from_utf8_lossy(s.pending()).into_owned())
    }

    #[test]
    fn every_split_of_a_body_gives_the_same_lines() {
        let body = b"{\"a\":1}\n{\"b\":\"x\\ny\"}\r\n\n{\"c\":[1,2,3]}\n{\"partial\"";
        let whole = split_all(&[body]);
        assert_eq!(
            whole.0,
            vec!["{\"a\":1}", "{\"b\":\"x\\ny\"}", "{\"c\":[1,2,3]}"]
        );
        assert_eq!(whole.1, "{\"partial\"");
        for i in 0..=body.len() {
            for j in i..=body.len() {
                let parts = [&body[..i], &body[i..j], &body[j..]];
                assert_eq!(split_all(&parts), whole, "split at {i},{j}");
            }
        }
        let bytes: Vec<&[u8]> = body.chunks(1).collect();
        assert_eq!(split_all(&bytes), whole);
    }

    #[test]
    fn many_lines_in_one_chunk_and_buffer_stays_small() {
        let mut s = LineSplitter::new();
        for _ in 0..1000 {
            s.push(b"{\"type\":\"BOOKMARK\"}\n{\"ty");
            while s.next_line().is_some() {}
            s.push(b"pe\":\"ADDED\"}\n");
            assert_eq!(s.next_line(), Some(&b"{\"type\":\"ADDED\"}"[..]));
            assert_eq!(s.next_line(), None);
        }
        assert!(s.buf.len() < 64, "buffer grew to {}", s.buf.len());
    }
}
