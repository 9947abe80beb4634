//! Metrics: `proxy_define_metric`, `proxy_record_metric`, `proxy_increment_metric`,
//! `proxy_get_metric`, with Envoy's semantics per type (rules MT1-MT6).

use pwconf_abi::types::{MetricType, Status};
use pwconf_backend::Val;

use super::{Answer, Call, params};

/// Defines a counter, gauge or histogram and writes its id (rule MT1).
pub fn proxy_define_metric(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (metric_type, name_data, name_size, return_metric_id): (u32, u32, u32, u32) = params(args);
    let kind = MetricType::from_u32(metric_type).ok_or(Status::BadArgument)?;
    let name = call.read(name_data, name_size)?;
    let name = String::from_utf8_lossy(&name).into_owned();
    let id = call.state()?.shared.define_metric(kind, &name)?;
    call.write_u32(return_metric_id, id)
}

pub fn proxy_record_metric(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (metric_id, value): (u32, i64) = params(args);
    call.state()?.shared.record_metric(metric_id, value as u64)?;
    Ok(())
}

pub fn proxy_increment_metric(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (metric_id, delta): (u32, i64) = params(args);
    call.state()?.shared.increment_metric(metric_id, delta)?;
    Ok(())
}

pub fn proxy_get_metric(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (metric_id, return_value): (u32, u32) = params(args);
    let value = call.state()?.shared.get_metric(metric_id)?;
    call.write_u64(return_value, value)
}

/// The hostcalls of this file, by ABI name (the table `spec/` is checked against).
pub(super) const HOSTCALLS: &[(&str, super::Impl)] = &[
    ("proxy_define_metric", proxy_define_metric),
    ("proxy_record_metric", proxy_record_metric),
    ("proxy_increment_metric", proxy_increment_metric),
    ("proxy_get_metric", proxy_get_metric),
];
