using OciRuntime.Kernel;

namespace OciRuntime.Checkpoint;

/// <summary>A notification CRIU sent (rpc.proto's criu_notify) and the fd that came with it, if any (closed once the handler returns).</summary>
internal readonly record struct CriuNotification(string Script, int Pid, OwnedFd? Fd);

/// <summary>
/// One request to CRIU as runc sends it: `criu swrk 3` with its end of a SOCK_SEQPACKET socketpair as fd 3 (and any
/// given fds as 4, 5, ...), the criu_req, then the notifications CRIU asks about until its final answer. A failure is
/// CRIU's structured answer (type, errno, message) with the log file and the last error line CRIU wrote in it.
/// </summary>
internal static class CriuSwrk
{
    /// <summary>runc's answer buffer: CRIU's answers are small, a bigger one is an error.</summary>
    private const int AnswerSize = 10 * 4096;

    /// <summary>`criu` as runc finds it: the first in $PATH.</summary>
    public static string Find()
    {
        string path = Environment.GetEnvironmentVariable("PATH") is { Length: > 0 } value ? value : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        foreach (string directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, "criu");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new RuntimeError("criu is not installed (not found in $PATH): checkpoint and restore run CRIU (Debian package criu)");
    }

    /// <param name="started">called with criu's pid before the request is sent (restore puts it in the container's cgroup)</param>
    /// <param name="notified">called for each notification; throwing makes CRIU roll back</param>
    /// <param name="logPath">where CRIU writes its log, named in errors</param>
    public static CriuResponse Run(CriuRequestType type, CriuOpts opts, IReadOnlyList<int> fds, string logPath,
        Action<int> started, Action<CriuNotification> notified)
    {
        string criu = Find();
        var (client, server) = Syscall.SocketPair(UnixSocketType.SequentialPacket, "criu's RPC socket");
        int pid = 0;
        try
        {
            // As runc: a dump's criu writes to /dev/null (its answers and log say what happened); a restore's gets our stdio,
            // which it hands to the restored process in place of the dumped init's pipes (inherit_fd).
            using (server)
            using (var stdio = type == CriuRequestType.Restore ? null : OwnedFd.Open("/dev/null", OpenFlags.ReadWrite | OpenFlags.CloseOnExec))
                pid = Spawn(criu, stdio?.Number ?? -1, [server.Number, .. fds]);
            // Only criu holds its end now: if it dies, our read sees end of file instead of hanging.
            started(pid);
            Send(client, CriuRequest.Of(type, opts));
            var answer = ReadAnswers(client, type, logPath, notified);
            client.Dispose();
            int status = ChildProcess.Wait(pid)!.Value;
            pid = 0;
            // As runc: after a pre-dump's answer CRIU waits for more and is stopped by the closed socket.
            if (status != 0 && type != CriuRequestType.PreDump)
                throw new RuntimeError($"criu {Name(type)} exited with status {ChildProcess.ExitCode(status)}{LogQuote(logPath)}");
            return answer;
        }
        finally
        {
            // Closed before the wait: criu stops when its socket does.
            client.Dispose();
            if (pid > 0)
                ChildProcess.Wait(pid);
        }
    }

    private static int Spawn(string criu, int stdio, int[] fds) =>
        ChildProcess.SpawnWithFds(criu, [criu, "swrk", "3"], Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Select(key => $"{key}={Environment.GetEnvironmentVariable(key)}").ToList(), stdio, fds);

    /// <summary>One SOCK_SEQPACKET message: the kernel takes it whole or fails.</summary>
    private static void Send(OwnedFd socket, byte[] message) => socket.WriteAll(message);

    private static CriuResponse ReadAnswers(OwnedFd socket, CriuRequestType type, string logPath, Action<CriuNotification> notified)
    {
        var buffer = new byte[AnswerSize];
        while (true)
        {
            int length = Syscall.ReceiveMessage(socket, buffer, "the fd criu sent", out var received);
            using var fd = received;
            if (length == 0)
                throw new RuntimeError($"criu {Name(type)} exited without an answer{LogQuote(logPath)}");
            var answer = CriuResponse.Parse(buffer.AsSpan(0, length));
            if (!answer.Success)
            {
                string errno = answer.Errno != 0 ? $" ({ErrnoNames.Name(answer.Errno)})" : "";
                string message = answer.ErrorMessage?.Trim() is { Length: > 0 } text ? $": {text}" : "";
                throw new RuntimeError($"criu {Name(answer.Type)} failed{errno}{message}{LogQuote(logPath)}", answer.Errno);
            }
            if (answer.Type != CriuRequestType.Notify)
                return answer;
            notified(new CriuNotification(answer.NotifyScript ?? "", answer.NotifyPid, fd));
            Send(socket, CriuRequest.NotifyDone());
        }
    }

    private static string Name(CriuRequestType type) => type switch
    {
        CriuRequestType.Dump => "dump",
        CriuRequestType.PreDump => "pre-dump",
        CriuRequestType.Restore => "restore",
        _ => type.ToString().ToLowerInvariant(),
    };

    /// <summary>"; log /path/dump.log: "last line with Error"" — what to read first when CRIU fails, as runc quotes it.</summary>
    private static string LogQuote(string logPath)
    {
        string? lastError = null;
        try
        {
            foreach (string line in File.ReadLines(logPath))
                if (line.Contains("Error", StringComparison.Ordinal))
                    lastError = line.Trim();
        }
        catch (IOException)
        {
            return $"; log {logPath}: not written";
        }
        catch (UnauthorizedAccessException)
        {
            return $"; log {logPath}: not readable";
        }
        return lastError is null ? $"; log {logPath}" : $"; log {logPath}: \"{lastError}\"";
    }
}
