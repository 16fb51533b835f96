using System.Buffers.Binary;
using System.Text;

namespace OciRuntime.Protocol;

/// <summary>The init's operations; the numbers are c/init_program.h's (OCIRT_OP_*), which says what each does.</summary>
internal enum InitOp : ushort
{
    SetRootfs = 1,
    Mount = 2,
    MakeMountPrivate = 3,
    MkDirs = 4,
    MkFile = 5,
    RemountBind = 6,
    RemountReadOnly = 7,
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

/// <summary>
/// One operation: what it does (<see cref="Code"/>, numbers, strings), the error text the user reads when it fails (the
/// init appends the errno), an errno that counts as done, and how many of the next operations are its fallback for
/// <see cref="ElseErrno"/> (skipped when it succeeds).
/// </summary>
internal sealed record InitOperation(InitOp Code, string Text, long[] Numbers, byte[][] Strings)
{
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
    private const int NumberCount = 4, MaxStrings = 8;
    private readonly List<InitOperation> operations = [];

    public IReadOnlyList<InitOperation> Operations => operations;

    /// <summary>Prefixed to the error texts of the operations added while it is set.</summary>
    public string? Context { get; set; }

    /// <summary>An error text as the operations added now word it (with the <see cref="Context"/>).</summary>
    public string WithContext(string text) => Context is null ? text : $"{Context}: {text}";

    /// <param name="strings">s1.. (strings, or byte arrays for binary data)</param>
    public InitOperation Add(InitOp code, string text, long[]? numbers = null, object?[]? strings = null, int okErrno = 0, int elseErrno = 0)
    {
        var bytes = (strings ?? []).Select(s => s switch
        {
            null => [],
            byte[] raw => raw,
            string text => Encoding.UTF8.GetBytes(text),
            _ => throw new ArgumentException($"operation string of type {s.GetType()}"),
        }).ToArray();
        if (bytes.Length > MaxStrings - 1)
            throw new ArgumentException($"{code}: more than {MaxStrings - 1} strings");
        var padded = new long[NumberCount];
        (numbers ?? []).CopyTo(padded, 0);
        var operation = new InitOperation(code, WithContext(text), padded, bytes)
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
        var test = Add(InitOp.SkipUnlessDirectory, $"stat \"{path}\"", [0, inRoot ? 1 : 0, negated ? 1 : 0], [path]);
        int before = operations.Count;
        addBody();
        test.Numbers[0] = operations.Count - before;
    }

    /// <summary>The PROGRAM frame's payload: per operation a header (native-endian, packed) and its strings.</summary>
    public byte[] Encode()
    {
        var output = new MemoryStream();
        Span<byte> header = stackalloc byte[HeaderSize];
        Span<byte> size = stackalloc byte[sizeof(uint)];
        foreach (var op in operations)
        {
            var strings = op.Strings.Prepend(Encoding.UTF8.GetBytes(op.Text)).ToArray();
            int length = HeaderSize + strings.Sum(s => sizeof(uint) + s.Length + 1);
            BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)length);
            BinaryPrimitives.WriteUInt16LittleEndian(header[4..], (ushort)op.Code);
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)op.ElseCount);
            BinaryPrimitives.WriteInt32LittleEndian(header[8..], op.OkErrno);
            BinaryPrimitives.WriteInt32LittleEndian(header[12..], op.ElseErrno);
            for (int i = 0; i < NumberCount; i++)
                BinaryPrimitives.WriteInt64LittleEndian(header[(16 + 8 * i)..], op.Numbers[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(header[48..], (uint)strings.Length);
            output.Write(header);
            foreach (byte[] s in strings)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)s.Length);
                output.Write(size);
                output.Write(s);
                output.WriteByte(0);
            }
        }
        return output.ToArray();
    }

    /// <summary>sizeof(struct ocirt_op_header): length, code, else_count, ok_errno, else_errno, n[4], string_count.</summary>
    public const int HeaderSize = 4 + 2 + 2 + 4 + 4 + 8 * NumberCount + 4;
}
