using System.Text;
using OciRuntime.Tests.Conformance.Stress;
using OciRuntime.Tests.Fuzzing;

namespace OciRuntime.Tests.Conformance.Robustness;

/// <summary>
/// Mutated configs (the unit tests' seeded fuzzer) through the real binary's `validate` and `create`: each is accepted,
/// or refused with exit 1 and one stderr line naming the problem, never a stack trace, and a failed create leaves
/// no state directory and no cgroup. A create that succeeds is force-deleted; nothing is ever started.
/// </summary>
public sealed class ConfigFuzzTests(ITestOutputHelper output) : ConformanceTest(output)
{
    // About a minute on a loaded 2-core machine; the unit tests push thousands more through the loader.
    private const int Cases = 300;

    [RootFact]
    public void Mutated_configs_are_refused_with_one_line_and_leave_nothing_behind()
    {
        var cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);
        // The cgroup must stay the sandbox's own: a mutated path could name a cgroup this test did not create.
        var mutator = new ConfigMutator(Config.ToJsonString(), pointer => !pointer.StartsWith("/linux/cgroupsPath"));
        var ownCgroup = Encoding.UTF8.GetBytes($"\"cgroupsPath\":\"{cgroupsPath}\"");
        var failures = new List<string>();
        int validated = 0, created = 0, refusedByCreate = 0;
        for (int seed = 0; seed < Cases; seed++)
        {
            var mutation = mutator.Mutate(seed);
            File.WriteAllBytes(Bundle.ConfigPath, mutation.Bytes);
            var validate = Runtime.InvokeWithoutRoot("validate", "--bundle", Bundle.Path);
            validated += validate.Succeeded ? 1 : 0;
            if (BadInputResult.Problem(validate, "validate", "config.json: ", mutation.MustName) is { } validateProblem)
                failures.Add($"{mutation}: {validateProblem}");
            // A stray byte or a cut may have changed the path itself, or removed it: such a config is only validated.
            if (mutation.Bytes.AsSpan().IndexOf(ownCgroup) < 0)
                continue;
            var id = Sandbox.NewContainerId();
            var create = Runtime.Create(id, Bundle.Path, Sandbox.NewOutputFiles(id));
            if (create.Succeeded)
            {
                created++;
                Runtime.Delete(id, force: true).ShouldSucceed();
                continue;
            }
            refusedByCreate++;
            if (BadInputResult.Problem(create, "create", "", mutation.MustName) is { } createProblem)
                failures.Add($"{mutation}: {createProblem}");
            if (Directory.Exists(Runtime.StateDirectory(id)))
                failures.Add($"{mutation}: create left its state directory");
            if (ContainerCgroup.ExistingInAnyHierarchy(cgroupsPath) is [_, ..] leftCgroups)
                failures.Add($"{mutation}: create left its cgroup in {string.Join(", ", leftCgroups)}");
        }
        Output.WriteLine($"{Cases} mutations: {validated} valid; create: {created} created, {refusedByCreate} refused");
        failures.Should().BeEmpty();
        LeakScan.Mounts(Sandbox.Path).Should().BeEmpty("no create leaves a mount");
        LeakScan.Processes(cgroupsPath, Sandbox.Path, grace: TimeSpan.FromSeconds(5)).Should().BeEmpty("no create leaves a process");
        // Both halves must have run: mutations that reach create, and among them configs it takes and configs it refuses.
        refusedByCreate.Should().BeGreaterThan(Cases / 10, "create must meet enough bad configs for the refusal half to mean something");
        created.Should().BePositive("some mutations leave a config create accepts (its force-delete is part of the run)");
    }
}
