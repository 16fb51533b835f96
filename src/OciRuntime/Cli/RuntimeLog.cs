using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using OciRuntime.Terminal;

namespace OciRuntime.Cli;

/// <summary>Errors and warnings for the user (stderr) and for engines (--log, text or json lines like runc's).</summary>
public sealed class RuntimeLog(string? logFile, bool json, bool debug)
{
    /// <summary>Creates the --log file up front, as runc does: containerd's shim opens it whether or not we wrote to it.</summary>
    public void CreateFile()
    {
        if (logFile is null)
            return;
        try
        {
            using var _ = new FileStream(logFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            WriteToStderr($"ociruntime: warning: cannot open log file \"{logFile}\": {ExceptionWording.Of(e)}");
        }
    }

    public void Error(string message) => Write("error", OneLine(message), toStderr: true);
    public void Warn(string message) => Write("warning", OneLine(message), toStderr: true);

    /// <summary>With --debug, as runc: a `level=debug` line (or JSON) in --log, or on stderr without one.</summary>
    public void Debug(string message)
    {
        if (!debug)
            return;
        if (logFile is null)
            WriteToStderr(Line("debug", message).TrimEnd('\n'));
        else
            Write("debug", message, toStderr: false);
    }

    private void Write(string level, string message, bool toStderr)
    {
        if (toStderr)
            WriteToStderr(level == "error" ? $"ociruntime: {message}" : $"ociruntime: {level}: {message}");
        if (logFile is null)
            return;
        try
        {
            File.AppendAllText(logFile, Line(level, message));
        }
        catch (IOException)
        {
            // The log is best effort: failing to write it must not change the command's outcome.
        }
    }

    /// <summary>
    /// stderr is best effort too (<see cref="Stdio"/> drops a failed write): containerd's shim runs a pod sandbox's create
    /// with stdio on a read-only /dev/null, where the write fails with EBADF; that must neither abort the runtime nor
    /// lose the --log line.
    /// </summary>
    private static void WriteToStderr(string line) => Stdio.Error.WriteLine(line);

    /// <summary>
    /// Control characters escaped as in JSON: an error is one line however odd the input it quotes (a cwd holding a
    /// newline), so the user and the shim, which shows only the last line, see all of it.
    /// </summary>
    internal static string OneLine(string message)
    {
        if (!message.Any(char.IsControl))
            return message;
        var line = new StringBuilder(message.Length + 16);
        foreach (char c in message)
        {
            line.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return line.ToString();
    }

    private string Line(string level, string message) => json ? JsonLine(level, message) : TextLine(level, message);

    /// <summary>logrus's text line, as runc writes it: time="…" level=debug msg="…" (msg quoted and escaped as Go's %q).</summary>
    private static string TextLine(string level, string message)
    {
        var quoted = new StringBuilder(message.Length + 2).Append('"');
        foreach (char c in message)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }
        quoted.Append('"');
        return $"time=\"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}\" level={level} msg={quoted}\n";
    }

    /// <summary>{"level":"error","msg":"…","time":"…"}: the line containerd's shim reads back.</summary>
    private static string JsonLine(string level, string message)
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping writes quotes as \" like runc's logrus, not \u0022.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("level", level);
            writer.WriteString("msg", message);
            writer.WriteString("time", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ"));
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
