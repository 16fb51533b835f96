/* bootstrap.h - the bootstrap's entry (bootstrap.c): a constructor in the binary, main's first call in the init image. */
#ifndef OCIRT_BOOTSTRAP_H
#define OCIRT_BOOTSTRAP_H

/* Started as `init` with the sync socket's fd in the environment: runs the bootstrap and never returns. Otherwise
 * returns, with stdin, stdout and stderr open. */
void ocirt_bootstrap(int argc, char **argv);

#endif
