using System.Runtime.InteropServices;
using System.Text;

namespace OciRuntime.Seccomp;

/// <summary>
/// The libseccomp entry points the compiler uses, bound with dlopen at first use: only a config with linux.seccomp
/// needs the library, and a host without it gets a clear error instead of a binary that does not start.
/// </summary>
internal sealed unsafe class LibSeccomp
{
    public const string LibraryName = "libseccomp.so.2";

    private static readonly Lazy<LibSeccomp?> Instance = new(TryLoad);

    /// <summary>struct scmp_arg_cmp.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ArgCompare
    {
        public uint Arg;
        public int Op;
        public ulong DatumA;
        public ulong DatumB;
    }

    /// <summary>struct scmp_version.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct LibraryVersion
    {
        public uint Major;
        public uint Minor;
        public uint Micro;
    }

    public required delegate* unmanaged<LibraryVersion*> VersionOf { get; init; }
    public required delegate* unmanaged<uint, nint> Init { get; init; }
    public required delegate* unmanaged<nint, void> Release { get; init; }
    public required delegate* unmanaged<byte*, uint> ArchResolveName { get; init; }
    public required delegate* unmanaged<nint, uint, int> ArchAdd { get; init; }
    public required delegate* unmanaged<byte*, int> SyscallResolveName { get; init; }
    public required delegate* unmanaged<uint, byte*, int> SyscallResolveNameArch { get; init; }
    public required delegate* unmanaged<uint> ArchNative { get; init; }
    public required delegate* unmanaged<nint, uint, int, uint, ArgCompare*, int> RuleAddArray { get; init; }
    public required delegate* unmanaged<nint, int, int> ExportBpf { get; init; }

    public static bool IsAvailable => Instance.Value is not null;

    /// <summary>libseccomp's token for a spec architecture name, or 0 when this libseccomp does not know it.</summary>
    public uint ArchToken(string architecture)
    {
        fixed (byte* name = NullTerminated(SeccompNames.LibseccompArchName(architecture)))
            return ArchResolveName(name);
    }

    /// <summary>The syscall's number on the native architecture, or -1 (__NR_SCMP_ERROR) when unknown there.</summary>
    public int SyscallNumber(string syscall)
    {
        fixed (byte* name = NullTerminated(syscall))
            return SyscallResolveName(name);
    }

    /// <summary>The syscall's number on the architecture of token, or a negative value when it has none there.</summary>
    public int SyscallNumber(uint token, string syscall)
    {
        fixed (byte* name = NullTerminated(syscall))
            return SyscallResolveNameArch(token, name);
    }

    /// <summary>The loaded library's version ("2.5.4"), or null without the library, as runc's --version prints it.</summary>
    public static string? LoadedVersion()
    {
        if (Instance.Value is not { } library)
            return null;
        var version = library.VersionOf();
        return $"{version->Major}.{version->Minor}.{version->Micro}";
    }

    private static byte[] NullTerminated(string text) => Encoding.UTF8.GetBytes(text + "\0");

    public static LibSeccomp Load() => Instance.Value ?? throw new RuntimeError(
        $"config.json: /linux/seccomp: needs {LibraryName}, which cannot be loaded on this host (Debian/Ubuntu: apt-get install libseccomp2)");

    private static LibSeccomp? TryLoad()
    {
        if (!NativeLibrary.TryLoad(LibraryName, out nint handle))
            return null;
        return new LibSeccomp
        {
            VersionOf = (delegate* unmanaged<LibraryVersion*>)NativeLibrary.GetExport(handle, "seccomp_version"),
            Init = (delegate* unmanaged<uint, nint>)NativeLibrary.GetExport(handle, "seccomp_init"),
            Release = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(handle, "seccomp_release"),
            ArchResolveName = (delegate* unmanaged<byte*, uint>)NativeLibrary.GetExport(handle, "seccomp_arch_resolve_name"),
            ArchAdd = (delegate* unmanaged<nint, uint, int>)NativeLibrary.GetExport(handle, "seccomp_arch_add"),
            SyscallResolveName = (delegate* unmanaged<byte*, int>)NativeLibrary.GetExport(handle, "seccomp_syscall_resolve_name"),
            SyscallResolveNameArch = (delegate* unmanaged<uint, byte*, int>)NativeLibrary.GetExport(handle, "seccomp_syscall_resolve_name_arch"),
            ArchNative = (delegate* unmanaged<uint>)NativeLibrary.GetExport(handle, "seccomp_arch_native"),
            RuleAddArray = (delegate* unmanaged<nint, uint, int, uint, ArgCompare*, int>)NativeLibrary.GetExport(handle, "seccomp_rule_add_array"),
            ExportBpf = (delegate* unmanaged<nint, int, int>)NativeLibrary.GetExport(handle, "seccomp_export_bpf"),
        };
    }
}
