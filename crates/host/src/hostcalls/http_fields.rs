//! Header maps: `proxy_get_header_map_*`, `proxy_set_header_map_pairs`,
//! `proxy_add/replace/remove_header_map_value`. Names are compared case-insensitively and
//! stored lowercased, as Envoy does.

use pwconf_abi::AbiVersion;
use pwconf_abi::types::{MapType, Status};
use pwconf_backend::Val;

use super::{Answer, Call, Fail, params};
use crate::breakage::Breakage;
use crate::pairs::{self, Pair};
use crate::state::{Access, VmState};

/// The map the acting context may use now; `BAD_ARGUMENT` when it is not available (or not
/// writable, for `write`), as in Envoy.
fn map(state: &mut VmState, map: MapType, write: bool) -> Result<&mut Vec<Pair>, Status> {
    let index = map.as_u32() as usize;
    if index < 4 {
        let stream = state.acting_stream().ok_or(Status::BadArgument)?;
        let need = if write { Access::ReadWrite } else { Access::Read };
        if stream.map_access[index] < need {
            return Err(Status::BadArgument);
        }
        return stream.maps[index].as_mut().ok_or(Status::BadArgument);
    }
    if write {
        return Err(Status::BadArgument);
    }
    state
        .callout_maps
        .get_mut(&map.as_u32())
        .ok_or(Status::BadArgument)
}

fn map_type(map_id: u32) -> Result<MapType, Status> {
    MapType::from_u32(map_id).ok_or(Status::BadArgument)
}

fn key(call: &mut Call<'_>, key_data: u32, key_size: u32) -> Result<Vec<u8>, super::Fail> {
    Ok(call.read(key_data, key_size)?.to_ascii_lowercase())
}

/// Writes the size of the map's pair serialization (ABI §5.1).
pub fn proxy_get_header_map_size(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (map_id, return_serialized_pairs_size): (u32, u32) = params(args);
    let which = map_type(map_id)?;
    let size = pairs::serialize(map(call.state()?, which, false)?).len() as u32;
    call.write_u32(return_serialized_pairs_size, size)
}

/// Hands the whole map to the guest, serialized; an empty or unavailable map is ptr 0 /
/// len 0 with OK.
pub fn proxy_get_header_map_pairs(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (map_id, return_serialized_pairs_data, return_serialized_pairs_size): (u32, u32, u32) = params(args);
    let which = map_type(map_id)?;
    // A map that is not available now reads as empty, as in Envoy.
    let bytes = map(call.state()?, which, false)
        .map(|m| pairs::serialize(m))
        .unwrap_or_default();
    call.return_bytes(&bytes, return_serialized_pairs_data, return_serialized_pairs_size)
}

/// Replaces the whole map; a malformed serialization reads as an empty map (Envoy's host).
pub fn proxy_set_header_map_pairs(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (map_id, serialized_pairs_data, serialized_pairs_size): (u32, u32, u32) = params(args);
    let which = map_type(map_id)?;
    map(call.state()?, which, true)?;
    let bytes = call.read(serialized_pairs_data, serialized_pairs_size)?;
    let new: Vec<Pair> = pairs::deserialize(&bytes)
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect();
    *map(call.state()?, which, true)? = new;
    Ok(())
}

/// The first value of a key. A missing key is `NOT_FOUND` from ABI 0.2.0 on and OK with an
/// empty value under 0.1.0 (rule H14: 0.1.x SDKs panic on NOT_FOUND).
///
/// The hot path of every filter, so nothing is allocated on the host: the key is compared
/// in guest memory and the value copied from the map straight into the guest's allocation.
pub fn proxy_get_header_map_value(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (map_id, key_data, key_size, return_value_data, return_value_size): (u32, u32, u32, u32, u32) =
        params(args);
    let which = map_type(map_id)?;
    let fault = call.memory_fault;
    let (memory, state) = call.memory_and_state()?;
    let key = memory.read(key_data, key_size).map_err(|_| Fail::Code(fault))?;
    let abi = state.abi;
    let breakage = state.breakage;
    let entries = map(state, which, false)?;
    // Stored names are lowercase; this is `name == lowercase(key)` without building it.
    let position = entries.iter().position(|(k, _)| {
        k.len() == key.len() && k.iter().zip(key).all(|(a, b)| *a == b.to_ascii_lowercase())
    });
    let index = match (position, breakage) {
        (Some(i), Some(Breakage::SwappedHeaderValues)) => Some((i + 1) % entries.len()),
        (found, _) => found,
    };
    let Some(index) = index else {
        if abi == AbiVersion::V0_1_0 || breakage == Some(Breakage::NotFoundAsOk) {
            return call.return_bytes(&[], return_value_data, return_value_size);
        }
        return Err(Status::NotFound.into());
    };
    let len = u32::try_from(entries[index].1.len()).map_err(|_| Status::InvalidMemoryAccess)?;
    if len == 0 {
        return call.return_bytes(&[], return_value_data, return_value_size);
    }
    let at = call.allocate(len)?;
    let (mut memory, state) = call.memory_and_state()?;
    // The allocator may call no hostcall that changes maps (rule M5), so the entry is
    // still there; anything else would be a host defect, answered as a memory fault.
    let value = map(state, which, false)
        .ok()
        .and_then(|m| m.get(index))
        .map(|(_, v)| v.as_slice())
        .filter(|v| v.len() == len as usize)
        .ok_or(Fail::Code(fault))?;
    let written = memory
        .write(at, value)
        .and_then(|()| memory.write_u32(return_value_data, at))
        .and_then(|()| memory.write_u32(return_value_size, len));
    written.map_err(|_| Fail::Code(fault))
}

/// Appends an entry (duplicates allowed).
pub fn proxy_add_header_map_value(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (map_id, key_data, key_size, value_data, value_size): (u32, u32, u32, u32, u32) = params(args);
    let which = map_type(map_id)?;
    map(call.state()?, which, true)?;
    let key = key(call, key_data, key_size)?;
    let value = call.read(value_data, value_size)?;
    map(call.state()?, which, true)?.push((key, value));
    Ok(())
}

/// Sets a key to one value: replaces every existing entry, or adds it.
pub fn proxy_replace_header_map_value(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (map_id, key_data, key_size, value_data, value_size): (u32, u32, u32, u32, u32) = params(args);
    let which = map_type(map_id)?;
    map(call.state()?, which, true)?;
    let key = key(call, key_data, key_size)?;
    let value = call.read(value_data, value_size)?;
    let entries = map(call.state()?, which, true)?;
    match entries.iter().position(|(k, _)| *k == key) {
        Some(first) => {
            entries[first].1 = value;
            let mut i = 0;
            entries.retain(|(k, _)| {
                i += 1;
                i - 1 == first || *k != key
            });
        }
        None => entries.push((key, value)),
    }
    Ok(())
}

/// Removes every entry of a key; OK also when it is absent.
pub fn proxy_remove_header_map_value(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (map_id, key_data, key_size): (u32, u32, u32) = params(args);
    let which = map_type(map_id)?;
    map(call.state()?, which, true)?;
    let key = key(call, key_data, key_size)?;
    map(call.state()?, which, true)?.retain(|(k, _)| *k != key);
    Ok(())
}

/// The hostcalls of this file, by ABI name (the table `spec/` is checked against).
pub(super) const HOSTCALLS: &[(&str, super::Impl)] = &[
    ("proxy_get_header_map_size", proxy_get_header_map_size),
    ("proxy_get_header_map_pairs", proxy_get_header_map_pairs),
    ("proxy_set_header_map_pairs", proxy_set_header_map_pairs),
    ("proxy_get_header_map_value", proxy_get_header_map_value),
    ("proxy_add_header_map_value", proxy_add_header_map_value),
    ("proxy_replace_header_map_value", proxy_replace_header_map_value),
    ("proxy_remove_header_map_value", proxy_remove_header_map_value),
];
