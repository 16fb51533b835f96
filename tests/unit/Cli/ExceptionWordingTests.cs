using OciRuntime.Cli;

namespace OciRuntime.Tests.Unit.Cli;

/// <summary>
/// .NET's I/O exceptions read as runc's errors: the path, then Go's words. The messages with keys are the ones the Native
/// AOT binary carries (its resource strings are stripped); the real exceptions, thrown here under the JIT, carry sentences.
/// </summary>
public sealed class ExceptionWordingTests
{
    [Theory]
    [InlineData("IO_PathNotFound_Path, /non-existent/directory.7886.tmp", "/non-existent/directory.7886.tmp: no such file or directory")]
    [InlineData("IO_PathNotFound_NoPathName", "no such file or directory")]
    public void A_missing_directory_names_the_path_in_the_binarys_key_form(string message, string expected)
    {
        ExceptionWording.Of(new DirectoryNotFoundException(message)).Should().Be(expected);
    }

    [Fact]
    public void Permission_and_existence_keys_read_as_gos_words()
    {
        ExceptionWording.Of(new UnauthorizedAccessException("UnauthorizedAccess_IODenied_Path, /run/x.pid"))
            .Should().Be("/run/x.pid: permission denied");
        ExceptionWording.Of(new IOException("IO_FileExists_Name, /run/x")).Should().Be("/run/x: file exists");
    }

    [Fact]
    public void Real_exceptions_name_their_path()
    {
        string missing = $"/non-existent-{Guid.NewGuid():N}/file";

        ExceptionWording.Of(Record.Exception(() => File.WriteAllText(missing, "")))
            .Should().Be($"{missing}: no such file or directory");
        ExceptionWording.Of(Record.Exception(() => File.ReadAllText("/proc/self/no-such-file")))
            .Should().Be("/proc/self/no-such-file: no such file or directory");
    }

    [Fact]
    public void Other_errnos_keep_strerrors_words_after_the_path()
    {
        // .NET words them itself: "Read-only file system : '/x'".
        ExceptionWording.Of(Record.Exception(() => File.WriteAllText("/proc/version", "x")))
            .Should().MatchRegex("^/proc/version: [a-z]");
    }
}
