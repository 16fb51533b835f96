using System.Runtime.InteropServices;

namespace OciRuntime.Tests.Conformance.Security;

/// <summary>
/// linux.maskedPaths and linux.readonlyPaths are what keeps a container's root away from the kernel's knobs in /proc
/// and /sys. An image or a racer on the host must not be able to turn them into writable windows: runc's
/// CVE-2025-31133 (the image's /dev/null is a link to a file, bound over the masked path) and youki's
/// GHSA-3q8j-pf29-vwv8 (a component swapped between the bind and the read-only remount of a path).
/// </summary>
public sealed partial class MaskedAndReadonlyPathAttackTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void An_image_s_dev_null_linking_to_a_file_is_refused_as_the_mask_and_the_file_is_not_exposed()
    {
        // Without a tmpfs on /dev the image's /dev stays, and an existing /dev/null is kept as the image made it.
        Config.ArrayAt("mounts").Where(m => ((string?)m!["destination"])?.StartsWith("/dev") == true).ToList()
            .ForEach(m => Config.ArrayAt("mounts").Remove(m));
        // The decoy stands for /proc/sys/kernel/core_pattern: a file the container must not reach through a masked path.
        string decoyDirectory = Sandbox.CreateHostDirectory("decoy");
        string decoy = Path.Combine(decoyDirectory, "core_pattern");
        File.WriteAllText(decoy, "decoy: untouched\n");
        Config.AddBindMount(decoyDirectory, "/decoy", "bind", "rw");
        File.CreateSymbolicLink(Bundle.InRootfs("dev/null"), "/decoy/core_pattern");
        // A masked file of the image's own, so that the attack does not depend on which /proc files this kernel has.
        File.WriteAllText(Bundle.InRootfs("etc/hidden"), "hidden\n");
        Config.Linux()["maskedPaths"] = ConfigEdits.Strings("/etc/hidden");
        Config.SetShellScript("cat /etc/hidden; echo '|/escaped' > /etc/hidden");

        var result = RunContainer();

        File.ReadAllText(decoy).Should().Be("decoy: untouched\n", "the masked path must not be the file the image's /dev/null links to");
        result.Stdout.Should().NotContain("decoy", "the masked path must not show the file either");
        result.ShouldFail("/linux/maskedPaths/0 \"/etc/hidden\": mask with the container's /dev/null: it is not the null device");
    }

    [RootFact]
    public void A_read_only_path_stays_read_only_while_a_racer_swaps_a_component_of_it()
    {
        // /race links to /race-a or /race-b, flipped by the racer; both hold the target, /race-b's a mount point of its
        // own. The target is deep so that each walk of its path takes long after /race was read: a wider window.
        string target = string.Concat(Enumerable.Repeat("/d", 100)) + "/target";
        Directory.CreateDirectory(Bundle.InRootfs("race-a" + target));
        Directory.CreateDirectory(Bundle.InRootfs("race-b" + target));
        string link = Bundle.InRootfs("race");
        File.CreateSymbolicLink(link, "race-a");
        Config.AddTmpfs("/race-b" + target);
        Config.Linux()["readonlyPaths"] = ConfigEdits.Strings("/race" + target);
        // The top mount of each target: the read-only bind lands on one of them, and no writable bind of it may remain.
        Config.SetShellScript($"for t in a b; do " +
            $"awk -v m=/race-$t{target} '$5 == m {{ top = $6 }} END {{ print \"race-\" t, (top == \"\" ? \"none\" : substr(top, 1, 2)) }}' t=$t /proc/self/mountinfo; done");
        Bundle.WriteConfig();

        using var stop = new CancellationTokenSource();
        var racer = Task.Run(() => FlipLink(link, stop.Token));
        var tops = new List<string>();
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (int attempt = 0; attempt < 100 && clock.Elapsed < TimeSpan.FromSeconds(60); attempt++)
            {
                var result = Runtime.Run(Sandbox.NewContainerId(), Bundle.Path);
                result.ShouldSucceed();
                tops.Add(result.Stdout.Trim());
                tops[^1].Should().BeOneOf(["race-a ro\nrace-b rw", "race-a none\nrace-b ro"],
                    "the read-only bind and its read-only flag must land on the same directory (attempt {0})", attempt);
            }
        }
        finally
        {
            stop.Cancel();
            racer.Wait();
        }
        Runtime.Note($"{tops.Count} attempts: {tops.Count(t => t.StartsWith("race-a ro"))} on race-a, {tops.Count(t => t.EndsWith(" ro"))} on race-b");
    }

    /// <summary>Points <paramref name="link"/> at race-a and race-b in turn, each time by an atomic rename(2) over it.</summary>
    private static void FlipLink(string link, CancellationToken stop)
    {
        string next = link + ".next";
        for (long flips = 0; !stop.IsCancellationRequested; flips++)
        {
            File.CreateSymbolicLink(next, flips % 2 == 0 ? "race-b" : "race-a");
            if (rename(next, link) != 0)
                throw new IOException($"rename {next} over {link}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    // File.Move follows the link to check its source, and a link to a directory is no file to it.
    [LibraryImport("libc.so.6", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rename(string from, string to);
}
