;; Copies /input.txt (through the preopened root, fd 3) to output.txt in the working directory (the preopened ".",
;; fd 4); exits with the first failing WASI call's errno.
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "input.txt")
  (data (i32.const 200) "output.txt")
  ;; 0: opened fd, 8: iovec, 16: bytes moved, 4096: the data
  (func $check (param $errno i32)
    (if (local.get $errno) (then (call $proc_exit (local.get $errno)))))
  (func (export "_start")
    (local $input i32)
    ;; rights: fd_read (2), fd_write (64); oflags for the output: creat (1) | trunc (8)
    (call $check (call $path_open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 9) (i32.const 0)
      (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 0)))
    (local.set $input (i32.load (i32.const 0)))
    (i32.store (i32.const 8) (i32.const 4096))
    (i32.store (i32.const 12) (i32.const 4096))
    (call $check (call $fd_read (local.get $input) (i32.const 8) (i32.const 1) (i32.const 16)))
    (call $check (call $path_open (i32.const 4) (i32.const 0) (i32.const 200) (i32.const 10) (i32.const 9)
      (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 0)))
    (i32.store (i32.const 12) (i32.load (i32.const 16)))
    (call $check (call $fd_write (i32.load (i32.const 0)) (i32.const 8) (i32.const 1) (i32.const 16)))))
