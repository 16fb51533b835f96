using System.Diagnostics;
using System.Text;

namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// Boots Debian's kernel with an initramfs under qemu's software emulation (TCG: KVM is not reliable on these machines)
/// and returns what it printed on its serial console once it powers off.
/// </summary>
public static class QemuVm
{
    public const string Qemu = "/usr/bin/qemu-system-x86_64";

    /// <summary>The newest /boot/vmlinuz-*, or null when no kernel package is installed.</summary>
    public static string? Kernel =>
        Directory.Exists("/boot") ? Directory.GetFiles("/boot", "vmlinuz-*").OrderByDescending(k => k, StringComparer.Ordinal).FirstOrDefault() : null;

    /// <summary>Why the VM cannot boot here, or null.</summary>
    public static string? SkipReason =>
        TestPreconditions.SkipReason(null)
        ?? (!File.Exists(Qemu) ? $"{Qemu} is missing (Debian package qemu-system-x86)" : null)
        ?? (Kernel is null ? "no /boot/vmlinuz-* (Debian package linux-image-amd64)" : null);

    /// <param name="kernelArguments">appended to the kernel command line (e.g. systemd's cgroup layout switches)</param>
    public static string Run(string initramfs, TimeSpan timeout, string kernelArguments = "")
    {
        var start = new ProcessStartInfo(Qemu)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
                 {
                     "-accel", "tcg", "-nographic", "-no-reboot", "-m", "512", "-kernel", Kernel!, "-initrd", initramfs,
                     "-append", ("console=ttyS0 panic=-1 quiet " + kernelArguments).TrimEnd(),
                 })
            start.ArgumentList.Add(argument);
        using var qemu = Process.Start(start)!;
        var console = new StringBuilder();
        qemu.OutputDataReceived += (_, e) => { lock (console) console.AppendLine(e.Data); };
        qemu.ErrorDataReceived += (_, e) => { lock (console) console.AppendLine(e.Data); };
        qemu.BeginOutputReadLine();
        qemu.BeginErrorReadLine();
        if (!qemu.WaitForExit(timeout))
        {
            qemu.Kill(entireProcessTree: true);
            qemu.WaitForExit();
            lock (console)
                throw new TimeoutException($"the VM did not power off within {timeout.TotalSeconds} s; its console:\n{console}");
        }
        qemu.WaitForExit();
        lock (console)
            return console.ToString();
    }
}
