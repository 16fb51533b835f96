using OciRuntime.Validation.Schema;
using System.Text.Json;
using OciRuntime.Validation;

namespace OciRuntime.Tests.Unit.Validation;

/// <summary>
/// The project's schemas against the documents in Cases/{config,state,features}/{good,bad}: modelled on the
/// runtime-spec's own schema tests, extended with one bad document per constraint that matters to a Linux runtime.
/// </summary>
public class SchemaCaseTests
{
    private static readonly string CasesDirectory = Path.Combine(AppContext.BaseDirectory, "Validation", "Cases");

    private static readonly Dictionary<string, string> SchemaOfKind = new()
    {
        ["config"] = "config-schema.json",
        ["state"] = "state-schema.json",
        ["features"] = "features-schema.json",
    };

    /// <summary>Each bad document has exactly one defect; this is the JSON Pointer where it must be reported.</summary>
    private static readonly Dictionary<string, string> ExpectedErrorPath = new()
    {
        ["config/bad/annotation-number-value.json"] = "/annotations/com.example.count",
        ["config/bad/hook-without-path.json"] = "/hooks/prestart/0",
        ["config/bad/hook-zero-timeout.json"] = "/hooks/poststart/0/timeout",
        ["config/bad/linux-blockio-throttle-without-minor.json"] = "/linux/resources/blockIO/throttleReadBpsDevice/0",
        ["config/bad/linux-blockio-weight-too-big.json"] = "/linux/resources/blockIO/weight",
        ["config/bad/linux-cpu-shares-negative.json"] = "/linux/resources/cpu/shares",
        ["config/bad/linux-device-cgroup-without-allow.json"] = "/linux/resources/devices/0",
        ["config/bad/linux-device-octal-file-mode.json"] = "/linux/devices/0/fileMode",
        ["config/bad/linux-device-unknown-type.json"] = "/linux/devices/0/type",
        ["config/bad/linux-hugepage-lowercase-unit.json"] = "/linux/resources/hugepageLimits/0/pageSize",
        ["config/bad/linux-idmapping-size-overflow.json"] = "/linux/uidMappings/0/size",
        ["config/bad/linux-intelrdt-membw-without-prefix.json"] = "/linux/intelRdt/memBwSchema",
        ["config/bad/linux-memory-limit-string.json"] = "/linux/resources/memory/limit",
        ["config/bad/linux-memory-policy-unknown-mode.json"] = "/linux/memoryPolicy/mode",
        ["config/bad/linux-namespace-unknown-type.json"] = "/linux/namespaces/1/type",
        ["config/bad/linux-namespace-without-type.json"] = "/linux/namespaces/0",
        ["config/bad/linux-netdevice-numeric-name.json"] = "/linux/netDevices/eth0/name",
        ["config/bad/linux-not-an-object.json"] = "/linux",
        ["config/bad/linux-personality-unknown-domain.json"] = "/linux/personality/domain",
        ["config/bad/linux-pids-fraction.json"] = "/linux/resources/pids/limit",
        ["config/bad/linux-pids-without-limit.json"] = "/linux/resources/pids",
        ["config/bad/linux-rdma-string-limit.json"] = "/linux/resources/rdma/mlx5_1/hcaHandles",
        ["config/bad/linux-rootfs-propagation-unknown.json"] = "/linux/rootfsPropagation",
        ["config/bad/linux-seccomp-empty-names.json"] = "/linux/seccomp/syscalls/0/names",
        ["config/bad/linux-seccomp-unknown-arch.json"] = "/linux/seccomp/architectures/1",
        ["config/bad/linux-seccomp-unknown-flag.json"] = "/linux/seccomp/flags/0",
        ["config/bad/linux-seccomp-unknown-operator.json"] = "/linux/seccomp/syscalls/0/args/0/op",
        ["config/bad/linux-seccomp-without-default-action.json"] = "/linux/seccomp",
        ["config/bad/linux-sysctl-number-value.json"] = "/linux/sysctl/net.ipv4.ip_forward",
        ["config/bad/linux-time-offset-negative-nanosecs.json"] = "/linux/timeOffsets/monotonic/nanosecs",
        ["config/bad/missing-oci-version.json"] = "/",
        ["config/bad/mount-without-destination.json"] = "/mounts/1",
        ["config/bad/not-an-object.json"] = "/",
        ["config/bad/oci-version-number.json"] = "/ociVersion",
        ["config/bad/platform-section-not-an-object.json"] = "/windows",
        ["config/bad/process-args-string.json"] = "/process/args",
        ["config/bad/process-console-size-without-width.json"] = "/process/consoleSize",
        ["config/bad/process-cpu-affinity-letters.json"] = "/process/execCPUAffinity/initial",
        ["config/bad/process-io-priority-unknown-class.json"] = "/process/ioPriority/class",
        ["config/bad/process-negative-uid.json"] = "/process/user/uid",
        ["config/bad/process-oom-score-fraction.json"] = "/process/oomScoreAdj",
        ["config/bad/process-rlimit-lowercase.json"] = "/process/rlimits/0/type",
        ["config/bad/process-scheduler-unknown-policy.json"] = "/process/scheduler/policy",
        ["config/bad/process-without-cwd.json"] = "/process",
        ["config/bad/root-without-path.json"] = "/root",
        ["state/bad/annotations-list.json"] = "/annotations",
        ["state/bad/missing-bundle.json"] = "/",
        ["state/bad/missing-id.json"] = "/",
        ["state/bad/negative-pid.json"] = "/pid",
        ["state/bad/pid-string.json"] = "/pid",
        ["state/bad/unknown-status.json"] = "/status",
        ["features/bad/annotation-boolean-value.json"] = "/annotations/org.example.enabled",
        ["features/bad/cgroup-flag-string.json"] = "/linux/cgroup/v2",
        ["features/bad/hooks-string.json"] = "/hooks",
        ["features/bad/lowercase-capability.json"] = "/linux/capabilities/0",
        ["features/bad/missing-version-max.json"] = "/",
        ["features/bad/unknown-namespace.json"] = "/linux/namespaces/1",
        ["features/bad/unknown-seccomp-action.json"] = "/linux/seccomp/actions/0",
        ["features/bad/version-min-null.json"] = "/ociVersionMin",
    };

    public static TheoryData<string> GoodCases() => new(CaseFiles("good"));

    public static TheoryData<string> BadCases() => new(CaseFiles("bad"));

    [Theory]
    [MemberData(nameof(GoodCases))]
    public void Good_document_has_no_error(string caseFile)
    {
        Validate(caseFile).Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(BadCases))]
    public void Bad_document_is_rejected_at_its_defect(string caseFile)
    {
        ExpectedErrorPath.Should().ContainKey(caseFile, "every bad case needs the path where its defect must be reported");

        Validate(caseFile).Should().NotBeEmpty().And.OnlyContain(e => e.Path == ExpectedErrorPath[caseFile]);
    }

    [Fact]
    public void Every_expected_error_path_has_its_case_file()
    {
        ExpectedErrorPath.Keys.Should().BeSubsetOf(CaseFiles("bad"));
    }

    private static IReadOnlyList<ValidationError> Validate(string caseFile)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(CasesDirectory, caseFile)));
        return JsonSchemaValidator.Shared.Validate(document.RootElement, SchemaOfKind[caseFile.Split('/')[0]]);
    }

    private static IEnumerable<string> CaseFiles(string verdict) =>
        SchemaOfKind.Keys
            .SelectMany(kind => Directory.EnumerateFiles(Path.Combine(CasesDirectory, kind, verdict), "*.json"))
            .Select(file => Path.GetRelativePath(CasesDirectory, file).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal);
}
