;; Grows its memory to 256 MiB (4096 pages of 64 KiB) and writes a byte to every 4 KiB of it, so the kernel must give
;; it every page; prints "allocated" if it got them all.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "allocated\n")
  (func (export "_start")
    (local $at i32)
    (drop (memory.grow (i32.const 4095)))
    (local.set $at (i32.const 65536))
    (loop $touch
      (i32.store8 (local.get $at) (i32.const 1))
      (local.set $at (i32.add (local.get $at) (i32.const 4096)))
      (br_if $touch (i32.lt_u (local.get $at) (i32.const 268435456))))
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 10))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
