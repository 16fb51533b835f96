/*
 * init_process.c - the init's process operations: network loopback, hooks, stdio and console, names, limits,
 * LSM labels, identity and capabilities, the final execve of the container's program, and the scheduling, cpu
 * affinity, personality and memory policy it inherits.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "helpers.h"
#include "init_ops.h"
#include "mount_api.h"
#include "sync.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif
#define KEYCTL_JOIN_SESSION_KEYRING 1
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

OCIRT_HANDLER(loopback_up)
{
    (void)init;
    (void)op;
    struct ifreq request;
    int fd OCIRT_AUTOCLOSE = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    memset(&request, 0, sizeof request);
    strcpy(request.ifr_name, "lo");
    int rc = ioctl(fd, SIOCGIFFLAGS, &request);
    if (rc == 0) {
        request.ifr_flags |= IFF_UP;
        rc = ioctl(fd, SIOCSIFFLAGS, &request);
    }
    return rc;
}

/*
 * A NULL-terminated array of the count NUL-separated strings in list (pointers into it), with room for extra more;
 * NULL (EINVAL) when it holds fewer.
 */
static char **string_array(struct ocirt_string list, int64_t count, int extra)
{
    const char *s = list.text, *end = s + list.length;
    char **array = count < 0 || count > 65536 ? NULL : calloc((size_t)count + 1 + (size_t)extra, sizeof *array);
    for (int64_t n = 0; array != NULL && n < count; n++) {
        if (s > end) {
            free(array);
            errno = EINVAL;
            return NULL;
        }
        array[n] = (char *)s;
        s += strlen(s) + 1;
    }
    return array;
}

/* Waits for the hook, killing it after timeout seconds (0: no limit); 1 when it timed out. */
static int wait_for_hook(pid_t pid, int64_t timeout, int *status)
{
    int pidfd OCIRT_AUTOCLOSE = timeout > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
    int timed_out = 0;
    if (pidfd >= 0) {
        struct pollfd poll_fd = { .fd = pidfd, .events = POLLIN };
        int ready;
        while ((ready = poll(&poll_fd, 1, (int)(timeout * 1000))) < 0 && errno == EINTR)
            ;
        if (ready == 0) {
            kill(pid, SIGKILL);
            timed_out = 1;
        }
    }
    while (waitpid(pid, status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    return timed_out;
}

/* config.md's hooks: the state on stdin (its pid is ours), args and env as given, killed after the timeout. */
OCIRT_HANDLER(hook)
{
    (void)init;
    const struct ocirt_hook_args *a = &op->hook;
    char **argv OCIRT_AUTOFREE = string_array(a->args, a->args_count, 0);
    char **envp OCIRT_AUTOFREE = string_array(a->env, a->env_count, 0);
    int pipe_fds[2], pid, status;
    if (argv == NULL || envp == NULL || pipe2(pipe_fds, O_CLOEXEC) < 0)
        return -1;
    int write_end OCIRT_AUTOCLOSE = pipe_fds[1];
    int rc = ocirt_spawn(a->path.text, argv, envp, pipe_fds[0], &pid);
    int spawn_errno = errno;
    close(pipe_fds[0]);
    if (rc < 0)
        return errno = spawn_errno, -1;
    /* The state as create wrote it around our pid, in parts: annotations make it any size. */
    char pid_text[16];
    int pid_length = snprintf(pid_text, sizeof pid_text, "%d", (int)getpid());
    /* The hook may exit without reading: a write error (EPIPE) is not its failure, and ends the writing. */
    signal(SIGPIPE, SIG_IGN);
    if (ocirt_write_all(write_end, a->state_before_pid.text, a->state_before_pid.length) == 0
        && ocirt_write_all(write_end, pid_text, (size_t)pid_length) == 0)
        ocirt_write_all(write_end, a->state_after_pid.text, a->state_after_pid.length);
    signal(SIGPIPE, SIG_DFL);
    close(OCIRT_TAKE_FD(write_end)); /* the hook's EOF */
    int timed_out = wait_for_hook(pid, a->timeout_seconds, &status);
    if (timed_out < 0)
        return -1;
    if (timed_out)
        return ocirt_fail_without_errno("%s", a->timeout_failure.text);
    if (status != 0)
        return ocirt_fail_without_errno("%s%d", a->exit_failure.text, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return 0;
}

/* As runc after pivot_root: stdio that is the host's /dev/null becomes the container's, which must be the device. */
OCIRT_HANDLER(reopen_null_stdio)
{
    (void)init;
    (void)op;
    struct stat st;
    int null_fds[3], count = 0;
    for (int fd = 0; fd <= 2; fd++)
        if (fstat(fd, &st) == 0 && ocirt_is_null_device(&st))
            null_fds[count++] = fd;
    if (count == 0)
        return 0;
    int dev_null OCIRT_AUTOCLOSE = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (dev_null < 0)
        return ocirt_set_failure("open the container's /dev/null"), -1;
    if (fstat(dev_null, &st) < 0 || !ocirt_is_null_device(&st))
        return ocirt_fail_without_errno("the container's /dev/null is not the null device (character device 1:3)");
    for (int i = 0; i < count; i++)
        if (dup2(dev_null, null_fds[i]) < 0)
            return ocirt_set_failure("dup2 /dev/null to fd %d", null_fds[i]), -1;
    return 0;
}

/* The master must be the ptmx of a devpts mount (its inode 2, 5:2): an image's /dev/ptmx may be another node. */
static int is_devpts_ptmx(int master)
{
    struct stat st;
    struct statfs fs;
    return fstat(master, &st) == 0 && fstatfs(master, &fs) == 0 && fs.f_type == DEVPTS_SUPER_MAGIC && st.st_ino == 2
        && S_ISCHR(st.st_mode) && st.st_rdev == makedev(5, 2);
}

/*
 * /dev/console made a mount point of its own (an image's symlink there is refused, not followed) and the pty's peer
 * bound on it from its fd, never by a /dev/pts/N path an image could make a symlink (runc's CVE-2025-52565).
 */
static int bind_console(struct ocirt_root *root, int peer)
{
    int dev OCIRT_AUTOCLOSE = ocirt_open_in_root(root, "/dev", O_PATH | O_DIRECTORY);
    if (dev < 0)
        return ocirt_set_failure("open /dev"), -1;
    struct stat st;
    if (mknodat(dev, "console", S_IFREG | 0666, 0) < 0 && errno != EEXIST)
        return ocirt_set_failure("create /dev/console"), -1;
    int console OCIRT_AUTOCLOSE = openat(dev, "console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (console < 0 || fstat(console, &st) < 0)
        return ocirt_set_failure("open /dev/console"), -1;
    if (S_ISLNK(st.st_mode))
        return errno = ELOOP, ocirt_set_failure("/dev/console is a symlink in the container's image: refusing to bind the console there"), -1;
    int copy OCIRT_AUTOCLOSE = (int)syscall(SYS_open_tree, peer, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
    if (copy < 0)
        return ocirt_set_failure("open_tree of the pty"), -1;
    if (syscall(SYS_move_mount, copy, "", console, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
        return ocirt_set_failure("bind the pty on /dev/console"), -1;
    return 0;
}

/*
 * process.terminal: a pty of the container's devpts (after pivot_root or setns), its master sent to the console socket
 * (SCM_RIGHTS, as runc does for containerd and conmon), its peer (from the master, never by path) the stdio and
 * controlling tty, maybe /dev/console.
 */
OCIRT_HANDLER(console)
{
    const struct ocirt_console_args *a = &op->console;
    int socket_fd OCIRT_AUTOCLOSE = (int)a->console_socket_fd, unlock = 0;
    int master OCIRT_AUTOCLOSE = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0)
        return ocirt_set_failure("open /dev/ptmx"), -1;
    if (!is_devpts_ptmx(master))
        return ocirt_fail_without_errno("/dev/ptmx is not the ptmx of a devpts mount (character device 5:2, inode 2)");
    if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
        return ocirt_set_failure("unlockpt"), -1;
    if (a->rows > 0 && a->columns > 0) {
        struct winsize size = { .ws_row = (unsigned short)a->rows, .ws_col = (unsigned short)a->columns };
        if (ioctl(master, TIOCSWINSZ, &size) < 0)
            return ocirt_set_failure("set console size"), -1;
    }
    int peer OCIRT_AUTOCLOSE = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (peer < 0)
        return ocirt_set_failure("open the pty's peer (TIOCGPTPEER)"), -1;
    if (a->bind_dev_console == 1 && bind_console(&init->root, peer) < 0)
        return -1;
    int sent = ocirt_send_fd(socket_fd, master);
    int send_errno = errno;
    close(OCIRT_TAKE_FD(socket_fd));
    if (sent < 0) {
        errno = send_errno;
        return ocirt_set_failure("send pty master to the console socket"), -1;
    }
    for (int fd = 0; fd <= 2; fd++)
        if (dup2(peer, fd) < 0)
            return ocirt_set_failure("dup2 the pty to fd %d", fd), -1;
    if (peer <= 2)
        peer = -1; /* it is stdio now: not closed on return */
    if (ioctl(0, TIOCSCTTY, 0) < 0)
        return ocirt_set_failure("make the pty the controlling terminal"), -1;
    return 0;
}

OCIRT_HANDLER(set_name)
{
    (void)init;
    const struct ocirt_set_name_args *a = &op->set_name;
    return a->domainname == 1 ? setdomainname(a->name.text, a->name.length) : sethostname(a->name.text, a->name.length);
}

OCIRT_HANDLER(write_file)
{
    const struct ocirt_write_file_args *a = &op->write_file;
    /* The kernel gives a non-dumpable process's own /proc files to the host's root, out of reach in a user namespace. */
    int own_proc_file = a->own_proc_file == 1;
    if (own_proc_file && prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
        return -1;
    int in_proc = strncmp(a->path.text, "/proc/", 6) == 0;
    int fd = in_proc ? ocirt_open_proc_file(init, a->path.text + 6, O_WRONLY) : open(a->path.text, O_WRONLY | O_CLOEXEC);
    int rc = fd < 0 ? -1 : ocirt_write_all(fd, a->content.text, a->content.length);
    int saved = errno;
    if (fd >= 0 && close(fd) < 0 && rc == 0)
        rc = -1, saved = errno;
    if (own_proc_file && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0 && rc == 0)
        rc = -1, saved = errno;
    errno = saved;
    return rc;
}

OCIRT_HANDLER(join_session_keyring)
{
    (void)init;
    (void)op;
    if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, 0, 0, 0, 0) >= 0)
        return 0;
    /* Kernels without keyrings, or where they are refused, are fine. */
    return errno == ENOSYS || errno == EACCES ? 0 : -1;
}

OCIRT_HANDLER(set_rlimit)
{
    (void)init;
    const struct ocirt_set_rlimit_args *a = &op->set_rlimit;
    struct rlimit limit = { .rlim_cur = (rlim_t)a->soft, .rlim_max = (rlim_t)a->hard };
    return (int)syscall(SYS_prlimit64, 0, (int)a->resource, &limit, NULL);
}

/* The user's home from the container's /etc/passwd, "/" when unknown (runc's fallback). */
static void home_of(uid_t uid, char *out, size_t cap)
{
    FILE *passwd = fopen("/etc/passwd", "re");
    char line[1024];
    snprintf(out, cap, "/");
    while (passwd != NULL && fgets(line, sizeof line, passwd) != NULL) {
        char *fields[7] = { 0 }, *p = line;
        int n = 0;
        /* strsep keeps empty fields (a user without a password). */
        while (n < 7 && (fields[n] = strsep(&p, ":\n")) != NULL)
            n++;
        if (n >= 6 && fields[2] != NULL && strtoul(fields[2], NULL, 10) == uid && fields[2][0] != '\0') {
            snprintf(out, cap, "%s", fields[5]);
            break;
        }
    }
    if (passwd != NULL)
        fclose(passwd);
}

static int is_program_file(const struct ocirt_prepared_program *program, const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, program->is_module ? R_OK : X_OK) == 0;
}

/* path resolved against cwd when relative. */
static void absolute(const char *path, const char *cwd, char *out, size_t cap)
{
    if (path[0] == '/')
        snprintf(out, cap, "%s", path);
    else
        snprintf(out, cap, "%s/%s", strcmp(cwd, "/") == 0 ? "" : cwd, path);
}

/*
 * args[0] as given when it has a '/', else searched in the process's PATH, as execvp would, in the container. The
 * messages are runc's: engines map "no such file or directory"/"not found" to 127 and "permission denied" to 126.
 */
static int find_executable(struct ocirt_prepared_program *program, const char *name, const char *search_path, const char *cwd)
{
    errno = 0;
    if (strchr(name, '/') != NULL) {
        struct stat st;
        absolute(name, cwd, program->path, sizeof program->path);
        if (stat(program->path, &st) < 0)
            return ocirt_set_failure("exec: \"%s\": stat %s: no such file or directory", name, program->path), -1;
        if (!is_program_file(program, program->path))
            return ocirt_set_failure("exec: \"%s\": permission denied", name), -1;
        return 0;
    }
    /* A copy to split: the env strings go to execve as they are; the process execs or fails, so it is not freed. */
    char *dirs = strdup(search_path);
    if (dirs == NULL)
        return -1;
    for (char *p = dirs, *dir; (dir = strsep(&p, ":")) != NULL;) {
        char base[PATH_MAX];
        if (*dir == '\0')
            continue;
        absolute(dir, cwd, base, sizeof base);
        if (snprintf(program->path, sizeof program->path, "%s/%s", base, name) >= (int)sizeof program->path)
            continue;
        if (is_program_file(program, program->path))
            return 0;
    }
    return ocirt_set_failure("exec: \"%s\": executable file not found in $PATH", name), -1;
}

/*
 * args[0] as found must not resolve through a magic link (/proc/self/fd/N, or a symlink to it): it would execute a
 * file the init holds open, maybe the host's (CVE-2024-21626). Kernels before 5.6 have no openat2 to tell.
 */
static int refuse_magic_link_program(const struct ocirt_prepared_program *program, const char *name)
{
    struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_NO_MAGICLINKS };
    int fd = (int)syscall(SYS_openat2, AT_FDCWD, program->path, &how, sizeof how);
    if (fd >= 0)
        return close(fd), 0;
    if (errno == ENOSYS)
        return 0;
    if (errno == ELOOP) {
        return ocirt_fail_without_errno("exec: \"%s\": resolves through a /proc magic link (such as /proc/self/fd/N): "
                                        "refusing a file that may be outside the container", name);
    }
    return ocirt_set_failure("exec: \"%s\": open %s", name, program->path), -1;
}

/*
 * chdir to process.cwd, then runc's verifyCwd: a cwd reached through an fd of a host directory (/proc/self/fd/N) is
 * outside the container's root, where getcwd(2) says "(unreachable)" and glibc's getcwd ENOENT (CVE-2024-21626).
 */
static int enter_cwd(struct ocirt_prepared_program *program)
{
    char cwd[PATH_MAX];
    if (chdir(program->cwd) < 0)
        return ocirt_set_failure("chdir to process.cwd \"%s\"", program->cwd), -1;
    if (getcwd(cwd, sizeof cwd) == NULL) {
        if (errno != ENOENT)
            return ocirt_set_failure("getcwd in process.cwd \"%s\"", program->cwd), -1;
        cwd[0] = '\0';
    }
    if (cwd[0] != '/')
        return ocirt_fail_without_errno("process.cwd \"%s\" is outside the container's root filesystem: refusing to "
                                        "start the process there", program->cwd);
    program->in_cwd = 1;
    return 0;
}

OCIRT_HANDLER(prepare_exec)
{
    const struct ocirt_prepare_exec_args *a = &op->prepare_exec;
    struct ocirt_prepared_program *program = &init->program;
    struct stat st;
    program->cwd = a->cwd.text;
    program->is_module = a->module_marker.length > 0;
    program->argv = string_array(a->args, a->args_count, 0);
    char **env = string_array(a->env, a->env_count, 1);
    if (program->argv == NULL || env == NULL || a->args_count < 1)
        return -1;
    /* What nobody meant to pass on (a caller's leaked fd) goes at the execve, and before it no path resolves through it. */
    if (syscall(SYS_close_range, 3 + (unsigned int)a->preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
        return ocirt_set_failure("close_range CLOSE_RANGE_CLOEXEC"), -1;
    if (stat(program->cwd, &st) < 0 || !S_ISDIR(st.st_mode))
        return ocirt_fail_without_errno("process.cwd \"%s\" does not exist in the container", program->cwd);
    const char *search_path = DEFAULT_PATH;
    int has_home = 0;
    for (int64_t i = 0; i < a->env_count; i++) {
        if (strncmp(env[i], "PATH=", 5) == 0)
            search_path = env[i] + 5;
        has_home |= strncmp(env[i], "HOME=", 5) == 0;
    }
    if (!has_home) {
        static char home[PATH_MAX + 5] = "HOME=";
        home_of((uid_t)a->uid, home + 5, sizeof home - 5);
        env[a->env_count] = home;
    }
    program->envp = env;
    if (find_executable(program, program->argv[0], search_path, program->cwd) < 0
        || refuse_magic_link_program(program, program->argv[0]) < 0)
        return -1;
    /* As runc: entered as root now; a cwd only the process's user may enter is entered by EXEC. */
    if (enter_cwd(program) < 0 && errno != EACCES && errno != EPERM)
        return -1;
    return 0;
}

/* seccomp(2) without no_new_privs needs CAP_SYS_ADMIN effective; the capset left it permitted. */
static int raise_sys_admin(void)
{
    struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct data[2];
    if (syscall(SYS_capget, &header, data) < 0)
        return -1;
    data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective |= CAP_TO_MASK(CAP_SYS_ADMIN);
    return (int)syscall(SYS_capset, &header, data);
}

/* What EXEC and RUN_WASM do first: cwd entered as the process's user if PREPARE_EXEC could not, CAP_SYS_ADMIN raised. */
static int enter_cwd_and_raise_for_seccomp(struct ocirt_prepared_program *program)
{
    if (!program->in_cwd && enter_cwd(program) < 0)
        return -1;
    if (program->seccomp_raise_sys_admin && raise_sys_admin() < 0)
        return ocirt_set_failure("raise CAP_SYS_ADMIN to load the seccomp filter without no_new_privs"), -1;
    return 0;
}

OCIRT_HANDLER(exec)
{
    const struct ocirt_prepared_program *program = &init->program;
    if (enter_cwd_and_raise_for_seccomp(&init->program) < 0)
        return -1;
    if (ocirt_reset_process(2 + (int)op->exec.preserve_fds, 0, program->seccomp_filter, program->seccomp_instructions,
                            program->seccomp_flags) < 0)
        return ocirt_set_failure("%s \"%s\"", op->text, program->path), -1;
    execve(program->path, program->argv, program->envp);
    /* runc's words, which scripts match: "exec /run.sh: no such file or directory" (Go's lower-case errno text). */
    char reason[128];
    snprintf(reason, sizeof reason, "%s", ocirt_errno_message(errno));
    reason[0] = (char)tolower((unsigned char)reason[0]);
    return ocirt_fail_without_errno("exec %s: %s", program->path, reason);
}

OCIRT_HANDLER(run_wasm)
{
    if (enter_cwd_and_raise_for_seccomp(&init->program) < 0)
        return -1;
    return ocirt_run_wasm(&init->program, 2 + (int)op->run_wasm.preserve_fds, op->run_wasm.text_format == 1, op->text);
}

/* Writes /proc/thread-self/attr/<name>, refusing a /proc that is not procfs (runc's CVE-2019-16884). */
OCIRT_HANDLER(set_lsm_attribute)
{
    const struct ocirt_set_lsm_attribute_args *a = &op->set_lsm_attribute;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "/proc/thread-self/attr/%s", a->name.text);
    int fd OCIRT_AUTOCLOSE = ocirt_open_proc_file(init, path + strlen("/proc/"), O_WRONLY);
    if (fd < 0)
        return ocirt_set_failure("open \"%s\"", path), -1;
    if (write(fd, a->value.text, a->value.length) != (ssize_t)a->value.length)
        return ocirt_set_failure("write \"%s\" to \"%s\"", a->value.text, path), -1;
    return 0;
}

OCIRT_HANDLER(drop_bounding)
{
    (void)init;
    uint64_t keep = (uint64_t)op->drop_bounding.keep_mask;
    for (int cap = 0; cap <= (int)op->drop_bounding.last_capability; cap++) {
        if (!(keep & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
            return ocirt_set_failure("%s: capability %d", op->text, cap), -1;
    }
    return 0;
}

/* As runc: stdio (pipes, a pty) goes to the process's uid, so it can reopen /dev/stdout; /dev/null stays. */
OCIRT_HANDLER(chown_stdio)
{
    (void)init;
    uid_t uid = (uid_t)op->chown_stdio.uid;
    for (int fd = 0; fd <= 2; fd++) {
        struct stat st;
        if (fstat(fd, &st) < 0 || st.st_uid == uid || ocirt_is_null_device(&st))
            continue;
        /* EPERM/EINVAL (e.g. an fd from another user namespace) are not fatal: the process merely can't reopen it. */
        if (fchown(fd, uid, st.st_gid) < 0)
            continue;
    }
    return 0;
}

/* A rootless parent denies setgroups(2) in the user namespace before it may map a gid (user_namespaces(7)). */
static int setgroups_denied(void)
{
    char text[16] = "";
    int fd OCIRT_AUTOCLOSE = open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, text, sizeof text - 1);
    return n > 0 && strncmp(text, "deny", 4) == 0;
}

OCIRT_HANDLER(set_groups)
{
    (void)init;
    const struct ocirt_set_groups_args *a = &op->set_groups;
    size_t count = (size_t)a->gids_count;
    if (!setgroups_denied())
        return setgroups(count, (const gid_t *)(const void *)a->gids.text);
    return count == 0 ? 0 : ocirt_fail_without_errno("%s", a->denied_failure.text);
}

OCIRT_HANDLER(set_ids)
{
    (void)init;
    uid_t uid = (uid_t)op->set_ids.uid;
    gid_t gid = (gid_t)op->set_ids.gid;
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
        return ocirt_set_failure("prctl PR_SET_KEEPCAPS"), -1;
    if (setresgid(gid, gid, gid) < 0)
        return ocirt_set_failure("setresgid %u", gid), -1;
    if (setresuid(uid, uid, uid) < 0)
        return ocirt_set_failure("setresuid %u", uid), -1;
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
        return ocirt_set_failure("prctl PR_SET_KEEPCAPS"), -1;
    return 0;
}

/* The kernel only takes ambient capabilities that are permitted and inheritable; others are skipped, as runc does. */
OCIRT_HANDLER(capset)
{
    (void)init;
    const struct ocirt_capset_args *a = &op->capset;
    uint64_t effective = (uint64_t)a->effective, permitted = (uint64_t)a->permitted, inheritable = (uint64_t)a->inheritable;
    uint64_t ambient = (uint64_t)a->ambient & permitted & inheritable;
    struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct data[2] = {
        { (uint32_t)effective, (uint32_t)permitted, (uint32_t)inheritable },
        { (uint32_t)(effective >> 32), (uint32_t)(permitted >> 32), (uint32_t)(inheritable >> 32) },
    };
    if (syscall(SYS_capset, &header, data) < 0)
        return ocirt_set_failure("capset"), -1;
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
        return ocirt_set_failure("clear ambient capabilities"), -1;
    for (int cap = 0; cap < 64; cap++) {
        if ((ambient & (1ULL << cap)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
            return ocirt_set_failure("raise ambient capability %d", cap), -1;
    }
    return 0;
}

OCIRT_HANDLER(sched_setattr)
{
    (void)init;
    return (int)syscall(SYS_sched_setattr, 0, op->sched_setattr.attr.text, 0);
}

#define IOPRIO_WHO_PROCESS 1

OCIRT_HANDLER(ioprio_set)
{
    (void)init;
    return (int)syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, (int)op->ioprio_set.priority);
}

OCIRT_HANDLER(personality)
{
    (void)init;
    return personality((unsigned long)op->personality.persona) < 0 ? -1 : 0;
}

OCIRT_HANDLER(set_cpu_affinity)
{
    (void)init;
    const struct ocirt_string *cpus = &op->set_cpu_affinity.mask;
    /* As long as the kernel's own mask may be (NR_CPUS up to 8192; CpuList's limit 65536). */
    static unsigned char mask[65536 / 8];
    if (cpus->length > sizeof mask) {
        errno = EINVAL;
        return -1;
    }
    memset(mask, cpus->length == 0 ? 0xff : 0, sizeof mask);
    memcpy(mask, cpus->text, cpus->length);
    return sched_setaffinity(0, sizeof mask, (const cpu_set_t *)(const void *)mask);
}

OCIRT_HANDLER(set_mempolicy)
{
    (void)init;
    const struct ocirt_set_mempolicy_args *a = &op->set_mempolicy;
    /* The kernel reads maxnode - 1 bits (set_mempolicy(2)): one more than the mask holds. */
    unsigned long maxnode = a->nodemask.length == 0 ? 0 : a->nodemask.length * 8UL + 1;
    return (int)syscall(SYS_set_mempolicy, (int)a->mode, a->nodemask.length == 0 ? NULL : a->nodemask.text, maxnode);
}
