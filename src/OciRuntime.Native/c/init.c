/*
 * init.c - the container init's executor: runs the program `create` or `exec` compiled (init_program.h), one
 * operation after the other, in the container's namespaces, and ends in the container's execve.
 *
 * It decides nothing: what to do, in which order, and what to say when a step fails all come with the program. Until
 * READY (for `exec`, until the execve) the parent listens, and a failure is an ERROR frame on the sync socket; after
 * it, `create` has returned and a failure goes to the container's stderr. Either way the init then exits with 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "init.h"
#include "init_ops.h"
#include "seccomp.h"
#include "sync.h"

/* A program is the config compiled: seccomp filters and env lists make it large, but never this large. */
#define MAX_PROGRAM (64u << 20)

static int parent_listening = 1;
static char failure[4096];
static int failure_set;

void ocirt_set_failure(const char *fmt, ...)
{
    int saved = errno;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(failure, sizeof failure, fmt, ap);
    va_end(ap);
    failure_set = 1;
    errno = saved;
}

void ocirt_close_keeping_errno(int fd)
{
    int saved = errno;
    close(fd);
    errno = saved;
}

void ocirt_close_fd_at(const int *fd)
{
    if (*fd >= 0)
        ocirt_close_keeping_errno(*fd);
}

void ocirt_parent_stops_listening(void)
{
    parent_listening = 0;
}

/* Ends the init with text (and errno's name): to the parent while it listens, else to the container's stderr. */
static void __attribute__((noreturn)) fail(int errno_value, const char *text)
{
    if (parent_listening) {
        ocirt_send_error(errno_value, text);
    } else {
        char line[sizeof failure + 256];
        snprintf(line, sizeof line, "ociruntime init: %s", text);
        ocirt_append_errno(line, sizeof line - 1, errno_value);
        strcat(line, "\n");
        ocirt_write_all(2, line, strlen(line));
    }
    _exit(1);
}

/* Splits the program into operations; -1 when it is malformed. */
static int decode(char *program, uint32_t length, struct ocirt_op **ops_out, size_t *count_out)
{
    size_t count = 0, capacity = 64;
    struct ocirt_op *ops = malloc(capacity * sizeof *ops);
    uint32_t offset = 0;
    while (ops != NULL && offset < length) {
        if (length - offset < sizeof(struct ocirt_op_header))
            return -1;
        const struct ocirt_op_header *header = (const void *)(program + offset);
        if (header->length < sizeof *header || header->length > length - offset
            || header->string_count > OCIRT_OP_MAX_STRINGS)
            return -1;
        if (count == capacity && (ops = realloc(ops, (capacity *= 2) * sizeof *ops)) == NULL)
            return -1;
        struct ocirt_op *op = &ops[count++];
        memset(op, 0, sizeof *op);
        /* Strings an operation lacks read as empty, so no handler meets a NULL. */
        for (int i = 0; i < OCIRT_OP_MAX_STRINGS; i++)
            op->s[i] = "";
        op->header = header;
        op->string_count = header->string_count;
        uint32_t at = (uint32_t)sizeof *header, end = header->length;
        for (uint32_t i = 0; i < header->string_count; i++) {
            uint32_t n;
            if (end - at < sizeof n)
                return -1;
            memcpy(&n, program + offset + at, sizeof n);
            at += (uint32_t)sizeof n;
            if (n >= end - at || program[offset + at + n] != '\0')
                return -1;
            op->s[i] = program + offset + at;
            op->length[i] = n;
            at += n + 1;
        }
        if (at != end)
            return -1;
        offset += header->length;
    }
    if (ops == NULL)
        return -1;
    *ops_out = ops;
    *count_out = count;
    return 0;
}

static int op_unshare(const struct ocirt_op *op)
{
    return unshare((int)op->header->n[0]);
}

static int await_parent(enum ocirt_message expected)
{
    uint8_t type;
    char *payload;
    uint32_t length;
    errno = 0;
    if (ocirt_receive_frame(&type, &payload, &length, 4096) < 0)
        return -1;
    free(payload);
    if (type != expected) {
        errno = 0;
        return -1;
    }
    return 0;
}

static int op_ask_parent(const struct ocirt_op *op)
{
    if (ocirt_send_frame((enum ocirt_message)op->header->n[0], NULL, 0) < 0)
        return -1;
    return await_parent((enum ocirt_message)op->header->n[1]);
}

static int op_seccomp(const struct ocirt_op *op)
{
    int instructions = (int)(op->length[1] / 8); /* struct sock_filter */
    unsigned int flags = (unsigned int)op->header->n[0];
    if (op->header->n[1] != 1) {
        ocirt_keep_seccomp_for_exec(op->s[1], instructions, flags, op->header->n[1] == 3);
        return 0;
    }
    int listener = ocirt_seccomp_load(op->s[1], instructions, flags);
    if (listener < 0) {
        errno = -listener;
        return -1;
    }
    /* The listener goes to the parent, which hands it to the seccomp agent. */
    int rc = ocirt_send_frame(OCIRT_MSG_SECCOMP_LISTENER, NULL, 0);
    if (rc == 0 && (rc = ocirt_send_fd(ocirt_sync_fd, listener)) < 0)
        errno = -rc;
    close(listener);
    return rc < 0 ? -1 : await_parent(OCIRT_MSG_SECCOMP_LISTENER_DONE);
}

static int op_ready(const struct ocirt_op *op)
{
    if (ocirt_send_frame(OCIRT_MSG_READY, NULL, 0) < 0)
        return -1;
    parent_listening = op->header->n[0] == 1;
    return 0;
}

/* The exec FIFO: opening it for writing blocks until `start` opens it for reading. */
static int exec_fifo = -1;

static int op_wait_start(const struct ocirt_op *op)
{
    /* No more lookups in the rootfs: the created container does not keep an fd of its root (runc closes its rootFd). */
    ocirt_forget_root_fd();
    /* Reopened through our own procfs: the container's /proc/self/fd may be a mount of the config's. The directory is
     * open while `start` is awaited, by runc HEAD's name for it (create.bats allows "/1/task/1/fd"). */
    int fds = ocirt_open_proc_file("thread-self/fd", O_PATH | O_DIRECTORY);
    if (fds < 0)
        return -1;
    char name[16];
    snprintf(name, sizeof name, "%d", (int)op->header->n[0]);
    exec_fifo = openat(fds, name, O_WRONLY | O_CLOEXEC);
    ocirt_close_keeping_errno(fds);
    if (exec_fifo < 0)
        return -1;
    close((int)op->header->n[0]);
    return 0;
}

/* The FIFO stays open (close-on-exec): `start` sees its end once the program was executed. */
static int op_confirm_start(const struct ocirt_op *op)
{
    (void)op;
    return write(exec_fifo, "0", 1) == 1 ? 0 : -1;
}

static int op_umask(const struct ocirt_op *op)
{
    umask((mode_t)op->header->n[0]);
    return 0;
}

static int op_no_new_privs(const struct ocirt_op *op)
{
    (void)op;
    return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

static const ocirt_op_handler handlers[] = {
    [OCIRT_OP_SET_ROOTFS] = ocirt_op_set_rootfs,
    [OCIRT_OP_MOUNT] = ocirt_op_mount,
    [OCIRT_OP_MAKE_MOUNT_PRIVATE] = ocirt_op_make_mount_private,
    [OCIRT_OP_MKDIRS] = ocirt_op_mkdirs,
    [OCIRT_OP_MKFILE] = ocirt_op_mkfile,
    [OCIRT_OP_REMOUNT_BIND] = ocirt_op_remount_bind,
    [OCIRT_OP_REMOUNT_READONLY] = ocirt_op_remount_readonly,
    [OCIRT_OP_MOVE_MOUNT] = ocirt_op_move_mount,
    [OCIRT_OP_MKNOD] = ocirt_op_mknod,
    [OCIRT_OP_SYMLINK] = ocirt_op_symlink,
    [OCIRT_OP_UNLINK] = ocirt_op_unlink,
    [OCIRT_OP_REQUIRE_DIR] = ocirt_op_require_dir,
    [OCIRT_OP_TMPFS_COPYUP] = ocirt_op_tmpfs_copyup,
    [OCIRT_OP_SWITCH_ROOT] = ocirt_op_switch_root,
    [OCIRT_OP_UNSHARE] = op_unshare,
    [OCIRT_OP_ASK_PARENT] = op_ask_parent,
    [OCIRT_OP_LOOPBACK_UP] = ocirt_op_loopback_up,
    [OCIRT_OP_HOOK] = ocirt_op_hook,
    [OCIRT_OP_REOPEN_NULL_STDIO] = ocirt_op_reopen_null_stdio,
    [OCIRT_OP_CONSOLE] = ocirt_op_console,
    [OCIRT_OP_SET_NAME] = ocirt_op_set_name,
    [OCIRT_OP_WRITE_FILE] = ocirt_op_write_file,
    [OCIRT_OP_JOIN_SESSION_KEYRING] = ocirt_op_join_session_keyring,
    [OCIRT_OP_SETRLIMIT] = ocirt_op_setrlimit,
    [OCIRT_OP_PREPARE_EXEC] = ocirt_op_prepare_exec,
    [OCIRT_OP_SECCOMP] = op_seccomp,
    [OCIRT_OP_READY] = op_ready,
    [OCIRT_OP_WAIT_START] = op_wait_start,
    [OCIRT_OP_CONFIRM_START] = op_confirm_start,
    [OCIRT_OP_SET_LSM_ATTR] = ocirt_op_set_lsm_attr,
    [OCIRT_OP_DROP_BOUNDING] = ocirt_op_drop_bounding,
    [OCIRT_OP_CHOWN_STDIO] = ocirt_op_chown_stdio,
    [OCIRT_OP_SETGROUPS] = ocirt_op_setgroups,
    [OCIRT_OP_SET_IDS] = ocirt_op_set_ids,
    [OCIRT_OP_UMASK] = op_umask,
    [OCIRT_OP_CAPSET] = ocirt_op_capset,
    [OCIRT_OP_NO_NEW_PRIVS] = op_no_new_privs,
    [OCIRT_OP_EXEC] = ocirt_op_exec,
    [OCIRT_OP_SET_MOUNT_ATTR] = ocirt_op_set_mount_attr,
    [OCIRT_OP_MASK_PATH] = ocirt_op_mask_path,
    [OCIRT_OP_READONLY_PATH] = ocirt_op_readonly_path,
    [OCIRT_OP_OPEN_PROCFS] = ocirt_op_open_procfs,
    [OCIRT_OP_SCHED_SETATTR] = ocirt_op_sched_setattr,
    [OCIRT_OP_IOPRIO_SET] = ocirt_op_ioprio_set,
    [OCIRT_OP_PERSONALITY] = ocirt_op_personality,
    [OCIRT_OP_SET_CPU_AFFINITY] = ocirt_op_set_cpu_affinity,
    [OCIRT_OP_SET_MEMPOLICY] = ocirt_op_set_mempolicy,
    [OCIRT_OP_REFUSE_KERNEL_FS_TARGET] = ocirt_op_refuse_kernel_fs_target,
    [OCIRT_OP_LOAD_WASMTIME] = ocirt_op_load_wasmtime,
    [OCIRT_OP_RUN_WASM] = ocirt_op_run_wasm,
};

static void __attribute__((noreturn)) run(const struct ocirt_op *ops, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const struct ocirt_op *op = &ops[i];
        const struct ocirt_op_header *h = op->header;
        /* The one operation that steers: it skips the operations it guards. */
        if (h->code == OCIRT_OP_SKIP_UNLESS_DIR) {
            int is_dir = ocirt_is_directory(op->s[1], h->n[1] == 1);
            if (is_dir < 0)
                fail(errno, op->s[0]);
            if (is_dir == (h->n[2] == 1))
                i += (size_t)h->n[0];
            continue;
        }
        if (h->code >= sizeof handlers / sizeof handlers[0] || handlers[h->code] == NULL)
            fail(0, "container init: unknown operation in the program (a binary of another version?)");
        failure_set = 0;
        errno = 0;
        int rc = handlers[h->code](op);
        int errno_value = errno;
        if (rc == 0 || (h->ok_errno != 0 && errno_value == h->ok_errno)) {
            i += h->else_count;
            continue;
        }
        if (h->else_count > 0 && errno_value == h->else_errno)
            continue; /* the fallback ops come next */
        fail(errno_value, failure_set ? failure : op->s[0]);
    }
    fail(0, "container init: the program ended without executing the container's process");
}

void ocirt_init_run(void (*bootstrap_rest)(void))
{
    uint8_t type;
    char *program;
    uint32_t length;
    struct ocirt_op *ops;
    size_t count;
    errno = 0;
    if (ocirt_receive_frame(&type, &program, &length, MAX_PROGRAM) < 0)
        fail(errno, "container init: read the program from the parent");
    if (type != OCIRT_MSG_PROGRAM)
        fail(0, "container init: expected the program from the parent");
    bootstrap_rest();
    if (decode(program, length, &ops, &count) < 0)
        fail(0, "container init: malformed program");
    run(ops, count);
}
