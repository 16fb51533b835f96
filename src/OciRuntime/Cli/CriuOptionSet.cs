using System.CommandLine;
using OciRuntime.Checkpoint;

namespace OciRuntime.Cli;

/// <summary>The flags `checkpoint` and `restore` share, runc's names: what CRIU is asked to dump and restore.</summary>
public sealed class CriuOptionSet
{
    private readonly Option<string?> imagePath = new("--image-path") { Description = "path of the CRIU image files (default: ./checkpoint)" };
    private readonly Option<string?> workPath = new("--work-path") { Description = "path for CRIU's log and work files (default: the image path)" };
    private readonly Option<bool> tcpEstablished = new("--tcp-established") { Description = "allow open TCP connections" };
    private readonly Option<bool> extUnixSk = new("--ext-unix-sk") { Description = "allow external unix sockets" };
    private readonly Option<bool> shellJob = new("--shell-job") { Description = "allow shell jobs (a session and terminal from outside)" };
    private readonly Option<bool> fileLocks = new("--file-locks") { Description = "handle file locks" };
    private readonly Option<string> manageCgroupsMode = new("--manage-cgroups-mode") { Description = "cgroups mode: soft, full, strict or ignore (default: CRIU's)", DefaultValueFactory = _ => "" };
    private readonly Option<string[]> emptyNs = new("--empty-ns") { CustomParser = TokenList.Strings, DefaultValueFactory = TokenList.None, Description = "create this namespace type (e.g. network) empty rather than restoring its properties" };
    private readonly Option<bool> autoDedup = new("--auto-dedup") { Description = "deduplicate the memory images against the parent's" };
    private readonly Option<bool> lazyPages = new("--lazy-pages") { Description = "leave the memory pages to a lazy-pages server (userfaultfd)" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { imagePath, workPath, tcpEstablished, extUnixSk, shellJob, fileLocks, manageCgroupsMode, emptyNs, autoDedup, lazyPages })
            command.Add(option);
    }

    public CriuCommonOptions Read(ParseResult parse) => new(
        parse.GetValue(imagePath) is { Length: > 0 } path ? path : Path.Combine(Directory.GetCurrentDirectory(), "checkpoint"),
        parse.GetValue(workPath) is { Length: > 0 } work ? work : null,
        parse.GetValue(tcpEstablished), parse.GetValue(extUnixSk), parse.GetValue(shellJob), parse.GetValue(fileLocks),
        parse.GetValue(manageCgroupsMode)!, parse.GetValue(emptyNs) ?? [], parse.GetValue(autoDedup), parse.GetValue(lazyPages));
}
