using OciRuntime.Linux;

namespace OciRuntime.Tests.Unit.Linux;

/// <summary>Symlinks in a rootfs are followed as if the rootfs were "/": nothing resolves outside it.</summary>
public sealed class SecurePathTests : IDisposable
{
    private readonly string rootfs = Directory.CreateTempSubdirectory("securepath").FullName;

    public void Dispose() => Directory.Delete(rootfs, recursive: true);

    [Fact]
    public void Plain_paths_are_joined_under_the_rootfs() =>
        SecurePath.Resolve(rootfs, "/dev/shm").Should().Be(rootfs + "/dev/shm");

    [Fact]
    public void Dot_dot_stops_at_the_rootfs() =>
        SecurePath.Resolve(rootfs, "/../../etc/../../passwd").Should().Be(rootfs + "/passwd");

    [Fact]
    public void An_absolute_symlink_restarts_at_the_rootfs()
    {
        File.CreateSymbolicLink(Path.Combine(rootfs, "evil"), "/etc");

        SecurePath.Resolve(rootfs, "/evil/passwd").Should().Be(rootfs + "/etc/passwd");
    }

    [Fact]
    public void A_relative_symlink_climbing_out_stays_inside()
    {
        Directory.CreateDirectory(Path.Combine(rootfs, "a"));
        File.CreateSymbolicLink(Path.Combine(rootfs, "a", "up"), "../../../../tmp");

        SecurePath.Resolve(rootfs, "/a/up/x").Should().Be(rootfs + "/tmp/x");
    }

    [Fact]
    public void A_symlink_loop_fails_instead_of_spinning()
    {
        File.CreateSymbolicLink(Path.Combine(rootfs, "loop"), "/loop");

        FluentActions.Invoking(() => SecurePath.Resolve(rootfs, "/loop/x"))
            .Should().Throw<OciRuntime.Native.SyscallException>().WithMessage("*ELOOP*");
    }
}
