namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// An OCI bundle whose rootfs is a static busybox with every applet linked in /bin, an /etc/passwd and
/// /etc/group with root, nobody (65534) and user (1000), and the runc default config to tweak.
/// </summary>
public sealed class BusyboxBundle
{
    public const string HostBusybox = "/bin/busybox";
    public const int UserId = 1000;
    public const int NobodyId = 65534;

    private static readonly Lazy<IReadOnlyList<string>> Applets = new(ListApplets);

    public BusyboxBundle(string path)
    {
        Path = path;
        Directory.CreateDirectory(path, TestSandbox.DirectoryMode);
        BuildRootfs();
        // terminal: true (runc's default) needs --console-socket; the tests read plain stdio instead.
        Config.Process()["terminal"] = false;
    }

    public string Path { get; }

    public string RootfsPath => System.IO.Path.Combine(Path, "rootfs");

    public string ConfigPath => System.IO.Path.Combine(Path, "config.json");

    /// <summary>The config.json to be written by <see cref="WriteConfig"/>; tests change what they need.</summary>
    public JsonObject Config { get; set; } = RuncDefaultConfig.Create();

    /// <summary>Changes the bytes <see cref="WriteConfig"/> writes where a JsonObject cannot say it (invalid UTF-8, duplicate keys).</summary>
    public Func<byte[], byte[]>? RawEdit { get; set; }

    public void WriteConfig()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(Config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        File.WriteAllBytes(ConfigPath, RawEdit is null ? bytes : RawEdit(bytes));
    }

    /// <summary>The host path of <paramref name="containerPath"/> inside the rootfs.</summary>
    public string InRootfs(string containerPath) => System.IO.Path.Combine(RootfsPath, containerPath.TrimStart('/'));

    private void BuildRootfs()
    {
        foreach (var directory in new[] { "bin", "etc", "tmp", "proc", "sys", "dev", "mnt", "root", "home/user" })
            Directory.CreateDirectory(InRootfs(directory), TestSandbox.DirectoryMode);
        File.SetUnixFileMode(InRootfs("tmp"), (UnixFileMode)Convert.ToInt32("1777", 8));

        var busybox = InRootfs("bin/busybox");
        File.Copy(HostBusybox, busybox);
        foreach (var applet in Applets.Value)
            File.CreateSymbolicLink(InRootfs($"bin/{applet}"), "busybox");

        File.WriteAllText(InRootfs("etc/passwd"),
            $"""
            root:x:0:0:root:/root:/bin/sh
            user:x:{UserId}:{UserId}:user:/home/user:/bin/sh
            nobody:x:{NobodyId}:{NobodyId}:nobody:/nonexistent:/bin/false

            """);
        File.WriteAllText(InRootfs("etc/group"),
            $"""
            root:x:0:
            tty:x:5:
            user:x:{UserId}:
            nobody:x:{NobodyId}:

            """);
    }

    // `busybox --list` names every applet, including "busybox" itself, which is the real file.
    private static IReadOnlyList<string> ListApplets() =>
        CommandRunner.Run(HostBusybox, ["--list"]).ShouldSucceed().Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(applet => applet != "busybox")
            .ToList();
}
