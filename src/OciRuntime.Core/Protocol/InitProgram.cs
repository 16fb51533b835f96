using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace OciRuntime.Protocol;

/// <summary>
/// The init's operations; the numbers are c/init_program.h's (OCIRT_OP_*), which says what each does. Each has one
/// method of <see cref="InitProgram"/> of the same name, whose parameters are the operation's arguments by name.
/// </summary>
internal enum InitOp : ushort
{
    SetRootfs = 1,
    Mount = 2,
    MakeMountPrivate = 3,
    Mkdirs = 4,
    Mkfile = 5,
    RemountBind = 6,
    RemountReadonly = 7,
    MoveMount = 8,
    Mknod = 9,
    Symlink = 10,
    Unlink = 11,
    SkipUnlessDirectory = 12,
    RequireDirectory = 13,
    TmpfsCopyUp = 14,
    SwitchRoot = 15,
    Unshare = 16,
    AskParent = 17,
    LoopbackUp = 18,
    Hook = 19,
    ReopenNullStdio = 20,
    Console = 21,
    SetName = 22,
    WriteFile = 23,
    JoinSessionKeyring = 24,
    SetRlimit = 25,
    PrepareExec = 26,
    Seccomp = 27,
    Ready = 28,
    WaitStart = 29,
    ConfirmStart = 30,
    SetLsmAttribute = 31,
    DropBounding = 32,
    ChownStdio = 33,
    SetGroups = 34,
    SetIds = 35,
    Umask = 36,
    Capset = 37,
    NoNewPrivileges = 38,
    Exec = 39,
    SetMountAttributes = 40,
    MaskPath = 41,
    ReadonlyPath = 42,
    OpenProcfs = 43,
    SchedSetattr = 44,
    IoprioSet = 45,
    Personality = 46,
    SetCpuAffinity = 47,
    SetMempolicy = 48,
    RefuseKernelFsTarget = 49,
    LoadWasmtime = 50,
    RunWasm = 51,
}

/// <summary>When <see cref="InitProgram.Seccomp"/> loads its filter (c/init_program.h's enum ocirt_seccomp_load).</summary>
internal enum SeccompLoad
{
    /// <summary>Now, and its listener goes to the parent (for the seccomp agent).</summary>
    HandOverListener = 1,
    /// <summary>Right before execve, when the filter has only execve itself to allow.</summary>
    AtExec = 2,
    /// <summary>As <see cref="AtExec"/>, raising CAP_SYS_ADMIN from permitted to effective first (a load without no_new_privs).</summary>
    AtExecRaisingSysAdmin = 3,
}

/// <summary>
/// One operation: what it does (<see cref="Code"/>, numbers, strings), the error text the user reads when it fails (the
/// init appends the errno), an errno that counts as done, and how many of the next operations are its fallback for
/// <see cref="ElseErrno"/> (skipped when it succeeds).
/// </summary>
/// <param name="Context">what the text names first (the config entry, see <see cref="InitProgram.Context"/>), or null</param>
/// <param name="OwnText">what the operation's own words say; joined to the context only when encoded</param>
internal sealed record InitOperation(InitOp Code, string? Context, string OwnText, long[] Numbers, byte[][] Strings)
{
    /// <summary>What separates the context from the text.</summary>
    public const string ContextSeparator = ": ";

    /// <summary>The error text the user reads: the context, then the operation's own words.</summary>
    public string Text => WithContext(Context, OwnText);

    public static string WithContext(string? context, string text) => context is null ? text : $"{context}{ContextSeparator}{text}";

    public int OkErrno { get; init; }
    public int ElseErrno { get; init; }
    public int ElseCount { get; set; }

    public long N(int i) => Numbers[i];

    /// <summary>String <paramref name="i"/> after the text (1-based, as init_program.h counts: s1 is Strings[0]).</summary>
    public string S(int i) => i - 1 < Strings.Length ? Encoding.UTF8.GetString(Strings[i - 1]) : "";
}

/// <summary>
/// The program `create` or `exec` compiles for the container init (c/init.c executes it): the operations in
/// order, encoded as c/init_program.h lays them out. <see cref="Context"/> is put before every error text, so a
/// failure names the config entry it came from ("/mounts/3 \"/dev/shm\": mount ...").
/// </summary>
internal sealed class InitProgram
{
    /// <summary>OCIRT_OP_NUMBERS and OCIRT_OP_MAX_STRINGS: the numbers in every header, the most strings (the text and the arguments).</summary>
    public const int NumberCount = 4, MaxStrings = 8;
    private readonly List<InitOperation> operations = [];

    public IReadOnlyList<InitOperation> Operations => operations;

    /// <summary>Prefixed to the error texts of the operations added while it is set.</summary>
    public string? Context { get; set; }

    /// <summary>An error text as the operations added now word it (with the <see cref="Context"/>).</summary>
    public string WithContext(string text) => InitOperation.WithContext(Context, text);

    // One method per operation (c/init_program.h's struct ocirt_<name>_args, its fields by the same names): text is
    // the error text the user reads when it fails; the rest are its arguments.

    public InitOperation SetRootfs(string text, string rootfs) => Add(InitOp.SetRootfs, text, [], [rootfs]);

    public InitOperation Mount(string text, ulong flags, bool targetInRoot, bool tmpfsModeFromTarget, string? source, string target,
        string? type, string? data, int okErrno = 0, int elseErrno = 0) =>
        Add(InitOp.Mount, text, [(long)flags, Flag(targetInRoot), Flag(tmpfsModeFromTarget)], [source, target, type, data], okErrno, elseErrno);

    public InitOperation MakeMountPrivate(string text, string path) => Add(InitOp.MakeMountPrivate, text, [], [path]);

    public InitOperation Mkdirs(string text, string path) => Add(InitOp.Mkdirs, text, [], [path]);

    public InitOperation Mkfile(string text, string path) => Add(InitOp.Mkfile, text, [], [path]);

    public InitOperation RemountBind(string text, ulong flags, bool targetInRoot, ulong clearedFlags, ulong atimeFlags, string target,
        string clearedConflictBefore, string clearedConflictAfter, string atimeConflictBefore, string atimeConflictAfter) =>
        Add(InitOp.RemountBind, text, [(long)flags, Flag(targetInRoot), (long)clearedFlags, (long)atimeFlags],
            [target, clearedConflictBefore, clearedConflictAfter, atimeConflictBefore, atimeConflictAfter]);

    public InitOperation RemountReadonly(string text, bool targetInRoot, string target, int okErrno = 0) =>
        Add(InitOp.RemountReadonly, text, [Flag(targetInRoot)], [target], okErrno);

    public InitOperation MoveMount(string text, int detachedFd, string target) => Add(InitOp.MoveMount, text, [detachedFd], [target]);

    public InitOperation Mknod(string text, uint mode, ulong dev, uint uid, uint gid, string path, string chownFailure) =>
        Add(InitOp.Mknod, text, [mode, (long)dev, uid, gid], [path, chownFailure]);

    public InitOperation Symlink(string text, string linkTarget, string path) => Add(InitOp.Symlink, text, [], [linkTarget, path]);

    public InitOperation Unlink(string text, string path) => Add(InitOp.Unlink, text, [], [path]);

    public InitOperation SkipUnlessDirectory(string text, int skipCount, bool inRoot, bool negated, string path) =>
        Add(InitOp.SkipUnlessDirectory, text, [skipCount, Flag(inRoot), Flag(negated)], [path]);

    public InitOperation RequireDirectory(string text, string path) => Add(InitOp.RequireDirectory, text, [], [path]);

    public InitOperation TmpfsCopyUp(string text, ulong flags, string target, string? data) =>
        Add(InitOp.TmpfsCopyUp, text, [(long)flags], [target, data]);

    public InitOperation SwitchRoot(string text, bool noPivot, string rootfs) => Add(InitOp.SwitchRoot, text, [Flag(noPivot)], [rootfs]);

    public InitOperation Unshare(string text, int flags) => Add(InitOp.Unshare, text, [flags], []);

    public InitOperation AskParent(string text, InitMessage request, InitMessage reply) =>
        Add(InitOp.AskParent, text, [(long)request, (long)reply], []);

    /// <summary>Waits for a message the parent sends unasked (<see cref="InitMessage.LimitsSet"/>).</summary>
    public InitOperation AwaitParent(string text, InitMessage message) => Add(InitOp.AskParent, text, [0, (long)message], []);

    public InitOperation LoopbackUp(string text) => Add(InitOp.LoopbackUp, text, [], []);

    public InitOperation Hook(string text, string path, IReadOnlyList<string> args, IReadOnlyList<string> env, long timeoutSeconds,
        string stateBeforePid, string stateAfterPid, string timeoutFailure, string exitFailure) =>
        Add(InitOp.Hook, text, [args.Count, env.Count, timeoutSeconds],
            [path, Joined(args), Joined(env), stateBeforePid, stateAfterPid, timeoutFailure, exitFailure]);

    public InitOperation ReopenNullStdio(string text) => Add(InitOp.ReopenNullStdio, text, [], []);

    public InitOperation Console(string text, int consoleSocketFd, int rows, int columns, bool bindDevConsole) =>
        Add(InitOp.Console, text, [consoleSocketFd, rows, columns, Flag(bindDevConsole)], []);

    public InitOperation SetName(string text, bool domainname, string name) => Add(InitOp.SetName, text, [Flag(domainname)], [name]);

    public InitOperation WriteFile(string text, bool ownProcFile, string path, string content, int elseErrno = 0) =>
        Add(InitOp.WriteFile, text, [Flag(ownProcFile)], [path, content], elseErrno: elseErrno);

    public InitOperation JoinSessionKeyring(string text) => Add(InitOp.JoinSessionKeyring, text, [], []);

    public InitOperation SetRlimit(string text, int resource, ulong soft, ulong hard) =>
        Add(InitOp.SetRlimit, text, [resource, (long)soft, (long)hard], []);

    /// <param name="moduleMarker">not empty: args[0] is a module the wasm handler runs, so it needs to be readable, not executable</param>
    public InitOperation PrepareExec(string text, IReadOnlyList<string> args, IReadOnlyList<string> env, uint uid, int preserveFds, string cwd,
        string moduleMarker) =>
        Add(InitOp.PrepareExec, text, [args.Count, env.Count, uid, preserveFds], [cwd, Joined(args), Joined(env), moduleMarker]);

    public InitOperation Seccomp(string text, ulong flags, SeccompLoad load, byte[] filter) =>
        Add(InitOp.Seccomp, text, [(long)flags, (long)load], [filter]);

    public InitOperation Ready(string text, bool parentKeepsListening) => Add(InitOp.Ready, text, [Flag(parentKeepsListening)], []);

    public InitOperation WaitStart(string text, int execFifoFd) => Add(InitOp.WaitStart, text, [execFifoFd], []);

    public InitOperation ConfirmStart(string text) => Add(InitOp.ConfirmStart, text, [], []);

    public InitOperation SetLsmAttribute(string text, string name, string value) => Add(InitOp.SetLsmAttribute, text, [], [name, value]);

    public InitOperation DropBounding(string text, ulong keepMask, int lastCapability) =>
        Add(InitOp.DropBounding, text, [(long)keepMask, lastCapability], []);

    public InitOperation ChownStdio(string text, uint uid) => Add(InitOp.ChownStdio, text, [uid], []);

    public InitOperation SetGroups(string text, IReadOnlyList<uint> gids, string deniedFailure)
    {
        var packed = new byte[gids.Count * sizeof(uint)];
        for (int i = 0; i < gids.Count; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(packed.AsSpan(i * sizeof(uint)), gids[i]);
        return Add(InitOp.SetGroups, text, [gids.Count], [packed, deniedFailure]);
    }

    public InitOperation SetIds(string text, uint uid, uint gid) => Add(InitOp.SetIds, text, [uid, gid], []);

    public InitOperation Umask(string text, uint mask) => Add(InitOp.Umask, text, [mask], []);

    public InitOperation Capset(string text, ulong effective, ulong permitted, ulong inheritable, ulong ambient) =>
        Add(InitOp.Capset, text, [(long)effective, (long)permitted, (long)inheritable, (long)ambient], []);

    public InitOperation NoNewPrivileges(string text) => Add(InitOp.NoNewPrivileges, text, [], []);

    public InitOperation Exec(string text, int preserveFds) => Add(InitOp.Exec, text, [preserveFds], []);

    public InitOperation SetMountAttributes(string text, bool targetInRoot, ulong attrSet, ulong attrClear, string target) =>
        Add(InitOp.SetMountAttributes, text, [Flag(targetInRoot), (long)attrSet, (long)attrClear], [target]);

    public InitOperation MaskPath(string text, string path, string refusal) => Add(InitOp.MaskPath, text, [], [path, refusal]);

    public InitOperation ReadonlyPath(string text, string path, int elseErrno = 0) =>
        Add(InitOp.ReadonlyPath, text, [], [path], elseErrno: elseErrno);

    public InitOperation OpenProcfs(string text) => Add(InitOp.OpenProcfs, text, [], []);

    public InitOperation SchedSetattr(string text, byte[] attr) => Add(InitOp.SchedSetattr, text, [], [attr]);

    public InitOperation IoprioSet(string text, int priority) => Add(InitOp.IoprioSet, text, [priority], []);

    public InitOperation Personality(string text, long persona) => Add(InitOp.Personality, text, [persona], []);

    public InitOperation SetCpuAffinity(string text, byte[] mask) => Add(InitOp.SetCpuAffinity, text, [], [mask]);

    public InitOperation SetMempolicy(string text, long mode, byte[] nodemask) => Add(InitOp.SetMempolicy, text, [mode], [nodemask]);

    public InitOperation RefuseKernelFsTarget(string text, bool allowProcfs, bool allowSysfs, string target) =>
        Add(InitOp.RefuseKernelFsTarget, text, [Flag(allowProcfs), Flag(allowSysfs)], [target]);

    public InitOperation LoadWasmtime(string text, string library) => Add(InitOp.LoadWasmtime, text, [], [library]);

    public InitOperation RunWasm(string text, int preserveFds, bool textFormat) =>
        Add(InitOp.RunWasm, text, [preserveFds, Flag(textFormat)], []);

    private static long Flag(bool value) => value ? 1 : 0;

    /// <summary>The NUL-separated form of a string list that the init splits.</summary>
    private static byte[] Joined(IEnumerable<string> strings) => Encoding.UTF8.GetBytes(string.Join('\0', strings));

    /// <param name="numbers">n1.. (spans: the callers' lists stay on the stack, only the operation's own arrays are made)</param>
    /// <param name="strings">s1.. (strings, or byte arrays for binary data)</param>
    private InitOperation Add(InitOp code, string text, ReadOnlySpan<long> numbers, ReadOnlySpan<object?> strings, int okErrno = 0, int elseErrno = 0)
    {
        if (strings.Length > MaxStrings - 1)
            throw new ArgumentException($"{code}: more than {MaxStrings - 1} strings");
        byte[][] bytes = strings.IsEmpty ? [] : new byte[strings.Length][];
        for (int i = 0; i < strings.Length; i++)
        {
            bytes[i] = strings[i] switch
            {
                null => [],
                byte[] raw => raw,
                string value => Encoding.UTF8.GetBytes(value),
                var other => throw new ArgumentException($"operation string of type {other.GetType()}"),
            };
        }
        var padded = new long[NumberCount];
        numbers.CopyTo(padded);
        var operation = new InitOperation(code, Context, text, padded, bytes)
        {
            OkErrno = okErrno,
            ElseErrno = elseErrno,
        };
        operations.Add(operation);
        return operation;
    }

    /// <summary>Adds <paramref name="primary"/>'s fallback: the operations <paramref name="addFallback"/> adds run only when it fails with its ElseErrno.</summary>
    public void Fallback(InitOperation primary, Action addFallback)
    {
        int before = operations.Count;
        addFallback();
        primary.ElseCount = operations.Count - before;
    }

    /// <summary>Adds <paramref name="addBody"/>'s operations, run only when <paramref name="path"/> is a directory (or, negated, is not).</summary>
    public void IfDirectory(string path, bool inRoot, Action addBody, bool negated = false)
    {
        var test = SkipUnlessDirectory($"stat \"{path}\"", 0, inRoot, negated, path);
        int before = operations.Count;
        addBody();
        test.Numbers[0] = operations.Count - before;
    }

    /// <summary>How <see cref="Encode"/> hands on the payload: each part once written, valid only during the call.</summary>
    public delegate void PartWriter(ReadOnlySpan<byte> part);

    /// <summary>The PROGRAM frame's payload length: what <see cref="Encode"/> writes.</summary>
    public int EncodedLength()
    {
        int total = 0;
        foreach (var op in operations)
            total += EncodedLength(op);
        return total;
    }

    /// <summary>
    /// The PROGRAM frame's payload, per operation a header (native-endian, packed) and its strings, written in parts
    /// through a pooled 4 KiB buffer (the size SmallFile reads with, so usually one the process has already): no array of
    /// the whole program (24 KB for a default config, a twentieth of a create's allocations). An operation larger than
    /// the buffer (a seccomp filter) is a part of its own.
    /// </summary>
    public void Encode(PartWriter write)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            int used = 0;
            foreach (var op in operations)
            {
                int length = EncodedLength(op);
                if (length > buffer.Length - used)
                {
                    write(buffer.AsSpan(0, used));
                    used = 0;
                }
                if (length > buffer.Length)
                {
                    var large = new byte[length];
                    Encode(op, large);
                    write(large);
                    continue;
                }
                Encode(op, buffer.AsSpan(used, length));
                used += length;
            }
            write(buffer.AsSpan(0, used));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>One operation into <paramref name="output"/>, which is exactly its <see cref="EncodedLength(InitOperation)"/> long.</summary>
    private static void Encode(InitOperation op, Span<byte> output)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(output, (uint)output.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(output[4..], (ushort)op.Code);
        BinaryPrimitives.WriteUInt16LittleEndian(output[6..], (ushort)op.ElseCount);
        BinaryPrimitives.WriteInt32LittleEndian(output[8..], op.OkErrno);
        BinaryPrimitives.WriteInt32LittleEndian(output[12..], op.ElseErrno);
        for (int i = 0; i < NumberCount; i++)
            BinaryPrimitives.WriteInt64LittleEndian(output[(16 + 8 * i)..], op.Numbers[i]);
        BinaryPrimitives.WriteUInt32LittleEndian(output[48..], (uint)(1 + op.Strings.Length));
        var rest = output[HeaderSize..];
        // The text is the first string, then the operation's own.
        int textLength = EncodeText(op, rest[sizeof(uint)..]);
        rest = EndString(rest, textLength);
        foreach (byte[] value in op.Strings)
        {
            value.CopyTo(rest[sizeof(uint)..]);
            rest = EndString(rest, value.Length);
        }
    }

    /// <summary>The header, then each string as its length, its bytes and a NUL; the text is string 0.</summary>
    private static int EncodedLength(InitOperation op)
    {
        int length = HeaderSize + sizeof(uint) + TextLength(op) + 1;
        foreach (byte[] value in op.Strings)
            length += sizeof(uint) + value.Length + 1;
        return length;
    }

    /// <summary>The UTF-8 length of the operation's <see cref="InitOperation.Text"/>, which is not made as a string.</summary>
    private static int TextLength(InitOperation op) =>
        (op.Context is null ? 0 : Encoding.UTF8.GetByteCount(op.Context) + InitOperation.ContextSeparator.Length) + Encoding.UTF8.GetByteCount(op.OwnText);

    /// <summary>Writes the operation's <see cref="InitOperation.Text"/> as UTF-8, its context and its own words one after the other.</summary>
    private static int EncodeText(InitOperation op, Span<byte> destination)
    {
        int written = 0;
        if (op.Context is not null)
        {
            written = Encoding.UTF8.GetBytes(op.Context, destination);
            written += Encoding.UTF8.GetBytes(InitOperation.ContextSeparator, destination[written..]);
        }
        return written + Encoding.UTF8.GetBytes(op.OwnText, destination[written..]);
    }

    /// <summary>Writes the length in front of the <paramref name="length"/> bytes already in place and the NUL after them.</summary>
    private static Span<byte> EndString(Span<byte> rest, int length)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(rest, (uint)length);
        rest[sizeof(uint) + length] = 0;
        return rest[(sizeof(uint) + length + 1)..];
    }

    /// <summary>sizeof(struct ocirt_op_header): length, code, else_count, ok_errno, else_errno, n[4], string_count.</summary>
    public const int HeaderSize = 4 + 2 + 2 + 4 + 4 + 8 * NumberCount + 4;
}
