namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// A host sysctl a test aims an attack at: its value is read first and written back on Dispose if the runtime changed
/// it, so a wrong runtime fails the test without leaving the host changed.
/// </summary>
public sealed class HostSysctl : IDisposable
{
    private readonly Action<string> note;

    /// <param name="note">where the test's transcript says that the value had to be restored</param>
    public HostSysctl(string key, Action<string> note)
    {
        this.note = note;
        Key = key;
        Path = "/proc/sys/" + key.Replace('.', '/');
        Original = Read();
    }

    public string Key { get; }

    public string Path { get; }

    /// <summary>The host's value before the test.</summary>
    public string Original { get; }

    /// <summary>A value the attack asks for, one above the host's (the first number of it), so a write would show.</summary>
    public string Different => (long.Parse(Original.Split('\t', ' ')[0]) + 1).ToString();

    public string Read() => File.ReadAllText(Path).Trim();

    public void ShouldBeUntouched() => Read().Should().Be(Original, "the host's {0} must not change", Key);

    public void Dispose()
    {
        if (Read() == Original)
            return;
        note($"the runtime changed the host's {Key}: restoring \"{Original}\"");
        File.WriteAllText(Path, Original);
    }
}
