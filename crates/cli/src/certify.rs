//! `pwconf certify`: the suite on a host under test, through the host-under-test
//! protocol; writes `reports/hosts/<host>.md` and `.json`.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use pwconf_certify::Outcome;
use pwconf_suite::Suite;

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["host", "host_cmd"])))]
pub struct Args {
    /// A host adapter of this repository: `hosts/<NAME>/host` (envoy, reference).
    #[arg(long)]
    pub host: Option<String>,
    /// Any command that speaks the protocol on stdin/stdout (run by `sh -c`).
    #[arg(long)]
    pub host_cmd: Option<String>,
    /// The name the certificate is written under (default: the host's `hello` name).
    #[arg(long)]
    pub name: Option<String>,
    /// Only cases whose id (`<area>/<case>`) contains this (repeatable).
    #[arg(long)]
    pub filter: Vec<String>,
    /// Only this runtime of the host (repeatable; default: every runtime it lists).
    #[arg(long)]
    pub runtime: Vec<String>,
    /// The host's divergences file (default: `hosts/<name>/divergences.yaml`).
    #[arg(long)]
    pub divergences: Option<PathBuf>,
    /// The suite folder (default: ./conformance, else the repository's).
    #[arg(long)]
    pub suite: Option<PathBuf>,
    #[arg(long, default_value = "reports/hosts")]
    pub out: PathBuf,
}

/// Certification ran and the host failed it (exit status 1).
#[derive(Debug, thiserror::Error)]
#[error("the host failed certification")]
pub struct CertifyFailed;

/// The repository whose `hosts/` adapters `--host` names: the current folder when it has
/// one, else the one pwconf was built from.
fn repo() -> PathBuf {
    if PathBuf::from("hosts").is_dir() {
        PathBuf::from(".")
    } else {
        Suite::repo_root().join("..")
    }
}

pub fn run(args: &Args) -> Result<()> {
    let repo = repo();
    let (command, adapter_name) = match (&args.host, &args.host_cmd) {
        (Some(name), _) => (
            pwconf_certify::host_command(&repo, name)
                .with_context(|| format!("no host adapter {name}: hosts/{name}/host does not exist"))?,
            Some(name.clone()),
        ),
        (None, Some(cmd)) => (cmd.clone(), None),
        (None, None) => bail!("give --host NAME or --host-cmd CMD"),
    };
    let root = args.suite.clone().unwrap_or_else(|| {
        let local = PathBuf::from("conformance");
        if local.join("lib").is_dir() {
            local
        } else {
            Suite::repo_root()
        }
    });
    let suite = Suite::load(&root).map_err(|errors| {
        anyhow::anyhow!(
            "{}",
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        )
    })?;
    let name = args
        .name
        .clone()
        .or(adapter_name)
        .unwrap_or_else(|| "host".to_string());
    let divergences = args
        .divergences
        .clone()
        .or_else(|| Some(repo.join("hosts").join(&name).join("divergences.yaml")));
    let options = pwconf_certify::Options {
        name,
        command,
        filters: args.filter.clone(),
        runtimes: args.runtime.clone(),
        build_dir: repo.join("target/pwconf-certify"),
        divergences,
    };
    let cert = pwconf_certify::certify(&suite, &options, &mut |t| {
        eprintln!(
            "{} {} {} ... {}{}",
            t.case,
            t.abi,
            t.runtime,
            t.outcome.name(),
            if t.outcome == Outcome::Pass {
                String::new()
            } else {
                format!(": {}", t.detail.chars().take(300).collect::<String>())
            }
        );
    })?;
    pwconf_certify::report::write(&cert, &args.out)
        .with_context(|| format!("writing {}", args.out.display()))?;
    println!("{}", cert.verdict);
    println!("wrote {}/{}.md and .json", args.out.display(), cert.host.name);
    if cert.failed() {
        return Err(CertifyFailed.into());
    }
    Ok(())
}
