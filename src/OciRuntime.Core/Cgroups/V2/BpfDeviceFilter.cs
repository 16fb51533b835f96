using System.Buffers.Binary;
using System.Text;
using OciRuntime.Kernel;

namespace OciRuntime.Cgroups.V2;

/// <summary>
/// Loads a device filter program with bpf(2) and makes it the only one on a cgroup v2 directory: the new program is
/// attached first, then the previous ones are detached, so the cgroup is never without a filter (while both are
/// attached a request must pass both: never more than either allows).
/// </summary>
internal static unsafe class BpfDeviceFilter
{
    private const int BPF_PROG_LOAD = 5, BPF_PROG_ATTACH = 8, BPF_PROG_DETACH = 9, BPF_PROG_GET_FD_BY_ID = 13, BPF_PROG_QUERY = 16;
    private const uint BPF_PROG_TYPE_CGROUP_DEVICE = 15, BPF_CGROUP_DEVICE = 6, BPF_F_ALLOW_MULTI = 2;
    private const int MaxAttached = 64;

    public static void Install(string cgroupDir, byte[] program)
    {
        using var cgroup = OwnedFd.Open(cgroupDir, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.CloseOnExec);
        var previous = AttachedIds(cgroup, cgroupDir);
        // The cgroup holds its own reference to an attached program.
        using var prog = Load(program);
        Attach(cgroup, prog, cgroupDir);
        foreach (uint id in previous)
            Detach(cgroup, id, cgroupDir);
    }

    /// <summary>
    /// Loads without the verifier's log, which alone costs the kernel more than half a millisecond for this program;
    /// a refused program is loaded once more with the log, whose text the error then quotes (as cilium/ebpf does for runc).
    /// </summary>
    private static OwnedFd Load(byte[] program)
    {
        long fd = TryLoad(program, log: null, out int errno);
        byte[]? log = null;
        if (fd < 0)
        {
            log = new byte[64 * 1024];
            fd = TryLoad(program, log, out errno);
        }
        if (fd < 0)
        {
            string verifier = Encoding.ASCII.GetString(log!).TrimEnd('\0').Trim();
            throw RuntimeError.FromErrno($"bpf(BPF_PROG_LOAD) of the device filter{(verifier.Length > 0 ? $" (verifier: {verifier})" : "")}", errno);
        }
        return new OwnedFd((int)fd, "the device filter program");
    }

    /// <summary>BPF_PROG_LOAD of <paramref name="program"/>, the verifier writing its log into <paramref name="log"/> when given: the fd, or -1 with the errno.</summary>
    private static long TryLoad(byte[] program, byte[]? log, out int errno)
    {
        fixed (byte* insns = program, lic = "Apache-2.0\0"u8, logBuf = log)
        {
            var attr = new byte[72];
            BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(0), BPF_PROG_TYPE_CGROUP_DEVICE);
            BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(4), (uint)(program.Length / 8));
            BinaryPrimitives.WriteUInt64LittleEndian(attr.AsSpan(8), (ulong)insns);
            BinaryPrimitives.WriteUInt64LittleEndian(attr.AsSpan(16), (ulong)lic);
            if (log is not null)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(24), 1);
                BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(28), (uint)log.Length);
                BinaryPrimitives.WriteUInt64LittleEndian(attr.AsSpan(32), (ulong)logBuf);
            }
            "ocirt_devices"u8.CopyTo(attr.AsSpan(48));
            BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(68), BPF_CGROUP_DEVICE);
            return Syscall.TryBpf(BPF_PROG_LOAD, attr, out errno);
        }
    }

    private static void Attach(OwnedFd cgroup, OwnedFd prog, string cgroupDir)
    {
        var attr = new byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(0), (uint)cgroup.Number);
        BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(4), (uint)prog.Number);
        BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(8), BPF_CGROUP_DEVICE);
        BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(12), BPF_F_ALLOW_MULTI);
        Syscall.Bpf(BPF_PROG_ATTACH, attr, $"bpf(BPF_PROG_ATTACH) of the device filter to \"{cgroupDir}\"");
    }

    private static void Detach(OwnedFd cgroup, uint id, string cgroupDir)
    {
        var byId = new byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(byId, id);
        long fd = Syscall.TryBpf(BPF_PROG_GET_FD_BY_ID, byId, out int errno);
        // Gone already (detached by someone else): nothing to do.
        if (errno == Errno.ENOENT)
            return;
        using var prog = fd >= 0 ? new OwnedFd((int)fd, $"device filter program {id}") : throw RuntimeError.FromErrno($"bpf(BPF_PROG_GET_FD_BY_ID {id})", errno);
        var attr = new byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(0), (uint)cgroup.Number);
        BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(4), (uint)prog.Number);
        BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(8), BPF_CGROUP_DEVICE);
        Syscall.Bpf(BPF_PROG_DETACH, attr, $"bpf(BPF_PROG_DETACH) of the previous device filter from \"{cgroupDir}\"");
    }

    /// <summary>The ids of the device programs attached to the cgroup itself (not inherited ones).</summary>
    private static IReadOnlyList<uint> AttachedIds(OwnedFd cgroup, string cgroupDir)
    {
        var ids = new uint[MaxAttached];
        fixed (uint* idBuf = ids)
        {
            var attr = new byte[32];
            BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(0), (uint)cgroup.Number);
            BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(4), BPF_CGROUP_DEVICE);
            BinaryPrimitives.WriteUInt64LittleEndian(attr.AsSpan(16), (ulong)idBuf);
            BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(24), MaxAttached);
            Syscall.Bpf(BPF_PROG_QUERY, attr, $"bpf(BPF_PROG_QUERY) of \"{cgroupDir}\"");
            uint count = BinaryPrimitives.ReadUInt32LittleEndian(attr.AsSpan(24));
            return ids.Take((int)Math.Min(count, MaxAttached)).ToArray();
        }
    }
}
