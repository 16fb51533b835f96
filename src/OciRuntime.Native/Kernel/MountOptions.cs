namespace OciRuntime.Kernel;

/// <summary>
/// A mount's "options" split into mount(2) flags, propagation changes and filesystem data, as mount(8) does, plus
/// runc's "tmpcopyup" extension (a tmpfs starts with the contents of the directory it covers) and the idmap/ridmap
/// requests of config.md (Launch/IdmappedMounts), none of which reach mount(2), and the recursive attributes
/// ("rro", "rnoexec", ...: MOUNT_ATTR_* that mount_setattr(AT_RECURSIVE) sets on the mount and every submount).
/// </summary>
internal sealed record MountOptions(ulong Flags, ulong ClearedFlags, IReadOnlyList<ulong> Propagation, string Data, bool Bind, bool RecursiveBind,
    bool CopyUp = false, bool Idmap = false, bool RecursiveIdmap = false, ulong RecursiveSet = 0, ulong RecursiveClear = 0)
{
    public const ulong MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_SYNCHRONOUS = 16, MS_REMOUNT = 32,
        MS_MANDLOCK = 64, MS_DIRSYNC = 128, MS_NOSYMFOLLOW = 256, MS_NOATIME = 1024, MS_NODIRATIME = 2048, MS_BIND = 4096,
        MS_MOVE = 8192, MS_REC = 16384, MS_SILENT = 32768, MS_UNBINDABLE = 1 << 17, MS_PRIVATE = 1 << 18,
        MS_SLAVE = 1 << 19, MS_SHARED = 1 << 20, MS_RELATIME = 1 << 21, MS_STRICTATIME = 1 << 24, MS_LAZYTIME = 1 << 25;

    /// <summary>The atime flags; a remount that names none of them keeps the mount's.</summary>
    public const ulong AtimeFlags = MS_NOATIME | MS_RELATIME | MS_STRICTATIME | MS_NODIRATIME;

    /// <summary>What the kernel locks (MNT_LOCK_*) on mounts it copies into a less privileged user namespace.</summary>
    public const ulong LockableFlags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | AtimeFlags;

    /// <summary>statfs(2) f_flags (ST_*, fs/statfs.c) as the MS_* flags they report.</summary>
    private static readonly (ulong St, ulong Ms)[] StatfsFlags =
    [
        (1, MS_RDONLY), (2, MS_NOSUID), (4, MS_NODEV), (8, MS_NOEXEC), (16, MS_SYNCHRONOUS), (64, MS_MANDLOCK),
        (1024, MS_NOATIME), (2048, MS_NODIRATIME), (4096, MS_RELATIME), (0x2000, MS_NOSYMFOLLOW),
    ];

    /// <summary>Options that set (true) or clear (false) a flag.</summary>
    private static readonly Dictionary<string, (bool Set, ulong Flag)> FlagOptions = new()
    {
        ["ro"] = (true, MS_RDONLY), ["rw"] = (false, MS_RDONLY),
        ["nosuid"] = (true, MS_NOSUID), ["suid"] = (false, MS_NOSUID),
        ["nodev"] = (true, MS_NODEV), ["dev"] = (false, MS_NODEV),
        ["noexec"] = (true, MS_NOEXEC), ["exec"] = (false, MS_NOEXEC),
        ["sync"] = (true, MS_SYNCHRONOUS), ["async"] = (false, MS_SYNCHRONOUS),
        ["dirsync"] = (true, MS_DIRSYNC),
        ["remount"] = (true, MS_REMOUNT),
        ["mand"] = (true, MS_MANDLOCK), ["nomand"] = (false, MS_MANDLOCK),
        ["noatime"] = (true, MS_NOATIME), ["atime"] = (false, MS_NOATIME),
        ["nodiratime"] = (true, MS_NODIRATIME), ["diratime"] = (false, MS_NODIRATIME),
        ["relatime"] = (true, MS_RELATIME), ["norelatime"] = (false, MS_RELATIME),
        ["strictatime"] = (true, MS_STRICTATIME), ["nostrictatime"] = (false, MS_STRICTATIME),
        ["lazytime"] = (true, MS_LAZYTIME), ["nolazytime"] = (false, MS_LAZYTIME),
        ["nosymfollow"] = (true, MS_NOSYMFOLLOW), ["symfollow"] = (false, MS_NOSYMFOLLOW),
        ["silent"] = (true, MS_SILENT), ["loud"] = (false, MS_SILENT),
    };

    public const ulong MOUNT_ATTR_RDONLY = 0x1, MOUNT_ATTR_NOSUID = 0x2, MOUNT_ATTR_NODEV = 0x4, MOUNT_ATTR_NOEXEC = 0x8,
        MOUNT_ATTR_RELATIME = 0, MOUNT_ATTR_NOATIME = 0x10, MOUNT_ATTR_STRICTATIME = 0x20, MOUNT_ATTR__ATIME = 0x70,
        MOUNT_ATTR_NODIRATIME = 0x80, MOUNT_ATTR_NOSYMFOLLOW = 0x200000;

    /// <summary>runc's recursive options (libcontainer/specconv): each sets (true) or clears (false) a MOUNT_ATTR_*.</summary>
    private static readonly Dictionary<string, (bool Set, ulong Attr)> RecursiveOptions = new()
    {
        ["rro"] = (true, MOUNT_ATTR_RDONLY), ["rrw"] = (false, MOUNT_ATTR_RDONLY),
        ["rnosuid"] = (true, MOUNT_ATTR_NOSUID), ["rsuid"] = (false, MOUNT_ATTR_NOSUID),
        ["rnodev"] = (true, MOUNT_ATTR_NODEV), ["rdev"] = (false, MOUNT_ATTR_NODEV),
        ["rnoexec"] = (true, MOUNT_ATTR_NOEXEC), ["rexec"] = (false, MOUNT_ATTR_NOEXEC),
        ["rnodiratime"] = (true, MOUNT_ATTR_NODIRATIME), ["rdiratime"] = (false, MOUNT_ATTR_NODIRATIME),
        ["rrelatime"] = (true, MOUNT_ATTR_RELATIME), ["rnorelatime"] = (false, MOUNT_ATTR_RELATIME),
        ["rnoatime"] = (true, MOUNT_ATTR_NOATIME), ["ratime"] = (false, MOUNT_ATTR_NOATIME),
        ["rstrictatime"] = (true, MOUNT_ATTR_STRICTATIME), ["rnostrictatime"] = (false, MOUNT_ATTR_STRICTATIME),
        ["rnosymfollow"] = (true, MOUNT_ATTR_NOSYMFOLLOW), ["rsymfollow"] = (false, MOUNT_ATTR_NOSYMFOLLOW),
    };

    private static readonly Dictionary<string, ulong> PropagationOptions = new()
    {
        ["private"] = MS_PRIVATE, ["rprivate"] = MS_PRIVATE | MS_REC,
        ["shared"] = MS_SHARED, ["rshared"] = MS_SHARED | MS_REC,
        ["slave"] = MS_SLAVE, ["rslave"] = MS_SLAVE | MS_REC,
        ["unbindable"] = MS_UNBINDABLE, ["runbindable"] = MS_UNBINDABLE | MS_REC,
    };

    /// <summary>Every option word this parser turns into flags (the rest goes to the filesystem as data).</summary>
    public static IEnumerable<string> OptionNames => FlagOptions.Keys.Concat(PropagationOptions.Keys).Concat(RecursiveOptions.Keys).Concat(["bind", "rbind", "tmpcopyup", "idmap", "ridmap"]);

    /// <summary>The MS_* flags a statfs f_flags value reports; strictatime, which statfs cannot show, when no other atime mode is set.</summary>
    public static ulong FlagsFromStatfs(ulong statfsFlags)
    {
        ulong flags = StatfsFlags.Where(f => (statfsFlags & f.St) != 0).Aggregate(0UL, (all, f) => all | f.Ms);
        return (flags & (MS_NOATIME | MS_RELATIME)) == 0 ? flags | MS_STRICTATIME : flags;
    }

    /// <summary>The option words that set <paramref name="flags"/>, e.g. "nosuid,nodev".</summary>
    public static string FlagNames(ulong flags)
    {
        // A loop, not Where().Select(): LINQ's chained Select is a generic virtual call that starts the type loader.
        var names = new List<string>();
        foreach (var (name, option) in FlagOptions)
        {
            if (option.Set && (flags & option.Flag) != 0)
                names.Add(name);
        }
        return string.Join(',', names);
    }

    /// <summary>The flags of a propagation word ("rslave", "private", ...), or null when it is not one.</summary>
    public static ulong? PropagationFlag(string word) => PropagationOptions.TryGetValue(word, out ulong flag) ? flag : null;

    public static MountOptions Parse(string? type, IEnumerable<string>? options)
    {
        ulong flags = 0, cleared = 0, recursiveSet = 0, recursiveClear = 0;
        var propagation = new List<ulong>();
        var data = new List<string>();
        bool bind = type == "bind", recursive = false, copyUp = false, idmap = false, recursiveIdmap = false;
        foreach (string option in options ?? [])
        {
            if (option is "bind" or "rbind")
            {
                bind = true;
                recursive |= option == "rbind";
            }
            else if (option is "idmap" or "ridmap")
            {
                idmap = true;
                recursiveIdmap |= option == "ridmap";
            }
            else if (FlagOptions.TryGetValue(option, out var f))
                SetOrClear(f.Set, f.Flag, ref flags, ref cleared);
            else if (RecursiveOptions.TryGetValue(option, out var r))
            {
                SetOrClear(r.Set, r.Attr, ref recursiveSet, ref recursiveClear);
                // The atime mode is one value: mount_setattr(2) applies the one in attr_set only with all of _ATIME cleared.
                if ((r.Attr & MOUNT_ATTR__ATIME) == r.Attr)
                    recursiveClear |= MOUNT_ATTR__ATIME;
            }
            else if (option == "tmpcopyup")
                copyUp = true;
            else if (PropagationOptions.TryGetValue(option, out ulong p))
                propagation.Add(p);
            else
                data.Add(option);
        }
        return new MountOptions(flags, cleared, propagation, string.Join(',', data), bind, recursive, copyUp, idmap, recursiveIdmap,
            recursiveSet, recursiveClear);
    }

    /// <summary>The last option naming a flag wins: it goes into <paramref name="set"/> or <paramref name="clear"/>, out of the other.</summary>
    private static void SetOrClear(bool isSet, ulong flag, ref ulong set, ref ulong clear)
    {
        if (isSet)
        {
            set |= flag;
            clear &= ~flag;
        }
        else
        {
            clear |= flag;
            set &= ~flag;
        }
    }
}
