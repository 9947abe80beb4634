//! The pair serialization of header maps, metadata and local-reply headers (ABI §5.1):
//! `u32 N`, then `N × (u32 key_len, u32 value_len)`, then each key and value followed by
//! one NUL. Lengths exclude the NUL.

/// Envoy's host treats more pairs than this as malformed.
pub const MAX_PAIRS: usize = 1024;
/// Envoy's host treats a larger serialization as malformed.
pub const MAX_SERIALIZED: usize = 1 << 20;

/// One header: a name (stored lowercased for HTTP maps) and a value, both raw bytes.
pub type Pair = (Vec<u8>, Vec<u8>);

/// Serializes pairs; an empty list serializes to nothing (the host then returns ptr 0,
/// len 0 without calling the allocator).
pub fn serialize(pairs: &[Pair]) -> Vec<u8> {
    if pairs.is_empty() {
        return Vec::new();
    }
    let size = 4 + pairs
        .iter()
        .map(|(k, v)| 8 + k.len() + 1 + v.len() + 1)
        .sum::<usize>();
    let mut out = Vec::with_capacity(size);
    out.extend_from_slice(&(pairs.len() as u32).to_le_bytes());
    for (k, v) in pairs {
        out.extend_from_slice(&(k.len() as u32).to_le_bytes());
        out.extend_from_slice(&(v.len() as u32).to_le_bytes());
    }
    for (k, v) in pairs {
        out.extend_from_slice(k);
        out.push(0);
        out.extend_from_slice(v);
        out.push(0);
    }
    out
}

/// Parses a serialization. Like Envoy's host, anything malformed (too short, too many
/// pairs, too large, lengths past the end, a missing NUL, trailing bytes) reads as `None`,
/// which callers treat as an empty list.
pub fn deserialize(bytes: &[u8]) -> Option<Vec<Pair>> {
    if bytes.len() > MAX_SERIALIZED || bytes.len() < 4 {
        return None;
    }
    let word = |at: usize| -> Option<usize> {
        let b = bytes.get(at..at + 4)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    let n = word(0)?;
    if n > MAX_PAIRS {
        return None;
    }
    let mut lengths = Vec::with_capacity(n);
    for i in 0..n {
        lengths.push((word(4 + 8 * i)?, word(8 + 8 * i)?));
    }
    let mut at = 4 + 8 * n;
    let mut take = |len: usize| -> Option<Vec<u8>> {
        let end = at.checked_add(len)?;
        let s = bytes.get(at..end)?.to_vec();
        if *bytes.get(end)? != 0 {
            return None;
        }
        at = end + 1;
        Some(s)
    };
    let mut pairs = Vec::with_capacity(n);
    for (kl, vl) in lengths {
        let k = take(kl)?;
        let v = take(vl)?;
        pairs.push((k, v));
    }
    (at == bytes.len()).then_some(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_example_round_trips() {
        let pairs = vec![(b"a".to_vec(), b"1".to_vec()), (b"b".to_vec(), b"22".to_vec())];
        let bytes = serialize(&pairs);
        assert_eq!(bytes.len(), 29);
        assert_eq!(&bytes[..4], &[2, 0, 0, 0]);
        assert_eq!(&bytes[20..], b"a\x001\x00b\x0022\x00");
        assert_eq!(deserialize(&bytes), Some(pairs));
    }

    #[test]
    fn malformed_input_reads_as_none() {
        assert_eq!(deserialize(&[]), None);
        assert_eq!(deserialize(&[0]), None);
        assert_eq!(deserialize(&[0, 0, 0, 0]), Some(vec![]));
        let good = serialize(&[(b"k".to_vec(), b"v".to_vec())]);
        assert_eq!(deserialize(&good[..good.len() - 1]), None);
        let mut no_nul = good.clone();
        let last = no_nul.len() - 1;
        no_nul[last] = b'x';
        assert_eq!(deserialize(&no_nul), None);
        let mut trailing = good;
        trailing.push(0);
        assert_eq!(deserialize(&trailing), None);
        assert_eq!(deserialize(&[0xff, 0xff, 0xff, 0xff]), None);
    }
}
