//! Every adapter's declared divergences (`hosts/<name>/divergences.yaml`) load against the
//! suite: each names a case the suite has and a known ABI version. A case renamed or
//! removed would otherwise only show when that host is certified (scripts/run).

use pwconf_certify::divergences::HostDivergences;
use pwconf_suite::Suite;

#[test]
fn every_host_divergence_file_names_real_cases() {
    let suite = Suite::load(&Suite::repo_root()).unwrap_or_else(|e| panic!("{e:?}"));
    let hosts = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../hosts");
    let mut files = 0;
    for entry in std::fs::read_dir(&hosts).expect("hosts/ is readable") {
        let path = entry.expect("a hosts/ entry").path().join("divergences.yaml");
        if !path.exists() {
            continue;
        }
        files += 1;
        let loaded = HostDivergences::load(&path, &suite).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            loaded.entries.iter().all(|d| !d.reason.trim().is_empty()),
            "{}: an entry without a reason",
            path.display()
        );
    }
    assert!(
        files >= 2,
        "expected the divergence files of hosts/envoy and hosts/proxy-wasm-host"
    );
}
