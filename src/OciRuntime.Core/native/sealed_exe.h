/* sealed_exe.h - running from a sealed copy of our own binary (see sealed_exe.c). */
#ifndef OCIRT_SEALED_EXE_H
#define OCIRT_SEALED_EXE_H

int ocirt_run_from_sealed_copy(char **argv);
int ocirt_open_readonly_exe(void);

#endif
