using OciRuntime;
using OciRuntime.Cli;

namespace OciRuntime.Tests.Unit.Cli;

/// <summary>Values of runc's flags: memory sizes (docker's RAMInBytes) and Go durations.</summary>
public sealed class CommandValueTests
{
    [Theory]
    [InlineData("1024", 1024L)]
    [InlineData("512m", 512L << 20)]
    [InlineData("512M", 512L << 20)]
    [InlineData("1g", 1L << 30)]
    [InlineData("1.5k", 1536L)]
    [InlineData("2mb", 2L << 20)]
    [InlineData("2MiB", 2L << 20)]
    [InlineData("-1", -1L)]
    public void Memory_sizes_take_binary_suffixes(string text, long bytes) =>
        MemorySize.Parse(text, "--memory").Should().Be(bytes);

    [Theory]
    [InlineData("")]
    [InlineData("12q")]
    [InlineData("-5")]
    public void Bad_memory_sizes_name_the_option(string text) =>
        FluentActions.Invoking(() => MemorySize.Parse(text, "--memory")).Should().Throw<RuntimeError>().WithMessage("--memory: invalid size*");

    [Theory]
    [InlineData("5s", 5000)]
    [InlineData("250ms", 250)]
    [InlineData("1m30s", 90000)]
    [InlineData("1.5s", 1500)]
    public void Durations_read_like_go(string text, int milliseconds) =>
        GoDuration.Parse(text, "--interval").Should().Be(TimeSpan.FromMilliseconds(milliseconds));

    [Theory]
    [InlineData("5")]
    [InlineData("5 s")]
    [InlineData("soon")]
    public void Durations_need_a_unit(string text) =>
        FluentActions.Invoking(() => GoDuration.Parse(text, "--interval")).Should().Throw<RuntimeError>();
}
