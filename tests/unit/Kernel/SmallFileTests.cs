using System.Text;
using OciRuntime.Kernel;

namespace OciRuntime.Tests.Unit.Kernel;

public sealed class SmallFileTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("ociruntime-smallfile-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData(0)]
    [InlineData(370)]
    [InlineData(4096)]
    [InlineData(10_000)]
    public void A_file_that_comes_whole_is_read_whole_at_any_size_even_past_the_first_buffer(int size)
    {
        string path = Path.Combine(directory, "state.json");
        string content = new('x', size);
        File.WriteAllText(path, content);

        SmallFile.TryReadAllText(path, comesWhole: true).Should().Be(content);
        SmallFile.TryReadAllBytes(path, comesWhole: true).Should().Equal(Encoding.UTF8.GetBytes(content));
    }

    [Fact]
    public void A_missing_file_reads_as_null_either_way()
    {
        string missing = Path.Combine(directory, "missing");

        SmallFile.TryReadAllText(missing).Should().BeNull();
        SmallFile.TryReadAllText(missing, comesWhole: true).Should().BeNull();
    }
}
