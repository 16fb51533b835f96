using System.Runtime.InteropServices;

namespace OciRuntime.Kernel;

/// <summary>
/// A file descriptor this process owns (youki's OwnedFd, runc's os.File): closed exactly once, by <see cref="Dispose"/>,
/// unless <see cref="Release"/> handed it on. Its operations retry EINTR and fail with a <see cref="RuntimeError"/>
/// that names the operation, what the fd is (its path, or a description such as "sync socket") and the errno. The
/// error text is made only on failure: a successful call allocates nothing. No finalizer: the runtime's processes live
/// for milliseconds, and a finalizer closing a number another owner has since been given would be worse than a leak.
/// </summary>
internal sealed unsafe class OwnedFd : IDisposable
{
    private int number;
    private readonly string name;
    private readonly bool nameIsPath;

    /// <summary>Takes ownership of <paramref name="number"/>.</summary>
    /// <param name="name">what errors call it: a path (<paramref name="nameIsPath"/>, quoted in errors) or a description</param>
    public OwnedFd(int number, string name, bool nameIsPath = false)
    {
        this.number = number;
        this.name = name;
        this.nameIsPath = nameIsPath;
    }

    /// <summary>The fd's number while owned, -1 once closed or released (to pass on by number: an environment variable, a plan).</summary>
    public int Number => number;

    /// <summary>How errors name this fd: the quoted path it was opened from, or its description.</summary>
    public string Description => nameIsPath ? $"\"{name}\"" : name;

    /// <summary>open(2) of <paramref name="path"/>; the error names the path.</summary>
    public static OwnedFd Open(string path, OpenFlags flags, uint mode = 0) =>
        TryOpen(path, flags, out int errno, mode) ?? throw RuntimeError.FromErrno($"open \"{path}\"", errno);

    /// <summary>open(2) of <paramref name="path"/>, or null when it does not exist (ENOENT); any other failure throws.</summary>
    public static OwnedFd? OpenIfExists(string path, OpenFlags flags, uint mode = 0) =>
        TryOpen(path, flags, out int errno, mode) ?? (errno == Errno.ENOENT ? null : throw RuntimeError.FromErrno($"open \"{path}\"", errno));

    /// <summary>open(2) of <paramref name="path"/>, or null with the errno, for callers that decide by it.</summary>
    public static OwnedFd? TryOpen(string path, OpenFlags flags, out int errno, uint mode = 0) =>
        TryOpenAt(Libc.AT_FDCWD, path, flags, out errno, mode);

    /// <summary>openat(2) of <paramref name="path"/> relative to the directory fd <paramref name="dirFd"/> (AT_FDCWD: as open(2)), or null with the errno.</summary>
    public static OwnedFd? TryOpenAt(int dirFd, string path, OpenFlags flags, out int errno, uint mode = 0)
    {
        int fd;
        while ((fd = Libc.openat(dirFd, path, (int)flags, mode)) < 0 && Interrupted())
        {
        }
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd < 0 ? null : new OwnedFd(fd, path, nameIsPath: true);
    }

    /// <summary>openat(2) of <paramref name="path"/> relative to this directory fd; the error names both.</summary>
    public OwnedFd OpenAt(string path, OpenFlags flags, uint mode = 0)
    {
        int fd;
        while ((fd = Libc.openat(number, path, (int)flags, mode)) < 0 && Interrupted())
        {
        }
        return fd >= 0 ? new OwnedFd(fd, nameIsPath ? Path.Join(name, path) : path, nameIsPath: true)
            : throw Failure($"openat \"{path}\" in");
    }

    /// <summary>Gives up ownership: the caller (or the process the number went to) closes it.</summary>
    public int Release() => Interlocked.Exchange(ref number, -1);

    /// <summary>Closes the fd, once: a second call (or one after <see cref="Release"/>) does nothing. close(2) is not retried on EINTR (Linux has closed it).</summary>
    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref number, -1);
        if (fd >= 0)
            Libc.close(fd);
    }

    /// <summary>read(2) into <paramref name="buffer"/>: the bytes read, 0 at end of file.</summary>
    public int Read(Span<byte> buffer)
    {
        int errno = TryRead(buffer, out int count);
        return errno == 0 ? count : throw RuntimeError.FromErrno($"read {Description}", errno);
    }

    /// <summary>read(2) that returns the errno (0, or e.g. EAGAIN on a non-blocking fd) for callers that decide by it.</summary>
    public int TryRead(Span<byte> buffer, out int count)
    {
        nint n;
        fixed (byte* start = buffer)
        {
            while ((n = Libc.read(number, start, buffer.Length)) < 0 && Interrupted())
            {
            }
        }
        count = n < 0 ? 0 : (int)n;
        return n < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    /// <summary>Writes all of <paramref name="data"/>, resuming short writes.</summary>
    public void WriteAll(ReadOnlySpan<byte> data)
    {
        int errno = TryWriteAll(data);
        if (errno != 0)
            throw RuntimeError.FromErrno($"write {Description}", errno);
    }

    /// <summary>Writes all of <paramref name="data"/>, resuming short writes; 0 or the errno (e.g. EPIPE once the reader is gone).</summary>
    public int TryWriteAll(ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            for (int done = 0; done < data.Length;)
            {
                nint n = Libc.write(number, start + done, data.Length - done);
                if (n >= 0)
                    done += (int)n;
                else if (!Interrupted())
                    return Marshal.GetLastPInvokeError();
            }
        }
        return 0;
    }

    /// <summary>flock(2), waiting for the lock.</summary>
    public void Lock(LockOperation operation)
    {
        int rc;
        while ((rc = Libc.flock(number, (int)operation)) < 0 && Interrupted())
        {
        }
        if (rc < 0)
            throw Failure("flock");
    }

    /// <summary>flock(2) without waiting (LOCK_NB): false when another open file description holds a conflicting lock.</summary>
    public bool TryLock(LockOperation operation)
    {
        int rc;
        while ((rc = Libc.flock(number, (int)(operation | LockOperation.NonBlocking))) < 0 && Interrupted())
        {
        }
        return rc == 0 || (Marshal.GetLastPInvokeError() == Errno.EAGAIN ? false : throw Failure("flock"));
    }

    /// <summary>fstat(2).</summary>
    public Libc.Stat Stat() => Libc.fstat(number, out var stat) == 0 ? stat : throw Failure("fstat");

    /// <summary>Clears close-on-exec: the fd goes to the next program this process (or its child) executes.</summary>
    public void SetInheritable()
    {
        if (Libc.fcntl(number, Libc.F_SETFD, 0) < 0)
            throw Failure("fcntl F_SETFD");
    }

    /// <summary>A close-on-exec copy (F_DUPFD_CLOEXEC) of an fd owned elsewhere (stdin, a caller's socket), owned on its own.</summary>
    public static OwnedFd Duplicate(int fd, string name)
    {
        int copy = Libc.fcntl(fd, Libc.F_DUPFD_CLOEXEC, 0);
        return copy >= 0 ? new OwnedFd(copy, name) : throw RuntimeError.FromErrno($"fcntl F_DUPFD_CLOEXEC {name}", Marshal.GetLastPInvokeError());
    }

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> (-1: no limit) for <paramref name="events"/>: those that happened, none on timeout.</summary>
    public PollEvents Poll(PollEvents events, int timeoutMilliseconds)
    {
        int errno = Syscall.TryPoll(number, events, timeoutMilliseconds, out var happened);
        return errno == 0 ? happened : throw RuntimeError.FromErrno($"poll {Description}", errno);
    }

    /// <summary>Passes <paramref name="fd"/> over this unix socket (SCM_RIGHTS, with a one-byte payload).</summary>
    public void SendFd(OwnedFd fd) => SendWithFd(fd, [0]);

    /// <summary>Sends <paramref name="payload"/> (at least a byte) with <paramref name="fd"/> attached (SCM_RIGHTS) over this unix stream socket.</summary>
    public void SendWithFd(OwnedFd fd, ReadOnlySpan<byte> payload) => SendWithFds([fd.Number], payload, fd.Description);

    /// <summary>
    /// Sends <paramref name="payload"/> (at least a byte) with the fds <paramref name="fds"/> attached (SCM_RIGHTS, at most 253)
    /// over this unix stream socket; <paramref name="fdsDescription"/> names them in an error.
    /// </summary>
    public void SendWithFds(ReadOnlySpan<int> fds, ReadOnlySpan<byte> payload, string fdsDescription)
    {
        // CMSG_SPACE: the header, then the fds, the whole rounded up to 8 bytes.
        int controlLength = sizeof(Libc.ControlMessageHeader) + ((fds.Length * sizeof(int) + 7) & ~7);
        byte* control = stackalloc byte[controlLength];
        new Span<byte>(control, controlLength).Clear();
        var header = (Libc.ControlMessageHeader*)control;
        header->Length = (nuint)(sizeof(Libc.ControlMessageHeader) + fds.Length * sizeof(int));
        header->Level = Libc.SOL_SOCKET;
        header->Type = Libc.SCM_RIGHTS;
        fds.CopyTo(new Span<int>(header + 1, fds.Length));
        nint sent;
        fixed (byte* bytes = payload)
        {
            var vector = new Libc.IoVector { Base = bytes, Length = (nuint)payload.Length };
            var message = new Libc.MessageHeader { Vectors = &vector, VectorCount = 1, Control = control, ControlLength = (nuint)controlLength };
            while ((sent = Libc.sendmsg(number, &message, Libc.MSG_NOSIGNAL)) < 0 && Interrupted())
            {
            }
        }
        if (sent < 0)
            throw RuntimeError.FromErrno($"send {fdsDescription} over {Description}", Marshal.GetLastPInvokeError());
        // The fds went with the first byte; the rest of a short send follows without them.
        WriteAll(payload[(int)sent..]);
    }

    /// <summary>The fd sent over this unix socket with SCM_RIGHTS, close-on-exec, owned by the caller and named <paramref name="fdName"/>.</summary>
    public OwnedFd ReceiveFd(string fdName)
    {
        int fd;
        while ((fd = NativeHelpers.ocirt_recv_fd(number)) < 0 && Interrupted())
        {
        }
        return fd >= 0 ? new OwnedFd(fd, fdName) : throw RuntimeError.FromErrno($"receive {fdName} over {Description}", Marshal.GetLastPInvokeError());
    }

    /// <summary>The call just made failed with EINTR and is to be made again.</summary>
    private static bool Interrupted() => Marshal.GetLastPInvokeError() == Errno.EINTR;

    /// <summary>The error of the call just made on this fd, e.g. `flock "/run/x": EBADF (Bad file descriptor)`.</summary>
    private RuntimeError Failure(string operation) =>
        RuntimeError.FromErrno($"{operation} {Description}", Marshal.GetLastPInvokeError());
}

/// <summary>This process's stdin, stdout and stderr as fds: owned by the process for its lifetime, never disposed.</summary>
internal static class StandardStreams
{
    public static readonly OwnedFd Input = new(0, "stdin"), Output = new(1, "stdout"), Error = new(2, "stderr");
}
