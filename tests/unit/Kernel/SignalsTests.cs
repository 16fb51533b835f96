using OciRuntime.Kernel;


namespace OciRuntime.Tests.Unit.Kernel;

public class SignalsTests
{
    [Theory]
    [InlineData("KILL", 9)]
    [InlineData("SIGKILL", 9)]
    [InlineData("9", 9)]
    [InlineData("TERM", 15)]
    [InlineData("sigterm", 15)]
    [InlineData("HUP", 1)]
    [InlineData("USR1", 10)]
    [InlineData("SIGUSR2", 12)]
    [InlineData("WINCH", 28)]
    [InlineData("RTMIN", 34)]
    [InlineData("RTMIN+3", 37)]
    [InlineData("RTMAX-1", 63)]
    [InlineData("64", 64)]
    [InlineData("RTMIN+30", 64)]
    [InlineData("SIGRTMAX-30", 34)]
    public void Parses_names_with_and_without_SIG_and_numbers(string text, int expected) =>
        Signals.Parse(text).Should().Be(expected);

    [Theory]
    [InlineData("NOPE")]
    [InlineData("0")]
    [InlineData("65")]
    [InlineData("-9")]
    [InlineData("RTMIN+99")]
    [InlineData("RTMIN-1")]
    [InlineData("RTMAX+1")]
    [InlineData("RTMIN3")]
    [InlineData("RTMIN+")]
    [InlineData("+9")]
    [InlineData(" 9")]
    public void Rejects_unknown_signals_naming_them(string text) =>
        FluentActions.Invoking(() => Signals.Parse(text)).Should().Throw<RuntimeError>().WithMessage($"*{text}*");
}
