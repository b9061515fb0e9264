using Dockyard.Diagnostics;
using Dockyard.Pipelines.Yaml;

namespace Dockyard.Jobs.Variables;

/// <summary>
/// Reads a <c>--variables-file</c>: a YAML hash of <c>NAME: value</c> or <c>NAME: {value, masked, file, expand}</c>
/// (project-variable settings, so secrets need not be on a command line).
/// </summary>
public static class VariablesFileReader
{
    private static readonly string[] Keys = ["value", "masked", "file", "expand"];

    /// <summary>Reads <paramref name="path"/>; every problem is a <see cref="SourceException"/> naming file:line:column.</summary>
    public static IReadOnlyList<JobVariable> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new DockyardException($"{path}: variables file not found. Pass an existing YAML file to --variables-file.");
        var documents = YamlFileReader.ReadDocuments(File.ReadAllText(path), path);
        var root = documents.Count == 0 ? null : documents[0];
        if (root is null) return [];
        if (root is not YamlMapping mapping)
            throw new SourceException(root.Location, $"a variables file is a hash of NAME: value, not {root.KindName}", "write one NAME: value per line");
        var variables = new List<JobVariable>();
        foreach (var entry in mapping.Entries)
        {
            if (!IsName(entry.Key))
                throw new SourceException(entry.KeyLocation, $"'{entry.Key}' is not a variable name", "use letters, digits and underscores, not starting with a digit");
            variables.Add(entry.Value switch
            {
                YamlScalar scalar => new JobVariable(entry.Key, scalar.IsNull ? "" : scalar.StringValue),
                YamlMapping hash => FromHash(entry.Key, hash),
                var other => throw new SourceException(other.Location, $"variable {entry.Key} is {other.KindName}", "give a value or a hash with value, masked, file, expand"),
            });
        }

        return variables;
    }

    private static JobVariable FromHash(string name, YamlMapping hash)
    {
        foreach (var entry in hash.Entries)
            if (!Keys.Contains(entry.Key))
                throw new SourceException(entry.KeyLocation, $"variable {name}: unknown key '{entry.Key}'", $"use {string.Join(", ", Keys)}{Suggestions.DidYouMean(entry.Key, Keys)}");
        var value = hash["value"] switch
        {
            null => throw new SourceException(hash.Location, $"variable {name} has no value", "add value: ..."),
            YamlScalar s => s.IsNull ? "" : s.StringValue,
            var other => throw new SourceException(other.Location, $"variable {name}: value is {other.KindName}", "write the value as a string"),
        };
        return new JobVariable(name, value, Flag(hash, "masked", name, false), Flag(hash, "file", name, false), Flag(hash, "expand", name, true));
    }

    private static bool Flag(YamlMapping hash, string key, string name, bool fallback) => hash[key] switch
    {
        null => fallback,
        YamlScalar { AsBoolean: { } b } => b,
        var other => throw new SourceException(other.Location, $"variable {name}: {key} must be true or false", $"write {key}: true"),
    };

    private static bool IsName(string key) =>
        key.Length > 0 && (char.IsAsciiLetter(key[0]) || key[0] == '_') && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
