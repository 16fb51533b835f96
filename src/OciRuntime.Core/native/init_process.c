/*
 * init_process.c - the init's process operations: network loopback, hooks, stdio and console, names, limits,
 * LSM labels, identity and capabilities, the final execve of the container's program, and the scheduling, cpu
 * affinity, personality and memory policy it inherits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
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
#include "sync.h"

#define PROC_SUPER_MAGIC 0x9fa0
#define KEYCTL_JOIN_SESSION_KEYRING 1
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

int ocirt_op_loopback_up(const struct ocirt_op *op)
{
    (void)op;
    struct ifreq request;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    memset(&request, 0, sizeof request);
    strcpy(request.ifr_name, "lo");
    int rc = ioctl(fd, SIOCGIFFLAGS, &request);
    if (rc == 0) {
        request.ifr_flags |= IFF_UP;
        rc = ioctl(fd, SIOCSIFFLAGS, &request);
    }
    ocirt_close_keeping_errno(fd);
    return rc;
}

/*
 * A NULL-terminated array of the count NUL-separated strings in op's string i (pointers into it), with room for extra
 * more; NULL (EINVAL) when the string holds fewer.
 */
static char **string_array(const struct ocirt_op *op, uint32_t i, int64_t count, int extra)
{
    const char *s = op->s[i], *end = s + op->length[i];
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
    int pidfd = timeout > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
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
        close(pidfd);
    }
    while (waitpid(pid, status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    return timed_out;
}

/* config.md's hooks: the state on stdin (its pid is ours), args and env as given, killed after the timeout. */
int ocirt_op_hook(const struct ocirt_op *op)
{
    const struct ocirt_op_header *h = op->header;
    char **argv = string_array(op, 2, h->n[0], 0);
    char **envp = string_array(op, 3, h->n[1], 0);
    int pipe_fds[2], pid, status;
    if (argv == NULL || envp == NULL || pipe2(pipe_fds, O_CLOEXEC) < 0)
        return -1;
    int rc = ocirt_spawn(op->s[1], argv, envp, pipe_fds[0], &pid);
    close(pipe_fds[0]);
    free(argv);
    free(envp);
    if (rc != 0) {
        close(pipe_fds[1]);
        errno = rc;
        return -1;
    }
    /* The state as create wrote it around our pid, in parts: annotations make it any size. */
    char pid_text[16];
    int pid_length = snprintf(pid_text, sizeof pid_text, "%d", (int)getpid());
    /* The hook may exit without reading: a write error (EPIPE) is not its failure, and ends the writing. */
    signal(SIGPIPE, SIG_IGN);
    if (ocirt_write_all(pipe_fds[1], op->s[4], op->length[4]) == 0 && ocirt_write_all(pipe_fds[1], pid_text, (size_t)pid_length) == 0)
        ocirt_write_all(pipe_fds[1], op->s[5], op->length[5]);
    signal(SIGPIPE, SIG_DFL);
    close(pipe_fds[1]);
    int timed_out = wait_for_hook(pid, h->n[2], &status);
    if (timed_out < 0)
        return -1;
    errno = 0;
    if (timed_out) {
        ocirt_set_failure("%s", op->s[6]);
        return -1;
    }
    if (status != 0) {
        ocirt_set_failure("%s%d", op->s[7], WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        return -1;
    }
    return 0;
}

static int is_null_device(const struct stat *st)
{
    return S_ISCHR(st->st_mode) && st->st_rdev == makedev(1, 3);
}

/* As runc after pivot_root: stdio that is the host's /dev/null becomes the container's, which must be the device. */
int ocirt_op_reopen_null_stdio(const struct ocirt_op *op)
{
    (void)op;
    struct stat st;
    int null_fds[3], count = 0;
    for (int fd = 0; fd <= 2; fd++)
        if (fstat(fd, &st) == 0 && is_null_device(&st))
            null_fds[count++] = fd;
    if (count == 0)
        return 0;
    int dev_null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (dev_null < 0) {
        ocirt_set_failure("open the container's /dev/null");
        return -1;
    }
    int rc = 0;
    if (fstat(dev_null, &st) < 0 || !is_null_device(&st)) {
        errno = 0;
        ocirt_set_failure("the container's /dev/null is not the null device (character device 1:3)");
        rc = -1;
    }
    for (int i = 0; rc == 0 && i < count; i++)
        if (dup2(dev_null, null_fds[i]) < 0) {
            ocirt_set_failure("dup2 /dev/null to fd %d", null_fds[i]);
            rc = -1;
        }
    ocirt_close_keeping_errno(dev_null);
    return rc;
}

/*
 * process.terminal: a pty of the container's devpts (after pivot_root or setns), its master sent to the console socket
 * (SCM_RIGHTS, as runc does for containerd and conmon), its slave the stdio and controlling tty, maybe /dev/console.
 */
int ocirt_op_console(const struct ocirt_op *op)
{
    const struct ocirt_op_header *h = op->header;
    int socket_fd = (int)h->n[0], unlock = 0;
    unsigned int number;
    int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0)
        return ocirt_set_failure("open /dev/ptmx"), -1;
    if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
        return ocirt_set_failure("unlockpt"), -1;
    if (ioctl(master, TIOCGPTN, &number) < 0)
        return ocirt_set_failure("ptsname"), -1;
    if (h->n[1] > 0 && h->n[2] > 0) {
        struct winsize size = { .ws_row = (unsigned short)h->n[1], .ws_col = (unsigned short)h->n[2] };
        if (ioctl(master, TIOCSWINSZ, &size) < 0)
            return ocirt_set_failure("set console size"), -1;
    }
    char slave_path[64];
    snprintf(slave_path, sizeof slave_path, "/dev/pts/%u", number);
    if (h->n[3] == 1) {
        if (ocirt_mkfile_in_root("/dev/console") < 0)
            return -1;
        if (ocirt_mount_at(slave_path, "/dev/console", 1, "", MS_BIND, "") < 0)
            return ocirt_set_failure("mount \"%s\" on \"/dev/console\" (bind)", slave_path), -1;
    }
    int sent = ocirt_send_fd(socket_fd, master);
    close(master);
    close(socket_fd);
    if (sent < 0) {
        errno = -sent;
        return ocirt_set_failure("send pty master to the console socket"), -1;
    }
    int slave = open(slave_path, O_RDWR | O_NOCTTY);
    if (slave < 0)
        return ocirt_set_failure("open %s", slave_path), -1;
    for (int fd = 0; fd <= 2; fd++)
        if (dup2(slave, fd) < 0)
            return ocirt_set_failure("dup2 %s to fd %d", slave_path, fd), -1;
    if (slave > 2)
        close(slave);
    if (ioctl(0, TIOCSCTTY, 0) < 0)
        return ocirt_set_failure("make the pty the controlling terminal"), -1;
    return 0;
}

int ocirt_op_set_name(const struct ocirt_op *op)
{
    return op->header->n[0] == 1 ? setdomainname(op->s[1], op->length[1]) : sethostname(op->s[1], op->length[1]);
}

int ocirt_op_write_file(const struct ocirt_op *op)
{
    int fd = open(op->s[1], O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = ocirt_write_all(fd, op->s[2], op->length[2]);
    int saved = errno;
    if (close(fd) < 0 && rc == 0)
        rc = -1, saved = errno;
    errno = saved;
    return rc;
}

int ocirt_op_join_session_keyring(const struct ocirt_op *op)
{
    (void)op;
    if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, 0, 0, 0, 0) >= 0)
        return 0;
    /* Kernels without keyrings, or where they are refused, are fine. */
    return errno == ENOSYS || errno == EACCES ? 0 : -1;
}

int ocirt_op_setrlimit(const struct ocirt_op *op)
{
    struct rlimit limit = { .rlim_cur = (rlim_t)op->header->n[1], .rlim_max = (rlim_t)op->header->n[2] };
    return prlimit(0, (__rlimit_resource_t)op->header->n[0], &limit, NULL);
}

/* The program EXEC runs, checked by PREPARE_EXEC. */
static struct {
    char path[PATH_MAX];
    char **argv;
    char **envp;
    const char *cwd;
    const void *seccomp_filter;
    int seccomp_instructions;
    unsigned int seccomp_flags;
} program;

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

static int is_executable_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
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
static int find_executable(const char *name, const char *search_path, const char *cwd)
{
    errno = 0;
    if (strchr(name, '/') != NULL) {
        struct stat st;
        absolute(name, cwd, program.path, sizeof program.path);
        if (stat(program.path, &st) < 0)
            return ocirt_set_failure("exec: \"%s\": stat %s: no such file or directory", name, program.path), -1;
        if (!is_executable_file(program.path))
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
        if (snprintf(program.path, sizeof program.path, "%s/%s", base, name) >= (int)sizeof program.path)
            continue;
        if (is_executable_file(program.path))
            return 0;
    }
    return ocirt_set_failure("exec: \"%s\": executable file not found in $PATH", name), -1;
}

int ocirt_op_prepare_exec(const struct ocirt_op *op)
{
    const struct ocirt_op_header *h = op->header;
    struct stat st;
    program.cwd = op->s[1];
    program.argv = string_array(op, 2, h->n[0], 0);
    char **env = string_array(op, 3, h->n[1], 1);
    if (program.argv == NULL || env == NULL || h->n[0] < 1)
        return -1;
    if (stat(program.cwd, &st) < 0 || !S_ISDIR(st.st_mode)) {
        errno = 0;
        return ocirt_set_failure("process.cwd \"%s\" does not exist in the container", program.cwd), -1;
    }
    const char *search_path = DEFAULT_PATH;
    int has_home = 0;
    for (int64_t i = 0; i < h->n[1]; i++) {
        if (strncmp(env[i], "PATH=", 5) == 0)
            search_path = env[i] + 5;
        has_home |= strncmp(env[i], "HOME=", 5) == 0;
    }
    if (!has_home) {
        static char home[PATH_MAX + 5] = "HOME=";
        home_of((uid_t)h->n[2], home + 5, sizeof home - 5);
        env[h->n[1]] = home;
    }
    program.envp = env;
    return find_executable(program.argv[0], search_path, program.cwd);
}

void ocirt_keep_seccomp_for_exec(const void *filter, int instructions, unsigned int flags)
{
    program.seccomp_filter = filter;
    program.seccomp_instructions = instructions;
    program.seccomp_flags = flags;
}

int ocirt_op_exec(const struct ocirt_op *op)
{
    if (chdir(program.cwd) < 0)
        return ocirt_set_failure("chdir \"%s\"", program.cwd), -1;
    errno = ocirt_exec(program.path, program.argv, program.envp, 2 + (int)op->header->n[0], program.seccomp_filter,
                       program.seccomp_instructions, program.seccomp_flags);
    ocirt_set_failure("%s \"%s\"", op->s[0], program.path);
    return -1;
}

/* Writes /proc/thread-self/attr/<name>, refusing a /proc that is not procfs (runc's CVE-2019-16884). */
int ocirt_op_set_lsm_attr(const struct ocirt_op *op)
{
    char path[PATH_MAX];
    struct statfs fs;
    snprintf(path, sizeof path, "/proc/thread-self/attr/%s", op->s[1]);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return ocirt_set_failure("open \"%s\"", path), -1;
    int rc = 0;
    if (fstatfs(fd, &fs) < 0 || fs.f_type != PROC_SUPER_MAGIC) {
        errno = 0;
        ocirt_set_failure("\"%s\" is not on procfs: refusing to set the LSM label there", path);
        rc = -1;
    } else if (write(fd, op->s[2], op->length[2]) != (ssize_t)op->length[2]) {
        ocirt_set_failure("write \"%s\" to \"%s\"", op->s[2], path);
        rc = -1;
    }
    ocirt_close_keeping_errno(fd);
    return rc;
}

int ocirt_op_drop_bounding(const struct ocirt_op *op)
{
    uint64_t keep = (uint64_t)op->header->n[0];
    for (int cap = 0; cap <= (int)op->header->n[1]; cap++) {
        if (!(keep & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
            return ocirt_set_failure("%s: capability %d", op->s[0], cap), -1;
    }
    return 0;
}

/* As runc: stdio (pipes, a pty) goes to the process's uid, so it can reopen /dev/stdout; /dev/null stays. */
int ocirt_op_chown_stdio(const struct ocirt_op *op)
{
    uid_t uid = (uid_t)op->header->n[0];
    for (int fd = 0; fd <= 2; fd++) {
        struct stat st;
        if (fstat(fd, &st) < 0 || st.st_uid == uid || is_null_device(&st))
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
    int fd = open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    return n > 0 && strncmp(text, "deny", 4) == 0;
}

int ocirt_op_setgroups(const struct ocirt_op *op)
{
    size_t count = (size_t)op->header->n[0];
    if (!setgroups_denied())
        return setgroups(count, (const gid_t *)(const void *)op->s[1]);
    if (count == 0)
        return 0;
    errno = 0;
    return ocirt_set_failure("%s", op->s[2]), -1;
}

int ocirt_op_set_ids(const struct ocirt_op *op)
{
    uid_t uid = (uid_t)op->header->n[0];
    gid_t gid = (gid_t)op->header->n[1];
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
int ocirt_op_capset(const struct ocirt_op *op)
{
    const struct ocirt_op_header *h = op->header;
    uint64_t effective = (uint64_t)h->n[0], permitted = (uint64_t)h->n[1], inheritable = (uint64_t)h->n[2];
    uint64_t ambient = (uint64_t)h->n[3] & permitted & inheritable;
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

int ocirt_op_sched_setattr(const struct ocirt_op *op)
{
    return (int)syscall(SYS_sched_setattr, 0, op->s[1], 0);
}

#define IOPRIO_WHO_PROCESS 1

int ocirt_op_ioprio_set(const struct ocirt_op *op)
{
    return (int)syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, (int)op->header->n[0]);
}

int ocirt_op_personality(const struct ocirt_op *op)
{
    return personality((unsigned long)op->header->n[0]) < 0 ? -1 : 0;
}

int ocirt_op_set_cpu_affinity(const struct ocirt_op *op)
{
    /* As long as the kernel's own mask may be (NR_CPUS up to 8192; CpuList's limit 65536). */
    static unsigned char mask[65536 / 8];
    if (op->length[1] > sizeof mask) {
        errno = EINVAL;
        return -1;
    }
    memset(mask, op->length[1] == 0 ? 0xff : 0, sizeof mask);
    memcpy(mask, op->s[1], op->length[1]);
    return sched_setaffinity(0, sizeof mask, (const cpu_set_t *)(const void *)mask);
}

int ocirt_op_set_mempolicy(const struct ocirt_op *op)
{
    /* The kernel reads maxnode - 1 bits (set_mempolicy(2)): one more than the mask holds. */
    unsigned long maxnode = op->length[1] == 0 ? 0 : op->length[1] * 8UL + 1;
    return (int)syscall(SYS_set_mempolicy, (int)op->header->n[0], op->length[1] == 0 ? NULL : op->s[1], maxnode);
}
