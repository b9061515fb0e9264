using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Dockyard.Diagnostics;
using Dockyard.Pipelines.Yaml;

namespace Dockyard.Pipelines.Includes;

/// <summary>
/// <c>spec:inputs</c> of a file and the <c>include:inputs</c> given to it: validates the values (required, type
/// string/number/boolean/array, options, regex) and interpolates <c>$[[ inputs.name | fn ]]</c> in every key and
/// value of the configuration document. A value that is exactly one block keeps the input's type (an array input
/// becomes a list); otherwise the text is substituted. Functions: <c>expand_vars</c>, <c>truncate(offset,length)</c>,
/// <c>posix_escape</c>, at most three per block.
/// </summary>
internal static partial class IncludeInputs
{
    private const int MaxFunctions = 3;
    private static readonly HashSet<string> SpecKeys = ["default", "type", "options", "regex", "description"];

    [GeneratedRegex(@"\$\[\[\s*(.*?)\s*\]\]", RegexOptions.CultureInvariant)]
    private static partial Regex Block();

    [GeneratedRegex(@"^truncate\(\s*(\d+)\s*,\s*(\d+)\s*\)$", RegexOptions.CultureInvariant)]
    private static partial Regex Truncate();

    /// <summary>Returns <paramref name="config"/> with inputs interpolated (the same instance when there is nothing to do).</summary>
    /// <param name="header">The <c>spec:</c> document, or null.</param>
    /// <param name="config">The configuration document.</param>
    /// <param name="provided">The <c>inputs:</c> of the include, or null.</param>
    /// <param name="file">The file's display name (for messages).</param>
    /// <param name="expandVars">Expands variables for <c>expand_vars</c>.</param>
    /// <param name="component">The <c>component.*</c> interpolation values of a component include, or null.</param>
    public static YamlMapping Apply(YamlMapping? header, YamlMapping config, YamlNode? provided, string file, Func<string, string> expandVars,
        IReadOnlyDictionary<string, string>? component = null)
    {
        var given = provided switch
        {
            null or YamlScalar { IsNull: true } => null,
            YamlMapping m => m,
            _ => throw new SourceException(provided.Location, $"include inputs for {file} must be a hash of name: value.", null),
        };
        var values = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (k, v) in component ?? new Dictionary<string, string>())
            values[k] = YamlScalar.String(v, config.Location);
        if (header is null)
        {
            if (component is not null) return (YamlMapping)Interpolate(config, values, file, expandVars);
            if (given is { Count: > 0 })
                throw new SourceException(given.Location, $"{file} takes no inputs (it has no spec:inputs header), but inputs were given.",
                    "Remove inputs: from the include or add a spec:inputs header to the file.");
            return config;
        }
        var specs = Specs(header, file);
        if (given is not null)
            foreach (var e in given.Entries)
                if (!specs.ContainsKey(e.Key))
                    throw new SourceException(e.KeyLocation, $"{file}: unknown input '{e.Key}'{Suggestions.DidYouMean(e.Key, specs.Keys)}.",
                        $"{file} accepts: {string.Join(", ", specs.Keys)}.");
        foreach (var (name, spec) in specs)
            values["inputs." + name] = Validate(name, spec, given?.Entry(name), file);
        return (YamlMapping)Interpolate(config, values, file, expandVars);
    }

    private static Dictionary<string, (SourceLocation At, YamlMapping? Spec)> Specs(YamlMapping header, string file)
    {
        var result = new Dictionary<string, (SourceLocation, YamlMapping?)>(StringComparer.Ordinal);
        if (header["spec"] is not YamlMapping spec || spec["inputs"] is not YamlMapping inputs) return result;
        foreach (var e in inputs.Entries)
        {
            var map = e.Value switch
            {
                YamlMapping m => m,
                YamlScalar { IsNull: true } => null,
                _ => throw new SourceException(e.Value.Location, $"{file}: spec:inputs:{e.Key} must be a hash (default, type, options, regex, description).", null),
            };
            if (map is not null)
            {
                foreach (var k in map.Entries)
                    if (!SpecKeys.Contains(k.Key))
                        throw new SourceException(k.KeyLocation, $"{file}: spec:inputs:{e.Key} has unknown keyword '{k.Key}'{Suggestions.DidYouMean(k.Key, SpecKeys)}.", null);
                if (map["type"] is YamlScalar { Text: not ("string" or "number" or "boolean" or "array") } t)
                    throw new SourceException(t.Location, $"{file}: spec:inputs:{e.Key} has unknown type '{t.Text}'.", "Use string, number, boolean or array.");
            }
            result[e.Key] = (e.KeyLocation, map);
        }
        return result;
    }

    private static YamlNode Validate(string name, (SourceLocation At, YamlMapping? Spec) input, YamlEntry? given, string file)
    {
        var spec = input.Spec;
        var value = given?.Value ?? spec?["default"]
            ?? throw new SourceException(given?.KeyLocation ?? input.At, $"{file}: input '{name}' is required and has no value.",
                $"Pass inputs: {{{name}: ...}} in the include, or give it a default.");
        var at = given?.Value.Location ?? value.Location;
        var type = spec?["type"] is YamlScalar t ? t.Text : "string";
        bool ok = type switch
        {
            "array" => value is YamlSequence,
            "boolean" => value is YamlScalar { Kind: YamlScalarKind.Boolean },
            "number" => value is YamlScalar { Kind: YamlScalarKind.Integer or YamlScalarKind.Float },
            _ => value is YamlScalar { Kind: YamlScalarKind.String or YamlScalarKind.Null },
        };
        if (!ok)
            throw new SourceException(at, $"{file}: input '{name}' must be {(type == "array" ? "an array" : "a " + type)}, not {value.KindName}.", "Fix the value or the input's type.");
        var text = TextOf(value);
        if (spec?["options"] is YamlSequence options && !options.Items.OfType<YamlScalar>().Any(o => o.StringValue == text))
            throw new SourceException(at, $"{file}: input '{name}' value '{text}' is not one of the allowed options ({string.Join(", ", options.Items.OfType<YamlScalar>().Select(o => o.StringValue))}).", null);
        if (spec?["regex"] is YamlScalar { IsNull: false } regex)
        {
            var pattern = regex.Text.Length > 1 && regex.Text[0] == '/' && regex.Text[^1] == '/' ? regex.Text[1..^1] : regex.Text;
            bool matches;
            try { matches = Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)); }
            catch (ArgumentException ex) { throw new SourceException(regex.Location, $"{file}: input '{name}' has an invalid regex: {ex.Message}", null, ex); }
            if (!matches)
                throw new SourceException(at, $"{file}: input '{name}' value '{text}' does not match the regex {regex.Text}.", null);
        }
        return value;
    }

    private static string TextOf(YamlNode value) => value switch
    {
        YamlScalar s => s.StringValue,
        YamlSequence list => string.Join(",", list.Items.Select(TextOf)),
        _ => "",
    };

    private static YamlNode Interpolate(YamlNode node, Dictionary<string, YamlNode> values, string file, Func<string, string> expandVars)
    {
        switch (node)
        {
            case YamlScalar s when s.Text.Contains("$[[", StringComparison.Ordinal):
                return Scalar(s, values, file, expandVars);
            case YamlSequence list:
            {
                var items = list.Items.Select(i => Interpolate(i, values, file, expandVars)).ToList();
                return items.SequenceEqual(list.Items) ? list : new YamlSequence(items, list.Location);
            }
            case YamlMapping map:
            {
                var result = new YamlMapping(map.Location);
                bool changed = false;
                foreach (var e in map.Entries)
                {
                    var key = e.Key.Contains("$[[", StringComparison.Ordinal)
                        ? Text(e.Key, e.KeyLocation, values, file, expandVars) : e.Key;
                    var value = Interpolate(e.Value, values, file, expandVars);
                    changed |= key != e.Key || !ReferenceEquals(value, e.Value);
                    result.Set(key, e.KeyLocation, value);
                }
                return changed ? result : map;
            }
            default:
                return node;
        }
    }

    private static YamlNode Scalar(YamlScalar s, Dictionary<string, YamlNode> values, string file, Func<string, string> expandVars)
    {
        var match = Block().Match(s.Text);
        if (match.Success && match.Index == 0 && match.Length == s.Text.Length)
        {
            var (value, functions) = Resolve(match.Groups[1].Value, s.Location, values, file);
            if (functions.Length == 0 && value is not YamlScalar { Kind: YamlScalarKind.String }) return value;
        }
        return new YamlScalar(Text(s.Text, s.Location, values, file, expandVars), YamlScalarStyle.Quoted, s.Location);
    }

    private static string Text(string text, SourceLocation at, Dictionary<string, YamlNode> values, string file, Func<string, string> expandVars) =>
        Block().Replace(text, m =>
        {
            var (value, functions) = Resolve(m.Groups[1].Value, at, values, file);
            var result = value is YamlSequence list ? "[" + string.Join(", ", list.Items.Select(TextOf)) + "]" : TextOf(value);
            foreach (var function in functions) result = Apply(function, result, at, file, expandVars);
            return result;
        });

    private static (YamlNode Value, string[] Functions) Resolve(string expression, SourceLocation at, Dictionary<string, YamlNode> values, string file)
    {
        var parts = expression.Split('|', StringSplitOptions.TrimEntries);
        var key = parts[0];
        if (!values.TryGetValue(key, out var value))
            throw new SourceException(at, $"{file}: unknown interpolation key '{key}'{Suggestions.DidYouMean(key, values.Keys)}.",
                "Use $[[ inputs.NAME ]] with a name declared under spec:inputs.");
        if (parts.Length - 1 > MaxFunctions)
            throw new SourceException(at, $"{file}: too many functions in interpolation block '$[[ {expression} ]]' (at most {MaxFunctions}).", null);
        return (value, parts[1..]);
    }

    private static string Apply(string function, string value, SourceLocation at, string file, Func<string, string> expandVars)
    {
        if (function == "expand_vars") return expandVars(value);
        if (function == "posix_escape") return PosixEscape(value);
        var truncate = Truncate().Match(function);
        if (truncate.Success)
        {
            int offset = Math.Min(int.Parse(truncate.Groups[1].Value, CultureInfo.InvariantCulture), value.Length);
            int length = Math.Min(int.Parse(truncate.Groups[2].Value, CultureInfo.InvariantCulture), value.Length - offset);
            return value.Substring(offset, length);
        }
        throw new SourceException(at, $"{file}: unknown interpolation function '{function}'.", "Use expand_vars, truncate(offset,length) or posix_escape.");
    }

    // Ruby Shellwords.escape
    private static string PosixEscape(string value)
    {
        if (value.Length == 0) return "''";
        var text = new StringBuilder();
        foreach (var c in value)
        {
            if (c == '\n') text.Append("'\n'");
            else if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ',' or ':' or '+' or '/' or '@')) text.Append('\\').Append(c);
            else text.Append(c);
        }
        return text.ToString();
    }
}
