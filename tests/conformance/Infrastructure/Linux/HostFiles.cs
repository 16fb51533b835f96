namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>Ownership of host files, as `stat` and `chown` see and set it.</summary>
public static class HostFiles
{
    /// <summary>"uid:gid" of <paramref name="path"/> (not following a last symlink).</summary>
    public static string Owner(string path) => CommandRunner.Run("stat", ["-c", "%u:%g", path]).ShouldSucceed().Stdout.Trim();

    public static void Chown(string path, int uid, int gid) => CommandRunner.Run("chown", [$"{uid}:{gid}", path]).ShouldSucceed();
}
