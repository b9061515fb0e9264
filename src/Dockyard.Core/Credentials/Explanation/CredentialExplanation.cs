using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockyard.Credentials.Explanation;

/// <summary>
/// Why the chain answered what it did for one registry: every source in order with its outcome, the credential
/// found (never its secret) and the error of a broken source.
/// </summary>
/// <param name="Registry">The canonical registry name.</param>
/// <param name="ConfigKey">The key docker's config and credential helpers use for it.</param>
/// <param name="Access">Push or pull.</param>
/// <param name="Steps">Every source of the chain, in order.</param>
/// <param name="Credential">The credential found, or <c>null</c> for anonymous access (or after an error).</param>
/// <param name="Error">The message of the broken source that stopped the chain, or <c>null</c>.</param>
public sealed record CredentialExplanation(
    string Registry,
    string ConfigKey,
    RegistryAccess Access,
    IReadOnlyList<CredentialTraceStep> Steps,
    CredentialSummary? Credential,
    string? Error)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new CredentialSourceKindJsonConverter(), new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>Whether a source was broken.</summary>
    [JsonIgnore]
    public bool Failed => Error is not null;

    /// <summary>The explanation as indented JSON (camelCase names, kebab-case enum values).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>The explanation as text for people: one line per source, then the result.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.Append("Credentials for ").Append(Registry).Append(" (config key ").Append(ConfigKey)
            .Append(", ").Append(Access == RegistryAccess.Push ? "push" : "pull").AppendLine("), sources in order:");
        var width = Steps.Count == 0 ? 0 : Steps.Max(s => Describe(s).Length);
        for (var i = 0; i < Steps.Count; i++)
        {
            var step = Steps[i];
            text.Append($"{i + 1,3}. ").Append(Describe(step).PadRight(width)).Append("  ")
                .Append(OutcomeText(step.Outcome).PadRight(13));
            if (step.Detail.Length > 0)
            {
                text.Append(' ').Append(step.Detail);
            }

            text.AppendLine();
        }

        if (Error is not null)
        {
            text.Append("Error: ").AppendLine(Error);
        }
        else if (Credential is null)
        {
            text.Append("Result: no credential found; ").Append(Registry).AppendLine(" will be accessed anonymously.");
        }
        else
        {
            text.Append("Result: ").Append(Credential.Username is null ? "no user" : $"user \"{Credential.Username}\"")
                .Append(" with ").Append(Credential.Kind).Append(" from ").Append(Credential.Source).AppendLine(".");
        }

        return text.ToString();
    }

    private static string Describe(CredentialTraceStep step) =>
        step.Location is null ? step.Source : $"{step.Source} ({step.Location})";

    private static string OutcomeText(CredentialTraceOutcome outcome) => outcome switch
    {
        CredentialTraceOutcome.Disabled => "disabled",
        CredentialTraceOutcome.Absent => "absent",
        CredentialTraceOutcome.NoMatch => "no match",
        CredentialTraceOutcome.Answered => "ANSWERED",
        CredentialTraceOutcome.Failed => "FAILED",
        _ => "not consulted",
    };
}
