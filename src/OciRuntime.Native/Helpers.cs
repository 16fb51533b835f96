using System.Runtime.InteropServices;

namespace OciRuntime.Native;

/// <summary>Bindings to the project's own C (native/helpers.c, native/bootstrap.c), linked into the AOT binary.</summary>
public static unsafe partial class Helpers
{
    private const string Lib = "ocirtnative";

    /// <summary>posix_spawn with default signals and an empty mask; returns 0 or an errno value.</summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ocirt_spawn(string path, byte** argv, byte** envp, int stdinFd, out int pid);

    /// <summary>Resets signals, marks fds above keepFdsUpto close-on-exec and execve()s; returns errno on failure.</summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ocirt_exec(string path, byte** argv, byte** envp, int keepFdsUpto);
}
