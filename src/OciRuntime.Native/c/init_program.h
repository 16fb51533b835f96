/*
 * init_program.h - the container init's program: the list of operations `create` or `exec` compiled from the config
 * (Init/InitProgramBuilder.cs and its parts) and the init (init.c) executes in order, in the container's namespaces.
 *
 * The source of the program's constants: Protocol/InitProgram.cs mirrors them (its InitOp enum and encoder), and a
 * unit test reads this file to check that both agree. The PROGRAM frame's payload is a sequence of operations, each a
 * struct ocirt_op_header followed by its strings; a string is a uint32 length, that many bytes and a NUL.
 *
 * Policy lives in C#: every operation carries, as its first string, what it does in the words the user should read
 * when it fails ("/mounts/3 \"/dev/shm\": mount ..."); the init appends the errno and reports it. An operation that
 * fails with ok_errno counts as done. else_count ops follow an op as its fallback: they run only when it failed with
 * else_errno, and are skipped when it succeeded.
 */
#ifndef OCIRT_INIT_PROGRAM_H
#define OCIRT_INIT_PROGRAM_H

#include <stdint.h>

#define OCIRT_OP_NUMBERS 4
#define OCIRT_OP_MAX_STRINGS 8

struct ocirt_op_header {
    uint32_t length; /* of the whole operation, header and strings */
    uint16_t code;   /* enum ocirt_op_code */
    uint16_t else_count;
    int32_t ok_errno;
    int32_t else_errno;
    int64_t n[OCIRT_OP_NUMBERS];
    uint32_t string_count;
} __attribute__((packed));

/* s[0] is always the error text; "in root": a path inside the rootfs, resolved with openat2(RESOLVE_IN_ROOT). */
enum ocirt_op_code {
    /* s1 rootfs: where "in root" paths are resolved until the root switch. */
    OCIRT_OP_SET_ROOTFS = 1,
    /*
     * mount(s1 source, s2 target, s3 type, n0 flags, s4 data); n1 = 1: target in root. Empty strings are NULL.
     * n2 = 1 (a tmpfs in root): an existing target lends its mode (data "mode=0755,<s4>"), a missing one is made.
     */
    OCIRT_OP_MOUNT = 2,
    /* MS_PRIVATE on the mount holding s1: tries s1 and its parents until one is a mount point. */
    OCIRT_OP_MAKE_MOUNT_PRIVATE = 3,
    /* mkdir -p s1 in root, 0755. */
    OCIRT_OP_MKDIRS = 4,
    /* An empty file s1 in root (its directories made), 0644; an existing one stays. */
    OCIRT_OP_MKFILE = 5,
    /* Bind remount of s1 (n1 = 1: in root) with n0 flags; on EPERM again with the flags the kernel locked, unless n2
     * (cleared flags) or n3 (atime flags asked for) conflict with them: then s2 or s3 with the flags' names. */
    OCIRT_OP_REMOUNT_BIND = 6,
    /* Remounts s1 (n1 = 1: in root) read-only, keeping the flags the kernel locked. */
    OCIRT_OP_REMOUNT_READONLY = 7,
    /* move_mount of the detached mount fd n0 to s1 in root; closes n0. */
    OCIRT_OP_MOVE_MOUNT = 8,
    /* mknod s1 in root (n0 mode, n1 dev), EEXIST kept; then lchown to n2:n3 (s2 on failure). */
    OCIRT_OP_MKNOD = 9,
    /* symlink s2 in root pointing to s1; an existing entry stays. */
    OCIRT_OP_SYMLINK = 10,
    /* unlink s1 in root; a missing one is fine. */
    OCIRT_OP_UNLINK = 11,
    /* Skips the next n0 ops unless s1 (n1 = 1: in root) is a directory (n2 = 0) or is not one (n2 = 1). */
    OCIRT_OP_SKIP_UNLESS_DIR = 12,
    /* Fails when s1 in root exists and is not a directory (a symlink is not one). */
    OCIRT_OP_REQUIRE_DIR = 13,
    /* tmpcopyup: a tmpfs (n0 flags, s2 data) filled with a copy of s1 in root, then moved over it. */
    OCIRT_OP_TMPFS_COPYUP = 14,
    /* pivot_root to s1 (n0 = 0) or, for --no-pivot, MS_MOVE and chroot (n0 = 1); then chdir /. */
    OCIRT_OP_SWITCH_ROOT = 15,
    /* unshare(n0). */
    OCIRT_OP_UNSHARE = 16,
    /* Sends message n0 to the parent and waits for n1 (e.g. the createRuntime hooks). */
    OCIRT_OP_ASK_PARENT = 17,
    /* Brings the loopback interface up. */
    OCIRT_OP_LOOPBACK_UP = 18,
    /* Runs hook s1 with argv s2 (n0 strings, NUL-separated) and envp s3 (n1 strings), the state s4 + pid + s5 on its
     * stdin, killed after n2 seconds (0: no limit); s6 on timeout, s7 (+ exit status) on failure. */
    OCIRT_OP_HOOK = 19,
    /* Stdio that is the null device is replaced by the container's /dev/null (which must be the 1:3 device). */
    OCIRT_OP_REOPEN_NULL_STDIO = 20,
    /* A pty from /dev/ptmx: n1 x n2 (rows, cols; 0: unset), its master sent to console socket n0, its slave the stdio
     * and controlling tty; n3 = 1: also bound on /dev/console. */
    OCIRT_OP_CONSOLE = 21,
    /* sethostname (n0 = 0) or setdomainname (n0 = 1) s1. */
    OCIRT_OP_SET_NAME = 22,
    /* Writes s2 to the file s1 (a sysctl, oom_score_adj; one in /proc through the init's own procfs); n0 = 1: s1 is
     * one of the init's own /proc files, written while it is dumpable. */
    OCIRT_OP_WRITE_FILE = 23,
    /* A new session keyring; kernels without keyrings are fine. */
    OCIRT_OP_JOIN_SESSION_KEYRING = 24,
    /* prlimit(resource n0, soft n1, hard n2). */
    OCIRT_OP_SETRLIMIT = 25,
    /* The program: args s2 (n0 strings), env s3 (n1 strings), cwd s1; HOME added from /etc/passwd for uid n2 when
     * missing; args[0] searched in the env's PATH, not through a magic link. Fds above 2 + n3 are closed on exec, then
     * cwd is entered and must be inside the root (else EXEC enters it, as the user). Checked now, executed by EXEC.
     * s4 not empty: args[0] is a module RUN_WASM runs, so it needs to be readable, not executable. */
    OCIRT_OP_PREPARE_EXEC = 26,
    /* Loads the BPF program s1 with flags n0; n1 = 1: now, and hands its listener to the parent (SECCOMP_LISTENER
     * message); n1 = 2: by EXEC, right before execve; n1 = 3: as 2, raising CAP_SYS_ADMIN from permitted to effective
     * first (a load without no_new_privs). */
    OCIRT_OP_SECCOMP = 27,
    /* Tells the parent the container is built; n0 = 1: it keeps listening (exec) until the execve. */
    OCIRT_OP_READY = 28,
    /* Opens the exec FIFO (O_PATH fd n0) for writing through the init's own procfs, which blocks until `start`. */
    OCIRT_OP_WAIT_START = 29,
    /* Writes "0" to the exec FIFO: the startContainer hooks ran. */
    OCIRT_OP_CONFIRM_START = 30,
    /* Writes the LSM attribute s2 to s1 under /proc/thread-self/attr/ of the init's own procfs. */
    OCIRT_OP_SET_LSM_ATTR = 31,
    /* Drops every capability up to n1 (the last one) that is not in the mask n0 from the bounding set. */
    OCIRT_OP_DROP_BOUNDING = 32,
    /* Gives stdio (not /dev/null, not already owned) to uid n0. */
    OCIRT_OP_CHOWN_STDIO = 33,
    /* setgroups of the n0 gids in s1 (uint32 each); s2 when /proc/self/setgroups denies it and n0 > 0. */
    OCIRT_OP_SETGROUPS = 34,
    /* setresgid n1, setresuid n0, keeping the permitted capabilities. */
    OCIRT_OP_SET_IDS = 35,
    /* umask(n0). */
    OCIRT_OP_UMASK = 36,
    /* capset: effective n0, permitted n1, inheritable n2; then ambient n3 (those permitted and inheritable). */
    OCIRT_OP_CAPSET = 37,
    /* prctl(PR_SET_NO_NEW_PRIVS). */
    OCIRT_OP_NO_NEW_PRIVS = 38,
    /* execve of the prepared program, fds above 2 + n0 closed on exec; n1 > 0: LISTEN_FDS=n1 and LISTEN_PID added. */
    OCIRT_OP_EXEC = 39,
    /* mount_setattr(AT_RECURSIVE) on the mount at s1 (n0 = 1: in root): MOUNT_ATTR_* n1 set, n2 cleared. */
    OCIRT_OP_SET_MOUNT_ATTR = 40,
    /* Masks s1 in root, each step on its fd: a directory with an empty read-only tmpfs, anything else with the container's
     * /dev/null, refused (s2 + why) unless it is the null device; a missing s1 is skipped. */
    OCIRT_OP_MASK_PATH = 41,
    /* Binds s1 in root on itself, recursively, with its top mount read-only: a detached copy made read-only, then
     * moved onto s1's fd; a missing s1 is skipped. */
    OCIRT_OP_READONLY_PATH = 42,
    /* Mounts the init's own procfs (init_procfs.c) now, while the kernel allows it in a user namespace; if it refuses,
     * the first file opened in /proc tries again, then falls back to a copy of the container's /proc. */
    OCIRT_OP_OPEN_PROCFS = 43,
    /* sched_setattr of the init with s1, a struct sched_attr (its size field first). */
    OCIRT_OP_SCHED_SETATTR = 44,
    /* ioprio_set(IOPRIO_WHO_PROCESS, the init, n0): children inherit it. */
    OCIRT_OP_IOPRIO_SET = 45,
    /* personality(n0). */
    OCIRT_OP_PERSONALITY = 46,
    /* sched_setaffinity of the init to the cpus of s1 (a little-endian bit mask, bit n for cpu n, at most 8 KiB); an
     * empty s1: every cpu, which the kernel narrows to the cgroup's cpuset. */
    OCIRT_OP_SET_CPU_AFFINITY = 47,
    /* set_mempolicy(n0: mode | flags) with the nodemask s1 (whole unsigned longs, bit n for node n; empty: none). */
    OCIRT_OP_SET_MEMPOLICY = 48,
    /* runc's checkProcMount: s1 in root must not resolve onto procfs (unless n0 & 1) nor sysfs (unless n0 & 2); refused
     * with errno 0 and s0 when it does; a missing s1 passes. */
    OCIRT_OP_REFUSE_KERNEL_FS_TARGET = 49,
    /* dlopen of the Wasmtime library s1 (a host path: before the root switch, or found by name after the bootstrap's
     * "preload" of the same path) and its C API's symbols; s0 + dlerror on failure. */
    OCIRT_OP_LOAD_WASMTIME = 50,
    /* In place of EXEC: the prepared program's args[0] is a WebAssembly module (n1 = 1: in the text format), run by
     * Wasmtime with WASI (args, env, stdio, the root as "/" and cwd as "."), fds above 2 + n0 closed and the seccomp
     * filter loaded first. The init exits with the module's proc_exit status (0 when _start returns); a trap: status
     * 134 and s0 with the trap's cause (the last line of Wasmtime's report) on stderr. */
    OCIRT_OP_RUN_WASM = 51,
};

#endif
