using System.Text.RegularExpressions;

namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// One boot of a VM whose initramfs runs a check script that prints "@@ key=value" lines on the serial console, shared
/// by the tests of a class: booted on first use; the subclass puts the programs, scripts and bundles in the tree, this
/// class adds /vm-stages.sh, the stages every init shares.
/// </summary>
public abstract partial class VmCheckFixture : IDisposable
{
    private static readonly TimeSpan BootTimeout = TimeSpan.FromMinutes(6);
    private readonly Lazy<(IReadOnlyDictionary<string, string> Results, string Console)> run;
    private readonly string workDirectory;

    protected VmCheckFixture(string name)
    {
        workDirectory = Directory.CreateTempSubdirectory(name).FullName;
        run = new(Boot);
    }

    /// <summary>Every "@@ key=value" the VM printed (multi-line values joined with '|').</summary>
    public IReadOnlyDictionary<string, string> Results => run.Value.Results;

    /// <summary>The whole serial console, for failure messages.</summary>
    public string Console => run.Value.Console;

    public string this[string key] =>
        Results.TryGetValue(key, out string? value) ? value : throw new KeyNotFoundException($"the VM printed no \"{key}\"; its console:\n{Console}");

    public void Dispose()
    {
        Directory.Delete(workDirectory, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Fills the initramfs: its /init and everything the checks need.</summary>
    protected abstract void BuildTree(string root);

    /// <summary>Added to the kernel command line.</summary>
    protected virtual string KernelArguments => "";

    [GeneratedRegex(@"^@@ ([^=]+)=(.*)$", RegexOptions.Multiline)]
    private static partial Regex ResultLine();

    private (IReadOnlyDictionary<string, string>, string) Boot()
    {
        string root = Path.Combine(workDirectory, "initramfs");
        BuildTree(root);
        InitramfsTree.CopyFile(Path.Combine(AppContext.BaseDirectory, "Infrastructure", "Vm", "vm-stages.sh"), Path.Combine(root, "vm-stages.sh"));
        string initramfs = Path.Combine(workDirectory, "initramfs.cpio");
        CpioArchive.Write(root, initramfs);
        string console = QemuVm.Run(initramfs, BootTimeout, KernelArguments).Replace("\r", "");
        var results = new Dictionary<string, string>();
        foreach (Match match in ResultLine().Matches(console))
            results[match.Groups[1].Value] = match.Groups[2].Value;
        if (!results.ContainsKey("vm.done"))
            throw new InvalidOperationException($"the VM did not finish its checks; its console:\n{console}");
        return (results, console);
    }
}
