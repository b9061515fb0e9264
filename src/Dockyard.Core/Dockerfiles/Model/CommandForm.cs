namespace Dockyard.Dockerfiles.Model;

/// <summary>A command as RUN, CMD, ENTRYPOINT or HEALTHCHECK CMD write it.</summary>
/// <param name="Arguments">Exec form: the JSON array's strings. Shell form: a single element, the command text.</param>
/// <param name="IsExecForm">True for the JSON (exec) form, false for the shell form.</param>
public sealed record CommandForm(IReadOnlyList<string> Arguments, bool IsExecForm)
{
    /// <summary>The shell form's command text, or the exec form's arguments joined by spaces.</summary>
    public string Display => IsExecForm ? "[" + string.Join(", ", Arguments.Select(a => System.Text.Json.JsonSerializer.Serialize(a))) + "]" : Arguments.Count == 0 ? "" : Arguments[0];
}
