/*
 * protocol.h - the sync socket between `create`/`exec` (the parent), the bootstrap and the container init.
 *
 * The source of the wire's constants: Protocol/InitProtocol.cs mirrors them (its InitMessage enum and
 * SyncFdEnvironmentVariable), and a unit test reads this file to check that both agree. The message sequence is
 * drawn in InitProtocol.cs.
 *
 * A frame is a struct ocirt_frame_header (the payload's length, native-endian, then the message type), followed by
 * that many payload bytes. Payloads: NAMESPACE_PLAN is text (see bootstrap.c), BIRTH an int32 per fd it carries (SCM_RIGHTS):
 * the number the init has it at, -1 for the cgroup2 directory the init is born in, -2 for a v1 tasks file to join; PROGRAM the init's operations (init_program.h), BOOTSTRAP_PID
 * two int32s (the init's pid; 1 if it was born in its cgroup2 directory, else 0), ERROR an int32 errno (0 when no system
 * call failed) followed by the message text; the others are empty.
 */
#ifndef OCIRT_PROTOCOL_H
#define OCIRT_PROTOCOL_H

#include <stdint.h>

/* Holds the fd number of the init's end of the sync socket; its presence makes `ociruntime init` the init. */
#define OCIRT_SYNC_FD_ENV "_OCIRUNTIME_SYNCFD"

struct ocirt_frame_header {
    uint32_t length;
    uint8_t type;
} __attribute__((packed));

/* The most fds a BIRTH frame carries: the kernel's SCM_MAX_FD. */
#define OCIRT_MAX_BIRTH_FDS 253

enum ocirt_message {
    OCIRT_MSG_NAMESPACE_PLAN = 1,
    OCIRT_MSG_USER_MAP_REQUEST = 2,
    OCIRT_MSG_USER_MAP_DONE = 3,
    OCIRT_MSG_BOOTSTRAP_PID = 4,
    OCIRT_MSG_PROGRAM = 5,
    OCIRT_MSG_CREATE_RUNTIME_HOOKS = 6,
    OCIRT_MSG_CREATE_RUNTIME_HOOKS_DONE = 7,
    OCIRT_MSG_SECCOMP_LISTENER = 8,
    OCIRT_MSG_SECCOMP_LISTENER_DONE = 9,
    OCIRT_MSG_READY = 10,
    OCIRT_MSG_ERROR = 11,
    OCIRT_MSG_BIRTH = 12,
    OCIRT_MSG_LIMITS_SET = 14,
    OCIRT_MSG_PLACED = 15,
};

#endif
