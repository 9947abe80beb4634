//! Metrics: `proxy_define_metric`, `proxy_record_metric`, `proxy_increment_metric`,
//! `proxy_get_metric`, with Envoy's semantics per type (rules MT1-MT6).

use pwconf_abi::types::{MetricType, Status};
use pwconf_backend::Val;

use super::{Answer, Call, arg, arg_i64};

/// Defines a counter, gauge or histogram and writes its id (rule MT1).
pub fn proxy_define_metric(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let kind = MetricType::from_u32(arg(args, 0)).ok_or(Status::BadArgument)?;
    let name = call.read(arg(args, 1), arg(args, 2))?;
    let name = String::from_utf8_lossy(&name).into_owned();
    let id = call.state()?.shared.define_metric(kind, &name)?;
    call.write_u32(arg(args, 3), id)
}

pub fn proxy_record_metric(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (id, value) = (arg(args, 0), arg_i64(args, 1) as u64);
    call.state()?.shared.record_metric(id, value)?;
    Ok(())
}

pub fn proxy_increment_metric(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (id, delta) = (arg(args, 0), arg_i64(args, 1));
    call.state()?.shared.increment_metric(id, delta)?;
    Ok(())
}

pub fn proxy_get_metric(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let value = call.state()?.shared.get_metric(arg(args, 0))?;
    call.write_u64(arg(args, 1), value)
}
