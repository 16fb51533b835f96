using OciRuntime.Protocol;
using OciRuntime.Tests.Unit.Protocol;

namespace OciRuntime.Tests.Unit.Init;

/// <summary>
/// The native init (bin/ociruntime init) executing programs in a temporary rootfs, with this test as the parent: how
/// it resolves paths inside the untrusted rootfs (symlinks followed as if the rootfs were "/", nothing created outside
/// it), how it runs fallbacks and conditions, and that a failure reads as `create` worded it. No namespaces, mounts or
/// root are needed: each program ends with an operation that fails on purpose (<see cref="Stop"/>).
/// </summary>
public sealed class InitExecutorTests : IDisposable
{
    private const int ENOENT = 2, ENOTDIR = 20, ELOOP = 40;
    private const string StopText = "stopped here by the test";

    private readonly string rootfs = Directory.CreateTempSubdirectory("initexec").FullName;
    private readonly string outside = Directory.CreateTempSubdirectory("initexec-outside").FullName;
    private readonly InitProgram program = new();
    private readonly SpawnedInit init = new();

    public InitExecutorTests()
    {
        program.SetRootfs("rootfs", rootfs);
        File.WriteAllText(Path.Combine(rootfs, "stop"), "");
    }

    public void Dispose()
    {
        init.Dispose();
        Directory.Delete(rootfs, recursive: true);
        Directory.Delete(outside, recursive: true);
    }

    /// <summary>
    /// "../" more times than the rootfs is deep, then <paramref name="hostPath"/> without its "/": resolved against the
    /// host's "/" it is <paramref name="hostPath"/>, so an escape lands where the test looks.
    /// </summary>
    private string ClimbingTo(string hostPath, int extraLevels = 0) =>
        string.Concat(Enumerable.Repeat("../", rootfs.Split('/', StringSplitOptions.RemoveEmptyEntries).Length + 1 + extraLevels)) + hostPath.TrimStart('/');

    [Fact]
    public void Dot_dot_stops_at_the_rootfs()
    {
        MkDirs("/made/../" + ClimbingTo(outside) + "/here");

        RunToStop();

        Directory.Exists(rootfs + outside + "/here").Should().BeTrue("\"..\" at the rootfs stays there");
        Directory.EnumerateFileSystemEntries(outside).Should().BeEmpty();
    }

    [Fact]
    public void Directories_are_created_inside_the_rootfs_through_an_absolute_symlink_pointing_out()
    {
        File.CreateSymbolicLink(Path.Combine(rootfs, "a"), outside);

        MkDirs("/a/new/deeper");
        RunToStop();

        Directory.Exists(rootfs + outside + "/new/deeper").Should().BeTrue("an absolute link restarts at the rootfs");
        Directory.EnumerateFileSystemEntries(outside).Should().BeEmpty();
    }

    [Fact]
    public void A_relative_symlink_climbing_out_stays_inside()
    {
        Directory.CreateDirectory(Path.Combine(rootfs, "a"));
        // The link sits one level down: one more "../" for the climb to reach the host's "/" if it escaped.
        File.CreateSymbolicLink(Path.Combine(rootfs, "a", "up"), ClimbingTo(outside, extraLevels: 1));

        MkDirs("/a/up/x");
        RunToStop();

        Directory.Exists(rootfs + outside + "/x").Should().BeTrue("the link resolves as if the rootfs were /");
        Directory.EnumerateFileSystemEntries(outside).Should().BeEmpty();
    }

    [Fact]
    public void A_file_mount_point_behind_a_dangling_symlink_is_created_inside_the_rootfs()
    {
        File.CreateSymbolicLink(Path.Combine(rootfs, "leak"), Path.Combine(outside, "created"));

        program.Mkfile("create \"/leak\"", "/leak");
        RunToStop();

        File.Exists(rootfs + outside + "/created").Should().BeTrue();
        Directory.EnumerateFileSystemEntries(outside).Should().BeEmpty();
    }

    [Fact]
    public void A_symlink_loop_fails_instead_of_spinning()
    {
        File.CreateSymbolicLink(Path.Combine(rootfs, "loop"), "/loop");

        var op = MkDirs("/loop/x");

        init.Run(program).Should().BeEquivalentTo(new { Message = op.Text + ": ELOOP (Too many levels of symbolic links)", Errno = ELOOP });
    }

    [Fact]
    public void Unlink_acts_on_the_last_component_itself_not_on_where_it_points()
    {
        File.WriteAllText(Path.Combine(rootfs, "target"), "kept");
        File.CreateSymbolicLink(Path.Combine(rootfs, "link"), "/target");

        program.Unlink("unlink \"/link\"", "/link");
        RunToStop();

        File.Exists(Path.Combine(rootfs, "link")).Should().BeFalse();
        File.ReadAllText(Path.Combine(rootfs, "target")).Should().Be("kept");
    }

    [Fact]
    public void A_symlink_is_made_in_the_resolved_parent_and_an_existing_entry_stays()
    {
        Directory.CreateDirectory(Path.Combine(rootfs, "real"));
        File.CreateSymbolicLink(Path.Combine(rootfs, "dev"), "/real");
        File.WriteAllText(Path.Combine(rootfs, "real", "stdin"), "a file the image has");

        program.Symlink("symlink \"/dev/fd\"", "/proc/self/fd", "/dev/fd");
        program.Symlink("symlink \"/dev/stdin\"", "/proc/self/fd/0", "/dev/stdin");
        RunToStop();

        new FileInfo(Path.Combine(rootfs, "real", "fd")).LinkTarget.Should().Be("/proc/self/fd");
        File.ReadAllText(Path.Combine(rootfs, "real", "stdin")).Should().Be("a file the image has");
    }

    [Fact]
    public void A_failure_reads_as_the_program_worded_it_with_the_errno_appended()
    {
        File.WriteAllText(Path.Combine(rootfs, "file"), "");
        program.Context = "/mounts/4 \"/file/sub\"";

        var op = MkDirs("/file/sub");

        init.Run(program).Should().BeEquivalentTo(new
        {
            Message = $"/mounts/4 \"/file/sub\": create mount point \"/file/sub\" in \"{rootfs}\": ENOTDIR (Not a directory)",
            Errno = ENOTDIR,
        });
        op.Text.Should().StartWith("/mounts/4 ");
    }

    [Fact]
    public void An_operation_failing_with_its_ok_errno_counts_as_done()
    {
        program.RemountReadonly("remount a path the kernel does not have", targetInRoot: false, rootfs + "/nonexistent", okErrno: ENOENT);
        MkDirs("/after");

        RunToStop();

        Directory.Exists(Path.Combine(rootfs, "after")).Should().BeTrue();
    }

    [Fact]
    public void A_fallback_runs_only_when_its_operation_fails_with_the_errno_it_is_for()
    {
        var fails = program.WriteFile("write a missing file", ownProcFile: false, rootfs + "/missing/file", "x", elseErrno: ENOENT);
        program.Fallback(fails, () => MkDirs("/fallback-ran"));
        File.WriteAllText(Path.Combine(rootfs, "present"), "");
        var succeeds = program.WriteFile("write a file", ownProcFile: false, rootfs + "/present", "written", elseErrno: ENOENT);
        program.Fallback(succeeds, () => MkDirs("/fallback-skipped"));
        MkDirs("/after-both");

        RunToStop();

        Directory.Exists(Path.Combine(rootfs, "fallback-ran")).Should().BeTrue();
        Directory.Exists(Path.Combine(rootfs, "fallback-skipped")).Should().BeFalse();
        File.ReadAllText(Path.Combine(rootfs, "present")).Should().Be("written");
        Directory.Exists(Path.Combine(rootfs, "after-both")).Should().BeTrue();
    }

    [Fact]
    public void Operations_under_a_directory_test_run_only_when_it_holds()
    {
        Directory.CreateDirectory(Path.Combine(rootfs, "dir"));
        program.IfDirectory("/dir", inRoot: true, () => MkDirs("/dir-is-a-directory"));
        program.IfDirectory("/dir", inRoot: true, () => MkDirs("/dir-is-not"), negated: true);
        program.IfDirectory("/stop", inRoot: true, () => MkDirs("/stop-is-a-directory"));
        program.IfDirectory("/missing", inRoot: true, () => MkDirs("/missing-is-not"), negated: true);

        RunToStop();

        Directory.EnumerateDirectories(rootfs).Select(Path.GetFileName).Should().BeEquivalentTo(["dir", "dir-is-a-directory", "missing-is-not"]);
    }

    [Fact]
    public void A_hook_gets_the_whole_state_with_the_init_s_pid_however_large_its_annotations()
    {
        string received = Path.Combine(outside, "state.json");
        string before = "{\"annotations\":{\"big\":\"" + new string('x', 100_000) + "\"},\"pid\":", after = "}";
        string[] argv = ["sh", "-c", $"cat > {received}"];
        program.Hook("hook createContainer[0] \"/bin/sh\"", "/bin/sh", argv, [], 0, before, after, "timed out", "failed with exit status ");

        RunToStop();

        string state = File.ReadAllText(received);
        state.Should().StartWith(before).And.EndWith(after);
        state[before.Length..^after.Length].Should().MatchRegex("^[1-9][0-9]*$", "the init's own pid");
    }

    [Fact]
    public void A_program_found_by_its_path_passes_the_checks_before_ready()
    {
        PrepareExec("/bin/sh");

        RunToStop();
    }

    [Fact]
    public void A_program_reached_through_a_proc_magic_link_is_refused()
    {
        PrepareExec("/proc/self/exe");

        init.Run(program).Should().BeEquivalentTo(new
        {
            Message = "exec: \"/proc/self/exe\": resolves through a /proc magic link (such as /proc/self/fd/N): refusing a file that may be outside the container",
            Errno = 0,
        });
    }

    [Fact]
    public void A_masked_file_is_not_masked_with_a_dev_null_that_is_a_link_to_another_file()
    {
        Directory.CreateDirectory(Path.Combine(rootfs, "dev"));
        File.WriteAllText(Path.Combine(rootfs, "decoy"), "");
        File.CreateSymbolicLink(Path.Combine(rootfs, "dev", "null"), "/decoy");
        File.WriteAllText(Path.Combine(rootfs, "hidden"), "");

        program.MaskPath("/linux/maskedPaths/0 \"/hidden\": mask", "/hidden", "masking \"/hidden\" with /dev/null");

        init.Run(program).Should().BeEquivalentTo(new
        {
            Message = "masking \"/hidden\" with /dev/null: it is not the null device (character device 1:3)",
            Errno = 0,
        });
    }

    private void PrepareExec(string args0) =>
        program.PrepareExec("find the container's program", [args0], [], uid: 0, preserveFds: 0, "/", moduleMarker: "");

    [Fact]
    public void A_masked_path_the_container_does_not_have_is_skipped()
    {
        program.MaskPath("mask \"/missing\"", "/missing", "mask with /dev/null");
        program.ReadonlyPath("bind \"/missing\" read-only", "/missing");
        MkDirs("/after");

        RunToStop();

        Directory.Exists(Path.Combine(rootfs, "after")).Should().BeTrue();
    }

    private InitOperation MkDirs(string path) =>
        program.Mkdirs($"create mount point \"{path}\" in \"{rootfs}\"", path);

    /// <summary>Ends the program with a check that fails (the file "/stop" is no directory) and runs it to that point.</summary>
    private void RunToStop()
    {
        program.Context = null;
        program.RequireDirectory(StopText, "/stop");
        init.Run(program).Should().BeEquivalentTo(new { Message = StopText, Errno = 0 }, "every operation before the stop ran");
    }
}
