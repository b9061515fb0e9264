using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Expansion;

namespace Dockyard.Dockerfiles.Model;

/// <summary>What COPY and ADD share: sources, destination and the common flags.</summary>
/// <param name="Location">Where the keyword is.</param>
/// <param name="Keyword">COPY or ADD.</param>
/// <param name="Text">The logical line.</param>
/// <param name="Sources">The sources as written; a heredoc source is written <c>&lt;&lt;NAME</c>.</param>
/// <param name="Destination">The destination path.</param>
/// <param name="Chown"><c>--chown</c>.</param>
/// <param name="Chmod"><c>--chmod</c>.</param>
/// <param name="Link"><c>--link</c>.</param>
/// <param name="Excludes"><c>--exclude</c> patterns.</param>
/// <param name="Heredocs">Here-documents opened on the line.</param>
public abstract record FileTransferInstruction(SourceLocation Location, string Keyword, string Text, IReadOnlyList<string> Sources,
    string Destination, string? Chown, string? Chmod, bool Link, IReadOnlyList<string> Excludes, IReadOnlyList<Heredoc> Heredocs)
    : Instruction(Location, Keyword, Text)
{
    /// <summary>The heredoc a source stands for (<c>&lt;&lt;EOF</c>, <c>&lt;&lt;-"EOF"</c>), or null for a path.</summary>
    public Heredoc? HeredocFor(string source)
    {
        if (!source.StartsWith("<<", StringComparison.Ordinal)) return null;
        var name = source.TrimStart('<').TrimStart('-').Trim('"', '\'');
        return Heredocs.FirstOrDefault(h => h.Name == name);
    }

    /// <summary>Expands sources (except heredoc markers), destination, chown, chmod, excludes and unquoted heredoc bodies.</summary>
    protected T ExpandCommon<T>(T self, WordExpander expander) where T : FileTransferInstruction => self with
    {
        Sources = Sources.Select(s => HeredocFor(s) is null ? expander.Expand(s) : s).ToList(),
        Destination = expander.Expand(Destination),
        Chown = Chown is null ? null : expander.Expand(Chown),
        Chmod = Chmod is null ? null : expander.Expand(Chmod),
        Excludes = Excludes.Select(expander.Expand).ToList(),
        Heredocs = Heredocs.Select(h => h.Expand ? h with { Content = expander.ExpandVariables(h.Content) } : h).ToList(),
    };
}

/// <summary><c>COPY [--from=..] [--chown=..] [--chmod=..] [--link] [--exclude=..] [--parents] src... dest</c>.</summary>
/// <param name="Location">Where the keyword is.</param>
/// <param name="Text">The logical line.</param>
/// <param name="Sources">The sources.</param>
/// <param name="Destination">The destination.</param>
/// <param name="From"><c>--from</c>: a stage name, stage index or image reference (never expanded, as in BuildKit).</param>
/// <param name="Chown"><c>--chown</c>.</param>
/// <param name="Chmod"><c>--chmod</c>.</param>
/// <param name="Link"><c>--link</c>.</param>
/// <param name="Excludes"><c>--exclude</c>.</param>
/// <param name="Parents"><c>--parents</c>.</param>
/// <param name="Heredocs">Here-documents.</param>
public sealed record CopyInstruction(SourceLocation Location, string Text, IReadOnlyList<string> Sources, string Destination, string? From,
    string? Chown, string? Chmod, bool Link, IReadOnlyList<string> Excludes, bool Parents, IReadOnlyList<Heredoc> Heredocs)
    : FileTransferInstruction(Location, "COPY", Text, Sources, Destination, Chown, Chmod, Link, Excludes, Heredocs)
{
    /// <inheritdoc />
    public override Instruction Expand(WordExpander expander) => ExpandCommon(this, expander);
}

/// <summary><c>ADD [--chown=..] [--chmod=..] [--link] [--exclude=..] [--keep-git-dir] [--checksum=..] [--unpack] src... dest</c>.</summary>
/// <param name="Location">Where the keyword is.</param>
/// <param name="Text">The logical line.</param>
/// <param name="Sources">The sources: local paths, URLs or git references.</param>
/// <param name="Destination">The destination.</param>
/// <param name="Chown"><c>--chown</c>.</param>
/// <param name="Chmod"><c>--chmod</c>.</param>
/// <param name="Link"><c>--link</c>.</param>
/// <param name="Excludes"><c>--exclude</c>.</param>
/// <param name="KeepGitDir"><c>--keep-git-dir</c>.</param>
/// <param name="Checksum"><c>--checksum</c>.</param>
/// <param name="Unpack"><c>--unpack</c>, when given.</param>
/// <param name="Heredocs">Here-documents.</param>
public sealed record AddInstruction(SourceLocation Location, string Text, IReadOnlyList<string> Sources, string Destination,
    string? Chown, string? Chmod, bool Link, IReadOnlyList<string> Excludes, bool KeepGitDir, string? Checksum, bool? Unpack,
    IReadOnlyList<Heredoc> Heredocs)
    : FileTransferInstruction(Location, "ADD", Text, Sources, Destination, Chown, Chmod, Link, Excludes, Heredocs)
{
    /// <inheritdoc />
    public override Instruction Expand(WordExpander expander) =>
        ExpandCommon(this, expander) with { Checksum = Checksum is null ? null : expander.Expand(Checksum) };

    /// <summary>True when a source is a URL or git repository rather than a path in the build context.</summary>
    public static bool IsRemote(string source) =>
        source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || source.StartsWith("git@", StringComparison.Ordinal) || source.StartsWith("git://", StringComparison.OrdinalIgnoreCase)
        || source.EndsWith(".git", StringComparison.OrdinalIgnoreCase) && source.Contains("://", StringComparison.Ordinal);
}
