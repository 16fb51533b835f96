using System.Text;
using System.Text.Json;
using OciRuntime.Hooks;
using OciRuntime.Lifecycle;
using OciRuntime.Seccomp;
using OciRuntime.Config;
using OciRuntime.Kernel;
using OciRuntime.Launch;
using OciRuntime.Protocol;

namespace OciRuntime.Init;

/// <summary>
/// The managed half of the container init (`ociruntime init`), started by native/bootstrap.c inside the new namespaces.
/// It builds the container, reports "ready", blocks on the exec FIFO until `start`, and execve()s process.args.
/// Errors before "ready" travel back to `create` on the sync socket; later ones go to the container's stderr.
/// </summary>
public static unsafe class ContainerInit
{
    private const int PR_SET_NO_NEW_PRIVS = 38, KEYCTL_JOIN_SESSION_KEYRING = 1;

    /// <summary>Whether this process was started by `create` or `exec` as the container init (the bootstrap already ran).</summary>
    public static bool IsInitInvocation(string[] args) =>
        args is ["init"] && Environment.GetEnvironmentVariable(InitProtocol.SyncFdEnvironmentVariable) is not null;

    public static int Run()
    {
        using var sync = InitSide.FromEnvironment();
        // Until then the parent listens: create until "ready", exec until execve (see InitLauncher).
        bool parentListening = true;
        try
        {
            var plan = sync.ReceivePlan();
            var process = plan.Config.Process ?? throw new RuntimeError("config.json: /process: missing");
            int lastCap = LinuxCapabilities.LastCap();
            IKernel kernel = new LinuxKernel();
            Namespaces.UnshareCgroupNamespace(kernel, plan.Config);
            var exec = plan.Exec ? PrepareExec(kernel, plan, process) : BuildContainer(kernel, plan, process, sync);
            var seccompLoadPoint = plan.Seccomp?.LoadPoint(process.NoNewPrivileges);
            if (seccompLoadPoint == SeccompLoadPoint.BeforeReady)
                HandOverSeccompListener(sync, plan.Seccomp!);

            sync.SendReady();
            parentListening = plan.Exec;
            if (!plan.Exec)
            {
                int started = WaitForStart(plan.ExecFifoFd);
                // The user's program has not run yet, so the container is still "created" (runtime.md "State").
                HookRunner.RunAll("startContainer", plan.Config.Hooks?.StartContainer, StateJson(plan, ContainerStatus.Created));
                ConfirmStarted(started);
            }
            plan.Labels?.ApplyAtExec();
            if (seccompLoadPoint == SeccompLoadPoint.BeforeDroppingPrivileges)
                plan.Seccomp!.Load();
            SetIdentityAndCapabilities(kernel, process, lastCap);
            if (process.NoNewPrivileges)
                Syscall.Check(kernel.Prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl PR_SET_NO_NEW_PRIVS");
            exec.Execute(plan.PreserveFds, seccompLoadPoint == SeccompLoadPoint.AtExec ? plan.Seccomp : null);
            return 127;
        }
        catch (Exception e) when (e is RuntimeError or IOException or UnauthorizedAccessException)
        {
            if (parentListening)
                sync.SendError(e);
            else
                WriteStderr($"ociruntime init: {e.Message}\n");
            return 1;
        }
    }

    /// <summary>`create`: runc's order of mounts, hooks, pivot_root, console, hostname, sysctl, masked paths, keyring, rlimits.</summary>
    private static ProcessExec BuildContainer(IKernel kernel, InitPlan plan, Process process, InitSide sync)
    {
        if (plan.Config.Hooks is { Prestart.Count: > 0 } or { CreateRuntime.Count: > 0 })
            sync.RunCreateRuntimeHooks();
        if (Namespaces.IsNew(plan.Config, Namespaces.Network))
            Loopback.BringUp();
        var rootfs = new RootfsSetup(plan, kernel);
        rootfs.MountAll();
        // Still inside the create operation (lifecycle step 2), so "creating", as for prestart and createRuntime.
        HookRunner.RunAll("createContainer", plan.Config.Hooks?.CreateContainer, StateJson(plan, ContainerStatus.Creating));
        rootfs.SwitchRoot();
        StdioDevNull.ReopenInContainer();
        if (process.Terminal)
            ContainerConsole.Setup(kernel, plan.ConsoleSocketFd, process.ConsoleSize, asDevConsole: true);
        SetHostnames(kernel, plan.Config);
        WriteSysctls(plan.Config.Linux?.Sysctl);
        rootfs.Finish();
        if (!plan.NoNewKeyring)
            JoinNewSessionKeyring();
        if (process.OomScoreAdj is { } oom)
            File.WriteAllText("/proc/self/oom_score_adj", oom.ToString());
        Rlimits.Apply(process.Rlimits);
        return ProcessExec.Prepare(process, SocketActivation.InitEnvironment(plan.ListenFds));
    }

    /// <summary>`exec`: the bootstrap already joined the container's namespaces; only the process's own settings remain.</summary>
    private static ProcessExec PrepareExec(IKernel kernel, InitPlan plan, Process process)
    {
        if (process.Terminal)
            ContainerConsole.Setup(kernel, plan.ConsoleSocketFd, process.ConsoleSize, asDevConsole: false);
        Rlimits.Apply(process.Rlimits);
        return ProcessExec.Prepare(process);
    }

    private static byte[] StateJson(InitPlan plan, string status) =>
        JsonSerializer.SerializeToUtf8Bytes(new ContainerState
        {
            Id = plan.Id,
            Status = status,
            Pid = Environment.ProcessId,
            Bundle = plan.Bundle,
            Annotations = plan.Config.Annotations,
        }, RuntimeJsonContext.Default.ContainerState);

    private static void SetHostnames(IKernel kernel, RuntimeConfig config)
    {
        if (!string.IsNullOrEmpty(config.Hostname))
            Syscall.Check(kernel.SetHostname(config.Hostname), $"sethostname \"{config.Hostname}\"");
        if (!string.IsNullOrEmpty(config.Domainname))
            Syscall.Check(kernel.SetDomainname(config.Domainname), $"setdomainname \"{config.Domainname}\"");
    }

    private static void WriteSysctls(Dictionary<string, string>? sysctls)
    {
        foreach (var (key, value) in sysctls ?? [])
        {
            string path = "/proc/sys/" + key.Replace('.', '/');
            try
            {
                File.WriteAllText(path, value);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new RuntimeError($"sysctl \"{key}\" = \"{value}\": write {path}: {e.Message}");
            }
        }
    }

    /// <summary>Loads a SCMP_ACT_NOTIFY filter and passes its listener to `create`, which sends it to the agent.</summary>
    private static void HandOverSeccompListener(InitSide sync, SeccompProgram seccomp)
    {
        int listener = seccomp.Load();
        sync.HandOverSeccompListener(listener);
        Libc.close(listener);
    }

    /// <summary>A fresh session keyring, so containers don't share the host's keys; kernels without keyrings are fine.</summary>
    private static void JoinNewSessionKeyring()
    {
        if (Libc.syscall(Libc.SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, 0, 0, 0, 0) < 0)
        {
            int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (errno is not (38 /* ENOSYS */ or 13 /* EACCES */))
                throw RuntimeError.FromErrno("join session keyring", errno);
        }
    }

    /// <summary>Opening the FIFO for writing blocks until `start` opens it for reading.</summary>
    private static int WaitForStart(int execFifo)
    {
        int fd = Syscall.Check(Libc.open($"/proc/self/fd/{execFifo}", Libc.O_WRONLY | Libc.O_CLOEXEC, 0), "open exec fifo");
        Libc.close(execFifo);
        return fd;
    }

    /// <summary>
    /// Tells `start` the startContainer hooks ran; the FIFO stays open (close-on-exec) so `start` sees its end only once
    /// the user's program was executed, and runs the poststart hooks after that (runtime.md "start").
    /// </summary>
    private static void ConfirmStarted(int fifo)
    {
        byte zero = (byte)'0';
        Syscall.Check((int)Libc.write(fifo, &zero, 1), "write exec fifo");
    }

    /// <summary>runc's order: bounding set, groups and ids (keeping capabilities), then the capability sets.</summary>
    private static void SetIdentityAndCapabilities(IKernel kernel, Process process, int lastCap)
    {
        var caps = process.Capabilities;
        if (caps is not null)
            LinuxCapabilities.DropBounding(kernel, LinuxCapabilities.Mask(caps.Bounding), lastCap);
        var user = process.User;
        StdioOwnership.GiveTo(user.Uid);
        var groups = (user.AdditionalGids ?? []).ToArray();
        if (!SetgroupsDenied())
        {
            fixed (uint* g = groups)
                Syscall.Check(Libc.setgroups(groups.Length, g), "setgroups");
        }
        else if (groups.Length > 0)
            throw new RuntimeError("process.user.additionalGids: setgroups is denied in this user namespace (mapped by an unprivileged user)");
        LinuxCapabilities.KeepAcrossSetuid(kernel, true);
        Syscall.Check(Libc.setresgid(user.Gid, user.Gid, user.Gid), $"setresgid {user.Gid}");
        Syscall.Check(Libc.setresuid(user.Uid, user.Uid, user.Uid), $"setresuid {user.Uid}");
        LinuxCapabilities.KeepAcrossSetuid(kernel, false);
        if (user.Umask is { } umask)
            Libc.umask(umask);
        if (caps is not null)
            LinuxCapabilities.Apply(kernel, LinuxCapabilities.Mask(caps.Effective), LinuxCapabilities.Mask(caps.Permitted),
                LinuxCapabilities.Mask(caps.Inheritable), LinuxCapabilities.Mask(caps.Ambient), lastCap);
    }

    /// <summary>A rootless parent denies setgroups(2) in the user namespace before it may map a gid (user_namespaces(7)).</summary>
    private static bool SetgroupsDenied() =>
        File.Exists("/proc/self/setgroups") && File.ReadAllText("/proc/self/setgroups").Trim() == "deny";

    internal static void WriteStderr(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        fixed (byte* p = bytes)
            Libc.write(2, p, bytes.Length);
    }
}
