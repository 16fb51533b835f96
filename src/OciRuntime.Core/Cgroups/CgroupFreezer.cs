using System.Text;
using OciRuntime.Kernel;

namespace OciRuntime.Cgroups;

/// <summary>Whether a cgroup is frozen, from its one freezer file, as runc reads it (a created container can be paused too).</summary>
internal static class CgroupFreezer
{
    /// <summary>
    /// Whether the cgroup <paramref name="cgroup"/> (relative to <paramref name="under"/>, "" for the directory itself) is
    /// frozen: v1's freezer.state says FROZEN once every task is (FREEZING until then), v2's cgroup.freeze says 1 once
    /// asked. A cgroup that is gone is not frozen.
    /// </summary>
    public static bool IsFrozen(BaseDirectory under, string cgroup, bool v2)
    {
        string file = v2 ? "cgroup.freeze" : "freezer.state";
        // The longest value, "FREEZING\n", fits: the kernel gives it in one read.
        Span<byte> value = stackalloc byte[16];
        if (!under.ReadOnceIfExists(cgroup.Length == 0 ? file : $"{cgroup}/{file}", value, out int length))
            return false;
        var read = value[..length];
        return read[Ascii.Trim(read)].SequenceEqual(v2 ? "1"u8 : "FROZEN"u8);
    }

    /// <summary>
    /// The hierarchy a container's freezer file is in on this host: the v2 one, or v1's freezer; null on a v1 host
    /// without a freezer (nothing is ever frozen there).
    /// </summary>
    public static string? HierarchyMountPoint =>
        CgroupHierarchy.Layout == CgroupLayout.Unified ? CgroupHierarchy.MountRoot : CgroupHierarchy.V1Mounts.Find(m => m.Controllers.Contains("freezer")).MountPoint;

    /// <summary>Whether the host's freezer is v2's cgroup.freeze (a hybrid host's unified hierarchy freezes nothing of ours).</summary>
    public static bool IsV2 => CgroupHierarchy.Layout == CgroupLayout.Unified;
}
