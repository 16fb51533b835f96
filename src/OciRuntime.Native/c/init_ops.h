/*
 * init_ops.h - the init's state and its decoded operations, which the executor (init.c) hands to the handlers
 * (init_fs.c, init_lockdown.c, init_procfs.c, init_process.c, init_wasm.c). Only init.c calls handlers; they call
 * the leaves (init_failure.c, in_root.c, init_procfs.c's ocirt_open_proc_file, sync.c, helpers.c), never each other.
 */
#ifndef OCIRT_INIT_OPS_H
#define OCIRT_INIT_OPS_H

#include <limits.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "in_root.h"
#include "init_failure.h"
#include "init_program.h"

/* One operation decoded (init_program.h): the header's fields, its error text and its arguments by name. */
struct ocirt_op {
    uint16_t code;
    uint16_t else_count;
    int32_t ok_errno;
    int32_t else_errno;
    const char *text;
    union {
        struct ocirt_set_rootfs_args set_rootfs;
        struct ocirt_mount_args mount;
        struct ocirt_make_mount_private_args make_mount_private;
        struct ocirt_mkdirs_args mkdirs;
        struct ocirt_mkfile_args mkfile;
        struct ocirt_remount_bind_args remount_bind;
        struct ocirt_remount_readonly_args remount_readonly;
        struct ocirt_move_mount_args move_mount;
        struct ocirt_mknod_args mknod;
        struct ocirt_symlink_args symlink;
        struct ocirt_unlink_args unlink;
        struct ocirt_skip_unless_directory_args skip_unless_directory;
        struct ocirt_require_directory_args require_directory;
        struct ocirt_tmpfs_copy_up_args tmpfs_copy_up;
        struct ocirt_switch_root_args switch_root;
        struct ocirt_unshare_args unshare;
        struct ocirt_ask_parent_args ask_parent;
        struct ocirt_hook_args hook;
        struct ocirt_console_args console;
        struct ocirt_set_name_args set_name;
        struct ocirt_write_file_args write_file;
        struct ocirt_set_rlimit_args set_rlimit;
        struct ocirt_prepare_exec_args prepare_exec;
        struct ocirt_seccomp_args seccomp;
        struct ocirt_ready_args ready;
        struct ocirt_wait_start_args wait_start;
        struct ocirt_set_lsm_attribute_args set_lsm_attribute;
        struct ocirt_drop_bounding_args drop_bounding;
        struct ocirt_chown_stdio_args chown_stdio;
        struct ocirt_set_groups_args set_groups;
        struct ocirt_set_ids_args set_ids;
        struct ocirt_umask_args umask;
        struct ocirt_capset_args capset;
        struct ocirt_exec_args exec;
        struct ocirt_set_mount_attributes_args set_mount_attributes;
        struct ocirt_mask_path_args mask_path;
        struct ocirt_readonly_path_args readonly_path;
        struct ocirt_sched_setattr_args sched_setattr;
        struct ocirt_ioprio_set_args ioprio_set;
        struct ocirt_personality_args personality;
        struct ocirt_set_cpu_affinity_args set_cpu_affinity;
        struct ocirt_set_mempolicy_args set_mempolicy;
        struct ocirt_refuse_kernel_fs_target_args refuse_kernel_fs_target;
        struct ocirt_load_wasmtime_args load_wasmtime;
        struct ocirt_run_wasm_args run_wasm;
    };
};

/* The program EXEC (or RUN_WASM) runs: checked by PREPARE_EXEC, with the filter SECCOMP keeps for it. */
struct ocirt_prepared_program {
    char path[PATH_MAX];
    char **argv;
    char **envp;
    const char *cwd;
    int in_cwd;    /* PREPARE_EXEC entered cwd; else EXEC does, as the process's user */
    int is_module; /* args[0] is a module a handler runs: a readable file, not an executable one */
    const void *seccomp_filter;
    int seccomp_instructions;
    unsigned int seccomp_flags;
    int seccomp_raise_sys_admin;
};

/* What the operations leave for the ones after them. */
struct ocirt_init {
    struct ocirt_root root;
    struct ocirt_prepared_program program;
    int exec_fifo;      /* WAIT_START opened it; CONFIRM_START writes to it */
    int private_procfs; /* init_procfs.c's procfs, -1 until mounted */
    /* init_lockdown.c: the first masked directory, whose read-only tmpfs the others get a copy of (NULL until then) */
    const char *mask_directory;
    dev_t mask_device;
};

/* Each returns 0, or -1 with errno set (and maybe ocirt_set_failure called). */
typedef int (*ocirt_op_handler)(struct ocirt_init *init, const struct ocirt_op *op);

#define OCIRT_HANDLER(name) int ocirt_op_##name(struct ocirt_init *init, const struct ocirt_op *op)

/* Whether st is the null device (character device 1:3). */
static inline int ocirt_is_null_device(const struct stat *st)
{
    return S_ISCHR(st->st_mode) && st->st_rdev == makedev(1, 3);
}

/* init_fs.c: the rootfs and mounts. */
OCIRT_HANDLER(set_rootfs);
OCIRT_HANDLER(mount);
OCIRT_HANDLER(make_mount_private);
OCIRT_HANDLER(mkdirs);
OCIRT_HANDLER(mkfile);
OCIRT_HANDLER(remount_bind);
OCIRT_HANDLER(remount_readonly);
OCIRT_HANDLER(move_mount);
OCIRT_HANDLER(set_mount_attributes);
OCIRT_HANDLER(mknod);
OCIRT_HANDLER(symlink);
OCIRT_HANDLER(unlink);
OCIRT_HANDLER(require_directory);
OCIRT_HANDLER(refuse_kernel_fs_target);
OCIRT_HANDLER(tmpfs_copy_up);
OCIRT_HANDLER(switch_root);

/* init_lockdown.c: masked and read-only paths, after the root switch. */
OCIRT_HANDLER(mask_path);
OCIRT_HANDLER(readonly_path);

/* init_procfs.c: a file of /proc ("sys/...", "self/...", "thread-self/..."), opened in the init's own procfs. */
int ocirt_open_proc_file(struct ocirt_init *init, const char *path, int flags);
OCIRT_HANDLER(open_procfs);

/* init_process.c: the process's stdio, console, hooks, identity and program. */
OCIRT_HANDLER(loopback_up);
OCIRT_HANDLER(hook);
OCIRT_HANDLER(reopen_null_stdio);
OCIRT_HANDLER(console);
OCIRT_HANDLER(set_name);
OCIRT_HANDLER(write_file);
OCIRT_HANDLER(join_session_keyring);
OCIRT_HANDLER(set_rlimit);
OCIRT_HANDLER(prepare_exec);
OCIRT_HANDLER(set_lsm_attribute);
OCIRT_HANDLER(drop_bounding);
OCIRT_HANDLER(chown_stdio);
OCIRT_HANDLER(set_groups);
OCIRT_HANDLER(set_ids);
OCIRT_HANDLER(capset);
OCIRT_HANDLER(exec);
OCIRT_HANDLER(run_wasm);
OCIRT_HANDLER(sched_setattr);
OCIRT_HANDLER(ioprio_set);
OCIRT_HANDLER(personality);
OCIRT_HANDLER(set_cpu_affinity);
OCIRT_HANDLER(set_mempolicy);

/* init_wasm.c: the wasm handler. */
OCIRT_HANDLER(load_wasmtime);
/* Runs the prepared module with WASI after ocirt_reset_process (fds closed); exits with its status, or returns -1. */
int ocirt_run_wasm(const struct ocirt_prepared_program *program, int keep_fds_upto, int is_text, const char *what);

#endif
