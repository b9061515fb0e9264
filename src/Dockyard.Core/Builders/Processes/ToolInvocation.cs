namespace Dockyard.Builders.Processes;

/// <summary>One run of an external tool: an argument list (no shell), environment changes and optional standard input.</summary>
/// <param name="Executable">The program (a path, or a name looked up on PATH).</param>
/// <param name="Arguments">The arguments; never a secret.</param>
internal sealed record ToolInvocation(string Executable, IReadOnlyList<string> Arguments)
{
    /// <summary>Variables set (or, with a <c>null</c> value, removed) in the inherited environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Text written to standard input, then closed (how secrets reach a tool).</summary>
    public string? StandardInput { get; init; }

    /// <summary>How long the tool may run before it is killed; <c>null</c> = until cancelled.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The command as a user would type it, for messages (arguments are never secret).</summary>
    public string Display => string.Join(' ', new[] { Path.GetFileName(Executable) }.Concat(Arguments.Select(Quote)));

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_./:=@,+".Contains(c)) ? argument : $"'{argument.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
