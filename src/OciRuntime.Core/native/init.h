/*
 * init.h - the container init's executor (init.c), entered from the bootstrap in the init process (P2).
 */
#ifndef OCIRT_INIT_H
#define OCIRT_INIT_H

/* Receives the PROGRAM frame and executes it; ends in the container's execve or exits with status 1. */
void __attribute__((noreturn)) ocirt_init_run(void);

#endif
