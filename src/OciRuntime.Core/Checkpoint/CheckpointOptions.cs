namespace OciRuntime.Checkpoint;

/// <summary>CRIU's options that `checkpoint` and `restore` share, runc's flags.</summary>
/// <param name="ImagePath">where the images are (made by checkpoint when missing)</param>
/// <param name="WorkPath">where CRIU writes its log and work files; the image directory when null</param>
/// <param name="ManageCgroupsMode">"" (CRIU's default), soft, full, strict or ignore</param>
/// <param name="EmptyNamespaces">namespace types (spec names, "network") created empty rather than restored</param>
public sealed record CriuCommonOptions(string ImagePath, string? WorkPath, bool TcpEstablished, bool ExtUnixSk, bool ShellJob, bool FileLocks,
    string ManageCgroupsMode, IReadOnlyList<string> EmptyNamespaces, bool AutoDedup, bool LazyPages);

/// <summary>`checkpoint`'s own flags (runc's).</summary>
/// <param name="ParentPath">the previous pre-dump's images, relative to <see cref="CriuCommonOptions.ImagePath"/></param>
/// <param name="PageServer">"ADDRESS:PORT" of a CRIU page server to send the memory pages to</param>
/// <param name="StatusFd">an fd to write a '\0' to once the lazy-pages server is ready, or -1</param>
public sealed record CheckpointOptions(CriuCommonOptions Common, string? ParentPath, bool LeaveRunning, bool TcpSkipInFlight, bool PreDump,
    string? PageServer, int StatusFd, bool LinkRemap);

/// <summary>`restore`'s own flags (runc's).</summary>
/// <param name="ConsoleSocket">receives the restored terminal's pty master (a detached restore)</param>
public sealed record RestoreOptions(CriuCommonOptions Common, string Bundle, string? PidFile, string? ConsoleSocket,
    string? LsmProfile, string? LsmMountContext, bool SystemdCgroup);
