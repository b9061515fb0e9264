using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Dockyard.Processes;

/// <summary>
/// Starting a program in a process group of its own and killing that group. .NET cannot set a child's process group,
/// so on Linux the program is started through util-linux <c>setsid</c>, which calls <c>setsid()</c> and then execs it
/// (same pid, so the pid is the group id); <c>kill(-pid, SIGKILL)</c> then reaches every descendant that stayed in the
/// group, including grandchildren whose parent already exited (which a walk of the process tree misses). Where
/// <c>setsid</c> is absent (macOS, Windows) only the process tree is killed.
/// </summary>
internal static class ProcessGroup
{
    private const int SigKill = 9;

    /// <summary>The <c>setsid</c> wrapper, at a fixed system path (never looked up on a PATH the user controls), or <c>null</c>.</summary>
    public static string? Setsid { get; } =
        OperatingSystem.IsLinux() ? new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists) : null;

    /// <summary>A start for <paramref name="path"/> with <paramref name="arguments"/>, in its own group when possible.</summary>
    public static ProcessStartInfo StartInfo(string path, IReadOnlyList<string> arguments, out bool ownGroup)
    {
        ownGroup = Setsid is not null;
        var start = new ProcessStartInfo(Setsid ?? path);
        if (ownGroup)
        {
            // --wait: should setsid ever have to fork (it only does when started as a group leader), it still
            // returns the program's exit status.
            start.ArgumentList.Add("--wait");
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(path);
        }

        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return start;
    }

    /// <summary>Kills the program's group (when it has one) and its process tree.</summary>
    public static void Kill(Process process, bool ownGroup)
    {
        int pid;
        try
        {
            pid = process.Id;
        }
        catch (InvalidOperationException)
        {
            return;
        }

        if (ownGroup && OperatingSystem.IsLinux()) _ = KillGroup(-pid, SigKill);
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception error) when (error is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already gone, or the group kill took it.
        }
    }

    // DllImport rather than LibraryImport: the latter needs unsafe code enabled for the whole library, for two ints.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int KillGroup(int pid, int signal);
}
