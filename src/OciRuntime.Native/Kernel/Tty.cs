namespace OciRuntime.Kernel;

/// <summary>Terminal settings of a foreground `run`'s own terminal and of a container's pty (c/helpers.c).</summary>
internal static unsafe class Tty
{
    /// <summary>Room for a struct termios (60 bytes on x86_64).</summary>
    private const int SettingsSize = 128;

    public static bool IsTerminal(OwnedFd fd) => Libc.isatty(fd.Number) == 1;

    /// <summary>Raw mode for a terminal, output processing kept: its old settings, for <see cref="Restore"/>, or null when it cannot be made raw.</summary>
    public static byte[]? MakeRaw(OwnedFd terminal)
    {
        var saved = new byte[SettingsSize];
        fixed (byte* settings = saved)
            return NativeHelpers.ocirt_tty_make_raw(terminal.Number, settings, saved.Length) == 0 ? saved : null;
    }

    /// <summary>Puts back the settings <see cref="MakeRaw"/> saved; best effort, as the terminal may be gone.</summary>
    public static void Restore(OwnedFd terminal, byte[] saved)
    {
        fixed (byte* settings = saved)
            NativeHelpers.ocirt_tty_restore(terminal.Number, settings);
    }

    /// <summary>-onlcr on a pty: "\n" reaches the other side as "\n" (runc's); best effort, as runc's.</summary>
    public static void ClearOnlcr(OwnedFd pty) => NativeHelpers.ocirt_tty_clear_onlcr(pty.Number);

    /// <summary>Gives <paramref name="to"/> the window size of <paramref name="from"/>; nothing when either is no terminal.</summary>
    public static void CopyWindowSize(OwnedFd from, OwnedFd to)
    {
        Libc.WinSize size;
        if (Libc.syscall(Libc.SYS_ioctl, from.Number, Libc.TIOCGWINSZ, (long)&size, 0, 0) == 0)
            Libc.syscall(Libc.SYS_ioctl, to.Number, Libc.TIOCSWINSZ, (long)&size, 0, 0);
    }
}
