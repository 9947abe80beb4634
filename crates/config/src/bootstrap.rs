//! Pass 1 for a full Envoy bootstrap: walk it as YAML values, keeping the path of every
//! node, and decode the Wasm messages found in it strictly.
//!
//! Outside the Wasm filters and services the bootstrap is not modelled: its top-level keys
//! (and `static_resources`' keys) must be Envoy's, the lists leading to filters must be
//! lists, and everything else is left alone.

use serde::de::DeserializeOwned;
use serde_yaml_ng::{Mapping, Value};

use crate::bytes::type_name;
use crate::error::ConfigError;
use crate::loader::{Collected, Loader, Pending};
use crate::messages::{TypedStructMsg, WasmMsg, WasmServiceMsg};
use crate::path::{child, decode, index, kind};

pub(crate) const HTTP_WASM_FILTER: &str = "envoy.filters.http.wasm";
pub(crate) const NETWORK_WASM_FILTER: &str = "envoy.filters.network.wasm";
pub(crate) const HCM_FILTER: &str = "envoy.filters.network.http_connection_manager";
pub(crate) const BOOTSTRAP_WASM: &str = "envoy.bootstrap.wasm";

const HTTP_WASM_TYPE: &str = "envoy.extensions.filters.http.wasm.v3.Wasm";
const NETWORK_WASM_TYPE: &str = "envoy.extensions.filters.network.wasm.v3.Wasm";
const WASM_SERVICE_TYPE: &str = "envoy.extensions.wasm.v3.WasmService";
const HCM_TYPE: &str = "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";
const TYPED_STRUCT_TYPES: &[&str] = &["udpa.type.v1.TypedStruct", "xds.type.v3.TypedStruct"];

/// The fields of Envoy's `envoy.config.bootstrap.v3.Bootstrap`.
const BOOTSTRAP_KEYS: &[&str] = &[
    "node",
    "node_context_params",
    "static_resources",
    "dynamic_resources",
    "cluster_manager",
    "hds_config",
    "flags_path",
    "stats_sinks",
    "deferred_stat_options",
    "stats_config",
    "stats_flush_interval",
    "stats_flush_on_admin",
    "watchdog",
    "watchdogs",
    "tracing",
    "layered_runtime",
    "admin",
    "overload_manager",
    "enable_dispatcher_stats",
    "header_prefix",
    "stats_server_version_override",
    "use_tcp_for_dns_lookups",
    "dns_resolution_config",
    "typed_dns_resolver_config",
    "bootstrap_extensions",
    "fatal_actions",
    "config_sources",
    "default_config_source",
    "default_socket_interface",
    "certificate_provider_instances",
    "inline_headers",
    "perf_tracing_file_path",
    "default_regex_engine",
    "xds_delegate_extension",
    "xds_config_tracker_extension",
    "listener_manager",
    "application_log_config",
    "grpc_async_client_manager_config",
    "memory_allocator_manager",
];

/// The Bootstrap fields an error message names as examples.
const BOOTSTRAP_KEYS_SHOWN: [&str; 5] = [
    "static_resources",
    "bootstrap_extensions",
    "admin",
    "node",
    "layered_runtime",
];

/// The fields of `Bootstrap.StaticResources`.
const STATIC_RESOURCES_KEYS: &[&str] = &["listeners", "clusters", "secrets"];

/// The fields of a listener's `Filter` (and of a `TypedExtensionConfig`, less the last).
const FILTER_KEYS: &[&str] = &["name", "typed_config", "config_discovery"];
/// The fields of an `HttpFilter`.
const HTTP_FILTER_KEYS: &[&str] = &[
    "name",
    "typed_config",
    "config_discovery",
    "is_optional",
    "disabled",
];

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The message type a `typed_config` holds: its `@type`, or, for a `TypedStruct`, its
/// `type_url`; without the `type.googleapis.com/` prefix.
fn typed_config_type(typed_config: Option<&Value>) -> Option<&str> {
    let map = typed_config?.as_mapping()?;
    let outer = type_name(map.get("@type")?.as_str()?);
    if TYPED_STRUCT_TYPES.contains(&outer) {
        return map.get("type_url")?.as_str().map(type_name);
    }
    Some(outer)
}

impl Loader<'_> {
    fn mapping<'v>(&self, value: &'v Value, path: &str) -> Result<&'v Mapping, ConfigError> {
        value
            .as_mapping()
            .ok_or_else(|| self.invalid(path, format!("expected a mapping, found a {}", kind(value))))
    }

    /// A list field; absent or null is empty.
    fn list<'v>(&self, value: Option<&'v Value>, path: &str) -> Result<&'v [Value], ConfigError> {
        match value {
            None | Some(Value::Null) => Ok(&[]),
            Some(Value::Sequence(items)) => Ok(items),
            Some(other) => Err(self.invalid(path, format!("expected a list, found a {}", kind(other)))),
        }
    }

    /// Refuses keys of `map` not in `known`.
    fn known_keys(&self, map: &Mapping, known: &[&str], path: &str, what: &str) -> Result<(), ConfigError> {
        for key in map.keys() {
            match key.as_str() {
                Some(name) if known.contains(&name) => {}
                Some(name) => {
                    return Err(self.invalid(
                        &child(path, name),
                        format!("unknown {what} `{name}`, expected one of {}", quoted(known)),
                    ));
                }
                None => {
                    return Err(
                        self.invalid(path, format!("a {what} must be a string, found a {}", kind(key)))
                    );
                }
            }
        }
        Ok(())
    }

    pub(crate) fn collect_bootstrap(&self, root: &Mapping) -> Result<Collected, ConfigError> {
        for key in root.keys() {
            let Some(name) = key.as_str() else {
                return Err(self.invalid(
                    "",
                    format!("a top-level key must be a string, found a {}", kind(key)),
                ));
            };
            if !BOOTSTRAP_KEYS.contains(&name) {
                return Err(self.invalid(
                    name,
                    format!(
                        "unknown top-level key `{name}`: neither a field of Envoy's Bootstrap ({}, ...) \
                         nor of pwconf's short form ({})",
                        quoted(&BOOTSTRAP_KEYS_SHOWN),
                        quoted(crate::messages::SHORT_FORM_KEYS)
                    ),
                ));
            }
        }
        let mut collected = Collected::default();
        if let Some(statics) = root.get("static_resources").filter(|v| !v.is_null()) {
            let statics = self.mapping(statics, "static_resources")?;
            self.known_keys(statics, STATIC_RESOURCES_KEYS, "static_resources", "field")?;
            let listeners_path = "static_resources.listeners";
            for (i, listener) in self
                .list(statics.get("listeners"), listeners_path)?
                .iter()
                .enumerate()
            {
                self.listener(listener, &index(listeners_path, i), &mut collected)?;
            }
            let clusters_path = "static_resources.clusters";
            for (i, cluster) in self
                .list(statics.get("clusters"), clusters_path)?
                .iter()
                .enumerate()
            {
                let at = index(clusters_path, i);
                let name = match self.mapping(cluster, &at)?.get("name") {
                    Some(Value::String(name)) => name.clone(),
                    Some(other) => {
                        return Err(self.invalid(
                            &child(&at, "name"),
                            format!("invalid type: {}, expected a string", kind(other)),
                        ));
                    }
                    None => return Err(self.invalid(&at, "missing field `name`")),
                };
                self.add_cluster(&mut collected.clusters, name.clone(), &child(&at, "name"))?;
                if let Some(address) = self.cluster_endpoint(cluster, &at)? {
                    collected.cluster_addresses.insert(name, address);
                }
            }
        }
        let extensions_path = "bootstrap_extensions";
        for (i, extension) in self
            .list(root.get("bootstrap_extensions"), extensions_path)?
            .iter()
            .enumerate()
        {
            let at = index(extensions_path, i);
            let map = self.mapping(extension, &at)?;
            let name = map.get("name").and_then(Value::as_str);
            let typed_config = map.get("typed_config");
            if name != Some(BOOTSTRAP_WASM) && typed_config_type(typed_config) != Some(WASM_SERVICE_TYPE) {
                continue;
            }
            self.known_keys(map, &FILTER_KEYS[..2], &at, "field")?;
            let Some(typed_config) = typed_config else {
                return Err(self.invalid(&at, "missing field `typed_config`"));
            };
            let tc_path = child(&at, "typed_config");
            let (service, body) = self.typed::<WasmServiceMsg>(typed_config, &tc_path, WASM_SERVICE_TYPE)?;
            collected.services.push((
                service.singleton,
                Pending {
                    msg: service.config,
                    path: child(&body, "config"),
                },
            ));
        }
        Ok(collected)
    }

    /// The first endpoint of a static cluster
    /// (`load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address`), as
    /// `host:port`; `None` when the cluster names none.
    fn cluster_endpoint(&self, cluster: &Value, path: &str) -> Result<Option<String>, ConfigError> {
        let steps: [(&str, Option<usize>); 6] = [
            ("load_assignment", None),
            ("endpoints", Some(0)),
            ("lb_endpoints", Some(0)),
            ("endpoint", None),
            ("address", None),
            ("socket_address", None),
        ];
        let mut value = cluster;
        let mut at = path.to_string();
        for (key, item) in steps {
            let Some(next) = self.mapping(value, &at)?.get(key) else {
                return Ok(None);
            };
            at = child(&at, key);
            value = next;
            if let Some(i) = item {
                let Some(first) = self.list(Some(value), &at)?.get(i) else {
                    return Ok(None);
                };
                at = index(&at, i);
                value = first;
            }
        }
        let socket = self.mapping(value, &at)?;
        let host = match socket.get("address") {
            Some(Value::String(host)) => host.clone(),
            _ => {
                return Err(self.invalid(
                    &child(&at, "address"),
                    "expected the endpoint's address, a string",
                ));
            }
        };
        let port = match socket.get("port_value") {
            Some(Value::Number(n)) => n.as_u64().and_then(|p| u16::try_from(p).ok()),
            _ => None,
        }
        .ok_or_else(|| self.invalid(&child(&at, "port_value"), "expected a port number"))?;
        Ok(Some(format!("{host}:{port}")))
    }

    fn listener(&self, listener: &Value, path: &str, collected: &mut Collected) -> Result<(), ConfigError> {
        let listener = self.mapping(listener, path)?;
        let chains_path = child(path, "filter_chains");
        let mut chains = Vec::new();
        for (i, chain) in self
            .list(listener.get("filter_chains"), &chains_path)?
            .iter()
            .enumerate()
        {
            chains.push((chain, index(&chains_path, i)));
        }
        if let Some(chain) = listener.get("default_filter_chain").filter(|v| !v.is_null()) {
            chains.push((chain, child(path, "default_filter_chain")));
        }
        for (chain, chain_path) in chains {
            let chain = self.mapping(chain, &chain_path)?;
            let filters_path = child(&chain_path, "filters");
            for (i, filter) in self.list(chain.get("filters"), &filters_path)?.iter().enumerate() {
                self.network_filter(filter, &index(&filters_path, i), collected)?;
            }
        }
        Ok(())
    }

    fn network_filter(
        &self,
        filter: &Value,
        path: &str,
        collected: &mut Collected,
    ) -> Result<(), ConfigError> {
        let map = self.mapping(filter, path)?;
        let name = map.get("name").and_then(Value::as_str);
        let typed_config = map.get("typed_config");
        let type_ = typed_config_type(typed_config);
        if name == Some(NETWORK_WASM_FILTER) || type_ == Some(NETWORK_WASM_TYPE) {
            let pending = self.wasm_filter(map, path, FILTER_KEYS, NETWORK_WASM_TYPE)?;
            collected.network.push(pending);
            return Ok(());
        }
        if name == Some(HTTP_WASM_FILTER) || type_ == Some(HTTP_WASM_TYPE) {
            return Err(self.invalid(
                path,
                format!(
                    "`{HTTP_WASM_FILTER}` is an HTTP filter: \
                     put it in the `http_filters` of an `{HCM_FILTER}`"
                ),
            ));
        }
        if name != Some(HCM_FILTER) && type_ != Some(HCM_TYPE) {
            return Ok(());
        }
        // An http_connection_manager: its typed_config is the message itself or a
        // TypedStruct holding it. Without one there is nothing to look at.
        let Some(typed_config) = typed_config.filter(|v| v.is_mapping()) else {
            return Ok(());
        };
        let tc_path = child(path, "typed_config");
        let is_typed_struct = typed_config
            .get("@type")
            .and_then(Value::as_str)
            .is_some_and(|t| TYPED_STRUCT_TYPES.contains(&type_name(t)));
        let (hcm, hcm_path) = if is_typed_struct {
            match typed_config.get("value") {
                Some(value) => (value, child(&tc_path, "value")),
                None => return Ok(()),
            }
        } else {
            (typed_config, tc_path)
        };
        let hcm = self.mapping(hcm, &hcm_path)?;
        let http_path = child(&hcm_path, "http_filters");
        for (i, http_filter) in self.list(hcm.get("http_filters"), &http_path)?.iter().enumerate() {
            let at = index(&http_path, i);
            let map = self.mapping(http_filter, &at)?;
            let name = map.get("name").and_then(Value::as_str);
            let type_ = typed_config_type(map.get("typed_config"));
            if name == Some(HTTP_WASM_FILTER) || type_ == Some(HTTP_WASM_TYPE) {
                let pending = self.wasm_filter(map, &at, HTTP_FILTER_KEYS, HTTP_WASM_TYPE)?;
                collected.http.push(pending);
            } else if name == Some(NETWORK_WASM_FILTER) || type_ == Some(NETWORK_WASM_TYPE) {
                return Err(self.invalid(
                    &at,
                    format!(
                        "`{NETWORK_WASM_FILTER}` is a network filter: put it in a filter chain's `filters`"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// A Wasm filter entry (`{name, typed_config}`) → its `PluginConfig`.
    fn wasm_filter(
        &self,
        map: &Mapping,
        path: &str,
        keys: &[&str],
        expected: &str,
    ) -> Result<Pending, ConfigError> {
        self.known_keys(map, keys, path, "field")?;
        if map.contains_key("config_discovery") {
            return Err(self.invalid(
                &child(path, "config_discovery"),
                "extension config discovery (ECDS) is not supported: give `typed_config`",
            ));
        }
        let Some(typed_config) = map.get("typed_config") else {
            return Err(self.invalid(path, "missing field `typed_config`"));
        };
        let (wasm, body) = self.typed::<WasmMsg>(typed_config, &child(path, "typed_config"), expected)?;
        Ok(Pending {
            msg: wasm.config,
            path: child(&body, "config"),
        })
    }

    /// Decodes a `typed_config` that must hold message `expected`, written directly
    /// (`"@type": .../expected` beside the fields) or in a `TypedStruct`. Returns the
    /// message body and its path.
    fn typed<T: DeserializeOwned>(
        &self,
        typed_config: &Value,
        path: &str,
        expected: &str,
    ) -> Result<(T, String), ConfigError> {
        let map = self.mapping(typed_config, path)?;
        let hint = format!("type.googleapis.com/{expected} or a TypedStruct holding it");
        let type_url = match map.get("@type") {
            Some(Value::String(url)) => url.as_str(),
            Some(other) => {
                return Err(self.invalid(
                    &child(path, "@type"),
                    format!("invalid type: {}, expected a type URL string", kind(other)),
                ));
            }
            None => return Err(self.invalid(path, format!("missing field `@type` (expected {hint})"))),
        };
        let outer = type_name(type_url);
        if TYPED_STRUCT_TYPES.contains(&outer) {
            let wrapper: TypedStructMsg = decode(typed_config, path, &self.file)?;
            if type_name(&wrapper.type_url) != expected {
                return Err(self.invalid(
                    &child(path, "type_url"),
                    format!(
                        "wrong type URL `{}`, expected type.googleapis.com/{expected}",
                        wrapper.type_url
                    ),
                ));
            }
            let body_path = child(path, "value");
            let value = wrapper.value.unwrap_or(Value::Mapping(Mapping::new()));
            let body = decode(&value, &body_path, &self.file)?;
            return Ok((body, body_path));
        }
        if outer != expected {
            return Err(self.invalid(
                &child(path, "@type"),
                format!("wrong type `{type_url}`, expected {hint}"),
            ));
        }
        let mut body = map.clone();
        body.remove("@type");
        let body = decode(&Value::Mapping(body), path, &self.file)?;
        Ok((body, path.to_owned()))
    }
}
