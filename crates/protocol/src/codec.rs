//! One message per line: writing a message and reading the next one, with errors that
//! say which line was wrong and why.

use std::io::{BufRead, Write};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// A line that could not be written or read as a message.
#[derive(Debug, thiserror::Error)]
pub enum ProtocolError {
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("not a valid message ({error}): {line}")]
    Invalid { error: String, line: String },
}

/// Writes `message` as one JSON line and flushes, so the peer sees it at once.
///
/// # Errors
/// The stream is closed or fails.
pub fn write_message<W: Write, T: Serialize>(out: &mut W, message: &T) -> Result<(), ProtocolError> {
    let mut line = serde_json::to_vec(message).map_err(|e| ProtocolError::Invalid {
        error: e.to_string(),
        line: String::new(),
    })?;
    line.push(b'\n');
    out.write_all(&line)?;
    out.flush()?;
    Ok(())
}

/// Reads the next message; `None` at the end of input. Blank lines are skipped.
///
/// # Errors
/// The stream fails, or the line is not JSON of the expected shape (the error quotes the
/// line, cut to 200 characters).
pub fn read_message<R: BufRead, T: DeserializeOwned>(input: &mut R) -> Result<Option<T>, ProtocolError> {
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        if !line.trim().is_empty() {
            break;
        }
    }
    serde_json::from_str(line.trim_end()).map(Some).map_err(|e| {
        let mut shown: String = line.trim_end().chars().take(200).collect();
        if shown.len() < line.trim_end().len() {
            shown.push_str("...");
        }
        ProtocolError::Invalid {
            error: e.to_string(),
            line: shown,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Reply, Request};

    #[test]
    fn messages_round_trip_one_per_line() {
        let mut buf = Vec::new();
        let sent = [
            Request::Hello { protocol: 1 },
            Request::Advance { millis: 5 },
            Request::Finish,
        ];
        for m in &sent {
            assert!(write_message(&mut buf, m).is_ok());
        }
        assert_eq!(buf.iter().filter(|b| **b == b'\n').count(), 3);
        let mut input = std::io::Cursor::new(buf);
        for m in &sent {
            let got: Option<Request> = read_message(&mut input).ok().flatten();
            assert_eq!(got.as_ref(), Some(m));
        }
        assert!(matches!(read_message::<_, Request>(&mut input), Ok(None)));
    }

    #[test]
    fn a_bad_line_is_an_error_quoting_it() {
        let mut input = std::io::Cursor::new(b"{\"type\":\"advance\",\"milis\":5}\n".to_vec());
        let err = match read_message::<_, Request>(&mut input) {
            Err(e) => e.to_string(),
            Ok(m) => panic!("accepted {m:?}"),
        };
        assert!(err.contains("milis"), "{err}");
        let mut input = std::io::Cursor::new(b"{\"type\":\"started\"}\n".to_vec());
        assert!(matches!(
            read_message::<_, Reply>(&mut input),
            Ok(Some(Reply::Started))
        ));
    }
}
