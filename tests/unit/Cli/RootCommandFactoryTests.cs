using System.CommandLine;
using OciRuntime.Cli;

namespace OciRuntime.Tests.Unit.Cli;

/// <summary>A command's argv is parsed by a tree of that command alone; help and usage errors by the whole tree.</summary>
public sealed class RootCommandFactoryTests
{
    private static IEnumerable<string> Subcommands(ParseResult parse) => parse.RootCommandResult.Command.Subcommands.Select(c => c.Name);

    [Fact]
    public void Every_command_is_listed_under_the_name_it_builds()
    {
        foreach (var (name, build) in RootCommandFactory.Commands)
            build().Name.Should().Be(name);
        // The CLI's contract written out (runc's commands, then validate), not read back from the table Build() walks.
        RootCommandFactory.Build().Subcommands.Select(c => c.Name).Should().BeEquivalentTo(
            "create", "start", "run", "state", "kill", "delete", "exec", "list", "spec", "features", "validate",
            "pause", "resume", "update", "ps", "events", "checkpoint", "restore");
    }

    [Fact]
    public void A_lifecycle_command_is_parsed_without_the_other_commands()
    {
        var parse = RootCommandFactory.Parse(["--root", "/tmp/r", "--log-format", "json", "kill", "--all", "c1", "KILL"]);

        parse.Errors.Should().BeEmpty();
        Subcommands(parse).Should().Equal("kill");
        parse.CommandResult.Command.Name.Should().Be("kill");
        parse.GetValue(GlobalOptions.Root).Should().Be("/tmp/r");
        parse.GetValue(GlobalOptions.LogFormat).Should().Be("json");
        parse.GetValue<string>("signal").Should().Be("KILL");
    }

    [Fact]
    public void Global_options_after_the_command_still_apply()
    {
        var parse = RootCommandFactory.Parse(["state", "c1", "--root", "/tmp/r", "--debug"]);

        parse.Errors.Should().BeEmpty();
        parse.GetValue(GlobalOptions.Root).Should().Be("/tmp/r");
        parse.GetValue(GlobalOptions.Debug).Should().BeTrue();
    }

    [Fact]
    public void Version_needs_no_command()
    {
        var parse = RootCommandFactory.Parse(["--version"]);

        parse.Errors.Should().BeEmpty();
        Subcommands(parse).Should().BeEmpty();
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("state", "-h")]
    [InlineData("kill", "/?")]
    [InlineData("[suggest]", "sta")]
    [InlineData("state")]
    [InlineData("state", "a", "b")]
    [InlineData("nosuch", "x")]
    [InlineData("--root", "/tmp/r", "list", "--format", "xml")]
    public void Help_directives_and_usage_errors_get_the_whole_tree(params string[] args)
    {
        var parse = RootCommandFactory.Parse(args);

        parse.RootCommandResult.Command.Should().BeOfType<RootCommand>();
        Subcommands(parse).Should().Equal(RootCommandFactory.Commands.Select(c => c.Name));
    }

    [Theory]
    [InlineData("foo", "foo", "-h")]
    [InlineData("foo", "--root", "/tmp/r", "foo")]
    [InlineData(null, "--root", "state", "list")]
    [InlineData(null, "--rootless", "auto", "run")]
    [InlineData(null, "state", "-h")]
    [InlineData(null, "[suggest]", "sta")]
    [InlineData(null, "--version")]
    public void An_unknown_command_is_the_first_word_that_names_no_command(string? unknown, params string[] args) =>
        RootCommandFactory.UnknownCommand(args).Should().Be(unknown);
}
