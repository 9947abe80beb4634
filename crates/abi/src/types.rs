//! The ABI's enums as Rust types. Their numbers and spellings come from `spec/enums.yaml`;
//! the test `rust_enums_match_spec` fails when the two disagree.

use std::fmt;

/// Declares a `#[repr(u32)]` ABI enum together with the name of its `spec/enums.yaml` entry
/// and the spec spelling of every value, so the test can compare them one to one.
macro_rules! abi_enum {
    (
        $(#[$meta:meta])*
        $ty:ident = $spec_name:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal => $spelling:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u32)]
        pub enum $ty {
            $( $(#[$vmeta])* $variant = $value, )+
        }

        impl $ty {
            /// The entry of `spec/enums.yaml` this type mirrors.
            pub const SPEC_NAME: &'static str = $spec_name;
            /// Every value, in numeric order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The value for a wire number, if it names one.
            pub fn from_u32(value: u32) -> Option<$ty> {
                match value {
                    $( $value => Some($ty::$variant), )+
                    _ => None,
                }
            }

            /// The spec's spelling (`NOT_FOUND`).
            pub fn name(&self) -> &'static str {
                match self {
                    $( $ty::$variant => $spelling, )+
                }
            }

            /// The value for a spec spelling.
            pub fn from_name(name: &str) -> Option<$ty> {
                match name {
                    $( $spelling => Some($ty::$variant), )+
                    _ => None,
                }
            }

            pub fn as_u32(self) -> u32 {
                self as u32
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{} ({})", self.name(), *self as u32)
            }
        }
    };
}

abi_enum! {
    /// `proxy_status_t`: the result of every `env.proxy_*` hostcall.
    Status = "status" {
        Ok = 0 => "OK",
        NotFound = 1 => "NOT_FOUND",
        BadArgument = 2 => "BAD_ARGUMENT",
        SerializationFailure = 3 => "SERIALIZATION_FAILURE",
        ParseFailure = 4 => "PARSE_FAILURE",
        BadExpression = 5 => "BAD_EXPRESSION",
        InvalidMemoryAccess = 6 => "INVALID_MEMORY_ACCESS",
        Empty = 7 => "EMPTY",
        CasMismatch = 8 => "CAS_MISMATCH",
        ResultMismatch = 9 => "RESULT_MISMATCH",
        InternalFailure = 10 => "INTERNAL_FAILURE",
        BrokenConnection = 11 => "BROKEN_CONNECTION",
        Unimplemented = 12 => "UNIMPLEMENTED",
    }
}

abi_enum! {
    /// `proxy_log_level_t`.
    LogLevel = "log_level" {
        Trace = 0 => "TRACE",
        Debug = 1 => "DEBUG",
        Info = 2 => "INFO",
        Warn = 3 => "WARN",
        Error = 4 => "ERROR",
        Critical = 5 => "CRITICAL",
    }
}

abi_enum! {
    /// `proxy_action_t`: what a stream callback answers.
    Action = "action" {
        Continue = 0 => "CONTINUE",
        Pause = 1 => "PAUSE",
    }
}

abi_enum! {
    /// `proxy_buffer_type_t`.
    BufferType = "buffer_type" {
        HttpRequestBody = 0 => "HTTP_REQUEST_BODY",
        HttpResponseBody = 1 => "HTTP_RESPONSE_BODY",
        DownstreamData = 2 => "DOWNSTREAM_DATA",
        UpstreamData = 3 => "UPSTREAM_DATA",
        HttpCallResponseBody = 4 => "HTTP_CALL_RESPONSE_BODY",
        GrpcCallMessage = 5 => "GRPC_CALL_MESSAGE",
        VmConfiguration = 6 => "VM_CONFIGURATION",
        PluginConfiguration = 7 => "PLUGIN_CONFIGURATION",
        ForeignFunctionArguments = 8 => "FOREIGN_FUNCTION_ARGUMENTS",
    }
}

abi_enum! {
    /// `proxy_map_type_t`.
    MapType = "map_type" {
        HttpRequestHeaders = 0 => "HTTP_REQUEST_HEADERS",
        HttpRequestTrailers = 1 => "HTTP_REQUEST_TRAILERS",
        HttpResponseHeaders = 2 => "HTTP_RESPONSE_HEADERS",
        HttpResponseTrailers = 3 => "HTTP_RESPONSE_TRAILERS",
        GrpcCallInitialMetadata = 4 => "GRPC_CALL_INITIAL_METADATA",
        GrpcCallTrailingMetadata = 5 => "GRPC_CALL_TRAILING_METADATA",
        HttpCallResponseHeaders = 6 => "HTTP_CALL_RESPONSE_HEADERS",
        HttpCallResponseTrailers = 7 => "HTTP_CALL_RESPONSE_TRAILERS",
    }
}

abi_enum! {
    /// `proxy_stream_type_t` (0.2.0+).
    StreamType = "stream_type" {
        HttpRequest = 0 => "HTTP_REQUEST",
        HttpResponse = 1 => "HTTP_RESPONSE",
        Downstream = 2 => "DOWNSTREAM",
        Upstream = 3 => "UPSTREAM",
    }
}

abi_enum! {
    /// `proxy_peer_type_t`: who closed a TCP connection.
    PeerType = "peer_type" {
        Unknown = 0 => "UNKNOWN",
        Local = 1 => "LOCAL",
        Remote = 2 => "REMOTE",
    }
}

abi_enum! {
    /// `proxy_metric_type_t`.
    MetricType = "metric_type" {
        Counter = 0 => "COUNTER",
        Gauge = 1 => "GAUGE",
        Histogram = 2 => "HISTOGRAM",
    }
}

abi_enum! {
    /// The gRPC status codes used by `proxy_on_grpc_close` and `proxy_send_local_response`.
    GrpcStatus = "grpc_status" {
        Ok = 0 => "OK",
        Cancelled = 1 => "CANCELLED",
        Unknown = 2 => "UNKNOWN",
        InvalidArgument = 3 => "INVALID_ARGUMENT",
        DeadlineExceeded = 4 => "DEADLINE_EXCEEDED",
        NotFound = 5 => "NOT_FOUND",
        AlreadyExists = 6 => "ALREADY_EXISTS",
        PermissionDenied = 7 => "PERMISSION_DENIED",
        ResourceExhausted = 8 => "RESOURCE_EXHAUSTED",
        FailedPrecondition = 9 => "FAILED_PRECONDITION",
        Aborted = 10 => "ABORTED",
        OutOfRange = 11 => "OUT_OF_RANGE",
        Unimplemented = 12 => "UNIMPLEMENTED",
        Internal = 13 => "INTERNAL",
        Unavailable = 14 => "UNAVAILABLE",
        DataLoss = 15 => "DATA_LOSS",
        Unauthenticated = 16 => "UNAUTHENTICATED",
    }
}

abi_enum! {
    /// `wasi_errno_t`, as far as pwconf's WASI functions answer it.
    WasiErrno = "wasi_errno" {
        Success = 0 => "SUCCESS",
        Badf = 8 => "BADF",
        Notdir = 20 => "NOTDIR",
        Fault = 21 => "FAULT",
        Inval = 28 => "INVAL",
        Noent = 44 => "NOENT",
        Nosys = 52 => "NOSYS",
        Notsup = 58 => "NOTSUP",
        Notcapable = 76 => "NOTCAPABLE",
    }
}

/// Every Rust mirror of a spec enum: (spec name, [(spelling, number)]).
pub fn rust_mirrors() -> Vec<(&'static str, Vec<(&'static str, u32)>)> {
    fn table<T: Copy>(
        name: &'static str,
        all: &[T],
        spell: fn(&T) -> &'static str,
        num: fn(T) -> u32,
    ) -> (&'static str, Vec<(&'static str, u32)>) {
        (name, all.iter().map(|v| (spell(v), num(*v))).collect())
    }
    vec![
        table(Status::SPEC_NAME, Status::ALL, Status::name, Status::as_u32),
        table(
            LogLevel::SPEC_NAME,
            LogLevel::ALL,
            LogLevel::name,
            LogLevel::as_u32,
        ),
        table(Action::SPEC_NAME, Action::ALL, Action::name, Action::as_u32),
        table(
            BufferType::SPEC_NAME,
            BufferType::ALL,
            BufferType::name,
            BufferType::as_u32,
        ),
        table(MapType::SPEC_NAME, MapType::ALL, MapType::name, MapType::as_u32),
        table(
            StreamType::SPEC_NAME,
            StreamType::ALL,
            StreamType::name,
            StreamType::as_u32,
        ),
        table(
            PeerType::SPEC_NAME,
            PeerType::ALL,
            PeerType::name,
            PeerType::as_u32,
        ),
        table(
            MetricType::SPEC_NAME,
            MetricType::ALL,
            MetricType::name,
            MetricType::as_u32,
        ),
        table(
            GrpcStatus::SPEC_NAME,
            GrpcStatus::ALL,
            GrpcStatus::name,
            GrpcStatus::as_u32,
        ),
        table(
            WasiErrno::SPEC_NAME,
            WasiErrno::ALL,
            WasiErrno::name,
            WasiErrno::as_u32,
        ),
    ]
}
