/*
 * init.h - the container init's executor (init.c), entered from the bootstrap in the init process (P2).
 */
#ifndef OCIRT_INIT_H
#define OCIRT_INIT_H

/*
 * Receives the PROGRAM frame and executes it; ends in the container's execve or exits with status 1. Calls
 * bootstrap_rest first, once the program arrived: the parent sends it after the bootstrap's last frame, so an error the
 * rest reports cannot interleave with that frame on the socket.
 */
void __attribute__((noreturn)) ocirt_init_run(void (*bootstrap_rest)(void));

#endif
