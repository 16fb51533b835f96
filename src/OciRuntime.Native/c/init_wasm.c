/*
 * init_wasm.c - the wasm handler: the container's program is a WebAssembly module that Wasmtime runs with WASI in the
 * init itself, in place of execve. libwasmtime.so is dlopen()ed only for a container that asks for it, before the root
 * switch (it lives on the host); the prototypes below are the few of Wasmtime's C API (wasm.h, wasi.h, wasmtime.h) used.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "init_ops.h"
#include "sync.h"

/* The wasmtime CLI's status for a trap on Unix: 128 + SIGABRT. */
#define WASM_TRAP_EXIT_STATUS 134
/* wasi.h's WASMTIME_WASI_DIR_PERMS_* and WASMTIME_WASI_FILE_PERMS_*: read (1) and write (2), the same for both. */
#define WASI_PERMS_READ_WRITE 3

typedef struct wasm_engine_t wasm_engine_t;
typedef struct wasm_trap_t wasm_trap_t;
typedef struct wasmtime_store wasmtime_store_t;
typedef struct wasmtime_context wasmtime_context_t;
typedef struct wasmtime_linker wasmtime_linker_t;
typedef struct wasmtime_module wasmtime_module_t;
typedef struct wasmtime_error wasmtime_error_t;
typedef struct wasi_config_t wasi_config_t;
typedef struct wasm_byte_vec_t {
    size_t size;
    char *data;
} wasm_byte_vec_t;
/* wasmtime_func_t is a store id and a private word; an out parameter only, so room enough is all it needs. */
typedef union {
    uint64_t align;
    unsigned char bytes[64];
} wasmtime_func_t;

static struct {
    wasm_engine_t *(*engine_new)(void);
    wasmtime_store_t *(*store_new)(wasm_engine_t *, void *, void (*)(void *));
    wasmtime_context_t *(*store_context)(wasmtime_store_t *);
    wasmtime_linker_t *(*linker_new)(wasm_engine_t *);
    wasmtime_error_t *(*linker_define_wasi)(wasmtime_linker_t *);
    wasmtime_error_t *(*wat2wasm)(const char *, size_t, wasm_byte_vec_t *);
    wasmtime_error_t *(*module_new)(wasm_engine_t *, const uint8_t *, size_t, wasmtime_module_t **);
    wasi_config_t *(*wasi_config_new)(void);
    bool (*wasi_config_set_argv)(wasi_config_t *, size_t, const char *[]);
    bool (*wasi_config_set_env)(wasi_config_t *, size_t, const char *[], const char *[]);
    void (*wasi_config_inherit_stdin)(wasi_config_t *);
    void (*wasi_config_inherit_stdout)(wasi_config_t *);
    void (*wasi_config_inherit_stderr)(wasi_config_t *);
    bool (*wasi_config_preopen_dir)(wasi_config_t *, const char *, const char *, size_t, size_t);
    wasmtime_error_t *(*context_set_wasi)(wasmtime_context_t *, wasi_config_t *);
    wasmtime_error_t *(*linker_module)(wasmtime_linker_t *, wasmtime_context_t *, const char *, size_t,
                                       const wasmtime_module_t *);
    wasmtime_error_t *(*linker_get_default)(const wasmtime_linker_t *, wasmtime_context_t *, const char *, size_t,
                                            wasmtime_func_t *);
    wasmtime_error_t *(*func_call)(wasmtime_context_t *, const wasmtime_func_t *, const void *, size_t, void *, size_t,
                                   wasm_trap_t **);
    bool (*error_exit_status)(const wasmtime_error_t *, int *);
    void (*error_message)(const wasmtime_error_t *, wasm_byte_vec_t *);
    void (*trap_message)(const wasm_trap_t *, wasm_byte_vec_t *);
} wasmtime;

static const struct {
    const char *name;
    size_t offset;
} symbols[] = {
#define SYMBOL(field, name) { name, offsetof(__typeof__(wasmtime), field) }
    SYMBOL(engine_new, "wasm_engine_new"),
    SYMBOL(store_new, "wasmtime_store_new"),
    SYMBOL(store_context, "wasmtime_store_context"),
    SYMBOL(linker_new, "wasmtime_linker_new"),
    SYMBOL(linker_define_wasi, "wasmtime_linker_define_wasi"),
    SYMBOL(wat2wasm, "wasmtime_wat2wasm"),
    SYMBOL(module_new, "wasmtime_module_new"),
    SYMBOL(wasi_config_new, "wasi_config_new"),
    SYMBOL(wasi_config_set_argv, "wasi_config_set_argv"),
    SYMBOL(wasi_config_set_env, "wasi_config_set_env"),
    SYMBOL(wasi_config_inherit_stdin, "wasi_config_inherit_stdin"),
    SYMBOL(wasi_config_inherit_stdout, "wasi_config_inherit_stdout"),
    SYMBOL(wasi_config_inherit_stderr, "wasi_config_inherit_stderr"),
    SYMBOL(wasi_config_preopen_dir, "wasi_config_preopen_dir"),
    SYMBOL(context_set_wasi, "wasmtime_context_set_wasi"),
    SYMBOL(linker_module, "wasmtime_linker_module"),
    SYMBOL(linker_get_default, "wasmtime_linker_get_default"),
    SYMBOL(func_call, "wasmtime_func_call"),
    SYMBOL(error_exit_status, "wasmtime_error_exit_status"),
    SYMBOL(error_message, "wasmtime_error_message"),
    SYMBOL(trap_message, "wasm_trap_message"),
#undef SYMBOL
};

OCIRT_HANDLER(load_wasmtime)
{
    (void)init;
    void *library = dlopen(op->load_wasmtime.library.text, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL)
        return ocirt_fail_without_errno("%s: %s", op->text, dlerror());
    for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
        void *address = dlsym(library, symbols[i].name);
        if (address == NULL)
            return ocirt_fail_without_errno("%s: it has no %s (not Wasmtime's C API?)", op->text, symbols[i].name);
        memcpy((char *)&wasmtime + symbols[i].offset, &address, sizeof address);
    }
    return 0;
}

/* The whole module file, read before the fds are closed; NULL with errno. */
static char *read_module(const char *path, size_t *size)
{
    int fd OCIRT_AUTOCLOSE = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    char *data = NULL;
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) == 0 && (data = malloc((size_t)st.st_size + 1)) != NULL) {
        size_t done = 0;
        ssize_t n;
        while (done < (size_t)st.st_size && (n = read(fd, data + done, (size_t)st.st_size - done)) > 0)
            done += (size_t)n;
        *size = done;
    }
    return data;
}

/* Reports a Wasmtime error as the op's failure (errno 0: the words are Wasmtime's); always -1. */
static int wasmtime_failure(const char *what, const char *step, wasmtime_error_t *error)
{
    wasm_byte_vec_t message = { 0, NULL };
    wasmtime.error_message(error, &message);
    return ocirt_fail_without_errno("%s: %s: %.*s", what, step, (int)message.size, message.data);
}

/* The module's WASI context: argv, env (split at '='), stdio, the rootfs as "/" and the cwd as "." (mutable). */
static int configure_wasi(wasmtime_context_t *context, char **argv, char **envp, const char *what)
{
    wasi_config_t *config = wasmtime.wasi_config_new();
    size_t argc = 0, envc = 0;
    while (argv[argc] != NULL)
        argc++;
    while (envp[envc] != NULL)
        envc++;
    const char **names = calloc(envc + 1, sizeof *names), **values = calloc(envc + 1, sizeof *values);
    if (names == NULL || values == NULL)
        return -1;
    for (size_t i = 0; i < envc; i++) {
        char *equals = strchr(envp[i], '=');
        names[i] = envp[i];
        values[i] = "";
        if (equals != NULL)
            *equals = '\0', values[i] = equals + 1;
    }
    if (!wasmtime.wasi_config_set_argv(config, argc, (const char **)argv) || !wasmtime.wasi_config_set_env(config, envc, names, values))
        return ocirt_fail_without_errno("%s: process.args and process.env must be UTF-8 for WASI", what);
    wasmtime.wasi_config_inherit_stdin(config);
    wasmtime.wasi_config_inherit_stdout(config);
    wasmtime.wasi_config_inherit_stderr(config);
    if (!wasmtime.wasi_config_preopen_dir(config, "/", "/", WASI_PERMS_READ_WRITE, WASI_PERMS_READ_WRITE)
        || !wasmtime.wasi_config_preopen_dir(config, ".", ".", WASI_PERMS_READ_WRITE, WASI_PERMS_READ_WRITE))
        return ocirt_fail_without_errno("%s: preopen the root filesystem and process.cwd", what);
    wasmtime_error_t *error = wasmtime.context_set_wasi(context, config);
    return error == NULL ? 0 : wasmtime_failure(what, "set up WASI", error);
}

/*
 * A trap ends the container as the wasmtime CLI ends: its status, and one line on stderr. Wasmtime's message is a
 * report ("error while executing at wasm backtrace: ... Caused by: ... wasm trap: <why>"): its last line is the cause.
 */
static void __attribute__((noreturn)) exit_on_trap(const char *what, wasm_trap_t *trap)
{
    wasm_byte_vec_t message = { 0, NULL };
    wasmtime.trap_message(trap, &message);
    size_t end = message.size;
    while (end > 0 && (message.data[end - 1] == '\0' || message.data[end - 1] == '\n' || message.data[end - 1] == ' '))
        end--;
    size_t start = end;
    while (start > 0 && message.data[start - 1] != '\n')
        start--;
    while (start < end && message.data[start] == ' ')
        start++;
    char line[1024];
    int n = snprintf(line, sizeof line, "ociruntime: %s: %.*s\n", what, (int)(end - start), message.data + start);
    if (n >= (int)sizeof line)
        n = (int)sizeof line - 1, line[n - 1] = '\n';
    ocirt_write_all(2, line, (size_t)n);
    _exit(WASM_TRAP_EXIT_STATUS);
}

int ocirt_run_wasm(const struct ocirt_prepared_program *program, int keep_fds_upto, int is_text, const char *what)
{
    size_t size = 0;
    char *bytes = read_module(program->path, &size);
    if (bytes == NULL)
        return ocirt_set_failure("%s: read %s", what, program->path), -1;
    if (ocirt_reset_process(keep_fds_upto, 1, program->seccomp_filter, program->seccomp_instructions, program->seccomp_flags) < 0)
        return ocirt_set_failure("%s: close the runtime's fds and load the seccomp filter", what), -1;
    ocirt_parent_stops_listening();
    wasm_byte_vec_t binary = { size, bytes };
    wasmtime_error_t *error;
    if (is_text && (error = wasmtime.wat2wasm(bytes, size, &binary)) != NULL)
        return wasmtime_failure(what, "translate the text format", error);
    wasm_engine_t *engine = wasmtime.engine_new();
    wasmtime_store_t *store = wasmtime.store_new(engine, NULL, NULL);
    wasmtime_context_t *context = wasmtime.store_context(store);
    wasmtime_linker_t *linker = wasmtime.linker_new(engine);
    wasmtime_module_t *module = NULL;
    if ((error = wasmtime.linker_define_wasi(linker)) != NULL)
        return wasmtime_failure(what, "define WASI", error);
    if ((error = wasmtime.module_new(engine, (const uint8_t *)binary.data, binary.size, &module)) != NULL)
        return wasmtime_failure(what, "compile", error);
    if (configure_wasi(context, program->argv, program->envp, what) < 0)
        return -1;
    wasmtime_func_t start;
    wasm_trap_t *trap = NULL;
    /* The default export of a command is _start; linker_module instantiates a command anew for it. */
    if ((error = wasmtime.linker_module(linker, context, "", 0, module)) != NULL)
        return wasmtime_failure(what, "instantiate", error);
    if ((error = wasmtime.linker_get_default(linker, context, "", 0, &start)) != NULL)
        return wasmtime_failure(what, "find the default export", error);
    error = wasmtime.func_call(context, &start, NULL, 0, NULL, 0, &trap);
    int status = 0;
    if (trap != NULL)
        exit_on_trap(what, trap);
    if (error != NULL && !wasmtime.error_exit_status(error, &status))
        return wasmtime_failure(what, "run", error);
    _exit(status);
}
