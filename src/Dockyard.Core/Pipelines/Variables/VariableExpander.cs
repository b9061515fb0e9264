using System.Text;

namespace Dockyard.Pipelines.Variables;

/// <summary>
/// Expands <c>$VAR</c> and <c>${VAR}</c> references like GitLab: <c>$$</c> is a literal <c>$</c>, an undefined variable
/// is empty, a <c>$</c> not followed by a name stays as written. Names are <c>[A-Za-z_][A-Za-z0-9_]*</c>.
/// </summary>
public static class VariableExpander
{
    /// <summary>
    /// One pass of expansion (GitLab-side: <c>include</c> paths, <c>environment:name</c>, ...): the values of the
    /// referenced variables are inserted as they are, without expanding references inside them.
    /// </summary>
    public static string Expand(string text, Func<string, string?> lookup) => OnePass(text, lookup, keepUndefined: false);

    /// <summary>
    /// Like <see cref="Expand"/>, but a reference to an undefined variable stays as written (GitLab's
    /// <c>ExpandVariables.expand_existing</c>, used for <c>rules:changes</c> and <c>rules:exists</c> paths).
    /// </summary>
    public static string ExpandExisting(string text, Func<string, string?> lookup) => OnePass(text, lookup, keepUndefined: true);

    private static string OnePass(string text, Func<string, string?> lookup, bool keepUndefined)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(lookup);
        var first = text.IndexOf('$');
        if (first < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        builder.Append(text, 0, first);
        AppendExpanded(text, first, builder, lookup, keepUndefined);
        return builder.ToString();
    }

    /// <summary>
    /// Runner-side expansion: a referenced variable's value is itself expanded (recursively) unless it is raw
    /// (<c>expand: false</c>). A reference that would loop (<c>A: $B</c>, <c>B: $A</c>) is kept literally at the
    /// point where the loop closes, so expansion always terminates.
    /// </summary>
    public static string ExpandRecursive(string text, Func<string, VariableValue?> lookup)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(lookup);
        return text.Contains('$') ? new RecursiveExpansion(lookup).Expand(text) : text;
    }

    /// <summary>Expands every value of <paramref name="variables"/> the way the runner exports them to a job.</summary>
    public static IReadOnlyDictionary<string, string> ExpandAll(IReadOnlyDictionary<string, VariableValue> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var expansion = new RecursiveExpansion(name => variables.TryGetValue(name, out var value) ? value : null);
        var result = new Dictionary<string, string>(variables.Count, StringComparer.Ordinal);
        foreach (var (name, value) in variables)
        {
            result[name] = value.IsRaw ? value.Value : expansion.ExpandVariable(name, value.Value);
        }

        return result;
    }

    /// <summary>True when <paramref name="text"/> contains a reference that expansion would replace.</summary>
    public static bool ContainsReference(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = text.IndexOf('$'); i >= 0 && i < text.Length - 1; i = text.IndexOf('$', i + 1))
        {
            var next = text[i + 1];
            if (next == '$')
            {
                return true;
            }

            if (IsNameStart(next) || (next == '{' && TryReadBracedName(text, i, out _, out _)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Appends <paramref name="text"/> from <paramref name="start"/> (a '$') with references resolved; an undefined
    /// reference (null from <paramref name="resolve"/>) is empty, or kept as written when <paramref name="keepUndefined"/>.
    /// </summary>
    private static void AppendExpanded(string text, int start, StringBuilder builder, Func<string, string?> resolve, bool keepUndefined)
    {
        var i = start;
        while (i < text.Length)
        {
            var dollar = text.IndexOf('$', i);
            if (dollar < 0)
            {
                builder.Append(text, i, text.Length - i);
                return;
            }

            builder.Append(text, i, dollar - i);
            if (dollar + 1 >= text.Length)
            {
                builder.Append('$');
                return;
            }

            var next = text[dollar + 1];
            if (next == '$')
            {
                builder.Append('$');
                i = dollar + 2;
            }
            else if (IsNameStart(next))
            {
                var end = dollar + 2;
                while (end < text.Length && IsNamePart(text[end]))
                {
                    end++;
                }

                AppendValue(builder, resolve(text[(dollar + 1)..end]), text, dollar, end, keepUndefined);
                i = end;
            }
            else if (next == '{' && TryReadBracedName(text, dollar, out var name, out var after))
            {
                AppendValue(builder, resolve(name), text, dollar, after, keepUndefined);
                i = after;
            }
            else
            {
                builder.Append('$');
                i = dollar + 1;
            }
        }
    }

    private static void AppendValue(StringBuilder builder, string? value, string text, int start, int end, bool keepUndefined)
    {
        if (value is not null)
        {
            builder.Append(value);
        }
        else if (keepUndefined)
        {
            builder.Append(text, start, end - start);
        }
    }

    private static bool TryReadBracedName(string text, int dollar, out string name, out int after)
    {
        var end = dollar + 2;
        if (end < text.Length && IsNameStart(text[end]))
        {
            end++;
            while (end < text.Length && IsNamePart(text[end]))
            {
                end++;
            }

            if (end < text.Length && text[end] == '}')
            {
                name = text[(dollar + 2)..end];
                after = end + 1;
                return true;
            }
        }

        name = "";
        after = dollar;
        return false;
    }

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsNamePart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>One recursive expansion run: memoises expanded values and tracks the names being expanded.</summary>
    private sealed class RecursiveExpansion(Func<string, VariableValue?> lookup)
    {
        private readonly Dictionary<string, string> expanded = new(StringComparer.Ordinal);
        private readonly HashSet<string> inProgress = new(StringComparer.Ordinal);
        private int cyclesBroken;

        public string Expand(string text)
        {
            var first = text.IndexOf('$');
            if (first < 0)
            {
                return text;
            }

            var builder = new StringBuilder(text.Length + 16);
            builder.Append(text, 0, first);
            AppendExpanded(text, first, builder, Resolve, keepUndefined: false);
            return builder.ToString();
        }

        public string ExpandVariable(string name, string value)
        {
            if (expanded.TryGetValue(name, out var done))
            {
                return done;
            }

            inProgress.Add(name);
            var cyclesBefore = cyclesBroken;
            var result = Expand(value);
            inProgress.Remove(name);

            // A value cut short by a cycle depends on where the expansion started: do not reuse it.
            if (cyclesBroken == cyclesBefore)
            {
                expanded[name] = result;
            }

            return result;
        }

        private string? Resolve(string name)
        {
            if (inProgress.Contains(name))
            {
                cyclesBroken++;
                return "$" + name;
            }

            var value = lookup(name);
            if (value is not { } found)
            {
                return null;
            }

            return found.IsRaw ? found.Value : ExpandVariable(name, found.Value);
        }
    }
}
