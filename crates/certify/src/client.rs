//! The pwconf side of the protocol: a host process started from a command line, spoken to
//! one request and one reply at a time.

use std::io::{BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use pwconf_protocol::{Hello, HostError, PROTOCOL_VERSION, ProtocolError, Reply, Request};

/// How long pwconf waits for one reply before it gives the host up: a host that hangs
/// must not hang the certification.
pub const REPLY_TIMEOUT: Duration = Duration::from_secs(120);

/// Why talking to the host failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("cannot start host `{command}`: {error}")]
    Spawn { command: String, error: String },
    #[error("host `{command}`: {error}")]
    Protocol { command: String, error: String },
    #[error("host `{command}` answered no reply within {seconds} s to {request}")]
    Timeout {
        command: String,
        seconds: u64,
        request: String,
    },
    #[error("host `{command}` exited before answering {request}")]
    Exited { command: String, request: String },
    /// The host answered with an error message.
    #[error("host `{command}` refused {request}: {error}")]
    Host {
        command: String,
        request: String,
        error: HostError,
    },
}

/// A running host process after `hello`.
pub struct ExternalHost {
    command: String,
    child: Child,
    stdin: Option<ChildStdin>,
    replies: Receiver<Result<Reply, ProtocolError>>,
    hello: Hello,
    timeout: Duration,
}

impl ExternalHost {
    /// Starts `command` (run by `sh -c`, in `dir` when given) and exchanges `hello`.
    ///
    /// # Errors
    /// The command does not start, does not answer `hello`, or speaks another protocol
    /// version.
    pub fn spawn(command: &str, dir: Option<&std::path::Path>) -> Result<ExternalHost, ClientError> {
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(command)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if let Some(dir) = dir {
            cmd.current_dir(dir);
        }
        let mut child = cmd.spawn().map_err(|e| ClientError::Spawn {
            command: command.to_string(),
            error: e.to_string(),
        })?;
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().ok_or_else(|| ClientError::Spawn {
            command: command.to_string(),
            error: "no stdout".into(),
        })?;
        let (tx, replies) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                match pwconf_protocol::read_message::<_, Reply>(&mut reader) {
                    Ok(Some(reply)) => {
                        if tx.send(Ok(reply)).is_err() {
                            return;
                        }
                    }
                    Ok(None) => return,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                    }
                }
            }
        });
        let mut host = ExternalHost {
            command: command.to_string(),
            child,
            stdin,
            replies,
            hello: Hello {
                protocol: 0,
                host: String::new(),
                version: String::new(),
                abi: Vec::new(),
                observations: Vec::new(),
                runtimes: Vec::new(),
                clocks: Vec::new(),
            },
            timeout: REPLY_TIMEOUT,
        };
        match host.request(&Request::Hello {
            protocol: PROTOCOL_VERSION,
        })? {
            Reply::Hello(hello) if hello.protocol == PROTOCOL_VERSION => host.hello = hello,
            Reply::Hello(hello) => {
                return Err(host.protocol_error(format!(
                    "speaks protocol version {}, pwconf speaks {PROTOCOL_VERSION}",
                    hello.protocol
                )));
            }
            other => return Err(host.protocol_error(format!("answered hello with {other:?}"))),
        }
        Ok(host)
    }

    /// What the host said about itself.
    pub fn hello(&self) -> &Hello {
        &self.hello
    }

    pub fn command(&self) -> &str {
        &self.command
    }

    fn protocol_error(&self, error: String) -> ClientError {
        ClientError::Protocol {
            command: self.command.clone(),
            error,
        }
    }

    /// Sends one request and waits for its reply; an `error` reply is returned as
    /// [`ClientError::Host`].
    ///
    /// # Errors
    /// The host is gone, answers garbage, answers nothing in time, or answers an error.
    pub fn request(&mut self, request: &Request) -> Result<Reply, ClientError> {
        let what = request_name(request);
        let Some(stdin) = self.stdin.as_mut() else {
            return Err(self.exited(what));
        };
        if pwconf_protocol::write_message(stdin, request).is_err() {
            return Err(self.exited(what));
        }
        match self.replies.recv_timeout(self.timeout) {
            Ok(Ok(Reply::Error(error))) => Err(ClientError::Host {
                command: self.command.clone(),
                request: what.to_string(),
                error,
            }),
            Ok(Ok(reply)) => Ok(reply),
            Ok(Err(e)) => Err(self.protocol_error(e.to_string())),
            Err(RecvTimeoutError::Timeout) => Err(ClientError::Timeout {
                command: self.command.clone(),
                seconds: self.timeout.as_secs(),
                request: what.to_string(),
            }),
            Err(RecvTimeoutError::Disconnected) => Err(self.exited(what)),
        }
    }

    /// Sends a request whose only good answer is `expected` (`started`, `done`).
    ///
    /// # Errors
    /// As [`ExternalHost::request`], or another reply.
    pub fn expect(&mut self, request: &Request, expected: &Reply) -> Result<(), ClientError> {
        let reply = self.request(request)?;
        if &reply == expected {
            Ok(())
        } else {
            Err(self.protocol_error(format!("answered {} with {reply:?}", request_name(request))))
        }
    }

    fn exited(&self, request: &str) -> ClientError {
        ClientError::Exited {
            command: self.command.clone(),
            request: request.to_string(),
        }
    }
}

impl Drop for ExternalHost {
    fn drop(&mut self) {
        if let Some(mut stdin) = self.stdin.take() {
            let _ = pwconf_protocol::write_message(&mut stdin, &Request::Quit);
            let _ = stdin.flush();
        }
        // A host gets a moment to stop its proxy, then is killed.
        for _ in 0..50 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The request's `type`, for messages.
pub fn request_name(request: &Request) -> &'static str {
    match request {
        Request::Hello { .. } => "hello",
        Request::Start(_) => "start",
        Request::Http(_) => "http",
        Request::Tcp(_) => "tcp",
        Request::Advance { .. } => "advance",
        Request::Reconfigure { .. } => "reconfigure",
        Request::ForeignFunction { .. } => "foreign_function",
        Request::Finish => "finish",
        Request::Quit => "quit",
    }
}
