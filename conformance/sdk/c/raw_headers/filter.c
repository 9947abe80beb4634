// An HTTP filter in C against the raw Proxy-Wasm ABI 0.2.1, with no SDK: what a host sees
// from a guest that owns every export. It takes its plugin configuration as a header
// value, adds `x-c-filter: <configuration>` to requests, replaces the response's `server`
// with `c-filter`, logs every path, and answers paths under /blocked with a local 418.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT(name) __attribute__((import_module("env"), import_name(#name)))
#define EXPORT(name) __attribute__((export_name(#name)))

enum { LOG_INFO = 2 };
enum { MAP_REQUEST_HEADERS = 0, MAP_RESPONSE_HEADERS = 2 };
enum { BUFFER_PLUGIN_CONFIGURATION = 7 };
enum { OK = 0 };
enum { CONTINUE = 0, STOP_ITERATION = 1 };

IMPORT(proxy_log) int32_t proxy_log(int32_t level, const char *msg, size_t len);
IMPORT(proxy_get_buffer_bytes)
int32_t proxy_get_buffer_bytes(int32_t type, int32_t start, int32_t len, char **out, size_t *out_len);
IMPORT(proxy_get_header_map_value)
int32_t proxy_get_header_map_value(int32_t map, const char *key, size_t key_len, char **out, size_t *out_len);
IMPORT(proxy_add_header_map_value)
int32_t proxy_add_header_map_value(int32_t map, const char *key, size_t key_len, const char *value, size_t value_len);
IMPORT(proxy_replace_header_map_value)
int32_t proxy_replace_header_map_value(int32_t map, const char *key, size_t key_len, const char *value, size_t value_len);
IMPORT(proxy_send_local_response)
int32_t proxy_send_local_response(int32_t status, const char *details, size_t details_len, const char *body,
                                  size_t body_len, const char *headers, size_t headers_len, int32_t grpc_status);

EXPORT(proxy_abi_version_0_2_1) void proxy_abi_version_0_2_1(void) {}

// The host copies buffers into guest memory through this allocator; the filter frees them.
EXPORT(proxy_on_memory_allocate) void *proxy_on_memory_allocate(size_t size) { return malloc(size); }

static char *configured_value;
static size_t configured_len;

static void log_text(const char *prefix, const char *text, size_t len) {
  size_t prefix_len = strlen(prefix);
  char *line = malloc(prefix_len + len);
  if (!line) return;
  memcpy(line, prefix, prefix_len);
  memcpy(line + prefix_len, text, len);
  proxy_log(LOG_INFO, line, prefix_len + len);
  free(line);
}

EXPORT(proxy_on_context_create) void proxy_on_context_create(int32_t context_id, int32_t parent_id) {
  (void)context_id;
  (void)parent_id;
}

EXPORT(proxy_on_vm_start) int32_t proxy_on_vm_start(int32_t root_id, int32_t vm_config_size) {
  (void)root_id;
  (void)vm_config_size;
  return 1;
}

EXPORT(proxy_on_configure) int32_t proxy_on_configure(int32_t root_id, int32_t config_size) {
  (void)root_id;
  free(configured_value);
  configured_value = NULL;
  configured_len = 0;
  if (config_size > 0 &&
      proxy_get_buffer_bytes(BUFFER_PLUGIN_CONFIGURATION, 0, config_size, &configured_value, &configured_len) != OK) {
    return 0;
  }
  if (configured_len == 0) {
    static const char fallback[] = "raw";
    configured_value = malloc(sizeof fallback - 1);
    if (!configured_value) return 0;
    memcpy(configured_value, fallback, sizeof fallback - 1);
    configured_len = sizeof fallback - 1;
  }
  log_text("configured: ", configured_value, configured_len);
  return 1;
}

EXPORT(proxy_on_request_headers)
int32_t proxy_on_request_headers(int32_t context_id, int32_t headers, int32_t end_of_stream) {
  (void)context_id;
  (void)headers;
  (void)end_of_stream;
  char *path = NULL;
  size_t path_len = 0;
  if (proxy_get_header_map_value(MAP_REQUEST_HEADERS, ":path", 5, &path, &path_len) == OK) {
    log_text("path ", path, path_len);
  }
  int blocked = path_len >= 8 && memcmp(path, "/blocked", 8) == 0;
  free(path);
  if (blocked) {
    static const char body[] = "blocked by c\n";
    static const char no_headers[4] = {0, 0, 0, 0};  // an empty pair list: count 0
    proxy_send_local_response(418, "blocked", 7, body, sizeof body - 1, no_headers, sizeof no_headers, -1);
    return STOP_ITERATION;
  }
  proxy_add_header_map_value(MAP_REQUEST_HEADERS, "x-c-filter", 10, configured_value, configured_len);
  return CONTINUE;
}

EXPORT(proxy_on_response_headers)
int32_t proxy_on_response_headers(int32_t context_id, int32_t headers, int32_t end_of_stream) {
  (void)context_id;
  (void)headers;
  (void)end_of_stream;
  proxy_replace_header_map_value(MAP_RESPONSE_HEADERS, "server", 6, "c-filter", 8);
  return CONTINUE;
}

EXPORT(proxy_on_log) void proxy_on_log(int32_t context_id) { (void)context_id; }

EXPORT(proxy_on_done) int32_t proxy_on_done(int32_t context_id) {
  (void)context_id;
  return 1;
}

EXPORT(proxy_on_delete) void proxy_on_delete(int32_t context_id) { (void)context_id; }
