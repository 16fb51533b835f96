/* mount_api.h - the new mount API's types and flags (open_tree, move_mount, fsopen, mount_setattr) under either libc. */
#ifndef OCIRT_MOUNT_API_H
#define OCIRT_MOUNT_API_H

#include <sys/mount.h>
/* glibc's sys/mount.h declares them itself (and clashes with linux/mount.h); musl's has only the classic calls. */
#ifndef __GLIBC__
#include <linux/mount.h>
#endif

#endif
