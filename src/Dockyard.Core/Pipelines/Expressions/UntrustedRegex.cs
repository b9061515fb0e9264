using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Dockyard.Pipelines.Expressions;

/// <summary>
/// A regular expression written by a pipeline author in RE2 syntax (GitLab's <c>Gitlab::UntrustedRegexp</c>),
/// translated to a .NET <see cref="Regex"/> that runs in linear time (<see cref="RegexOptions.NonBacktracking"/>).
/// Constructs RE2 rejects (back-references, look-around, atomic groups) are rejected here too.
/// </summary>
internal sealed class UntrustedRegex
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);
    private static readonly ConcurrentDictionary<(string Source, string Flags), UntrustedRegex> Cache = new();
    private const int MaxCacheEntries = 4096;

    private readonly Regex regex;

    private UntrustedRegex(string source, string flags, Regex regex)
    {
        Source = source;
        Flags = flags;
        this.regex = regex;
    }

    /// <summary>The RE2 pattern as written, without slashes and flags.</summary>
    public string Source { get; }

    /// <summary>The flags as written (a subset of <c>ismU</c>).</summary>
    public string Flags { get; }

    /// <summary>Unanchored search, like RE2's partial match.</summary>
    public bool IsMatch(string text) => regex.IsMatch(text);

    /// <summary>Formats as <c>/source/flags</c>.</summary>
    public override string ToString() => "/" + Source + "/" + Flags;

    /// <summary>
    /// Parses a Ruby-syntax literal <c>/regex/flags</c> (GitLab's <c>UntrustedRegexp::RubySyntax</c>: greedy up to the last
    /// slash, flags from <c>ismU</c>). Returns false when the text is not such a literal or the regex is invalid.
    /// </summary>
    public static bool TryParseLiteral(string text, out UntrustedRegex? regex)
    {
        regex = null;
        if (text.Length < 2 || text[0] != '/')
        {
            return false;
        }

        var close = text.LastIndexOf('/');
        if (close <= 0)
        {
            return false;
        }

        for (var i = close + 1; i < text.Length; i++)
        {
            if (text[i] is not ('i' or 's' or 'm' or 'U'))
            {
                return false;
            }
        }

        return TryCreate(text[1..close], text[(close + 1)..], out regex, out _);
    }

    /// <summary>Compiles <paramref name="source"/> with <paramref name="flags"/>, or explains why it is not valid RE2.</summary>
    public static bool TryCreate(string source, string flags, out UntrustedRegex? regex, out string? error)
    {
        if (Cache.TryGetValue((source, flags), out regex))
        {
            error = null;
            return true;
        }

        var multiline = flags.Contains('m') || source.Contains("(?m", StringComparison.Ordinal);
        if (!Re2Translator.TryTranslate(source, multiline, out var translated, out error))
        {
            regex = null;
            return false;
        }

        var options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;
        if (flags.Contains('i'))
        {
            options |= RegexOptions.IgnoreCase;
        }

        if (flags.Contains('m'))
        {
            options |= RegexOptions.Multiline;
        }

        if (flags.Contains('s'))
        {
            options |= RegexOptions.Singleline;
        }

        try
        {
            regex = new UntrustedRegex(source, flags, new Regex(translated, options, MatchTimeout));
        }
        catch (ArgumentException exception)
        {
            regex = null;
            error = exception.Message;
            return false;
        }
        catch (NotSupportedException exception)
        {
            regex = null;
            error = exception.Message;
            return false;
        }

        if (Cache.Count >= MaxCacheEntries)
        {
            Cache.Clear();
        }

        Cache.TryAdd((source, flags), regex);
        error = null;
        return true;
    }
}
