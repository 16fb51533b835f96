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
#include <stdbool.h>
#include <stddef.h>
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

/* How to decode and run each operation: its handler, and how many of its args struct's fields are numbers. */
struct ocirt_op_kind {
    ocirt_op_handler handler;
    uint8_t number_count;
    uint8_t string_count;
};

/* The args struct's strings after its numbers; a struct that is not whole numbers then strings does not compile. */
#define STRING_COUNT(args, numbers)                                                                                    \
    ((sizeof(args) - (numbers) * sizeof(int64_t)) / sizeof(struct ocirt_string)                                       \
     + 0 * sizeof(char[(sizeof(args) - (numbers) * sizeof(int64_t)) % sizeof(struct ocirt_string) == 0 ? 1 : -1]))
#define WITH_ARGS(name, numbers)                                                                                       \
    { ocirt_op_##name, numbers, STRING_COUNT(struct ocirt_##name##_args, numbers) }
#define WITHOUT_ARGS(name) { ocirt_op_##name, 0, 0 }

static int ocirt_op_unshare(struct ocirt_init *init, const struct ocirt_op *op)
{
    (void)init;
    return unshare((int)op->unshare.flags);
}

/* LIMITS_SET came: the parent sends it unasked once the cgroup is limited, between any of its replies. */
static bool limits_set;

/* The parent's reply: the op fails with its own text (errno 0 at EOF) when the parent sends another message. */
static int await_parent(const struct ocirt_op *op, enum ocirt_message expected)
{
    if (expected == OCIRT_MSG_LIMITS_SET && limits_set)
        return 0;
    while (true) {
        uint8_t type;
        char *payload OCIRT_AUTOFREE = NULL;
        uint32_t length;
        if (ocirt_receive_frame(&type, &payload, &length, 4096) < 0)
            return -1;
        if (type == expected)
            return 0;
        if (type != OCIRT_MSG_LIMITS_SET || limits_set)
            return ocirt_fail_without_errno("%s", op->text);
        limits_set = true;
    }
}

static int ocirt_op_ask_parent(struct ocirt_init *init, const struct ocirt_op *op)
{
    (void)init;
    if (op->ask_parent.request != 0 && ocirt_send_frame((enum ocirt_message)op->ask_parent.request, NULL, 0) < 0)
        return -1;
    return await_parent(op, (enum ocirt_message)op->ask_parent.reply);
}

static int ocirt_op_seccomp(struct ocirt_init *init, const struct ocirt_op *op)
{
    const struct ocirt_seccomp_args *a = &op->seccomp;
    int instructions = (int)(a->filter.length / 8); /* struct sock_filter */
    if (a->load != OCIRT_SECCOMP_LOAD_HAND_OVER_LISTENER) {
        init->program.seccomp_filter = a->filter.text;
        init->program.seccomp_instructions = instructions;
        init->program.seccomp_flags = (unsigned int)a->flags;
        init->program.seccomp_raise_sys_admin = a->load == OCIRT_SECCOMP_LOAD_AT_EXEC_RAISING_SYS_ADMIN;
        return 0;
    }
    int listener OCIRT_AUTOCLOSE = ocirt_seccomp_load(a->filter.text, instructions, (unsigned int)a->flags);
    if (listener < 0)
        return -1;
    /* The listener goes to the parent, which hands it to the seccomp agent. */
    if (ocirt_send_frame(OCIRT_MSG_SECCOMP_LISTENER, NULL, 0) < 0)
        return -1;
    if (ocirt_send_fd(ocirt_sync_fd, listener) < 0)
        return -1;
    return await_parent(op, OCIRT_MSG_SECCOMP_LISTENER_DONE);
}

static int ocirt_op_ready(struct ocirt_init *init, const struct ocirt_op *op)
{
    (void)init;
    if (ocirt_send_frame(OCIRT_MSG_READY, NULL, 0) < 0)
        return -1;
    ocirt_parent_keeps_listening(op->ready.parent_keeps_listening == 1);
    return 0;
}

/* The exec FIFO: opening it for writing blocks until `start` opens it for reading. */
static int ocirt_op_wait_start(struct ocirt_init *init, const struct ocirt_op *op)
{
    /* No more lookups in the rootfs: the created container does not keep an fd of its root (runc closes its rootFd). */
    ocirt_root_close(&init->root);
    /* Reopened through our own procfs: the container's /proc/self/fd may be a mount of the config's. The directory is
     * open while `start` is awaited, by runc HEAD's name for it (create.bats allows "/1/task/1/fd"). */
    int fds OCIRT_AUTOCLOSE = ocirt_open_proc_file(init, "thread-self/fd", O_PATH | O_DIRECTORY);
    if (fds < 0)
        return -1;
    char name[16];
    snprintf(name, sizeof name, "%d", (int)op->wait_start.exec_fifo_fd);
    if ((init->exec_fifo = openat(fds, name, O_WRONLY | O_CLOEXEC)) < 0)
        return -1;
    close((int)op->wait_start.exec_fifo_fd);
    return 0;
}

/* The FIFO stays open (close-on-exec): `start` sees its end once the program was executed. */
static int ocirt_op_confirm_start(struct ocirt_init *init, const struct ocirt_op *op)
{
    (void)op;
    return write(init->exec_fifo, "0", 1) == 1 ? 0 : -1;
}

static int ocirt_op_umask(struct ocirt_init *init, const struct ocirt_op *op)
{
    (void)init;
    umask((mode_t)op->umask.mask);
    return 0;
}

static int ocirt_op_no_new_privileges(struct ocirt_init *init, const struct ocirt_op *op)
{
    (void)init;
    (void)op;
    return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

/* SKIP_UNLESS_DIRECTORY steers the executor itself (run); the others are handled. */
static const struct ocirt_op_kind kinds[] = {
    [OCIRT_OP_SET_ROOTFS] = WITH_ARGS(set_rootfs, 0),
    [OCIRT_OP_MOUNT] = WITH_ARGS(mount, 3),
    [OCIRT_OP_MAKE_MOUNT_PRIVATE] = WITH_ARGS(make_mount_private, 0),
    [OCIRT_OP_MKDIRS] = WITH_ARGS(mkdirs, 0),
    [OCIRT_OP_MKFILE] = WITH_ARGS(mkfile, 0),
    [OCIRT_OP_REMOUNT_BIND] = WITH_ARGS(remount_bind, 4),
    [OCIRT_OP_REMOUNT_READONLY] = WITH_ARGS(remount_readonly, 1),
    [OCIRT_OP_MOVE_MOUNT] = WITH_ARGS(move_mount, 1),
    [OCIRT_OP_MKNOD] = WITH_ARGS(mknod, 4),
    [OCIRT_OP_SYMLINK] = WITH_ARGS(symlink, 0),
    [OCIRT_OP_UNLINK] = WITH_ARGS(unlink, 0),
    [OCIRT_OP_SKIP_UNLESS_DIRECTORY] = { NULL, 3, STRING_COUNT(struct ocirt_skip_unless_directory_args, 3) },
    [OCIRT_OP_REQUIRE_DIRECTORY] = WITH_ARGS(require_directory, 0),
    [OCIRT_OP_TMPFS_COPY_UP] = WITH_ARGS(tmpfs_copy_up, 1),
    [OCIRT_OP_SWITCH_ROOT] = WITH_ARGS(switch_root, 1),
    [OCIRT_OP_UNSHARE] = WITH_ARGS(unshare, 1),
    [OCIRT_OP_ASK_PARENT] = WITH_ARGS(ask_parent, 2),
    [OCIRT_OP_LOOPBACK_UP] = WITHOUT_ARGS(loopback_up),
    [OCIRT_OP_HOOK] = WITH_ARGS(hook, 3),
    [OCIRT_OP_REOPEN_NULL_STDIO] = WITHOUT_ARGS(reopen_null_stdio),
    [OCIRT_OP_CONSOLE] = WITH_ARGS(console, 4),
    [OCIRT_OP_SET_NAME] = WITH_ARGS(set_name, 1),
    [OCIRT_OP_WRITE_FILE] = WITH_ARGS(write_file, 1),
    [OCIRT_OP_JOIN_SESSION_KEYRING] = WITHOUT_ARGS(join_session_keyring),
    [OCIRT_OP_SET_RLIMIT] = WITH_ARGS(set_rlimit, 3),
    [OCIRT_OP_PREPARE_EXEC] = WITH_ARGS(prepare_exec, 4),
    [OCIRT_OP_SECCOMP] = WITH_ARGS(seccomp, 2),
    [OCIRT_OP_READY] = WITH_ARGS(ready, 1),
    [OCIRT_OP_WAIT_START] = WITH_ARGS(wait_start, 1),
    [OCIRT_OP_CONFIRM_START] = WITHOUT_ARGS(confirm_start),
    [OCIRT_OP_SET_LSM_ATTRIBUTE] = WITH_ARGS(set_lsm_attribute, 0),
    [OCIRT_OP_DROP_BOUNDING] = WITH_ARGS(drop_bounding, 2),
    [OCIRT_OP_CHOWN_STDIO] = WITH_ARGS(chown_stdio, 1),
    [OCIRT_OP_SET_GROUPS] = WITH_ARGS(set_groups, 1),
    [OCIRT_OP_SET_IDS] = WITH_ARGS(set_ids, 2),
    [OCIRT_OP_UMASK] = WITH_ARGS(umask, 1),
    [OCIRT_OP_CAPSET] = WITH_ARGS(capset, 4),
    [OCIRT_OP_NO_NEW_PRIVILEGES] = WITHOUT_ARGS(no_new_privileges),
    [OCIRT_OP_EXEC] = WITH_ARGS(exec, 1),
    [OCIRT_OP_SET_MOUNT_ATTRIBUTES] = WITH_ARGS(set_mount_attributes, 3),
    [OCIRT_OP_MASK_PATH] = WITH_ARGS(mask_path, 0),
    [OCIRT_OP_READONLY_PATH] = WITH_ARGS(readonly_path, 0),
    [OCIRT_OP_OPEN_PROCFS] = WITHOUT_ARGS(open_procfs),
    [OCIRT_OP_SCHED_SETATTR] = WITH_ARGS(sched_setattr, 0),
    [OCIRT_OP_IOPRIO_SET] = WITH_ARGS(ioprio_set, 1),
    [OCIRT_OP_PERSONALITY] = WITH_ARGS(personality, 1),
    [OCIRT_OP_SET_CPU_AFFINITY] = WITH_ARGS(set_cpu_affinity, 0),
    [OCIRT_OP_SET_MEMPOLICY] = WITH_ARGS(set_mempolicy, 1),
    [OCIRT_OP_REFUSE_KERNEL_FS_TARGET] = WITH_ARGS(refuse_kernel_fs_target, 2),
    [OCIRT_OP_LOAD_WASMTIME] = WITH_ARGS(load_wasmtime, 0),
    [OCIRT_OP_RUN_WASM] = WITH_ARGS(run_wasm, 2),
};

static const struct ocirt_op_kind *kind_of(uint16_t code)
{
    return code < sizeof kinds / sizeof kinds[0] && (kinds[code].handler != NULL || code == OCIRT_OP_SKIP_UNLESS_DIRECTORY)
        ? &kinds[code] : NULL;
}

/* The args struct of an op, where decoding writes its numbers, then its strings. */
#define ARGS_OF(op) ((char *)(op) + offsetof(struct ocirt_op, set_rootfs))

/* Decodes the operation at program + offset into *op; its length, or -1 when it is malformed, -2 when its code is unknown. */
static int64_t decode_one(char *program, uint32_t offset, uint32_t length, struct ocirt_op *op)
{
    struct ocirt_op_header header;
    if (length - offset < sizeof header)
        return -1;
    memcpy(&header, program + offset, sizeof header);
    if (header.length < sizeof header || header.length > length - offset || header.string_count < 1)
        return -1;
    const struct ocirt_op_kind *kind = kind_of(header.code);
    if (kind == NULL)
        return -2;
    if (header.string_count > 1u + kind->string_count)
        return -1;
    memset(op, 0, sizeof *op);
    op->code = header.code;
    op->else_count = header.else_count;
    op->ok_errno = header.ok_errno;
    op->else_errno = header.else_errno;
    memcpy(ARGS_OF(op), header.n, kind->number_count * sizeof(int64_t));
    struct ocirt_string strings[OCIRT_OP_MAX_STRINGS];
    /* Strings an operation lacks read as empty, so no handler meets a NULL. */
    for (int i = 0; i < OCIRT_OP_MAX_STRINGS; i++)
        strings[i] = (struct ocirt_string){ "", 0 };
    uint32_t at = (uint32_t)sizeof header, end = header.length;
    for (uint32_t i = 0; i < header.string_count; i++) {
        uint32_t n;
        if (end - at < sizeof n)
            return -1;
        memcpy(&n, program + offset + at, sizeof n);
        at += (uint32_t)sizeof n;
        if (n >= end - at || program[offset + at + n] != '\0')
            return -1;
        strings[i] = (struct ocirt_string){ program + offset + at, n };
        at += n + 1;
    }
    if (at != end)
        return -1;
    op->text = strings[0].text;
    memcpy(ARGS_OF(op) + kind->number_count * sizeof(int64_t), &strings[1], kind->string_count * sizeof(struct ocirt_string));
    return header.length;
}

/* Splits the program into operations; fails the init when it is malformed. */
static size_t decode(char *program, uint32_t length, struct ocirt_op **ops_out)
{
    size_t count = 0, capacity = 64;
    struct ocirt_op *ops = malloc(capacity * sizeof *ops);
    for (uint32_t offset = 0; ops != NULL && offset < length; count++) {
        if (count == capacity && (ops = realloc(ops, (capacity *= 2) * sizeof *ops)) == NULL)
            break;
        int64_t op_length = decode_one(program, offset, length, &ops[count]);
        if (op_length == -2)
            ocirt_init_fail(0, "container init: unknown operation in the program (a binary of another version?)");
        if (op_length < 0)
            ocirt_init_fail(0, "container init: malformed program");
        offset += (uint32_t)op_length;
    }
    if (ops == NULL)
        ocirt_init_fail(ENOMEM, "container init: decode the program");
    *ops_out = ops;
    return count;
}

static void __attribute__((noreturn)) run(struct ocirt_init *init, const struct ocirt_op *ops, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const struct ocirt_op *op = &ops[i];
        if (op->code == OCIRT_OP_SKIP_UNLESS_DIRECTORY) {
            const struct ocirt_skip_unless_directory_args *a = &op->skip_unless_directory;
            int is_dir = ocirt_is_directory_in_root(&init->root, a->path.text, a->in_root == 1);
            if (is_dir < 0)
                ocirt_init_fail(errno, op->text);
            if (is_dir == (a->negated == 1))
                i += (size_t)a->skip_count;
            continue;
        }
        ocirt_clear_failure();
        errno = 0;
        int rc = kinds[op->code].handler(init, op);
        int errno_value = errno;
        if (rc == 0 || (op->ok_errno != 0 && errno_value == op->ok_errno)) {
            i += op->else_count;
            continue;
        }
        if (op->else_count > 0 && errno_value == op->else_errno)
            continue; /* the fallback ops come next */
        const char *failure = ocirt_failure_text();
        ocirt_init_fail(errno_value, failure != NULL ? failure : op->text);
    }
    ocirt_init_fail(0, "container init: the program ended without executing the container's process");
}

void ocirt_init_run(void (*bootstrap_rest)(void))
{
    uint8_t type;
    char *program;
    uint32_t length;
    struct ocirt_op *ops;
    if (ocirt_receive_frame(&type, &program, &length, MAX_PROGRAM) < 0)
        ocirt_init_fail(errno, "container init: read the program from the parent");
    if (type != OCIRT_MSG_PROGRAM)
        ocirt_init_fail(0, "container init: expected the program from the parent");
    bootstrap_rest();
    size_t count = decode(program, length, &ops);
    struct ocirt_init init = { .root = OCIRT_ROOT_INITIAL, .exec_fifo = -1, .private_procfs = -1 };
    run(&init, ops, count);
}
