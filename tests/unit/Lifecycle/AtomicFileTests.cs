using OciRuntime.Lifecycle;

namespace OciRuntime.Tests.Unit.Lifecycle;

/// <summary>state.json and the config copy are replaced whole, on a real filesystem.</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("atomicfile-").FullName;

    [Fact]
    public void A_first_write_creates_the_file_and_leaves_nothing_else()
    {
        string path = Path.Combine(directory, "state.json");

        AtomicFile.Write(path, "{\"a\":1}"u8);

        File.ReadAllText(path).Should().Be("{\"a\":1}");
        Directory.GetFiles(directory).Should().Equal(path);
    }

    [Fact]
    public void A_rewrite_replaces_the_content_and_the_inode_and_leaves_no_temp_file()
    {
        string path = Path.Combine(directory, "state.json");
        AtomicFile.Write(path, "{\"status\":\"creating\"}"u8);
        // A reader holding the old file keeps reading the old content: the new one is another file swapped in.
        using var reader = File.OpenRead(path);

        AtomicFile.Write(path, "{\"status\":\"created\"}"u8);

        File.ReadAllText(path).Should().Be("{\"status\":\"created\"}");
        new StreamReader(reader).ReadToEnd().Should().Be("{\"status\":\"creating\"}");
        Directory.GetFiles(directory).Should().Equal(path);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
