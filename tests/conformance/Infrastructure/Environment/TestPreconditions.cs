namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>Why a conformance test cannot run on this machine, or null when it can.</summary>
public static class TestPreconditions
{
    public static string? SkipReason(string? requiredPath)
    {
        // Containers need real mounts, namespaces and cgroups: only root can make them.
        if (!Environment.IsPrivilegedProcess)
            return "conformance tests create real containers and must run as root";
        if (requiredPath is not null && !File.Exists(requiredPath) && !Directory.Exists(requiredPath))
            return $"this kernel has no {requiredPath}";
        return null;
    }
}
