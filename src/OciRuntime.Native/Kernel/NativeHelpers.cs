using System.Runtime.InteropServices;

namespace OciRuntime.Kernel;

/// <summary>
/// Bindings to the project's own C (c/helpers.c, c/bootstrap.c, c/signal_relay.c, c/spawn_early.c), linked into the AOT binary. Each fails as libc does:
/// -1 with errno (SetLastError, so Marshal.GetLastPInvokeError() reads it).
/// </summary>
internal static unsafe partial class NativeHelpers
{
    private const string Lib = "ocirtnative";

    /// <summary>posix_spawn with default signals and an empty mask; returns 0 or -1.</summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int ocirt_spawn(string path, byte** argv, byte** envp, int stdinFd, out int pid);

    /// <summary>
    /// Executes the init image in a child without waiting for its execve; the child fills and seals the image's memfd
    /// itself (c/init_image/embed.c, c/spawn_early.c). A failed step is an Error frame on reportFd. 0; 1 where no memfd
    /// can be made or the architecture has no early spawn; -1.
    /// </summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int ocirt_spawn_init_image(byte** argv, byte** envp, int reportFd, string failureText, out int pid);

    /// <summary>A child waiting in a new user namespace until releaseFd is closed; returns its pid or -1.</summary>
    [LibraryImport(Lib, SetLastError = true)]
    public static partial int ocirt_start_userns_holder(out int releaseFd);

    /// <summary>Receives an fd sent with SCM_RIGHTS (close-on-exec); returns it or -1.</summary>
    [LibraryImport(Lib, SetLastError = true)]
    public static partial int ocirt_recv_fd(int socket);

    /// <summary>Connects a close-on-exec unix stream socket to path; returns the fd or -1.</summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int ocirt_connect_unix(string path);

    /// <summary>Raw mode for a terminal, output processing kept; its old settings go to saved (128 bytes is enough); 0 or -1.</summary>
    [LibraryImport(Lib, SetLastError = true)]
    public static partial int ocirt_tty_make_raw(int fd, byte* saved, int savedSize);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int ocirt_tty_restore(int fd, byte* saved);

    /// <summary>-onlcr on a pty: "\n" reaches the other side as "\n"; 0 or -1.</summary>
    [LibraryImport(Lib, SetLastError = true)]
    public static partial int ocirt_tty_clear_onlcr(int fd);

    /// <summary>Catches the signals (ignored ones too) for the foreground relay (c/signal_relay.c), holding them until a target; 0 or -1.</summary>
    [LibraryImport(Lib, SetLastError = true)]
    public static partial int ocirt_relay_catch(int* sigs, int count);

    /// <summary>The relay's signals go to pid from now on, the held ones first.</summary>
    [LibraryImport(Lib)]
    public static partial void ocirt_relay_target(int pid);

    /// <summary>With a terminal: SIGWINCH copies the window size of from to the pty master to instead of being relayed; -1, -1 ends it.</summary>
    [LibraryImport(Lib)]
    public static partial void ocirt_relay_resize(int from, int to);

    /// <summary>The signals get back the dispositions they had before ocirt_relay_catch.</summary>
    [LibraryImport(Lib)]
    public static partial void ocirt_relay_release(int* sigs, int count);

    /// <summary>A close-on-exec fd of a detached read-only bind mount of our binary, or -1 (see c/sealed_exe.c).</summary>
    [LibraryImport(Lib, SetLastError = true)]
    public static partial int ocirt_open_readonly_exe();

    /// <summary>A close-on-exec, sealed memfd holding the static init image, or -1 (see c/init_image/embed.c).</summary>
    [LibraryImport(Lib, SetLastError = true)]
    public static partial int ocirt_open_init_image();

    /// <summary>posix_spawn with fds[i] as the child's fd 3 + i and stdioFd (if >= 0) as its stdio (c/criu_swrk.c, for `criu swrk`); 0 or -1.</summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int ocirt_spawn_with_fds(string path, byte** argv, byte** envp, int stdioFd, int* fds, int count, out int pid);

    /// <summary>One message of a SOCK_SEQPACKET socket and the fd it carried (or -1); its length, 0 at end of file, or -1.</summary>
    [LibraryImport(Lib, SetLastError = true)]
    public static partial int ocirt_recv_message(int socket, byte* buffer, int size, out int fd);
}
