using OciRuntime.Kernel;

namespace OciRuntime.Lifecycle;

/// <summary>The exec FIFO: the init blocks opening it for writing until `start` reads its one byte.</summary>
internal static class ExecFifo
{
    /// <summary>
    /// Makes the FIFO, owned by the container's root (which may be an unprivileged host user in a user namespace),
    /// and an inheritable O_PATH fd for the init, which cannot reach our state dir by path.
    /// </summary>
    public static OwnedFd Create(string path, uint rootUid, uint rootGid)
    {
        Syscall.MakeFifo(path, 0b110_010_010);
        // rw--w--w- whatever the umask: an init whose root is not the owner (rootless, subordinate ids) must write it.
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite);
        Syscall.ChangeOwner(path, rootUid, rootGid);
        return OwnedFd.Open(path, OpenFlags.PathOnly);
    }

    /// <summary>
    /// `run`'s exec FIFO: a pipe, whose read end `run` holds from the start, so the init goes on once ready; nothing in
    /// the state dir, where a FIFO would be made, owned, opened and removed again. The init reopens its end through its
    /// procfs as it would the FIFO, so the pipe belongs to the container's root as the FIFO would.
    /// </summary>
    public static (OwnedFd Reader, OwnedFd InitEnd) CreatePipe(uint rootUid, uint rootGid)
    {
        var (reader, initEnd) = Syscall.Pipe("exec fifo");
        if (rootUid != Syscall.EffectiveUid || rootGid != Syscall.EffectiveGid)
            Syscall.ChangeOwner(initEnd, rootUid, rootGid);
        return (reader, initEnd);
    }

    /// <summary>Opens the FIFO for reading, which lets the init go on once it is ready.</summary>
    public static OwnedFd OpenReader(string path) =>
        // Non-blocking open: a dead init would otherwise leave `start` waiting forever.
        OwnedFd.Open(path, OpenFlags.ReadOnly | OpenFlags.NonBlocking | OpenFlags.CloseOnExec);

    /// <summary>
    /// Returns once the init has written its byte to <paramref name="fifo"/> (startContainer hooks done) and then closed
    /// its end by execve (the user's program runs), or fails if the init exits before the byte.
    /// </summary>
    /// <param name="path">the FIFO's path in the state dir, or null for `run`'s pipe, which has none</param>
    public static void Release(OwnedFd fifo, string? path, Func<bool> initAlive)
    {
        // Gone before the init can pass it: a `start` killed from here on leaves a running or a stopped container
        // (the init's write fails once no reader is left), never one that looks created while its program runs.
        if (path is not null)
            File.Delete(path);
        Span<byte> b = stackalloc byte[1];
        bool confirmed = false;
        while (true)
        {
            int errno = fifo.TryRead(b, out int n);
            if (n == 1)
            {
                confirmed = true;
                continue;
            }
            if (errno is not (0 or Errno.EAGAIN))
                throw RuntimeError.FromErrno($"read {fifo.Description}", errno);
            // End of file: the writer is gone (executed) once confirmed, else not there yet; EAGAIN: it is still open.
            if (errno == 0 && confirmed)
                break;
            if (!initAlive())
            {
                // The init may have written its byte, executed and exited since the read above.
                if (confirmed || (fifo.TryRead(b, out int last) == 0 && last == 1))
                    break;
                throw new RuntimeError("container init exited before it could be started");
            }
            fifo.Poll(PollEvents.In, 10);
        }
    }
}
