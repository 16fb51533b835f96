using System.Buffers;
using System.Text;
using OciRuntime.Kernel;

namespace OciRuntime.Terminal;

/// <summary>
/// The command line's stdout and stderr: UTF-8 written with write(2), each call at once. System.Console's first write
/// would set up .NET's terminal and signal handling for the process (a thread, and handlers for SIGINT, SIGCHLD and
/// others): a third of a millisecond in every command that prints, and handlers that are the foreground relay's to set.
/// Like Console's, a write to a closed or broken stream (EBADF, EPIPE) is dropped: output is best effort.
/// </summary>
public sealed class Stdio : TextWriter
{
    public static readonly Stdio Out = new(StandardStreams.Output), Error = new(StandardStreams.Error);

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly OwnedFd fd;

    private Stdio(OwnedFd fd)
    {
        this.fd = fd;
        CoreNewLine = ['\n'];
    }

    public override Encoding Encoding => Utf8;

    /// <summary>All of stdin (`update -r -`), read as it is: no terminal setup either.</summary>
    public static byte[] ReadAllInput()
    {
        var input = new MemoryStream();
        var buffer = new byte[16384];
        for (int n; (n = StandardStreams.Input.Read(buffer)) > 0;)
            input.Write(buffer, 0, n);
        return input.ToArray();
    }

    public override void Write(char value) => Write([value]);

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> text) => WriteLine(text, newLine: false);

    public override void WriteLine(string? value) => WriteLine(value.AsSpan(), newLine: true);

    public override void WriteLine(ReadOnlySpan<char> text) => WriteLine(text, newLine: true);

    /// <summary>The text (and a newline) in one write(2): lines of concurrent writers do not interleave.</summary>
    private void WriteLine(ReadOnlySpan<char> text, bool newLine)
    {
        int length = Utf8.GetMaxByteCount(text.Length) + 1;
        byte[] bytes = ArrayPool<byte>.Shared.Rent(length);
        int count = Utf8.GetBytes(text, bytes);
        if (newLine)
            bytes[count++] = (byte)'\n';
        fd.TryWriteAll(bytes.AsSpan(0, count));
        ArrayPool<byte>.Shared.Return(bytes);
    }
}
