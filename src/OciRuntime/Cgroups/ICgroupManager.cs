using OciRuntime.Spec;

namespace OciRuntime.Cgroups;

/// <summary>One container's cgroup, whatever the host's hierarchy (v1, v2, hybrid) looks like.</summary>
public interface ICgroupManager
{
    /// <summary>The container's cgroup path relative to the hierarchy roots, e.g. "/user.slice/abc".</summary>
    string Path { get; }

    /// <summary>Creates the cgroup directories (idempotent).</summary>
    void Create();

    /// <summary>Writes the config's linux.resources and device rules to the cgroup files; a field not built yet fails with its JSON path.</summary>
    void Apply(RuntimeConfig config);

    /// <summary>Moves a process (and its future children) into the cgroup.</summary>
    void AddProcess(int pid);

    /// <summary>Every pid in the cgroup.</summary>
    IReadOnlyList<int> GetPids();

    /// <summary>Kills whatever is left in the cgroup and removes its directories.</summary>
    void Destroy();
}
