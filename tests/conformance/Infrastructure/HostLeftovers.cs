using System.Collections.Concurrent;
using System.Reflection;

namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// Everything the suite made on the host that can outlive a test, found by the names tests give it: every container
/// id, cgroup and network namespace starts with "oct-" and every bundle, --root and engine directory lives in a
/// <see cref="TestSandbox"/>. <see cref="AtStart"/> is read before any test runs, so what a previous run left is not
/// blamed on this one; <see cref="Owner"/> names the test that made a leftover from what each sandbox registered, and
/// what no test of this run registered (another run's, on a shared machine) is not this run's.
/// </summary>
public static class HostLeftovers
{
    public const string NamePrefix = "oct-";

    /// <summary>The runtime's default --root: podman's cleanup process calls the runtime without its --root flag.</summary>
    private const string DefaultStateRoot = "/run/ociruntime";

    private static readonly ConcurrentDictionary<string, string> ownerByMarker = new(StringComparer.Ordinal);

    /// <summary>The host as the suite found it.</summary>
    public static IReadOnlySet<string> AtStart { get; private set; } = new HashSet<string>();

    // Runs when the test assembly loads, before xunit constructs any test class or fixture.
    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void ReadTheHostBeforeAnyTest()
    {
        if (Environment.IsPrivilegedProcess)
            AtStart = Scan();
    }

    /// <summary>Records that <paramref name="owner"/> made what carries <paramref name="marker"/> (a sandbox path, an id, a cgroup path).</summary>
    public static void Register(string marker, string owner) => ownerByMarker[marker] = owner;

    /// <summary>The display name of the running test behind xunit's output helper (xunit 2 keeps it in a private field).</summary>
    public static string TestName(ITestOutputHelper output) =>
        output.GetType().GetField("test", BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(output) is ITest test
            ? test.DisplayName
            : output.GetType().Name;

    /// <summary>What this run made and left since <see cref="AtStart"/>, each line with the test that made it.</summary>
    public static IReadOnlyList<string> LeftByThisRun() =>
        Scan().Except(AtStart)
            .Select(leftover => (leftover, owner: Owner(leftover)))
            .Where(item => item.owner is not null || item.leftover.StartsWith(DefaultRootState, StringComparison.Ordinal))
            .Select(item => $"{item.leftover} (made by {item.owner ?? "an engine, in the runtime's default --root"})")
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Who made <paramref name="leftover"/>: the test whose longest registered marker it contains.</summary>
    private static string? Owner(string leftover) =>
        ownerByMarker.Where(entry => leftover.Contains(entry.Key, StringComparison.Ordinal))
            .OrderByDescending(entry => entry.Key.Length)
            .Select(entry => entry.Value)
            .FirstOrDefault();

    private const string DefaultRootState = "state " + DefaultStateRoot;

    /// <summary>Every leftover candidate on the host now, one line each.</summary>
    private static IReadOnlySet<string> Scan() =>
        CgroupDirectories().Concat(Mounts()).Concat(Processes()).Concat(StateDirectories()).ToHashSet(StringComparer.Ordinal);

    /// <summary>The top-most cgroup directories named oct-* in every hierarchy.</summary>
    private static IEnumerable<string> CgroupDirectories()
    {
        var pending = new Stack<string>(ContainerCgroup.Hierarchies());
        while (pending.TryPop(out var directory))
        {
            string[] children;
            try { children = Directory.GetDirectories(directory); }
            catch (DirectoryNotFoundException) { continue; /* removed meanwhile */ }
            foreach (var child in children)
            {
                if (Path.GetFileName(child).StartsWith(NamePrefix, StringComparison.Ordinal))
                    yield return $"cgroup {child}";
                else
                    pending.Push(child);
            }
        }
    }

    private static IEnumerable<string> Mounts() =>
        File.ReadAllLines("/proc/self/mountinfo")
            .Select(line => line.Split(' ')[4].Replace("\\040", " "))
            .Where(mountPoint => mountPoint.StartsWith(TestSandbox.BaseDirectory + "/", StringComparison.Ordinal) ||
                                 Path.GetFileName(mountPoint).StartsWith(NamePrefix, StringComparison.Ordinal))
            .Select(mountPoint => $"mount {mountPoint}");

    private static IEnumerable<string> Processes() =>
        LeakScan.ProcessesNow(cgroup => cgroup.Contains("/" + NamePrefix, StringComparison.Ordinal), TestSandbox.BaseDirectory)
            .Select(process => $"process {process}");

    private static IEnumerable<string> StateDirectories() =>
        (Directory.Exists(TestSandbox.BaseDirectory) ? Directory.GetDirectories(TestSandbox.BaseDirectory) : [])
            .Select(sandbox => $"sandbox {sandbox}")
            .Concat(LeakScan.StateDirectories(DefaultStateRoot).Select(state => $"{DefaultRootState}/{Path.GetFileName(state)}"));
}
