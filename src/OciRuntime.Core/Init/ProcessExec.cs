using OciRuntime.Seccomp;
using OciRuntime.Config;
using OciRuntime.Kernel;

namespace OciRuntime.Init;

/// <summary>The container's program, found and checked before "ready" so a bad path fails `create`, executed after `start`.</summary>
internal sealed class ProcessExec
{
    private readonly string path;
    private readonly List<string> argv;
    private readonly List<string> env;
    private readonly string cwd;

    private ProcessExec(string path, List<string> argv, List<string> env, string cwd)
    {
        this.path = path;
        this.argv = argv;
        this.env = env;
        this.cwd = cwd;
    }

    /// <param name="addedEnv">variables the runtime adds after process.env (socket activation's)</param>
    public static ProcessExec Prepare(Process process, IEnumerable<string>? addedEnv = null)
    {
        var args = process.Args is { Count: > 0 } a ? a : throw new RuntimeError("config.json: /process/args: must be a non-empty array");
        var env = new List<string>([.. process.Env ?? [], .. addedEnv ?? []]);
        if (!Directory.Exists(process.Cwd))
            throw new RuntimeError($"process.cwd \"{process.Cwd}\" does not exist in the container");
        if (!env.Any(e => e.StartsWith("HOME=")))
            env.Add("HOME=" + HomeOf(process.User.Uid));
        return new ProcessExec(FindExecutable(args[0], env, process.Cwd), args, env, process.Cwd);
    }

    /// <summary>
    /// args[0] as given when it has a '/', else searched in the process's own PATH (as execvp would, in the container).
    /// The messages are runc's: engines map "no such file or directory"/"not found" to 127 and "permission denied" to 126.
    /// </summary>
    private static string FindExecutable(string name, List<string> env, string cwd)
    {
        if (name.Contains('/'))
        {
            string full = Path.GetFullPath(name, cwd);
            if (!File.Exists(full) && !Directory.Exists(full))
                throw new RuntimeError($"exec: \"{name}\": stat {full}: no such file or directory");
            return IsExecutableFile(full) ? full : throw new RuntimeError($"exec: \"{name}\": permission denied");
        }
        string searchPath = env.LastOrDefault(e => e.StartsWith("PATH="))?[5..] ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        foreach (string dir in searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(Path.GetFullPath(dir, cwd), name);
            if (IsExecutableFile(candidate))
                return candidate;
        }
        throw new RuntimeError($"exec: \"{name}\": executable file not found in $PATH");
    }

    private static bool IsExecutableFile(string path) => File.Exists(path) && Libc.access(path, 1 /* X_OK */) == 0;

    /// <summary>The user's home from the container's /etc/passwd, "/" when unknown (runc's fallback).</summary>
    private static string HomeOf(uint uid)
    {
        try
        {
            foreach (string line in File.ReadLines("/etc/passwd"))
            {
                string[] fields = line.Split(':');
                if (fields.Length >= 6 && fields[2] == uid.ToString())
                    return fields[5];
            }
        }
        catch (IOException)
        {
        }
        return "/";
    }

    /// <summary>chdir to cwd and execve, loading <paramref name="seccomp"/> right before; returns only by throwing.</summary>
    public unsafe void Execute(int preserveFds, SeccompProgram? seccomp)
    {
        Syscall.Check(Libc.chdir(cwd), $"chdir \"{cwd}\"");
        using var args = new StringArray(argv);
        using var envp = new StringArray(env);
        byte[] filter = seccomp?.Filter ?? [];
        int errno;
        fixed (byte* program = filter)
            errno = NativeHelpers.ocirt_exec(path, args.Pointer, envp.Pointer, 2 + preserveFds, seccomp is null ? null : program, seccomp?.InstructionCount ?? 0, seccomp?.Flags ?? 0);
        throw RuntimeError.FromErrno(seccomp is null ? $"exec \"{path}\"" : $"load seccomp filter and exec \"{path}\"", errno);
    }
}
