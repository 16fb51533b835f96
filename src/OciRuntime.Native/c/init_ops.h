/*
 * init_ops.h - what the executor (init.c) and its operations (init_fs.c, init_process.c) share.
 */
#ifndef OCIRT_INIT_OPS_H
#define OCIRT_INIT_OPS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "init_program.h"

/* One decoded operation: its header and its strings (pointers into the program, NUL-terminated; "" when absent). */
struct ocirt_op {
    const struct ocirt_op_header *header;
    const char *s[OCIRT_OP_MAX_STRINGS];
    uint32_t length[OCIRT_OP_MAX_STRINGS];
    uint32_t string_count;
};

/*
 * Replaces the op's error text (its s0) by a formatted one for this failure, e.g. with what was found at run time.
 * The errno at the time of the op's failure is still appended; set errno to 0 for none.
 */
void ocirt_set_failure(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The sync socket is gone (closed with the runtime's fds): a failure from now on goes to the container's stderr. */
void ocirt_parent_stops_listening(void);

/* close() that keeps the errno of what failed before it. */
void ocirt_close_keeping_errno(int fd);
/* Closes *fd when it holds one (>= 0), keeping errno: the cleanup of fds declared OCIRT_CLOSED_ON_RETURN. */
void ocirt_close_fd_at(const int *fd);
#define OCIRT_CLOSED_ON_RETURN __attribute__((cleanup(ocirt_close_fd_at)))

/* Each returns 0, or -1 with errno set (and maybe ocirt_set_failure called). */
typedef int (*ocirt_op_handler)(const struct ocirt_op *op);

/* init_fs.c: the rootfs, paths inside it and mounts. */
int ocirt_op_set_rootfs(const struct ocirt_op *op);
int ocirt_op_mount(const struct ocirt_op *op);
int ocirt_op_make_mount_private(const struct ocirt_op *op);
int ocirt_op_mkdirs(const struct ocirt_op *op);
int ocirt_op_mkfile(const struct ocirt_op *op);
int ocirt_op_remount_bind(const struct ocirt_op *op);
int ocirt_op_remount_readonly(const struct ocirt_op *op);
int ocirt_op_move_mount(const struct ocirt_op *op);
int ocirt_op_set_mount_attr(const struct ocirt_op *op);
int ocirt_op_mknod(const struct ocirt_op *op);
int ocirt_op_symlink(const struct ocirt_op *op);
int ocirt_op_unlink(const struct ocirt_op *op);
int ocirt_op_require_dir(const struct ocirt_op *op);
int ocirt_op_refuse_kernel_fs_target(const struct ocirt_op *op);
int ocirt_op_tmpfs_copyup(const struct ocirt_op *op);
int ocirt_op_switch_root(const struct ocirt_op *op);
/* Whether s1 (in root when in_root) is a directory; -1 with errno on other errors than ENOENT. */
int ocirt_is_directory(const char *path, int in_root);
/* mkdir -p of path in the rootfs (symlinks resolved inside it), 0755. */
int ocirt_mkdirs_in_root(const char *path);
/* An empty file at path in the rootfs, its directories made; an existing one stays. */
int ocirt_mkfile_in_root(const char *path);
/* An fd (close-on-exec) for path in the rootfs, resolved as if the rootfs were "/". */
int ocirt_open_in_root(const char *path, int flags);
/* Closes the rootfs fd kept between lookups (the next one opens it anew): a created container holds no fd of its root. */
void ocirt_forget_root_fd(void);
/* Mounts with target in the rootfs (pinned by an O_PATH fd) or as given. */
int ocirt_mount_at(const char *source, const char *target, int in_root, const char *type, unsigned long flags,
                   const char *data);

/* init_lockdown.c: masked and read-only paths, after the root switch. */
int ocirt_op_mask_path(const struct ocirt_op *op);
int ocirt_op_readonly_path(const struct ocirt_op *op);

/* init_procfs.c: a file of /proc ("sys/...", "self/...", "thread-self/..."), opened in the init's own procfs. */
int ocirt_open_proc_file(const char *path, int flags);
int ocirt_op_open_procfs(const struct ocirt_op *op);

/* init_process.c: the process's stdio, console, hooks, identity and program. */
int ocirt_op_loopback_up(const struct ocirt_op *op);
int ocirt_op_hook(const struct ocirt_op *op);
/* Whether st is the null device (character device 1:3). */
int ocirt_is_null_device(const struct stat *st);
int ocirt_op_reopen_null_stdio(const struct ocirt_op *op);
int ocirt_op_console(const struct ocirt_op *op);
int ocirt_op_set_name(const struct ocirt_op *op);
int ocirt_op_write_file(const struct ocirt_op *op);
int ocirt_op_join_session_keyring(const struct ocirt_op *op);
int ocirt_op_setrlimit(const struct ocirt_op *op);
int ocirt_op_prepare_exec(const struct ocirt_op *op);
int ocirt_op_set_lsm_attr(const struct ocirt_op *op);
int ocirt_op_drop_bounding(const struct ocirt_op *op);
int ocirt_op_chown_stdio(const struct ocirt_op *op);
int ocirt_op_setgroups(const struct ocirt_op *op);
int ocirt_op_set_ids(const struct ocirt_op *op);
int ocirt_op_capset(const struct ocirt_op *op);
/* Keeps the filter for EXEC (SECCOMP with n1 = 2). */
void ocirt_keep_seccomp_for_exec(const void *filter, int instructions, unsigned int flags, int raise_sys_admin);
int ocirt_op_exec(const struct ocirt_op *op);
int ocirt_op_run_wasm(const struct ocirt_op *op);
int ocirt_op_sched_setattr(const struct ocirt_op *op);
int ocirt_op_ioprio_set(const struct ocirt_op *op);
int ocirt_op_personality(const struct ocirt_op *op);
int ocirt_op_set_cpu_affinity(const struct ocirt_op *op);
int ocirt_op_set_mempolicy(const struct ocirt_op *op);

/* init_wasm.c: the wasm handler. */
int ocirt_op_load_wasmtime(const struct ocirt_op *op);
/* Runs the module at path with WASI after ocirt_reset_process (fds closed); exits with its status, or returns -1. */
int ocirt_run_wasm(const char *path, char **argv, char **envp, int keep_fds_upto, int is_text, const char *what,
                   const void *seccomp_filter, int seccomp_instructions, unsigned int seccomp_flags);

#endif
