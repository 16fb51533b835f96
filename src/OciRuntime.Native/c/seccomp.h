/* seccomp.h - loading a BPF seccomp filter (see seccomp.c). */
#ifndef OCIRT_SECCOMP_H
#define OCIRT_SECCOMP_H

int ocirt_seccomp_load(const void *filter, int instructions, unsigned int flags);

#endif
