using System.Text;
using System.Text.Json;
using OciRuntime.Kernel;

namespace OciRuntime.Protocol;

/// <summary>The message types on the sync socket; the numbers are c/protocol.h's (OCIRT_MSG_*), the bootstrap's too.</summary>
internal enum InitMessage : byte
{
    /// <summary>parent → bootstrap: namespaces to join and to create (text, see <see cref="Launch.BootstrapPlanWriter"/>).</summary>
    NamespacePlan = 1,
    /// <summary>bootstrap → parent: it unshared a user namespace; write its uid_map and gid_map.</summary>
    UserMapRequest = 2,
    UserMapDone = 3,
    /// <summary>bootstrap → parent: the init's pid (int32); the bootstrap then exits.</summary>
    BootstrapPid = 4,
    /// <summary>parent → init: the <see cref="InitProgram"/> (c/init_program.h's layout).</summary>
    Program = 5,
    /// <summary>init → parent: run the prestart and createRuntime hooks now.</summary>
    CreateRuntimeHooks = 6,
    CreateRuntimeHooksDone = 7,
    /// <summary>init → parent: the listener fd of a SCMP_ACT_NOTIFY filter follows (SCM_RIGHTS) for the agent.</summary>
    SeccompListener = 8,
    SeccompListenerDone = 9,
    /// <summary>init → parent: the container is built; `create` may return.</summary>
    Ready = 10,
    /// <summary>bootstrap or init → parent: errno (int32, 0 when no system call failed), then the message; the sender exits.</summary>
    Error = 11,
    /// <summary>parent → bootstrap: the fds the init is born with (SCM_RIGHTS), an int32 each: its number in the init, or -1 for the cgroup2 directory it is born in.</summary>
    Birth = 12,
    /// <summary>
    /// parent → init, unasked, between any of its replies: the cgroup is limited and the config checked. A create's init
    /// waits for it before it makes devices (v1, <see cref="Cgroups.LimitTiming.BeforeDevices"/>) or else before "ready":
    /// `run` starts the container's process without another word from the parent.
    /// </summary>
    LimitsSet = 14,
    /// <summary>parent → init: it was not born in its cgroup2 directory (no CLONE_INTO_CGROUP) and has now been moved there by pid; the init waits for this after its program.</summary>
    Placed = 15,
}

/// <summary>
/// The one protocol between `create`/`exec` (the parent, <see cref="Launch.InitLauncher"/>), the C bootstrap
/// (c/bootstrap.c) and the init that executes the program the parent compiled (c/init.c,
/// <see cref="Init.InitProgramBuilder"/>), over one socketpair. The parent uses <see cref="ParentSide"/>; frames are
/// <see cref="SyncSocket"/>'s.
/// <code>
/// create:
///   parent                                  bootstrap (P1, C)                  init (P2, C)
///     spawns `ociruntime init`, its socket end's fd number in _OCIRUNTIME_SYNCFD
///     reads the config
///     ── NamespacePlan ────────────────────▶ setns, unshare
///     ◀──────────────────── UserMapRequest ─ (with a new user namespace only)
///     writes uid_map, gid_map
///     ── UserMapDone ──────────────────────▶ unshare the others
///     makes the cgroup and the state dir
///     ── Birth, with the fds (SCM_RIGHTS) ─▶ writes "0" to the v1 tasks fds, puts
///                                            the rest at their numbers;
///                                            clone3 into the cgroup ──────────▶ setsid
///     ── Program (after the pid instead, with net devices to move) ───────────▶ reads it as it is born
///     limits the cgroup (a systemd scope: before), checks the config's schema
///     ◀────────────────────── BootstrapPid ─ exits
///     moves P2 into the cgroup where it was not born there, then
///     ── Placed ──────────────────────────────────────────────────────────────▶ (only then) setns cgroup (by path),
///     reaps P1                                                                 setresuid 0; runs the program:
///     ── LimitsSet ───────────────────────────────────────────────────────────▶ (read where it waits for it)
///     ◀──────────────────────────────────────────────────── CreateRuntimeHooks ─ (with prestart/createRuntime hooks)
///     runs the hooks with P2's pid
///     ── CreateRuntimeHooksDone ──────────────────────────────────────────────▶ mounts; /dev (v1: once it has
///                                                                              LimitsSet), pivot_root, …
///     ◀──────────────────────────── SeccompListener, then the fd (SCM_RIGHTS) ─ (SCMP_ACT_NOTIFY loaded before ready)
///     sends the fd to the seccomp agent
///     ── SeccompListenerDone ─────────────────────────────────────────────────▶
///     ◀───────────────────────────────────────────────────────────────── Ready ─ (not before LimitsSet) blocks
///                                                                              on the exec FIFO
///     closes its end and returns; later errors go to the container's stderr
///
/// exec: the same, but the plans only join the container's namespaces (no UserMapRequest) and no hooks run; after
/// Ready the parent still listens: the init's execve closes its (close-on-exec) end, and that EOF means "started";
/// an Error frame instead means the process never ran.
///
/// Either process fails at any step with ◀── Error (errno, message) and exits 1; the parent throws that as a
/// RuntimeError with the same Errno.
/// </code>
/// </summary>
internal static class InitProtocol
{
    /// <summary>The fd number of the init's end of the socket; c/protocol.h's OCIRT_SYNC_FD_ENV is the source.</summary>
    public const string SyncFdEnvironmentVariable = "_OCIRUNTIME_SYNCFD";

    // Integers are native-endian, as the C bootstrap writes them.
    public static BootstrapReport ReadBootstrapReport(byte[] payload) => payload.Length == 2 * sizeof(int)
        ? new BootstrapReport(BitConverter.ToInt32(payload), BitConverter.ToInt32(payload, sizeof(int)) != 0)
        : throw new RuntimeError($"malformed {InitMessage.BootstrapPid} message from container init bootstrap");

    public static byte[] ErrorPayload(int errno, string message)
    {
        var payload = new byte[sizeof(int) + Encoding.UTF8.GetByteCount(message)];
        BitConverter.TryWriteBytes(payload, errno);
        Encoding.UTF8.GetBytes(message, payload.AsSpan(sizeof(int)));
        return payload;
    }

    /// <summary>The failure an Error frame reports, with the sender's errno.</summary>
    public static RuntimeError ReadError(byte[] payload) => payload.Length >= sizeof(int)
        ? new RuntimeError(Encoding.UTF8.GetString(payload.AsSpan(sizeof(int))), BitConverter.ToInt32(payload))
        : new RuntimeError($"malformed {InitMessage.Error} message from container init");

    /// <summary>What a frame other than the awaited one means: the peer's error, or a break of the protocol.</summary>
    public static RuntimeError Unexpected(Frame frame) => frame.Type == InitMessage.Error
        ? ReadError(frame.Payload)
        : new RuntimeError($"unexpected message {frame.Type} from container init");

    /// <summary>The same, where null means the peer closed the socket (it exited).</summary>
    public static RuntimeError Unexpected(Frame? frame, string whenClosed) =>
        frame is { } received ? Unexpected(received) : new RuntimeError(whenClosed);
}

/// <summary>What the bootstrap reports once it forked the init: its pid, and whether it was born in its cgroup2 directory (clone3 CLONE_INTO_CGROUP).</summary>
internal readonly record struct BootstrapReport(int Pid, bool BornInCgroup);

/// <summary>The parent's end (<see cref="Launch.InitLauncher"/>): sends the plans and answers the bootstrap's and init's requests.</summary>
internal sealed class ParentSide(SyncSocket socket)
{
    public void SendNamespacePlan(string plan) => socket.Send(InitMessage.NamespacePlan, Encoding.UTF8.GetBytes(plan));

    /// <summary>
    /// The fds the init is born with: <paramref name="cgroupDirectory"/> to fork it into (or null), the v1 tasks files
    /// the bootstrap joins first (<paramref name="joinFiles"/>, opened here, whose paths it names in an error), and
    /// <paramref name="inherited"/>, which it puts at the same numbers, those the init's program names.
    /// </summary>
    public void SendBirth(OwnedFd? cgroupDirectory, IReadOnlyList<(OwnedFd Fd, string Path)> joinFiles, IReadOnlyList<int> inherited)
    {
        // Each fd with its number in the init: -1 marks the cgroup2 directory, -2 a tasks file (bootstrap.c).
        var (fds, numbers, paths) = (new List<int>(), new List<int>(), new List<byte>());
        if (cgroupDirectory is not null)
            (fds, numbers) = ([cgroupDirectory.Number], [-1]);
        foreach (var (fd, path) in joinFiles)
        {
            fds.Add(fd.Number);
            numbers.Add(-2);
            paths.AddRange([.. Encoding.UTF8.GetBytes(path), 0]);
        }
        fds.AddRange(inherited);
        numbers.AddRange(inherited);
        var frame = new byte[SyncSocket.HeaderSize + numbers.Count * sizeof(int) + paths.Count];
        SyncSocket.WriteHeader(frame, InitMessage.Birth, frame.Length - SyncSocket.HeaderSize);
        for (int i = 0; i < numbers.Count; i++)
            BitConverter.TryWriteBytes(frame.AsSpan(SyncSocket.HeaderSize + i * sizeof(int)), numbers[i]);
        paths.CopyTo(frame, SyncSocket.HeaderSize + numbers.Count * sizeof(int));
        socket.Socket.SendWithFds(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(fds), frame, "the fds the container init is born with");
    }

    /// <summary>
    /// Answers UserMapRequest with <paramref name="writeIdMappings"/>, then <paramref name="afterUserMaps"/> (which the
    /// bootstrap reads next), until the bootstrap reports the init's pid.
    /// </summary>
    public BootstrapReport AwaitBootstrapPid(Action writeIdMappings, Action? afterUserMaps = null)
    {
        while (true)
        {
            var frame = socket.Receive();
            switch (frame?.Type)
            {
                case InitMessage.UserMapRequest:
                    writeIdMappings();
                    socket.Send(InitMessage.UserMapDone);
                    afterUserMaps?.Invoke();
                    break;
                case InitMessage.BootstrapPid:
                    return InitProtocol.ReadBootstrapReport(frame.Value.Payload);
                default:
                    throw InitProtocol.Unexpected(frame, "container init bootstrap exited without a word");
            }
        }
    }

    /// <summary>The init was moved into its cgroup by pid: it may run its program (<see cref="InitMessage.Placed"/>).</summary>
    public void SendPlaced() => socket.Send(InitMessage.Placed);

    /// <summary>The cgroup is limited and the config checked (<see cref="InitMessage.LimitsSet"/>).</summary>
    public void SendLimitsSet() => socket.Send(InitMessage.LimitsSet);

    /// <summary>The program, encoded in parts straight onto the socket (<see cref="InitProgram.Encode"/>).</summary>
    public void SendProgram(InitProgram program)
    {
        socket.SendHeader(InitMessage.Program, program.EncodedLength());
        program.Encode(socket.Socket.WriteAll);
    }

    /// <summary>Runs the hooks and hands over the seccomp listener when the init asks, until it is ready.</summary>
    /// <param name="handOverSeccompListener">gets the listener fd and closes it</param>
    public void AwaitReady(Action runCreateRuntimeHooks, Action<OwnedFd> handOverSeccompListener)
    {
        while (true)
        {
            var frame = socket.Receive();
            switch (frame?.Type)
            {
                case InitMessage.Ready:
                    return;
                case InitMessage.CreateRuntimeHooks:
                    runCreateRuntimeHooks();
                    socket.Send(InitMessage.CreateRuntimeHooksDone);
                    break;
                case InitMessage.SeccompListener:
                    handOverSeccompListener(socket.ReceiveFd(InitMessage.SeccompListener));
                    socket.Send(InitMessage.SeccompListenerDone);
                    break;
                default:
                    throw InitProtocol.Unexpected(frame, "container init exited before it was ready");
            }
        }
    }

    /// <summary>An exec'd process is started once execve closed its (close-on-exec) end of the socket, as runc waits.</summary>
    public void AwaitExecve()
    {
        if (socket.Receive() is { } frame)
            throw InitProtocol.Unexpected(frame);
    }
}
