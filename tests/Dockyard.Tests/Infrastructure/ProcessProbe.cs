namespace Dockyard.Tests.Infrastructure;

/// <summary>Whether a process id is still alive, from <c>/proc</c> (a zombie counts as gone: it runs no more code).</summary>
public static class ProcessProbe
{
    /// <summary>Whether <paramref name="pid"/> exists and is not a zombie.</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return !stat[(stat.LastIndexOf(')') + 1)..].TrimStart().StartsWith('Z');
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Waits (up to 30 s, a bound, not a measured time) for <paramref name="pid"/> to be gone; true when it is.</summary>
    public static bool WaitUntilGone(int pid) => SpinWait.SpinUntil(() => !IsRunning(pid), TimeSpan.FromSeconds(30));
}
