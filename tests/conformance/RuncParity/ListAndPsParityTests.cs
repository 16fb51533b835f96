namespace OciRuntime.Tests.Conformance.RuncParity;

/// <summary>`list` and `ps` as scripts read them under runc: one JSON line in runc's field order, a stopped container's empty table.</summary>
public sealed class ListAndPsParityTests(ITestOutputHelper output) : RuncParityTest(output)
{
    /// <summary>What a script reads of `list --format json`: how many lines, the first entry's field names in order, its owner.</summary>
    private sealed record Listing(int Lines, string Fields, string? Owner);

    [RootFact]
    public void List_format_json_is_one_line_in_runcs_field_order_with_the_owner()
    {
        Config.SetArgs("sleep", "1000");
        Bundle.WriteConfig();

        var listing = Parity.ShouldMatchRunc((runtime, id) =>
        {
            runtime.RunDetached(id, Bundle.Path, Sandbox.NewOutputFiles(id)).ShouldSucceed();
            string json = runtime.List("--format", "json").ShouldSucceed().Stdout.TrimEnd('\n');
            var first = JsonNode.Parse(json)!.AsArray()[0]!.AsObject();
            return new Listing(json.Split('\n').Length, string.Join(",", first.Select(field => field.Key)), (string?)first["owner"]);
        });

        listing.Should().Be(new Listing(1, "ociVersion,id,pid,status,bundle,rootfs,created,owner", "root"));
    }

    /// <summary>
    /// runc 1.1.5 creates a --root that does not exist and lists nothing; runc 1.2 fails (a mistyped --root must not look
    /// like "no containers"): ours does as 1.2 and creates nothing. The default root that does not exist yet lists nothing.
    /// </summary>
    [RootFact]
    public void List_with_a_root_that_does_not_exist_fails_as_runc_1_2_and_creates_nothing()
    {
        string missingRoot = Path.Combine(Sandbox.Path, "no-such-root");

        Parity.UnderTest.InvokeWithoutRoot("--root", missingRoot, "list").ShouldFail(missingRoot);
        Directory.Exists(missingRoot).Should().BeFalse("a failed list leaves nothing behind");

        Parity.Runc.InvokeWithoutRoot("--root", Path.Combine(Sandbox.Path, "runc-root"), "list").ShouldSucceed();
        Directory.Exists(Path.Combine(Sandbox.Path, "runc-root")).Should().BeTrue("runc 1.1.5, the control, still creates it");
    }

    [RootFact]
    public void Ps_of_a_stopped_container_prints_only_the_header_as_runc()
    {
        Config.SetArgs("true");
        Bundle.WriteConfig();

        var table = Parity.ShouldMatchRunc((runtime, id) =>
        {
            runtime.RunDetached(id, Bundle.Path, Sandbox.NewOutputFiles(id)).ShouldSucceed();
            new Container(runtime, id, Sandbox.NewOutputFiles(id)).WaitForStatus("stopped");
            var ps = runtime.Invoke("ps", id);
            return (ps.ExitCode, Lines: ps.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, StartsWithHeader: ps.Stdout.StartsWith("UID"));
        });

        table.Should().Be((0, 1, true), "a stopped container's table is ps's header alone");
    }
}
