using OciRuntime.Seccomp;
using OciRuntime.Config;

namespace OciRuntime.Validation;

/// <summary>linux.seccomp rules beyond the schema's enums (those already hold when this runs).</summary>
internal static class SeccompValidator
{
    public static void Check(SeccompConfig seccomp, Action<string, string> error)
    {
        const string pointer = "/linux/seccomp";
        if (seccomp.DefaultAction == SeccompNames.Notify)
            error($"{pointer}/defaultAction", "SCMP_ACT_NOTIFY cannot be the default action");
        CheckErrno($"{pointer}/defaultErrnoRet", seccomp.DefaultAction, seccomp.DefaultErrnoRet, error);
        var syscalls = seccomp.Syscalls ?? [];
        for (int i = 0; i < syscalls.Count; i++)
        {
            CheckErrno($"{pointer}/syscalls/{i}/errnoRet", syscalls[i].Action, syscalls[i].ErrnoRet, error);
            var args = syscalls[i].Args ?? [];
            for (int j = 0; j < args.Count; j++)
            {
                if (args[j].Index >= SeccompNames.MaxArguments)
                    error($"{pointer}/syscalls/{i}/args/{j}/index", $"must be below {SeccompNames.MaxArguments}, got {args[j].Index}");
            }
        }
        bool hasListenerPath = !string.IsNullOrEmpty(seccomp.ListenerPath);
        if (SeccompCompiler.UsesNotify(seccomp) && !hasListenerPath)
            error($"{pointer}/listenerPath", "SCMP_ACT_NOTIFY needs a listenerPath to send the listener fd to");
        if (seccomp.Flags?.Contains("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV") == true && !SeccompCompiler.UsesNotify(seccomp))
            error($"{pointer}/flags", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV needs SCMP_ACT_NOTIFY rules");
        if (!string.IsNullOrEmpty(seccomp.ListenerMetadata) && !hasListenerPath)
            error($"{pointer}/listenerMetadata", "must not be set without listenerPath");
    }

    /// <summary>The spec: an errno for an action that cannot return one is an error.</summary>
    private static void CheckErrno(string pointer, string action, uint? errnoRet, Action<string, string> error)
    {
        if (errnoRet is not null && !SeccompNames.ActionsWithErrno.Contains(action))
            error(pointer, $"{action} returns no errno; only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take one");
    }
}
