namespace OciRuntime.Kernel;

/// <summary>linux.memoryPolicy: the spec's modes and flags as linux/mempolicy.h numbers them, for set_mempolicy(2).</summary>
internal static class MemoryPolicies
{
    public static readonly IReadOnlyDictionary<string, long> Modes = new Dictionary<string, long>
    {
        ["MPOL_DEFAULT"] = 0, ["MPOL_PREFERRED"] = 1, ["MPOL_BIND"] = 2, ["MPOL_INTERLEAVE"] = 3, ["MPOL_LOCAL"] = 4,
        ["MPOL_PREFERRED_MANY"] = 5, ["MPOL_WEIGHTED_INTERLEAVE"] = 6,
    };

    public static readonly IReadOnlyDictionary<string, long> Flags = new Dictionary<string, long>
    {
        ["MPOL_F_NUMA_BALANCING"] = 1 << 13, ["MPOL_F_RELATIVE_NODES"] = 1 << 14, ["MPOL_F_STATIC_NODES"] = 1 << 15,
    };

    /// <summary>Modes that take no node (set_mempolicy(2) refuses one) and modes that need at least one.</summary>
    public static readonly string[] WithoutNodes = ["MPOL_DEFAULT", "MPOL_LOCAL"],
        WithNodes = ["MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_PREFERRED_MANY", "MPOL_WEIGHTED_INTERLEAVE"];

}
