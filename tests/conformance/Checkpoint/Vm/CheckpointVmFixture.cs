using static OciRuntime.Tests.Conformance.Infrastructure.InitramfsTree;

namespace OciRuntime.Tests.Conformance.Checkpoint.Vm;

/// <summary>
/// One boot of Debian's 6.1 kernel (under qemu TCG), on which CRIU works, running every checkpoint scenario under
/// ociruntime and under runc 1.1.5 (the control): an initramfs with busybox, criu and what it runs (GNU tar and gzip,
/// iproute2's ip, iptables), both runtimes, podman with conmon, the modules CRIU's feature probe needs, and one counter bundle. vm-checks.sh prints
/// "@@ key=value" lines on the serial console. Booted on first use, shared by the tests.
/// </summary>
public sealed class CheckpointVmFixture : VmCheckFixture
{
    public const string Criu = "/usr/sbin/criu", Runc = "/usr/sbin/runc", XtablesNft = "/usr/sbin/xtables-nft-multi";
    public const string Podman = "/usr/bin/podman", Conmon = "/usr/bin/conmon";
    public const string TcpNetns = "ckpt-tcp";
    private const string XtablesExtensions = "/usr/lib/x86_64-linux-gnu/xtables";
    public const long PidsLimit = 64, MemoryLimit = 64L << 20;

    /// <summary>
    /// What CRIU's kernel-feature probe (kerndat) needs: nf_tables (kerndat_has_nftables_concat fails without it) and the
    /// sock_diag modules, then what its network lock and netns dump need; in load order (the prefix), each after what it
    /// depends on.
    /// </summary>
    private static readonly string[] Modules =
    [
        "crypto/crc32c_generic.ko", "lib/libcrc32c.ko", "net/netfilter/nfnetlink.ko", "net/netfilter/nf_tables.ko",
        "net/ipv4/inet_diag.ko", "net/ipv4/tcp_diag.ko", "net/ipv4/udp_diag.ko", "net/unix/unix_diag.ko",
        "net/netlink/netlink_diag.ko", "net/packet/af_packet_diag.ko",
        // What iptables needs for the rules CRIU locks an established connection with (--tcp-established).
        "net/netfilter/x_tables.ko", "net/netfilter/nft_compat.ko", "net/netfilter/xt_mark.ko", "net/netfilter/xt_tcpudp.ko",
        // ctnetlink: CRIU dumps a network namespace's conntrack entries, and netlink answers EINVAL without it.
        "net/ipv4/netfilter/nf_defrag_ipv4.ko", "net/ipv6/netfilter/nf_defrag_ipv6.ko", "net/netfilter/nf_conntrack.ko",
        "net/netfilter/nf_conntrack_netlink.ko",
    ];

    public CheckpointVmFixture() : base("ociruntime-checkpointvm")
    {
    }

    protected override void BuildTree(string root)
    {
        string here = Path.Combine(AppContext.BaseDirectory, "Checkpoint", "Vm");
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        CopyBusyboxAndRuntime(root);
        CopyWithLibraries(Criu, root, "usr/sbin/criu");
        if (File.Exists(Runc))
            CopyWithLibraries(Runc, root, "usr/sbin/runc");
        foreach (string program in new[] { "/usr/bin/tar", "/usr/bin/gzip", "/usr/bin/ip" })
            CopyWithLibraries(program, root, "usr/local/bin/" + Path.GetFileName(program));
        // CRIU runs iptables-restore and ip6tables-restore (and `iptables` to drop each established TCP connection of a netns
        // it does not dump): xtables-nft-multi is all of them, by the name it was run as.
        CopyWithLibraries(XtablesNft, root, "usr/local/bin/xtables-nft-multi");
        foreach (string name in new[] { "iptables", "iptables-restore", "ip6tables", "ip6tables-restore" })
            File.CreateSymbolicLink(Path.Combine(root, "usr", "local", "bin", name), "xtables-nft-multi");
        // The extensions its lock rules load (-m mark, -p tcp --sport, the standard targets), dlopen'ed so not in ldd's list.
        foreach (string extension in new[] { "libxt_mark.so", "libxt_tcp.so", "libxt_standard.so" })
            CopyFile(Path.Combine(XtablesExtensions, extension), Path.Combine(root, XtablesExtensions.TrimStart('/'), extension));
        // podman's `container checkpoint/restore` with ociruntime as its runtime: podman, conmon, and the policy `import` reads.
        CopyWithLibraries(Podman, root, "usr/bin/podman");
        CopyWithLibraries(Conmon, root, "usr/bin/conmon");
        CopyFile("/etc/containers/policy.json", Path.Combine(root, "etc", "containers", "policy.json"));
        File.WriteAllText(Path.Combine(root, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        File.WriteAllText(Path.Combine(root, "etc", "group"), "root:x:0:\n");
        for (int i = 0; i < Modules.Length; i++)
            CopyKernelModule(Modules[i], Path.Combine(root, "modules", $"{i:D2}-{Path.GetFileName(Modules[i])}"));
        CopyScript(Path.Combine(here, "vm-init.sh"), Path.Combine(root, "init"));
        CopyFile(Path.Combine(here, "vm-checks.sh"), Path.Combine(root, "checks.sh"));
        _ = new BusyboxBundle(Path.Combine(root, "bundle"));
        string counter = Directory.CreateDirectory(Path.Combine(root, "bundles", "counter")).FullName;
        File.WriteAllText(Path.Combine(counter, "config.json"), CounterConfig().ToJsonString());
        string tcp = Directory.CreateDirectory(Path.Combine(root, "bundles", "tcp")).FullName;
        File.WriteAllText(Path.Combine(tcp, "config.json"), TcpServerConfig($"/run/netns/{TcpNetns}").ToJsonString());
        string ownNetns = Directory.CreateDirectory(Path.Combine(root, "bundles", "ownnet")).FullName;
        File.WriteAllText(Path.Combine(ownNetns, "config.json"), TcpServerConfig(netnsPath: null).ToJsonString());
        string terminal = Directory.CreateDirectory(Path.Combine(root, "bundles", "terminal")).FullName;
        File.WriteAllText(Path.Combine(terminal, "config.json"), TerminalConfig().ToJsonString());
        CompileConsoleReceiver(Path.Combine(root, "usr", "local", "bin", "console-receiver"));
    }

    /// <summary>A terminal container that prints "tick 1", "tick 2", ... on its pty.</summary>
    private static JsonObject TerminalConfig()
    {
        var config = RuncDefaultConfig.Create();
        config.RemoveNamespace("network");
        config.ObjectAt("root")["path"] = "/bundle/rootfs";
        config.SetCgroupsPath("/ckpt/terminal");
        config.SetShellScript("i=0; while true; do i=$((i + 1)); echo tick $i; sleep 0.1; done");
        return config;
    }

    /// <summary>
    /// An echo server on TCP port 7000 (busybox nc running cat on the accepted connection), in a network namespace the VM
    /// made (`ip netns add`) that the config joins by <paramref name="netnsPath"/>: CRIU leaves a netns it does not own
    /// alone (runc's external "extRootNetNS") and locks the connection with iptables; or, without a path, in its own
    /// netns, which CRIU dumps and makes anew.
    /// </summary>
    private static JsonObject TcpServerConfig(string? netnsPath)
    {
        var config = RuncDefaultConfig.Create();
        config.SetNamespace("network", netnsPath);
        config.Process()["terminal"] = false;
        config.ObjectAt("root")["path"] = "/bundle/rootfs";
        config.SetCgroupsPath(netnsPath is null ? "/ckpt/ownnet" : "/ckpt/tcp");
        config.SetShellScript("exec </dev/null >/dev/null 2>&1; exec nc -l -p 7000 -e cat");
        return config;
    }

    /// <summary>The VM's --console-socket end, static: the initramfs has no compiler and only the libraries it copied.</summary>
    private static void CompileConsoleReceiver(string binary)
    {
        var source = Path.Combine(RepositoryRoot.Path, "tests", "conformance", "Checkpoint", "Vm", "console-receiver.c");
        Directory.CreateDirectory(Path.GetDirectoryName(binary)!);
        CommandRunner.Run("gcc", ["-static", "-O2", "-Wall", "-Wextra", "-Werror", "-o", binary, source]).ShouldSucceed();
    }

    /// <summary>
    /// A shell that appends 1, 2, 3, ... to /shared/count (a bind of the VM's /tmp/shared, an external mount for CRIU),
    /// its stdio the container's own /dev/null (the VM's would be files from outside the container), with cgroup limits.
    /// In the VM's network namespace, which CRIU leaves alone (the own-netns scenario uses the ownnet bundle).
    /// </summary>
    private static JsonObject CounterConfig()
    {
        var config = RuncDefaultConfig.Create();
        config.RemoveNamespace("network");
        var resources = config.Linux().ObjectAt("resources");
        resources["pids"] = new JsonObject { ["limit"] = PidsLimit };
        resources["memory"] = new JsonObject { ["limit"] = MemoryLimit };
        config.Process()["terminal"] = false;
        config.ObjectAt("root")["path"] = "/bundle/rootfs";
        config.AddBindMount("/tmp/shared", "/shared", "rbind", "rw");
        config.SetCgroupsPath("/ckpt/counter");
        config.SetShellScript("exec </dev/null >/dev/null 2>&1; i=0; while true; do i=$((i + 1)); echo $i >> /shared/count; sleep 0.1; done");
        return config;
    }
}
