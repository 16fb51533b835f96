// method-trace SYMBOLS HITS CMD [ARGS...]: runs CMD under ptrace with a one-shot breakpoint on the first byte of every
// address listed in SYMBOLS ("<hex address> <name>" lines), and appends the name of each one reached, in the order
// first reached, to HITS. Threads are followed; child processes are not (they exec before running managed code).
// With WATCH=TEXT, each breakpoint whose name contains TEXT also prints its callers' return addresses to stderr
// (tools/method-order.sh --type-loader symbolizes them). Used by tools/method-order.sh only.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

struct breakpoint { unsigned long address; char *name; unsigned char original; int reached; };
static struct breakpoint *points;
static size_t count;

static int by_address(const void *a, const void *b) {
    unsigned long x = ((const struct breakpoint *)a)->address, y = ((const struct breakpoint *)b)->address;
    return x < y ? -1 : x > y;
}

static struct breakpoint *find(unsigned long address) {
    struct breakpoint key = { .address = address };
    return bsearch(&key, points, count, sizeof key, by_address);
}

static void load(const char *path) {
    FILE *in = fopen(path, "re");
    if (!in) { perror(path); exit(2); }
    size_t capacity = 1 << 16;
    points = malloc(capacity * sizeof *points);
    char name[4096]; unsigned long address;
    while (fscanf(in, "%lx %4095s", &address, name) == 2) {
        if (count == capacity) points = realloc(points, (capacity *= 2) * sizeof *points);
        points[count++] = (struct breakpoint){ .address = address, .name = strdup(name) };
    }
    fclose(in);
    qsort(points, count, sizeof *points, by_address);
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: method-trace SYMBOLS HITS CMD [ARGS...]\n"); return 2; }
    load(argv[1]);
    FILE *hits = fopen(argv[2], "ae");
    if (!hits) { perror(argv[2]); return 2; }
    pid_t child = fork();
    if (child == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        raise(SIGSTOP);
        execv(argv[3], argv + 3);
        _exit(127);
    }
    int status;
    waitpid(child, &status, 0);
    ptrace(PTRACE_SETOPTIONS, child, 0, PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL);
    ptrace(PTRACE_CONT, child, 0, 0);
    int exit_status = 1;
    for (;;) {
        pid_t pid = waitpid(-1, &status, __WALL);
        if (pid < 0) break;
        if (WIFEXITED(status) || WIFSIGNALED(status)) {
            if (pid == child) exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            continue;
        }
        int signal = WSTOPSIG(status), event = status >> 16;
        if (event == PTRACE_EVENT_EXEC) {
            char mem_path[64];
            snprintf(mem_path, sizeof mem_path, "/proc/%d/mem", pid);
            int mem = open(mem_path, O_RDWR | O_CLOEXEC);
            for (size_t i = 0; i < count; i++) {
                pread(mem, &points[i].original, 1, points[i].address);
                unsigned char trap = 0xcc;
                pwrite(mem, &trap, 1, points[i].address);
            }
            close(mem);
            signal = 0;
        } else if (event) {
            signal = 0;
        } else if (signal == SIGTRAP) {
            struct user_regs_struct regs;
            ptrace(PTRACE_GETREGS, pid, 0, &regs);
            struct breakpoint *point = find(regs.rip - 1);
            if (point) {
                if (!point->reached) {
                    point->reached = 1;
                    char mem_path[64];
                    snprintf(mem_path, sizeof mem_path, "/proc/%d/mem", pid);
                    int mem = open(mem_path, O_RDWR | O_CLOEXEC);
                    pwrite(mem, &point->original, 1, point->address);
                    close(mem);
                    fprintf(hits, "%s\n", point->name);
                    const char *watch = getenv("WATCH");
                    if (watch && strstr(point->name, watch)) {
                        unsigned long frame = regs.rbp, ret = ptrace(PTRACE_PEEKDATA, pid, regs.rsp, 0);
                        fprintf(stderr, "== %s\n  %lx\n", point->name, ret);
                        for (int depth = 0; depth < 8 && frame; depth++) {
                            ret = ptrace(PTRACE_PEEKDATA, pid, frame + 8, 0);
                            frame = ptrace(PTRACE_PEEKDATA, pid, frame, 0);
                            fprintf(stderr, "  %lx\n", ret);
                        }
                    }
                }
                regs.rip--;
                ptrace(PTRACE_SETREGS, pid, 0, &regs);
                signal = 0;
            }
        } else if (signal == SIGSTOP && pid != child) {
            signal = 0;  // a new thread's first stop
        }
        ptrace(PTRACE_CONT, pid, 0, signal);
    }
    fclose(hits);
    return exit_status;
}
