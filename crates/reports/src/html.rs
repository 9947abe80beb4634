//! `compat.html`: one self-contained page (no network: inline style and script) that a
//! person can navigate. A sticky header carries the run's identity (date, commit, engine
//! versions), a search box and toggles (failures only, per backend, per ABI); failures and
//! unexpected passes come first with their detail; then one section per area, each with an
//! anchor in the table of contents; rule ids link to their statements at the end.

use std::fmt::Write as _;

use pwconf_abi::{AbiVersion, Spec};
use pwconf_suite::{Case, Outcome, TrialResult};

use crate::Compat;

pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The class and the short text of a cell.
fn cell_of(outcome: Outcome) -> (&'static str, &'static str) {
    match outcome {
        Outcome::Pass => ("pass", "pass"),
        Outcome::Fail => ("fail", "FAIL"),
        Outcome::ExpectedFail => ("xfail", "xfail"),
        Outcome::UnexpectedPass => ("xpass", "XPASS"),
        Outcome::Skip => ("na", "n/a"),
    }
}

fn anchor(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

fn case_anchor(id: &str) -> String {
    format!("case-{}", anchor(id))
}

fn duration(us: u128) -> String {
    if us >= 1_000_000 {
        format!("{:.2} s", us as f64 / 1e6)
    } else {
        format!("{:.1} ms", us as f64 / 1e3)
    }
}

fn rule_links(rules: &[String]) -> String {
    rules
        .iter()
        .map(|r| format!("<a href=\"#rule-{}\">{}</a>", anchor(r), esc(r)))
        .collect::<Vec<_>>()
        .join(" ")
}

const STYLE: &str = r#"
*{box-sizing:border-box}
body{font-family:system-ui,sans-serif;margin:0;color:#1d1d1f;font-size:14px;max-width:1400px}
main{padding:0 16px 40px}
header.top{position:sticky;top:0;z-index:10;background:#fff;border-bottom:1px solid #ccd;padding:8px 16px;box-shadow:0 1px 4px rgba(0,0,0,.08)}
header.top h1{font-size:18px;margin:0 0 2px}
#identity{color:#555;margin:0 0 6px;font-size:12px}
#controls{display:flex;flex-wrap:wrap;gap:4px 16px;align-items:center}
#controls fieldset{border:1px solid #dde;border-radius:4px;padding:2px 8px;margin:0}
#controls legend{font-size:11px;color:#666;padding:0 2px}
#controls label{margin-right:8px;white-space:nowrap}
#search{width:260px;padding:3px 6px}
#shown{font-weight:600}
.legend span{display:inline-block;padding:1px 6px;margin-right:4px;border-radius:3px;font-size:12px}
nav#toc ul{columns:4;list-style:none;padding:0;margin:4px 0}
nav#toc li{margin:1px 0}
h2{font-size:16px;margin:22px 0 6px;scroll-margin-top:130px}
section,li,tr{scroll-margin-top:130px}
table{border-collapse:collapse;margin:4px 0}
th,td{border:1px solid #d4d4dc;padding:2px 5px;text-align:center}
table.matrix{table-layout:fixed;width:100%}
table.matrix col.case{width:380px} table.matrix col.rules{width:150px}
table.matrix td.case{text-align:left;font-family:ui-monospace,monospace;font-size:12px;overflow-wrap:anywhere}
table.matrix td.rules{text-align:left;font-size:12px}
table.matrix td.o{font-size:12px;cursor:default}
.pass{background:#dcf3dc;color:#1e5a1e}
.fail,.xpass{background:#f7c6c6;color:#7a0d0d;font-weight:700}
.xfail{background:#fcefc7;color:#6a5000}
.na{background:#f2f2f4;color:#999}
.notrun{background:#fff;color:#bbb}
ul.problems li{margin:4px 0}
ul.problems .detail{display:block;font-family:ui-monospace,monospace;font-size:12px;white-space:pre-wrap;color:#333;margin-left:12px}
dl#rules dt{font-weight:700;margin-top:6px}
dl#rules dd{margin-left:16px}
.hidden{display:none}
"#;

/// The page's behaviour: filters rows and columns; no network, no library.
const SCRIPT: &str = r#"
(function(){
  var search=document.getElementById('search');
  var only=document.getElementById('only-failures');
  var toggles=Array.prototype.slice.call(document.querySelectorAll('input[data-toggle]'));
  function off(kind){return toggles.filter(function(t){return t.dataset.toggle===kind&&!t.checked;}).map(function(t){return t.value;});}
  function apply(){
    var q=search.value.trim().toLowerCase();
    var hideB=off('backend'), hideA=off('abi');
    document.querySelectorAll('[data-b]').forEach(function(el){
      var gone=hideB.indexOf(el.dataset.b)>=0||(el.dataset.abi&&hideA.indexOf(el.dataset.abi)>=0);
      el.classList.toggle('hidden',gone);
    });
    document.querySelectorAll('th[data-abi-head]').forEach(function(el){
      el.classList.toggle('hidden',hideA.indexOf(el.dataset.abiHead)>=0||hideB.indexOf(el.dataset.backendHead)>=0);
    });
    var abis=toggles.filter(function(t){return t.dataset.toggle==='abi';}).length-hideA.length;
    document.querySelectorAll('th[data-backend-group]').forEach(function(el){
      el.colSpan=Math.max(abis,1);el.classList.toggle('hidden',hideB.indexOf(el.dataset.backendGroup)>=0||abis===0);
    });
    var shown=0,total=0;
    document.querySelectorAll('tr.case-row').forEach(function(row){
      total++;
      var cells=Array.prototype.slice.call(row.querySelectorAll('td.o')).filter(function(c){return !c.classList.contains('hidden');});
      var failing=cells.some(function(c){return c.classList.contains('fail')||c.classList.contains('xpass');});
      var ran=cells.some(function(c){return !c.classList.contains('na');});
      var text=row.dataset.search;
      var ok=ran&&(!only.checked||failing)&&(!q||text.indexOf(q)>=0);
      row.classList.toggle('hidden',!ok);
      if(ok)shown++;
    });
    document.querySelectorAll('section.area').forEach(function(sec){
      sec.classList.toggle('hidden',!sec.querySelector('tr.case-row:not(.hidden)'));
    });
    document.querySelectorAll('ul.problems li').forEach(function(li){
      var ok=hideB.indexOf(li.dataset.b)<0&&hideA.indexOf(li.dataset.abi)<0&&(!q||li.dataset.search.indexOf(q)>=0);
      li.classList.toggle('hidden',!ok);
    });
    document.getElementById('shown').textContent=shown+' of '+total+' cases shown';
  }
  search.addEventListener('input',apply);
  only.addEventListener('change',apply);
  toggles.forEach(function(t){t.addEventListener('change',apply);});
  apply();
})();
"#;

impl Compat<'_> {
    fn header(&self, o: &mut String, backends: &[String]) {
        let engines: Vec<String> = self
            .engines
            .iter()
            .map(|(name, version)| format!("{} {}", esc(name), esc(version)))
            .collect();
        let failing = self.results.iter().filter(|r| r.outcome.is_failure()).count();
        let _ = write!(
            o,
            "<header class=\"top\"><h1>pwconf compatibility report</h1>\n\
             <p id=\"identity\"><span id=\"generated\">Generated {}</span> · commit <code id=\"commit\">{}</code> · \
             engines <span id=\"engines\">{}</span> · {} trials, {failing} failing</p>\n<div id=\"controls\">\
             <input id=\"search\" type=\"search\" placeholder=\"search cases, rules, details\" aria-label=\"search\">\
             <label><input id=\"only-failures\" type=\"checkbox\"> failures only</label>",
            esc(self.generated),
            esc(self.commit),
            engines.join(", "),
            self.results.len()
        );
        o.push_str("<fieldset><legend>backend</legend>");
        for b in backends {
            let _ = write!(
                o,
                "<label><input type=\"checkbox\" data-toggle=\"backend\" value=\"{0}\" checked> {0}</label>",
                esc(b)
            );
        }
        o.push_str("</fieldset><fieldset><legend>ABI</legend>");
        for v in AbiVersion::ALL {
            let _ = write!(
                o,
                "<label><input type=\"checkbox\" data-toggle=\"abi\" value=\"{v}\" checked> {v}</label>"
            );
        }
        o.push_str(
            "</fieldset><span id=\"shown\"></span></div>\n<p class=\"legend\" id=\"legend\">\
             <span class=\"pass\">pass</span><span class=\"fail\">FAIL</span> failed \
             <span class=\"xpass\">XPASS</span> passed but listed as a divergence \
             <span class=\"xfail\">xfail</span> a known divergence \
             <span class=\"na\">n/a</span> the case is not defined for that ABI \
             <span class=\"notrun\">·</span> not run (backend or ABI left out of the run). \
             Hover a cell for its detail and duration.</p></header>\n",
        );
    }

    fn problems(&self, o: &mut String, title: &str, id: &str, which: &[Outcome]) {
        let rows: Vec<&TrialResult> = self
            .results
            .iter()
            .filter(|r| which.contains(&r.outcome))
            .collect();
        let _ = write!(o, "<section id=\"{id}\"><h2>{title} ({})</h2>", rows.len());
        if rows.is_empty() {
            o.push_str("<p>None.</p></section>\n");
            return;
        }
        o.push_str("<ul class=\"problems\">\n");
        for r in rows {
            let name = pwconf_suite::select::result_name(r);
            let (class, text) = cell_of(r.outcome);
            let _ = writeln!(
                o,
                "<li data-b=\"{b}\" data-abi=\"{abi}\" data-search=\"{search}\"><span class=\"{class}\">{text}</span> \
                 <a href=\"#{anchor}\"><code>{name}</code></a> ({dur})<span class=\"detail\">{detail}</span></li>",
                b = esc(&r.backend),
                abi = r.abi,
                search = esc(&format!("{} {} {}", name, r.rules.join(" "), r.detail).to_lowercase()),
                anchor = case_anchor(&r.case),
                name = esc(&name),
                dur = duration(r.duration_us),
                detail = esc(&r.detail),
            );
        }
        o.push_str("</ul></section>\n");
    }

    fn area_table(&self, o: &mut String, area: &str, cases: &[&Case], backends: &[String]) {
        let _ = write!(
            o,
            "<section class=\"area\" id=\"area-{}\"><h2>{}</h2><table class=\"matrix\"><colgroup><col class=\"case\"><col class=\"rules\"></colgroup>\n\
             <thead><tr><th rowspan=\"2\">case</th><th rowspan=\"2\">rules</th>",
            anchor(area),
            esc(area)
        );
        for b in backends {
            let _ = write!(
                o,
                "<th colspan=\"{}\" data-backend-group=\"{1}\">{1}</th>",
                AbiVersion::ALL.len(),
                esc(b)
            );
        }
        o.push_str("</tr><tr>");
        for b in backends {
            for v in AbiVersion::ALL {
                let _ = write!(
                    o,
                    "<th data-abi-head=\"{v}\" data-backend-head=\"{}\">{v}</th>",
                    esc(b)
                );
            }
        }
        o.push_str("</tr></thead><tbody>\n");
        for case in cases {
            let id = case.id();
            let details: String = self
                .results
                .iter()
                .filter(|r| r.case == id)
                .map(|r| r.detail.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let _ = write!(
                o,
                "<tr class=\"case-row\" id=\"{}\" data-search=\"{}\"><td class=\"case\" title=\"{}\">{}</td><td class=\"rules\">{}</td>",
                case_anchor(&id),
                esc(&format!(
                    "{id} {} {} {details}",
                    case.header.rules.join(" "),
                    case.scenario.description
                )
                .to_lowercase()),
                esc(&format!("{}: {}", case.path.display(), case.scenario.description)),
                esc(&id),
                rule_links(&case.header.rules)
            );
            for b in backends {
                for v in AbiVersion::ALL {
                    let attrs = format!("data-b=\"{}\" data-abi=\"{v}\"", esc(b));
                    match self.outcome(&id, b, v) {
                        Some(r) => {
                            let (class, text) = cell_of(r.outcome);
                            let mut title =
                                format!("{b} ABI {v}: {} in {}", r.outcome.name(), duration(r.duration_us));
                            if !r.detail.is_empty() {
                                let _ = write!(title, "\n{}", r.detail);
                            }
                            let _ = write!(
                                o,
                                "<td class=\"o {class}\" {attrs} title=\"{}\">{text}</td>",
                                esc(&title)
                            );
                        }
                        None if !case.header.abi.contains(&v) => {
                            let _ = write!(
                                o,
                                "<td class=\"o na\" {attrs} title=\"{} is not defined for ABI {v} (it runs under {})\">n/a</td>",
                                esc(&id),
                                case.header
                                    .abi
                                    .iter()
                                    .map(AbiVersion::as_str)
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            );
                        }
                        None => {
                            let _ = write!(
                                o,
                                "<td class=\"o notrun\" {attrs} title=\"not run: {} ABI {v} was left out of this run\">·</td>",
                                esc(b)
                            );
                        }
                    }
                }
            }
            o.push_str("</tr>\n");
        }
        o.push_str("</tbody></table></section>\n");
    }

    pub fn html(&self) -> String {
        let backends = self.backends();
        let mut areas: Vec<&str> = Vec::new();
        for c in &self.suite.cases {
            if !areas.contains(&c.area.as_str()) {
                areas.push(&c.area);
            }
        }
        let mut o = String::new();
        let _ = write!(
            o,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width\"><title>pwconf compatibility report</title>\n<style>{STYLE}</style></head><body>\n"
        );
        self.header(&mut o, &backends);
        o.push_str("<main>\n<nav id=\"toc\"><h2>Contents</h2><ul>");
        let _ = write!(
            o,
            "<li><a href=\"#failures\">Failures and unexpected passes</a></li><li><a href=\"#divergences\">Known divergences</a></li>\
             <li><a href=\"#by-backend\">Summary by backend</a></li><li><a href=\"#coverage\">Coverage</a></li>"
        );
        let by_area = self.tally(|r| r.area.clone());
        for area in &areas {
            let [p, f, x, u] = by_area.get(*area).copied().unwrap_or_default();
            let bad = if f + u > 0 {
                format!(" <span class=\"fail\">{} failing</span>", f + u)
            } else {
                String::new()
            };
            let _ = write!(
                o,
                "<li><a href=\"#area-{}\">{}</a> ({} trials){bad}</li>",
                anchor(area),
                esc(area),
                p + f + x + u
            );
        }
        o.push_str("<li><a href=\"#rules\">Rules</a></li></ul></nav>\n");
        self.problems(
            &mut o,
            "Failures and unexpected passes",
            "failures",
            &[Outcome::Fail, Outcome::UnexpectedPass],
        );
        self.problems(
            &mut o,
            "Known divergences",
            "divergences",
            &[Outcome::ExpectedFail],
        );
        o.push_str(
            "<section><h2 id=\"by-backend-title\">Summary by backend</h2><table id=\"by-backend\"><tr><th>backend</th><th>engine</th>\
             <th>pass</th><th>fail</th><th>expected-fail</th><th>unexpected-pass</th></tr>\n",
        );
        let by_backend = self.tally(|r| r.backend.clone());
        for b in &backends {
            let [p, f, x, u] = by_backend.get(b).copied().unwrap_or_default();
            let engine = self
                .engines
                .iter()
                .find(|(name, _)| name == b)
                .map_or(String::new(), |(_, v)| esc(v));
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{engine}</td><td>{p}</td><td>{f}</td><td>{x}</td><td>{u}</td></tr>",
                esc(b)
            );
        }
        let _ = writeln!(
            o,
            "</table></section><section><h2>Coverage</h2><table id=\"coverage\"><tr><th>ABI</th><th>hostcalls</th><th>callbacks</th></tr>"
        );
        for v in &self.coverage.versions {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                v.version,
                v.hostcalls.fraction(),
                v.callbacks.fraction()
            );
        }
        let rules = &self.coverage.rules;
        let _ = writeln!(
            o,
            "</table><p>Rules: {}, {} marked untestable.</p></section>",
            rules.fraction(),
            self.coverage.untestable.len()
        );
        o.push_str("<div id=\"matrix\">\n");
        for area in &areas {
            let cases: Vec<&Case> = self.suite.cases.iter().filter(|c| c.area == *area).collect();
            self.area_table(&mut o, area, &cases, &backends);
        }
        o.push_str("</div>\n<section><h2 id=\"rules-title\">Rules</h2><dl id=\"rules\">\n");
        for rule in &Spec::embedded().rules {
            let tag = match rule.tag {
                pwconf_abi::spec::RuleTag::SpecStated => "spec-stated",
                pwconf_abi::spec::RuleTag::DeFacto => "de-facto",
                pwconf_abi::spec::RuleTag::Disputed => "disputed",
            };
            let _ = writeln!(
                o,
                "<dt id=\"rule-{}\">{} <small>({tag})</small></dt><dd>{}{}</dd>",
                anchor(&rule.id),
                esc(&rule.id),
                esc(&rule.statement),
                rule.untestable.as_ref().map_or(String::new(), |why| format!(
                    " <em>Untestable here: {}</em>",
                    esc(why)
                ))
            );
        }
        let _ = write!(
            o,
            "</dl></section>\n</main>\n<script>{SCRIPT}</script>\n</body></html>\n"
        );
        o
    }
}
