using System.Buffers.Binary;
using System.Runtime.InteropServices;
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
        int cgroup = Syscall.Check(Libc.open(cgroupDir, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0), $"open \"{cgroupDir}\"");
        int prog = -1;
        try
        {
            var previous = AttachedIds(cgroup, cgroupDir);
            prog = Load(program);
            Attach(cgroup, prog, cgroupDir);
            foreach (uint id in previous)
                Detach(cgroup, id, cgroupDir);
        }
        finally
        {
            // The cgroup holds its own reference to an attached program.
            if (prog >= 0)
                Libc.close(prog);
            Libc.close(cgroup);
        }
    }

    private static int Load(byte[] program)
    {
        byte[] license = "Apache-2.0\0"u8.ToArray();
        byte[] log = new byte[64 * 1024];
        fixed (byte* insns = program, lic = license, logBuf = log)
        {
            var attr = new byte[72];
            BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(0), BPF_PROG_TYPE_CGROUP_DEVICE);
            BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(4), (uint)(program.Length / 8));
            BinaryPrimitives.WriteUInt64LittleEndian(attr.AsSpan(8), (ulong)insns);
            BinaryPrimitives.WriteUInt64LittleEndian(attr.AsSpan(16), (ulong)lic);
            // The verifier's log explains a refused program; it is only filled when loading fails.
            BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(24), 1);
            BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(28), (uint)log.Length);
            BinaryPrimitives.WriteUInt64LittleEndian(attr.AsSpan(32), (ulong)logBuf);
            Encoding.ASCII.GetBytes("ocirt_devices").CopyTo(attr.AsSpan(48));
            BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(68), BPF_CGROUP_DEVICE);
            long fd = Bpf(BPF_PROG_LOAD, attr);
            if (fd < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                string verifier = Encoding.ASCII.GetString(log).TrimEnd('\0').Trim();
                throw RuntimeError.FromErrno($"bpf(BPF_PROG_LOAD) of the device filter{(verifier.Length > 0 ? $" (verifier: {verifier})" : "")}", errno);
            }
            return (int)fd;
        }
    }

    private static void Attach(int cgroup, int prog, string cgroupDir)
    {
        var attr = new byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(0), (uint)cgroup);
        BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(4), (uint)prog);
        BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(8), BPF_CGROUP_DEVICE);
        BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(12), BPF_F_ALLOW_MULTI);
        Syscall.Check(Bpf(BPF_PROG_ATTACH, attr), $"bpf(BPF_PROG_ATTACH) of the device filter to \"{cgroupDir}\"");
    }

    private static void Detach(int cgroup, uint id, string cgroupDir)
    {
        var byId = new byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(byId, id);
        long prog = Bpf(BPF_PROG_GET_FD_BY_ID, byId);
        // Gone already (detached by someone else): nothing to do.
        if (prog < 0 && Marshal.GetLastPInvokeError() == Errno.ENOENT)
            return;
        Syscall.Check(prog, $"bpf(BPF_PROG_GET_FD_BY_ID {id})");
        try
        {
            var attr = new byte[20];
            BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(0), (uint)cgroup);
            BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(4), (uint)prog);
            BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(8), BPF_CGROUP_DEVICE);
            Syscall.Check(Bpf(BPF_PROG_DETACH, attr), $"bpf(BPF_PROG_DETACH) of the previous device filter from \"{cgroupDir}\"");
        }
        finally
        {
            Libc.close((int)prog);
        }
    }

    /// <summary>The ids of the device programs attached to the cgroup itself (not inherited ones).</summary>
    private static IReadOnlyList<uint> AttachedIds(int cgroup, string cgroupDir)
    {
        var ids = new uint[MaxAttached];
        fixed (uint* idBuf = ids)
        {
            var attr = new byte[32];
            BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(0), (uint)cgroup);
            BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(4), BPF_CGROUP_DEVICE);
            BinaryPrimitives.WriteUInt64LittleEndian(attr.AsSpan(16), (ulong)idBuf);
            BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(24), MaxAttached);
            long rc = Bpf(BPF_PROG_QUERY, attr);
            Syscall.Check(rc, $"bpf(BPF_PROG_QUERY) of \"{cgroupDir}\"");
            uint count = BinaryPrimitives.ReadUInt32LittleEndian(attr.AsSpan(24));
            return ids.Take((int)Math.Min(count, MaxAttached)).ToArray();
        }
    }

    private static long Bpf(int command, byte[] attr)
    {
        fixed (byte* a = attr)
            return Libc.syscall(Libc.SYS_bpf, command, (long)a, attr.Length, 0, 0);
    }
}
