namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// A host user made for one test (useradd; Debian's gives it a range in /etc/subuid and /etc/subgid) and removed at
/// the sandbox's cleanup, to run the runtime as: rootless, with nothing but what the user itself may do.
/// </summary>
public sealed class UnprivilegedUser
{
    private UnprivilegedUser(string name)
    {
        Name = name;
        Uid = int.Parse(CommandRunner.Run("id", ["-u", name]).ShouldSucceed().Stdout);
        Gid = int.Parse(CommandRunner.Run("id", ["-g", name]).ShouldSucceed().Stdout);
    }

    public string Name { get; }

    public int Uid { get; }

    public int Gid { get; }

    public static UnprivilegedUser Create(TestSandbox sandbox)
    {
        var name = $"ocirt{Guid.NewGuid():N}"[..16];
        CommandRunner.Run("useradd", ["--no-create-home", "--shell", "/bin/sh", name]).ShouldSucceed();
        sandbox.AddCleanup($"userdel {name}", () => CommandRunner.Run("userdel", [name]).ShouldSucceed());
        return new UnprivilegedUser(name);
    }

    /// <summary>The first id of the user's range in /etc/subuid (or /etc/subgid), where newuidmap/newgidmap allow it.</summary>
    public int SubordinateStart(string file) =>
        File.ReadAllLines(file).Select(line => line.Split(':')).Where(f => f.Length == 3 && f[0] == Name)
            .Select(f => int.Parse(f[1])).Single();

    /// <summary>A directory in the sandbox that belongs to the user.</summary>
    public string OwnDirectory(TestSandbox sandbox, string name)
    {
        var path = sandbox.CreateHostDirectory(name);
        HostFiles.Chown(path, Uid, Gid);
        return path;
    }

    /// <summary>The command line that runs <paramref name="arguments"/> as the user with only $XDG_RUNTIME_DIR, $PATH and $HOME set.</summary>
    public (string FileName, string[] Arguments) Command(string runtimeDirectory, params string[] arguments) =>
        ("setpriv", ["--reuid", Uid.ToString(), "--regid", Gid.ToString(), "--clear-groups", "--",
            "env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/", $"XDG_RUNTIME_DIR={runtimeDirectory}", .. arguments]);

    public CommandResult Run(string runtimeDirectory, params string[] arguments)
    {
        var (fileName, args) = Command(runtimeDirectory, arguments);
        return CommandRunner.Run(fileName, args);
    }
}
