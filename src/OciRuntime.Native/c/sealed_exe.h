/* sealed_exe.h - running from a sealed copy of our own binary (see sealed_exe.c). */
#ifndef OCIRT_SEALED_EXE_H
#define OCIRT_SEALED_EXE_H

int ocirt_run_from_sealed_copy(char **argv);
int ocirt_open_readonly_exe(void);
/* Seals memfd against every change; returns it, or -1 with errno (and closes it). */
int ocirt_seal(int memfd);
/* A sealed memfd holding the init image (init_image/embed.c), or -1 with errno. */
int ocirt_open_init_image(void);

#endif
