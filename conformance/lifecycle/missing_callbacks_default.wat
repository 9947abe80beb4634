(module
;; @include base
  ;; Exports no proxy_on_* callback at all: only the library's memory and allocator.
)
