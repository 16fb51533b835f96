namespace OciRuntime.Cgroups.Systemd;

/// <summary>
/// One property of a systemd unit as StartTransientUnit and SetUnitProperties take it (a D-Bus "(sv)"): the value is
/// a string, bool, ulong ("t"), uint[] ("au", pids), byte[] ("ay", cpu masks) or (string, string)[] ("a(ss)", devices).
/// </summary>
internal sealed record UnitProperty(string Name, object Value)
{
    /// <summary>systemd's "infinity" for limits ("max" in the cgroup files).</summary>
    public const ulong Infinity = ulong.MaxValue;

    public override string ToString() => Value switch
    {
        uint[] pids => $"{Name}=[{string.Join(',', pids)}]",
        byte[] mask => $"{Name}=[{Convert.ToHexString(mask)}]",
        (string, string)[] pairs => $"{Name}=[{string.Join(',', pairs.Select(p => p.Item1 + " " + p.Item2))}]",
        _ => $"{Name}={Value}",
    };
}
