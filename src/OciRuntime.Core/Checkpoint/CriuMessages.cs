namespace OciRuntime.Checkpoint;

/// <summary>criu_req_type of CRIU's images/rpc.proto (the values are its field facts, not ours).</summary>
internal enum CriuRequestType
{
    Dump = 1,
    Restore = 2,
    PreDump = 4,
    Notify = 6,
}

/// <summary>criu_cg_mode of rpc.proto, named by runc's `--manage-cgroups-mode` words.</summary>
internal static class CriuCgroupMode
{
    /// <summary>The mode for a flag value ("" is CRIU's default), or an error naming the flag.</summary>
    public static uint Parse(string mode) => mode switch
    {
        "" => 6,
        "soft" => 3,
        "full" => 4,
        "strict" => 5,
        "ignore" => 0,
        _ => throw new RuntimeError($"--manage-cgroups-mode \"{mode}\": invalid value, expected soft, full, strict or ignore"),
    };
}

/// <summary>The subset of rpc.proto's criu_opts that runc sets, each with its field number there.</summary>
internal sealed class CriuOpts
{
    public int ImagesDirFd = -1;
    public int? Pid, LogLevel, WorkDirFd, StatusFd;
    public bool? LeaveRunning, ExtUnixSk, TcpEstablished, EvasiveDevices, ShellJob, FileLocks, NotifyScripts, TrackMem,
        AutoDedup, LinkRemap, ManageCgroups, RstSibling, TcpSkipInFlight, LazyPages, OrphanPtsMaster;
    public string? LogFile, Root, ParentImg, FreezeCgroup, ConfigFile, LsmProfile, LsmMountContext;
    public (string Address, int Port)? PageServer;
    public uint? ManageCgroupsMode, EmptyNs;
    public readonly List<(string Key, string Value)> ExtMnt = [];
    public readonly List<(string Controller, string Path)> CgRoot = [];
    public readonly List<(string Key, int Fd)> InheritFd = [];
    public readonly List<string> External = [];
    public readonly List<(string Namespace, string File)> JoinNs = [];

    public ProtobufWriter Encode()
    {
        var opts = new ProtobufWriter()
            .Int32(1, ImagesDirFd).Int32(2, Pid).Bool(3, LeaveRunning).Bool(4, ExtUnixSk).Bool(5, TcpEstablished)
            .Bool(6, EvasiveDevices).Bool(7, ShellJob).Bool(8, FileLocks).Int32(9, LogLevel).String(10, LogFile)
            .Message(11, PageServer is var (address, port) ? new ProtobufWriter().String(1, address).Int32(2, port) : null)
            .Bool(12, NotifyScripts).String(13, Root).String(14, ParentImg).Bool(15, TrackMem).Bool(16, AutoDedup)
            .Int32(17, WorkDirFd).Bool(18, LinkRemap);
        foreach (var (key, value) in ExtMnt)
            opts.Message(23, new ProtobufWriter().String(1, key).String(2, value));
        opts.Bool(24, ManageCgroups);
        foreach (var (controller, path) in CgRoot)
            opts.Message(25, new ProtobufWriter().String(1, controller).String(2, path));
        opts.Bool(26, RstSibling);
        foreach (var (key, fd) in InheritFd)
            opts.Message(27, new ProtobufWriter().String(1, key).Int32(2, fd));
        opts.UInt32(34, ManageCgroupsMode);
        foreach (string external in External)
            opts.String(37, external);
        opts.UInt32(38, EmptyNs);
        foreach (var (ns, file) in JoinNs)
            opts.Message(39, new ProtobufWriter().String(1, ns).String(2, file));
        return opts.String(44, FreezeCgroup).Bool(46, TcpSkipInFlight).Bool(48, LazyPages).Int32(49, StatusFd)
            .Bool(50, OrphanPtsMaster).String(51, ConfigFile).String(53, LsmProfile).String(63, LsmMountContext);
    }
}

/// <summary>criu_req: the request (with its options), or the answer to a notification.</summary>
internal static class CriuRequest
{
    public static byte[] Of(CriuRequestType type, CriuOpts opts) =>
        new ProtobufWriter().Int32(1, (int)type).Message(2, opts.Encode()).ToArray();

    public static byte[] NotifyDone() => new ProtobufWriter().Int32(1, (int)CriuRequestType.Notify).Bool(3, true).ToArray();
}

/// <summary>What rpc.proto's criu_resp says: the type, success, CRIU's errno and message, a notification, the restored pid.</summary>
internal sealed record CriuResponse(CriuRequestType Type, bool Success, int Errno, string? ErrorMessage, string? NotifyScript, int NotifyPid, int RestoredPid)
{
    public static CriuResponse Parse(ReadOnlySpan<byte> message)
    {
        int type = 0, errno = 0, notifyPid = 0, restoredPid = 0;
        bool success = false;
        string? errorMessage = null, script = null;
        var reader = new ProtobufReader(message);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: type = (int)reader.Value; break;
                case 2: success = reader.Value != 0; break;
                case 7: errno = (int)reader.Value; break;
                case 9: errorMessage = reader.Text; break;
                case 4:
                    var restore = new ProtobufReader(reader.Bytes);
                    while (restore.Next())
                        if (restore.Field == 1)
                            restoredPid = (int)restore.Value;
                    break;
                case 5:
                    var notify = new ProtobufReader(reader.Bytes);
                    while (notify.Next())
                    {
                        if (notify.Field == 1)
                            script = notify.Text;
                        else if (notify.Field == 2)
                            notifyPid = (int)notify.Value;
                    }
                    break;
            }
        }
        return new((CriuRequestType)type, success, errno, errorMessage, script, notifyPid, restoredPid);
    }
}
