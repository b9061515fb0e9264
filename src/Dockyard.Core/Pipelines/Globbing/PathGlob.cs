using System.IO.Enumeration;
using System.Text;
using System.Text.RegularExpressions;
using Dockyard.Diagnostics;

namespace Dockyard.Pipelines.Globbing;

/// <summary>
/// A compiled path glob matched against '/'-separated paths relative to the project root (a leading <c>/</c> in the
/// pattern is ignored). Matching runs in linear time (<see cref="RegexOptions.NonBacktracking"/>).
/// </summary>
public sealed class PathGlob
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);
    private readonly Regex regex;

    private PathGlob(string pattern, PathGlobSyntax syntax, Regex regex, string baseDirectory)
    {
        Pattern = pattern;
        Syntax = syntax;
        this.regex = regex;
        BaseDirectory = baseDirectory;
    }

    /// <summary>The pattern as written.</summary>
    public string Pattern { get; }

    /// <summary>The dialect the pattern is read in.</summary>
    public PathGlobSyntax Syntax { get; }

    /// <summary>The longest leading directory without wildcards ("" for the root); enumeration starts there.</summary>
    public string BaseDirectory { get; }

    /// <summary>True when the pattern has no wildcard at all (a plain path).</summary>
    public bool IsLiteral => BaseDirectory.Length > 0 && BaseDirectory == Pattern.TrimStart('/');

    /// <summary>Compiles <paramref name="pattern"/>; throws <see cref="DockyardException"/> for an empty pattern.</summary>
    public static PathGlob Compile(string pattern, PathGlobSyntax syntax = PathGlobSyntax.FileMatch)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var body = pattern.StartsWith('/') ? pattern[1..] : pattern;
        if (body.Length == 0)
        {
            throw new DockyardException($"The path pattern '{pattern}' is empty. Write a path relative to the project root, e.g. 'src/**/*.cs'.");
        }

        var translated = syntax == PathGlobSyntax.FileMatch ? TranslateFileMatch(body) : TranslateIncludeWildcard(body);
        var regex = new Regex("^(?:" + translated + ")$",
            RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.Singleline, MatchTimeout);
        return new PathGlob(pattern, syntax, regex, LiteralPrefix(body, syntax));
    }

    /// <summary>True when <paramref name="relativePath"/> (with '/' separators, no leading '/') matches.</summary>
    public bool IsMatch(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        return regex.IsMatch(relativePath.StartsWith('/') ? relativePath.AsSpan(1) : relativePath);
    }

    /// <summary>The files under <paramref name="root"/> matching <paramref name="pattern"/>, as sorted '/'-relative paths (<c>.git/</c> skipped).</summary>
    public static IEnumerable<string> Enumerate(string root, string pattern, PathGlobSyntax syntax = PathGlobSyntax.FileMatch) =>
        Compile(pattern, syntax).Enumerate(root);

    /// <summary>The files under <paramref name="root"/> this glob matches, as sorted '/'-relative paths (<c>.git/</c> skipped).</summary>
    public IReadOnlyList<string> Enumerate(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var fullRoot = Path.GetFullPath(root);
        var start = BaseDirectory.Length == 0 ? fullRoot : Path.Combine(fullRoot, BaseDirectory.Replace('/', Path.DirectorySeparatorChar));
        var results = new List<string>();
        if (!Path.GetFullPath(start).StartsWith(fullRoot, StringComparison.Ordinal))
        {
            // A pattern climbing out of the project ("../x") matches nothing.
            return results;
        }

        if (IsLiteral)
        {
            if (File.Exists(start))
            {
                results.Add(BaseDirectory);
            }

            return results;
        }

        if (!Directory.Exists(start))
        {
            return results;
        }

        var prefixLength = fullRoot.Length + (fullRoot.EndsWith(Path.DirectorySeparatorChar) ? 0 : 1);
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            AttributesToSkip = 0,
            ReturnSpecialDirectories = false,
        };
        var files = new FileSystemEnumerable<string>(start,
            (ref FileSystemEntry entry) => entry.ToFullPath()[prefixLength..].Replace(Path.DirectorySeparatorChar, '/'),
            options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory,
            ShouldRecursePredicate = (ref FileSystemEntry entry) =>
                !(entry.FileName is ".git") && (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };
        foreach (var file in files)
        {
            if (regex.IsMatch(file))
            {
                results.Add(file);
            }
        }

        results.Sort(StringComparer.Ordinal);
        return results;
    }

    /// <inheritdoc/>
    public override string ToString() => Pattern;

    private static string TranslateIncludeWildcard(string pattern)
    {
        var builder = new StringBuilder(pattern.Length + 16);
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '*')
            {
                if (i + 1 < pattern.Length && pattern[i + 1] == '*')
                {
                    builder.Append(".*");
                    i++;
                }
                else
                {
                    builder.Append("[^/]*");
                }
            }
            else
            {
                builder.Append(Regex.Escape(pattern[i].ToString()));
            }
        }

        return builder.ToString();
    }

    /// <summary>A regex that matches nothing (Ruby's answer for patterns it cannot use).</summary>
    private const string NeverMatches = "[^\\u0000-\\uFFFF]";

    private static string TranslateFileMatch(string pattern)
    {
        // Ruby's brace expansion gives up on an unclosed '{': such a pattern matches nothing.
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                i++;
            }
            else if (pattern[i] == '{' && !HasClosingBrace(pattern, i))
            {
                return NeverMatches;
            }
        }

        var builder = new StringBuilder(pattern.Length + 16);
        var braceDepth = 0;

        // For each open brace: whether it starts a path segment, so that "{**/a,b}" treats "**/" like Ruby's brace expansion.
        var braceAtSegmentStart = new Stack<bool>();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*':
                {
                    var atSegmentStart = i == 0 || pattern[i - 1] == '/'
                        || (braceDepth > 0 && pattern[i - 1] is '{' or ',' && braceAtSegmentStart.Peek());
                    if (atSegmentStart && i + 2 < pattern.Length && pattern[i + 1] == '*' && pattern[i + 2] == '/')
                    {
                        builder.Append("(?:[^/]*/)*");
                        i += 2;
                    }
                    else
                    {
                        while (i + 1 < pattern.Length && pattern[i + 1] == '*')
                        {
                            i++;
                        }

                        builder.Append("[^/]*");
                    }

                    break;
                }

                case '?':
                    builder.Append("[^/]");
                    break;
                case '[':
                    i = AppendBracket(pattern, i, builder, insideBraces: braceDepth > 0);
                    break;
                case '{' when HasClosingBrace(pattern, i):
                    braceAtSegmentStart.Push(i == 0 || pattern[i - 1] == '/'
                        || (braceDepth > 0 && pattern[i - 1] is '{' or ',' && braceAtSegmentStart.Peek()));
                    braceDepth++;
                    builder.Append("(?:");
                    break;
                case ',' when braceDepth > 0:
                    builder.Append('|');
                    break;
                case '}' when braceDepth > 0:
                    braceDepth--;
                    braceAtSegmentStart.Pop();
                    builder.Append(')');
                    break;
                case '\\':
                    // A trailing backslash escapes nothing and is dropped, as in Ruby.
                    if (i + 1 < pattern.Length)
                    {
                        i++;
                        builder.Append(Regex.Escape(pattern[i].ToString()));
                    }

                    break;
                default:
                    builder.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Appends a bracket expression and returns the index of its ']'. As in Ruby, a ']' right after '[' or '[!' closes
    /// an empty set, and an unclosed '[' (at the end of the pattern or of a brace alternative) matches nothing.
    /// </summary>
    private static int AppendBracket(string pattern, int open, StringBuilder builder, bool insideBraces)
    {
        var i = open + 1;
        var negated = i < pattern.Length && pattern[i] is '!' or '^';
        if (negated)
        {
            i++;
        }

        var members = new StringBuilder();
        for (; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == ']')
            {
                // With FNM_PATHNAME a bracket expression never matches '/'.
                if (negated)
                {
                    builder.Append("[^/").Append(members).Append(']');
                }
                else if (members.Length == 0)
                {
                    builder.Append(NeverMatches);
                }
                else
                {
                    builder.Append('[').Append(members).Append("-[/]]");
                }

                return i;
            }

            if (insideBraces && c is ',' or '}')
            {
                break;
            }

            if (c == '\\' && i + 1 < pattern.Length)
            {
                i++;
                c = pattern[i];
            }

            if (c == '/')
            {
                continue;
            }

            if (c == '-' && members.Length > 0 && i + 1 < pattern.Length && pattern[i + 1] != ']')
            {
                members.Append('-');
                continue;
            }

            if (c is '\\' or ']' or '[' or '^' or '-')
            {
                members.Append('\\');
            }

            members.Append(c);
        }

        // Unclosed: this alternative can never match; continue translating after the '['.
        builder.Append(NeverMatches);
        return open;
    }

    private static bool HasClosingBrace(string pattern, int open)
    {
        var depth = 0;
        for (var i = open; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                i++;
            }
            else if (pattern[i] == '{')
            {
                depth++;
            }
            else if (pattern[i] == '}' && --depth == 0)
            {
                return true;
            }
        }

        return false;
    }

    private static string LiteralPrefix(string pattern, PathGlobSyntax syntax)
    {
        var special = syntax == PathGlobSyntax.FileMatch ? "*?[{\\" : "*";
        var firstSpecial = pattern.IndexOfAny(special.ToCharArray());
        if (firstSpecial < 0)
        {
            return pattern;
        }

        var slash = pattern.LastIndexOf('/', firstSpecial);
        return slash < 0 ? "" : pattern[..slash];
    }
}
