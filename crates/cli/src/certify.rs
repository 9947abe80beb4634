//! `pwconf certify`: the suite on a host under test, through the host-under-test
//! protocol; writes `reports/hosts/<host>.md`, `.json`, `.html` and `.junit.xml`, then
//! `reports/hosts.md` and `.json` with every certified host side by side.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use pwconf_certify::Outcome;
use pwconf_suite::Suite;

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["host", "host_cmd", "render", "summary"])))]
pub struct Args {
    /// A host adapter of this repository: `hosts/<NAME>/host` (envoy, proxy-wasm-host,
    /// reference).
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
    /// Certify nothing: write the md, html and JUnit of this JSON certificate again.
    #[arg(long)]
    pub render: Option<PathBuf>,
    /// Certify nothing: only write `hosts.md` and `.json` beside `--out` from its certificates.
    #[arg(long)]
    pub summary: bool,
    #[arg(long, default_value = "reports/hosts")]
    pub out: PathBuf,
}

/// Writes `hosts.md` and `hosts.json` in the folder above `out` from the certificates in it.
fn summarize(out: &Path) -> Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let columns = pwconf_certify::hosts::write(out, &parent)?;
    println!(
        "wrote {}/hosts.md and .json: {} columns",
        parent.display(),
        columns.len()
    );
    Ok(())
}

/// Writes every form of a JSON certificate again (after a report format changed, without
/// running the host again).
fn render(file: &Path, out: &Path) -> Result<()> {
    let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let cert: pwconf_certify::Certificate =
        serde_json::from_str(&text).with_context(|| format!("{}: not a certificate", file.display()))?;
    pwconf_certify::report::write(&cert, out).with_context(|| format!("writing {}", out.display()))?;
    println!(
        "wrote {}/{}.md, .json, .html and .junit.xml",
        out.display(),
        cert.host.name
    );
    summarize(out)
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
    if let Some(file) = &args.render {
        return render(file, &args.out);
    }
    if args.summary {
        return summarize(&args.out);
    }
    let repo = repo();
    let (command, adapter_name) = match (&args.host, &args.host_cmd) {
        (Some(name), _) => (
            pwconf_certify::host_command(&repo, name)
                .with_context(|| format!("no host adapter {name}: hosts/{name}/host does not exist"))?,
            Some(name.clone()),
        ),
        (None, Some(cmd)) => (cmd.clone(), None),
        (None, None) => bail!("give --host NAME, --host-cmd CMD, --render FILE or --summary"),
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
    println!(
        "wrote {}/{}.md, .json, .html and .junit.xml",
        args.out.display(),
        cert.host.name
    );
    summarize(&args.out)?;
    if cert.failed() {
        return Err(CertifyFailed.into());
    }
    Ok(())
}
