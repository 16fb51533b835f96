/*
 * main.c - the init image's entry. musl passes no arguments to constructors, so the bootstrap, a constructor in the
 * binary, is main's first call here; it never returns when started as `init`.
 */
#include <stdio.h>

#include "../bootstrap.h"

int main(int argc, char **argv)
{
    ocirt_bootstrap(argc, argv);
    fputs("ociruntime-init: started only by `ociruntime create` and `ociruntime exec`\n", stderr);
    return 2;
}
