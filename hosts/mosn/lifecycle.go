// Roots over time: a reconfiguration replacing a root (and the old one's deferred
// deletion through proxy_done), and fail_reload rebuilding a failed VM.
package main

import (
	"fmt"

	v1 "mosn.io/proxy-wasm-go-host/proxywasm/v1"
)

func (r *run) deliverDeletes() {
	for len(r.deletes) > 0 {
		p := r.deletes[0]
		r.deletes = r.deletes[1:]
		p.serving = false
		_, _ = p.call(nil, p.root, "proxy_on_delete", func(e v1.Exports) (int32, error) {
			return 0, e.ProxyOnDelete(p.root)
		})
	}
}

// reconfigure gives a plugin a new root context with the new configuration, on the
// same VMs (context create, vm_start, configure), and ends the old root: on_done, then
// on_delete, or later when it calls proxy_done (Envoy).
func (r *run) reconfigure(name string, configuration Data) error {
	found := false
	replace := func(list []*pluginVM) {
		for i, old := range list {
			if old.spec.Name != name {
				continue
			}
			found = true
			spec := old.spec
			spec.Configuration = configuration
			fresh, err := r.load(spec, old.vm.thread)
			if err != nil || fresh == nil {
				continue
			}
			list[i] = fresh
			if !old.serving {
				continue
			}
			done, err := old.call(nil, old.root, "proxy_on_done", func(e v1.Exports) (int32, error) {
				return e.ProxyOnDone(old.root)
			})
			switch {
			case err != nil:
			case done == 0:
				r.retired = append(r.retired, old)
			default:
				_, _ = old.call(nil, old.root, "proxy_on_delete", func(e v1.Exports) (int32, error) {
					return 0, e.ProxyOnDelete(old.root)
				})
			}
		}
	}
	replace(r.services)
	for w := range r.filters {
		replace(r.filters[w])
		replace(r.network[w])
	}
	if !found {
		return fmt.Errorf("no plugin %s", name)
	}
	return nil
}

// reload rebuilds the failed VMs of fail_reload filters whose backoff has passed (the
// base interval, doubling after each reload, up to the max): a fresh VM, started like
// the first, takes the filter's place (Envoy's FAIL_RELOAD).
func (r *run) reload(filters []*pluginVM) {
	for i, p := range filters {
		fp := p.spec.FailurePolicy
		if fp.Policy != "fail_reload" || p.vm.failed == nil {
			continue
		}
		backoff := fp.BaseIntervalMs << uint(p.reloads)
		if fp.MaxIntervalMs > 0 && backoff > fp.MaxIntervalMs {
			backoff = fp.MaxIntervalMs
		}
		if r.clock.ms < p.vm.failedAt+backoff {
			continue
		}
		// The failed VM is not shared any more: the plugin gets a new one.
		p.vm.key += "\x00failed"
		fresh, err := r.load(p.spec, p.vm.thread)
		if err != nil || fresh == nil {
			continue
		}
		fresh.reloads = p.reloads + 1
		filters[i] = fresh
		r.log("warn", fmt.Sprintf("plugin %s: the failed VM was reloaded (reload %d)", p.spec.Name, fresh.reloads), p.spec.Name)
	}
}
