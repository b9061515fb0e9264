using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockyard.Jobs.Planning;

/// <summary>Writes a <see cref="JobPlan"/> as the text and the JSON of <c>dockyard ci plan</c>.</summary>
public static class JobPlanWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>One block per script line: the line, then each command with what it becomes; the credentials last.</summary>
    public static string Text(JobPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var text = new StringBuilder();
        text.Append($"job {plan.Job}: {plan.Lines.Count} script lines\n");
        foreach (var line in plan.Lines)
        {
            text.Append($"\n{line.Section} line {line.Number}: {line.Text.ReplaceLineEndings(" ")}\n");
            foreach (var command in line.Commands)
            {
                text.Append($"  {Label(command.Kind),-11} {command.Command}\n");
                text.Append($"  {"",-11} {command.Description}\n");
                if (command.BuildPlan is { } build)
                    foreach (var planLine in build.TrimEnd('\n').Split('\n')) text.Append($"  {"",-11} | {planLine}\n");
            }
            if (line.Variables.Count > 0) text.Append($"  {"variables",-11} {string.Join(", ", line.Variables)}\n");
        }
        text.Append('\n').Append(plan.Credentials.Count == 0 ? "credentials: none needed\n" : "credentials:\n");
        var width = plan.Credentials.Count == 0 ? 0 : plan.Credentials.Max(c => c.Registry.Length);
        foreach (var credential in plan.Credentials) text.Append($"  {credential.Registry.PadRight(width)}  {credential.Source}\n");
        return text.ToString();
    }

    /// <summary>The plan as JSON (snake_case names; <c>kind</c> one of shell, native_image, credential, real_tool, fails).</summary>
    public static string JsonText(JobPlan plan) => JsonSerializer.Serialize(plan, Json);

    private static string Label(PlannedCommandKind kind) => kind switch
    {
        PlannedCommandKind.NativeImage => "native",
        PlannedCommandKind.Credential => "credential",
        PlannedCommandKind.RealTool => "real tool",
        PlannedCommandKind.Fails => "FAILS",
        _ => "shell",
    };
}
