namespace OciRuntime.Tests.Unit.Cgroups;

/// <summary>A temp directory standing in for a cgroup: the interface files the "kernel" has, as plain files.</summary>
public sealed class FakeCgroupDirectory : IDisposable
{
    public FakeCgroupDirectory(params string[] files)
    {
        Path = Directory.CreateTempSubdirectory("cgroup").FullName;
        foreach (string file in files)
            File.WriteAllText(System.IO.Path.Combine(Path, file), "");
    }

    public string Path { get; }

    public string this[string file]
    {
        get => File.ReadAllText(System.IO.Path.Combine(Path, file));
        set => File.WriteAllText(System.IO.Path.Combine(Path, file), value);
    }

    public bool Has(string file) => File.Exists(System.IO.Path.Combine(Path, file));

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
