/*
 * init_program.h - the container init's program: the list of operations `create` or `exec` compiled from the config
 * (Init/InitProgramBuilder.cs and its parts) and the init (init.c) executes in order, in the container's namespaces.
 *
 * The source of the program's constants: Protocol/InitProgram.cs mirrors them (its InitOp enum, one method per operation
 * and the encoder), and a unit test (tests/unit/Protocol/InitProgramLayoutTests.cs) reads this file to check that both
 * agree. The PROGRAM frame's payload is a sequence of operations, each a struct ocirt_op_header followed by its strings;
 * a string is a uint32 length, that many bytes and a NUL.
 *
 * Each operation's arguments are a struct ocirt_<name>_args below: its int64_t fields are the header's n[0], n[1], ...
 * in order, its struct ocirt_string fields the strings after the error text, in order (InitProgram's method for the
 * operation takes them by the same names). init.c decodes every operation into its struct once.
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

enum ocirt_op_code {
    OCIRT_OP_SET_ROOTFS = 1,
    OCIRT_OP_MOUNT = 2,
    OCIRT_OP_MAKE_MOUNT_PRIVATE = 3,
    OCIRT_OP_MKDIRS = 4,
    OCIRT_OP_MKFILE = 5,
    OCIRT_OP_REMOUNT_BIND = 6,
    OCIRT_OP_REMOUNT_READONLY = 7,
    OCIRT_OP_MOVE_MOUNT = 8,
    OCIRT_OP_MKNOD = 9,
    OCIRT_OP_SYMLINK = 10,
    OCIRT_OP_UNLINK = 11,
    OCIRT_OP_SKIP_UNLESS_DIRECTORY = 12,
    OCIRT_OP_REQUIRE_DIRECTORY = 13,
    OCIRT_OP_TMPFS_COPY_UP = 14,
    OCIRT_OP_SWITCH_ROOT = 15,
    OCIRT_OP_UNSHARE = 16,
    OCIRT_OP_ASK_PARENT = 17,
    OCIRT_OP_LOOPBACK_UP = 18,
    OCIRT_OP_HOOK = 19,
    OCIRT_OP_REOPEN_NULL_STDIO = 20,
    OCIRT_OP_CONSOLE = 21,
    OCIRT_OP_SET_NAME = 22,
    OCIRT_OP_WRITE_FILE = 23,
    OCIRT_OP_JOIN_SESSION_KEYRING = 24,
    OCIRT_OP_SET_RLIMIT = 25,
    OCIRT_OP_PREPARE_EXEC = 26,
    OCIRT_OP_SECCOMP = 27,
    OCIRT_OP_READY = 28,
    OCIRT_OP_WAIT_START = 29,
    OCIRT_OP_CONFIRM_START = 30,
    OCIRT_OP_SET_LSM_ATTRIBUTE = 31,
    OCIRT_OP_DROP_BOUNDING = 32,
    OCIRT_OP_CHOWN_STDIO = 33,
    OCIRT_OP_SET_GROUPS = 34,
    OCIRT_OP_SET_IDS = 35,
    OCIRT_OP_UMASK = 36,
    OCIRT_OP_CAPSET = 37,
    OCIRT_OP_NO_NEW_PRIVILEGES = 38,
    OCIRT_OP_EXEC = 39,
    OCIRT_OP_SET_MOUNT_ATTRIBUTES = 40,
    OCIRT_OP_MASK_PATH = 41,
    OCIRT_OP_READONLY_PATH = 42,
    OCIRT_OP_OPEN_PROCFS = 43,
    OCIRT_OP_SCHED_SETATTR = 44,
    OCIRT_OP_IOPRIO_SET = 45,
    OCIRT_OP_PERSONALITY = 46,
    OCIRT_OP_SET_CPU_AFFINITY = 47,
    OCIRT_OP_SET_MEMPOLICY = 48,
    OCIRT_OP_REFUSE_KERNEL_FS_TARGET = 49,
    OCIRT_OP_LOAD_WASMTIME = 50,
    OCIRT_OP_RUN_WASM = 51,
};

/* One of the operation's strings: NUL-terminated ("" when the operation has fewer), length without the NUL. */
struct ocirt_string {
    const char *text;
    uint32_t length;
};

/*
 * The arguments of each operation. "In root": a path inside the rootfs, resolved with openat2(RESOLVE_IN_ROOT) from
 * the root SET_ROOTFS opened (in_root.c). The operations without arguments (LOOPBACK_UP, REOPEN_NULL_STDIO,
 * JOIN_SESSION_KEYRING, CONFIRM_START, NO_NEW_PRIVILEGES, OPEN_PROCFS) have no struct.
 */

/* Where "in root" paths are resolved until the root switch. */
struct ocirt_set_rootfs_args {
    struct ocirt_string rootfs;
};

/* mount(source, target, type, flags, data); empty strings are NULL. tmpfs_mode_from_target (a tmpfs in root): an
 * existing target lends its mode (data "mode=0755,<data>"), a missing one is made. */
struct ocirt_mount_args {
    int64_t flags;
    int64_t target_in_root;
    int64_t tmpfs_mode_from_target;
    struct ocirt_string source;
    struct ocirt_string target;
    struct ocirt_string type;
    struct ocirt_string data;
};

/* MS_PRIVATE on the mount holding path: tries path and its parents until one is a mount point. */
struct ocirt_make_mount_private_args {
    struct ocirt_string path;
};

/* mkdir -p path in root, 0755. */
struct ocirt_mkdirs_args {
    struct ocirt_string path;
};

/* An empty file path in root (its directories made), 0644; an existing one stays. */
struct ocirt_mkfile_args {
    struct ocirt_string path;
};

/* Bind remount of target with flags; on EPERM again with the flags the kernel locked, unless cleared_flags or
 * atime_flags (those asked for) conflict with them: then the error is cleared_conflict_before + the flags' names +
 * cleared_conflict_after, or the same with atime_conflict_*. */
struct ocirt_remount_bind_args {
    int64_t flags;
    int64_t target_in_root;
    int64_t cleared_flags;
    int64_t atime_flags;
    struct ocirt_string target;
    struct ocirt_string cleared_conflict_before;
    struct ocirt_string cleared_conflict_after;
    struct ocirt_string atime_conflict_before;
    struct ocirt_string atime_conflict_after;
};

/* Remounts target read-only, keeping the flags the kernel locked. */
struct ocirt_remount_readonly_args {
    int64_t target_in_root;
    struct ocirt_string target;
};

/* move_mount of the detached mount detached_fd to target in root; closes detached_fd. */
struct ocirt_move_mount_args {
    int64_t detached_fd;
    struct ocirt_string target;
};

/* mknod path in root (mode, dev), EEXIST kept; then lchown to uid:gid (chown_failure on failure). */
struct ocirt_mknod_args {
    int64_t mode;
    int64_t dev;
    int64_t uid;
    int64_t gid;
    struct ocirt_string path;
    struct ocirt_string chown_failure;
};

/* symlink path in root pointing to link_target; an existing entry stays. */
struct ocirt_symlink_args {
    struct ocirt_string link_target;
    struct ocirt_string path;
};

/* unlink path in root; a missing one is fine. */
struct ocirt_unlink_args {
    struct ocirt_string path;
};

/* The one operation that steers: skips the next skip_count ops unless path is a directory (or, negated, is not one). */
struct ocirt_skip_unless_directory_args {
    int64_t skip_count;
    int64_t in_root;
    int64_t negated;
    struct ocirt_string path;
};

/* Fails when path in root exists and is not a directory (a symlink is not one). */
struct ocirt_require_directory_args {
    struct ocirt_string path;
};

/* tmpcopyup: a tmpfs (flags, data) filled with a copy of target in root, then moved over it. */
struct ocirt_tmpfs_copy_up_args {
    int64_t flags;
    struct ocirt_string target;
    struct ocirt_string data;
};

/* pivot_root to rootfs or, for --no-pivot, MS_MOVE and chroot; then chdir /. */
struct ocirt_switch_root_args {
    int64_t no_pivot;
    struct ocirt_string rootfs;
};

/* unshare(flags). */
struct ocirt_unshare_args {
    int64_t flags;
};

/* Sends message request (protocol.h; 0: none) to the parent and waits for reply (e.g. the createRuntime hooks). */
struct ocirt_ask_parent_args {
    int64_t request;
    int64_t reply;
};

/* Runs the hook at path with args (args_count NUL-separated strings) and env (env_count), the state
 * state_before_pid + pid + state_after_pid on its stdin, killed after timeout_seconds (0: no limit); the error is
 * timeout_failure on timeout, exit_failure + the exit status on failure. */
struct ocirt_hook_args {
    int64_t args_count;
    int64_t env_count;
    int64_t timeout_seconds;
    struct ocirt_string path;
    struct ocirt_string args;
    struct ocirt_string env;
    struct ocirt_string state_before_pid;
    struct ocirt_string state_after_pid;
    struct ocirt_string timeout_failure;
    struct ocirt_string exit_failure;
};

/* A pty from /dev/ptmx: rows x columns (0: unset), its master sent to console_socket_fd, its peer the stdio and
 * controlling tty; bind_dev_console: also bound on /dev/console. */
struct ocirt_console_args {
    int64_t console_socket_fd;
    int64_t rows;
    int64_t columns;
    int64_t bind_dev_console;
};

/* sethostname or (domainname) setdomainname of name. */
struct ocirt_set_name_args {
    int64_t domainname;
    struct ocirt_string name;
};

/* Writes content to the file path (a sysctl, oom_score_adj; one in /proc through the init's own procfs);
 * own_proc_file: path is one of the init's own /proc files, written while it is dumpable. */
struct ocirt_write_file_args {
    int64_t own_proc_file;
    struct ocirt_string path;
    struct ocirt_string content;
};

/* prlimit(resource, soft, hard). */
struct ocirt_set_rlimit_args {
    int64_t resource;
    int64_t soft;
    int64_t hard;
};

/* The program: args (args_count NUL-separated strings), env (env_count), cwd; HOME added from /etc/passwd for uid when
 * missing; args[0] searched in the env's PATH, not through a magic link. Fds above 2 + preserve_fds are closed on exec,
 * then cwd is entered and must be inside the root (else EXEC enters it, as the user). Checked now, executed by EXEC.
 * module_marker not empty: args[0] is a module RUN_WASM runs, so it needs to be readable, not executable. */
struct ocirt_prepare_exec_args {
    int64_t args_count;
    int64_t env_count;
    int64_t uid;
    int64_t preserve_fds;
    struct ocirt_string cwd;
    struct ocirt_string args;
    struct ocirt_string env;
    struct ocirt_string module_marker;
};

/* When the SECCOMP operation loads its filter (Init/InitProgramBuilder.cs's SeccompLoad). */
enum ocirt_seccomp_load {
    /* Now, and its listener goes to the parent (SECCOMP_LISTENER message). */
    OCIRT_SECCOMP_LOAD_HAND_OVER_LISTENER = 1,
    /* By EXEC, right before execve. */
    OCIRT_SECCOMP_LOAD_AT_EXEC = 2,
    /* As AT_EXEC, raising CAP_SYS_ADMIN from permitted to effective first (a load without no_new_privs). */
    OCIRT_SECCOMP_LOAD_AT_EXEC_RAISING_SYS_ADMIN = 3,
};

/* Loads the BPF program filter (struct sock_filter[]) with flags, when load (enum ocirt_seccomp_load) says. */
struct ocirt_seccomp_args {
    int64_t flags;
    int64_t load;
    struct ocirt_string filter;
};

/* Tells the parent the container is built; parent_keeps_listening (exec): until the execve. */
struct ocirt_ready_args {
    int64_t parent_keeps_listening;
};

/* Opens the exec FIFO (the O_PATH fd exec_fifo_fd) for writing through the init's own procfs, which blocks until
 * `start`. CONFIRM_START then writes "0" to it: the startContainer hooks ran. */
struct ocirt_wait_start_args {
    int64_t exec_fifo_fd;
};

/* Writes value to name under /proc/thread-self/attr/ of the init's own procfs. */
struct ocirt_set_lsm_attribute_args {
    struct ocirt_string name;
    struct ocirt_string value;
};

/* Drops every capability up to last_capability that is not in keep_mask from the bounding set. */
struct ocirt_drop_bounding_args {
    int64_t keep_mask;
    int64_t last_capability;
};

/* Gives stdio (not /dev/null, not already owned) to uid. */
struct ocirt_chown_stdio_args {
    int64_t uid;
};

/* setgroups of the gids_count gids (uint32 each); denied_failure when /proc/self/setgroups denies it and there are any. */
struct ocirt_set_groups_args {
    int64_t gids_count;
    struct ocirt_string gids;
    struct ocirt_string denied_failure;
};

/* setresgid gid, setresuid uid, keeping the permitted capabilities. */
struct ocirt_set_ids_args {
    int64_t uid;
    int64_t gid;
};

/* umask(mask). */
struct ocirt_umask_args {
    int64_t mask;
};

/* capset of the three sets; then ambient (those permitted and inheritable). */
struct ocirt_capset_args {
    int64_t effective;
    int64_t permitted;
    int64_t inheritable;
    int64_t ambient;
};

/* execve of the prepared program, fds above 2 + preserve_fds closed on exec. */
struct ocirt_exec_args {
    int64_t preserve_fds;
};

/* mount_setattr(AT_RECURSIVE) on the mount at target: MOUNT_ATTR_* attr_set set, attr_clear cleared. */
struct ocirt_set_mount_attributes_args {
    int64_t target_in_root;
    int64_t attr_set;
    int64_t attr_clear;
    struct ocirt_string target;
};

/* Masks path in root, each step on its fd: a directory with an empty read-only tmpfs, anything else with the
 * container's /dev/null, refused (refusal + why) unless it is the null device; a missing path is skipped. */
struct ocirt_mask_path_args {
    struct ocirt_string path;
    struct ocirt_string refusal;
};

/* Binds path in root on itself, recursively, with its top mount read-only: a detached copy made read-only, then moved
 * onto path's fd; a missing path is skipped. */
struct ocirt_readonly_path_args {
    struct ocirt_string path;
};

/* OPEN_PROCFS mounts the init's own procfs (init_procfs.c) now, while the kernel allows it in a user namespace; if it
 * refuses, the first file opened in /proc tries again, then falls back to a copy of the container's /proc. */

/* sched_setattr of the init with attr, a struct sched_attr (its size field first). */
struct ocirt_sched_setattr_args {
    struct ocirt_string attr;
};

/* ioprio_set(IOPRIO_WHO_PROCESS, the init, priority): children inherit it. */
struct ocirt_ioprio_set_args {
    int64_t priority;
};

/* personality(persona). */
struct ocirt_personality_args {
    int64_t persona;
};

/* sched_setaffinity of the init to the cpus of mask (little-endian, bit n for cpu n, at most 8 KiB); an empty mask:
 * every cpu, which the kernel narrows to the cgroup's cpuset. */
struct ocirt_set_cpu_affinity_args {
    struct ocirt_string mask;
};

/* set_mempolicy(mode: mode | flags) with nodemask (whole unsigned longs, bit n for node n; empty: none). */
struct ocirt_set_mempolicy_args {
    int64_t mode;
    struct ocirt_string nodemask;
};

/* runc's checkProcMount: target in root must not resolve onto procfs (unless allow_procfs) nor sysfs (unless
 * allow_sysfs); refused with errno 0 and the error text when it does; a missing target passes. */
struct ocirt_refuse_kernel_fs_target_args {
    int64_t allow_procfs;
    int64_t allow_sysfs;
    struct ocirt_string target;
};

/* dlopen of the Wasmtime library (a host path: before the root switch, or found by name after the bootstrap's
 * "preload" of the same path) and its C API's symbols; the error text + dlerror on failure. */
struct ocirt_load_wasmtime_args {
    struct ocirt_string library;
};

/* In place of EXEC: the prepared program's args[0] is a WebAssembly module (text_format: in the text format), run by
 * Wasmtime with WASI (args, env, stdio, the root as "/" and cwd as "."), fds above 2 + preserve_fds closed and the
 * seccomp filter loaded first. The init exits with the module's proc_exit status (0 when _start returns); a trap:
 * status 134 and the error text with the trap's cause (the last line of Wasmtime's report) on stderr. */
struct ocirt_run_wasm_args {
    int64_t preserve_fds;
    int64_t text_format;
};

#endif
