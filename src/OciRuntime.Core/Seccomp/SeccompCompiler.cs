using Microsoft.Win32.SafeHandles;
using OciRuntime.Config;
using OciRuntime.Kernel;

namespace OciRuntime.Seccomp;

/// <summary>
/// Compiles linux.seccomp to a BPF program with libseccomp, in `create` (the parent): the init loads the program with
/// seccomp(2) and needs no library, which it could not load after pivot_root anyway. runc's rules: syscall names this
/// libseccomp does not know are skipped, rules with the default action are dropped, and several conditions on the same
/// argument become one rule each (libseccomp cannot AND them). Syscalls newer than the profile get ENOSYS
/// (<see cref="EnosysStub"/>).
/// </summary>
internal static unsafe class SeccompCompiler
{
    private const int EEXIST = 17;
    private const int NrScmpError = -1; // __NR_SCMP_ERROR: not a syscall of the native architecture
    private const uint ScmpArchX32 = 0x4000003E, ScmpArchS390 = 0x16, ScmpArchS390X = 0x80000016; // seccomp.h

    public static SeccompProgram Compile(SeccompConfig config)
    {
        var lib = LibSeccomp.Load();
        uint defaultAction = ActionValue(config.DefaultAction, config.DefaultErrnoRet);
        nint filter = lib.Init(defaultAction);
        if (filter == 0)
            throw new RuntimeError($"config.json: /linux/seccomp/defaultAction: libseccomp refused \"{config.DefaultAction}\"");
        try
        {
            foreach (string architecture in config.Architectures ?? [])
                AddArchitecture(lib, filter, architecture);
            var syscalls = config.Syscalls ?? [];
            for (int i = 0; i < syscalls.Count; i++)
            {
                uint action = ActionValue(syscalls[i].Action, syscalls[i].ErrnoRet);
                if (action != defaultAction)
                    AddRules(lib, filter, action, syscalls[i], $"/linux/seccomp/syscalls/{i}");
            }
            uint flags = config.Flags is { } names ? names.Aggregate(0u, (all, name) => all | SeccompNames.Flags[name]) : DefaultFlags();
            byte[] program = Export(lib, filter);
            if (EnosysStub.IsNeededFor(config.DefaultAction, defaultAction))
                program = [.. EnosysStub.Build(HighestSyscalls(lib, config)), .. program];
            return new SeccompProgram
            {
                Filter = program,
                Flags = flags | (UsesNotify(config) ? SeccompNames.ListenerFlagsFor(flags) : 0),
            };
        }
        finally
        {
            lib.Release(filter);
        }
    }

    /// <summary>
    /// runc's and crun's flags when the config gives none: SPEC_ALLOW (where the kernel has it), so that loading the
    /// filter does not also force the Speculative Store Bypass mitigation on the container's processes.
    /// </summary>
    private static uint DefaultFlags() =>
        SeccompSupport.KernelSupportsFlag(SeccompNames.FlagSpecAllow) ? SeccompNames.FlagSpecAllow : 0;

    public static bool UsesNotify(SeccompConfig config) => config.Syscalls?.Any(s => s.Action == SeccompNames.Notify) == true;

    /// <summary>The libseccomp action value; ERRNO and TRACE carry errnoRet (EPERM when not given).</summary>
    public static uint ActionValue(string action, uint? errnoRet) =>
        SeccompNames.Actions[action] | (SeccompNames.ActionsWithErrno.Contains(action) ? (errnoRet ?? SeccompNames.DefaultErrno) & 0xffff : 0);

    private static void AddArchitecture(LibSeccomp lib, nint filter, string architecture)
    {
        uint token = lib.ArchToken(architecture);
        if (token == 0)
            throw new RuntimeError($"config.json: /linux/seccomp/architectures: {architecture} is unknown to this host's {LibSeccomp.LibraryName}");
        int rc = lib.ArchAdd(filter, token);
        if (rc < 0 && rc != -EEXIST)
            throw RuntimeError.FromErrno($"seccomp_arch_add {architecture}", -rc);
    }

    private static void AddRules(LibSeccomp lib, nint filter, uint action, SeccompSyscall rule, string pointer)
    {
        var conditions = (rule.Args ?? []).Select(arg => new LibSeccomp.ArgCompare
        {
            Arg = arg.Index,
            Op = SeccompNames.Operators[arg.Op],
            DatumA = arg.Value,
            DatumB = arg.ValueTwo,
        }).ToArray();
        bool sameArgumentTwice = conditions.GroupBy(c => c.Arg).Any(g => g.Count() > 1);
        var ruleConditions = sameArgumentTwice ? conditions.Select(c => new[] { c }).ToArray() : [conditions];
        foreach (string name in rule.Names)
        {
            int syscall = lib.SyscallNumber(name);
            if (syscall == NrScmpError)
                continue;
            foreach (var set in ruleConditions)
            {
                int rc;
                fixed (LibSeccomp.ArgCompare* args = set)
                    rc = lib.RuleAddArray(filter, action, syscall, (uint)set.Length, args);
                if (rc < 0)
                    throw RuntimeError.FromErrno($"config.json: {pointer}: seccomp rule for \"{name}\"", -rc);
            }
        }
    }

    /// <summary>
    /// runc's "newest known syscall": per architecture of the profile, and the native one (runc adds it: some profiles
    /// list none), the highest number any of its names has there; an architecture where it names none gets no limit.
    /// </summary>
    private static List<EnosysStub.Limit> HighestSyscalls(LibSeccomp lib, SeccompConfig config)
    {
        var names = (config.Syscalls ?? []).SelectMany(rule => rule.Names).Distinct().ToList();
        var tokens = (config.Architectures ?? []).Select(lib.ArchToken).Append(lib.ArchNative()).Distinct();
        var limits = new List<EnosysStub.Limit>();
        foreach (uint token in tokens)
        {
            int highest = names.Select(name => lib.SyscallNumber(token, name)).DefaultIfEmpty(0).Max();
            if (highest <= 0)
                continue;
            limits.Add(token switch
            {
                // x32 shares x86_64's AUDIT_ARCH; its numbers carry the x32 bit.
                ScmpArchX32 => new(EnosysStub.AuditArchX86_64, (uint)highest, EnosysStub.X32Bit.Set),
                EnosysStub.AuditArchX86_64 => new(token, (uint)highest, EnosysStub.X32Bit.Clear),
                ScmpArchS390 or ScmpArchS390X => new(token, (uint)highest, MultiplexedZero: true),
                _ => new(token, (uint)highest),
            });
        }
        return limits;
    }

    /// <summary>seccomp_export_bpf writes to an fd (libseccomp 2.5 has no in-memory export): a memfd, read back.</summary>
    private static byte[] Export(LibSeccomp lib, nint filter)
    {
        using var memfd = Syscall.MemoryFile("seccomp-bpf");
        int rc = lib.ExportBpf(filter, memfd.Number);
        if (rc < 0)
            throw RuntimeError.FromErrno("seccomp_export_bpf", -rc);
        // The stream owns the fd from here and closes it.
        using var stream = new FileStream(new SafeFileHandle(memfd.Release(), ownsHandle: true), FileAccess.Read);
        var program = new byte[stream.Length];
        stream.Position = 0;
        stream.ReadExactly(program);
        return program;
    }
}
