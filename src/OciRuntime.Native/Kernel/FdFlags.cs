namespace OciRuntime.Kernel;

/// <summary>open(2)'s flags (x86_64).</summary>
[Flags]
internal enum OpenFlags
{
    ReadOnly = 0,
    WriteOnly = 1,
    ReadWrite = 2,
    Create = 0x40,
    Exclusive = 0x80,
    NoControllingTerminal = 0x100,
    Truncate = 0x200,
    NonBlocking = 0x800,
    Directory = 0x10000,
    NoFollow = 0x20000,
    CloseOnExec = 0x80000,
    /// <summary>O_PATH: a handle to the file itself, for passing on or *at calls, with no read or write.</summary>
    PathOnly = 0x200000,
}

/// <summary>flock(2)'s operations.</summary>
[Flags]
internal enum LockOperation
{
    Shared = 1,
    Exclusive = 2,
    NonBlocking = 4,
}

/// <summary>poll(2)'s events.</summary>
[Flags]
internal enum PollEvents : short
{
    None = 0,
    In = 1,
    Hup = 0x10,
}

/// <summary>socket(2)'s types of the unix socketpairs the runtime makes.</summary>
internal enum UnixSocketType
{
    Stream = 1,
    SequentialPacket = 5,
}
