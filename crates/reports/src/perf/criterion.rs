//! Reading criterion's `new/{benchmark,estimates}.json` files into [`Estimate`]s.

use super::*;

pub(super) fn read_json(path: &Path) -> Result<Value, PerfError> {
    let text = std::fs::read_to_string(path).map_err(|e| PerfError::Read {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    serde_json::from_str(&text).map_err(|e| PerfError::Read {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Every `new/` result under `dir`, by id.
///
/// # Errors
/// An unreadable or malformed file (named), or no results at all.
pub fn read_criterion(dir: &Path) -> Result<BTreeMap<String, Estimate>, PerfError> {
    let mut found = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&at) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if !path.is_dir() {
                continue;
            }
            if path.file_name().is_some_and(|n| n == "new") {
                let (bench, estimates) = (path.join("benchmark.json"), path.join("estimates.json"));
                if bench.is_file() && estimates.is_file() {
                    let e = estimate(&read_json(&bench)?, &read_json(&estimates)?, &estimates)?;
                    found.insert(e.id.clone(), e);
                }
            } else if path.file_name().is_none_or(|n| n != "report") {
                stack.push(path);
            }
        }
    }
    if found.is_empty() {
        return Err(PerfError::Empty(dir.to_path_buf()));
    }
    Ok(found)
}

pub(super) fn estimate(bench: &Value, estimates: &Value, path: &Path) -> Result<Estimate, PerfError> {
    let bad = |what: &str| PerfError::Read {
        path: path.to_path_buf(),
        message: format!("no {what}"),
    };
    let id = bench["full_id"]
        .as_str()
        .ok_or_else(|| bad("full_id"))?
        .to_string();
    let headline = match &estimates["slope"] {
        Value::Null => &estimates["mean"],
        slope => slope,
    };
    let number = |v: &Value, what: &str| v.as_f64().ok_or_else(|| bad(what));
    Ok(Estimate {
        id,
        ns: number(&headline["point_estimate"], "point_estimate")?,
        lower: number(&headline["confidence_interval"]["lower_bound"], "lower_bound")?,
        upper: number(&headline["confidence_interval"]["upper_bound"], "upper_bound")?,
        confidence: headline["confidence_interval"]["confidence_level"]
            .as_f64()
            .unwrap_or(0.95),
        elements: bench["throughput"]["Elements"].as_u64(),
    })
}
