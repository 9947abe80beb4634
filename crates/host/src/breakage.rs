//! Deliberate host defects, for showing that the conformance suite catches them. Only a
//! build with the `breakage` feature can switch one on (`ReferenceHost::broken`, used by
//! the suite's own tests); in every other build the switches are never set.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(feature = "breakage"), allow(dead_code))]
pub enum Breakage {
    /// `proxy_get_header_map_value` answers the value of the next header.
    SwappedHeaderValues,
    /// A missing header answers OK with an empty value under every ABI version.
    NotFoundAsOk,
    /// Streams end without `proxy_on_log`.
    SkipOnLog,
    /// HTTP stream callbacks receive the root context id instead of the stream's.
    WrongStreamContext,
}

#[cfg_attr(not(feature = "breakage"), allow(dead_code))]
impl Breakage {
    pub const ALL: [Breakage; 4] = [
        Breakage::SwappedHeaderValues,
        Breakage::NotFoundAsOk,
        Breakage::SkipOnLog,
        Breakage::WrongStreamContext,
    ];

    pub fn name(&self) -> &'static str {
        match self {
            Breakage::SwappedHeaderValues => "swapped-header-values",
            Breakage::NotFoundAsOk => "not-found-as-ok",
            Breakage::SkipOnLog => "skip-on-log",
            Breakage::WrongStreamContext => "wrong-stream-context",
        }
    }
}
