namespace Dockyard.Pipelines.Expressions;

/// <summary>The pipeline facts an <c>only:refs</c>/<c>except:refs</c> entry is matched against.</summary>
/// <param name="RefName">The branch or tag name (<c>CI_COMMIT_REF_NAME</c>).</param>
/// <param name="IsTag">True for a tag pipeline.</param>
/// <param name="IsBranch">True for a branch pipeline (false for tags and merge request pipelines).</param>
/// <param name="PipelineSource">The <c>CI_PIPELINE_SOURCE</c> value, e.g. <c>push</c> or <c>merge_request_event</c>.</param>
/// <param name="ProjectPath">The <c>CI_PROJECT_PATH</c>, for entries written <c>ref@group/project</c>.</param>
public sealed record RefContext(string RefName, bool IsTag, bool IsBranch, string PipelineSource, string ProjectPath);

/// <summary>
/// One entry of <c>only</c>/<c>except</c> (<c>refs</c>): a keyword (<c>branches</c>, <c>tags</c>, <c>pushes</c>,
/// <c>merge_requests</c>, ...), an exact ref name, or a <c>/regex/flags</c> (RE2, unanchored), optionally followed by
/// <c>@group/project</c> to restrict it to one project, as GitLab's <c>Build::Policy::Refs</c> does.
/// </summary>
public sealed class RefPattern
{
    private readonly UntrustedRegex? regex;

    private RefPattern(string text, string pattern, string? projectPath, UntrustedRegex? regex)
    {
        Text = text;
        Pattern = pattern;
        ProjectPath = projectPath;
        this.regex = regex;
    }

    /// <summary>The entry as written.</summary>
    public string Text { get; }

    /// <summary>The ref part of the entry (before any <c>@project</c>).</summary>
    public string Pattern { get; }

    /// <summary>The project path after <c>@</c>, or null when the entry applies to every project.</summary>
    public string? ProjectPath { get; }

    /// <summary>True when <see cref="Pattern"/> is a valid <c>/regex/flags</c>.</summary>
    public bool IsRegex => regex is not null;

    /// <summary>Parses an entry. Never fails: text that is not a valid regex literal is an exact ref name.</summary>
    public static RefPattern Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pattern = text;
        string? projectPath = null;

        // GitLab splits on the first '@' ("master@gitlab-org/gitlab"), even inside a regex.
        var at = text.IndexOf('@');
        if (at >= 0)
        {
            pattern = text[..at];
            projectPath = text[(at + 1)..];
        }

        UntrustedRegex.TryParseLiteral(pattern, out var regex);
        return new RefPattern(text, pattern, projectPath, regex);
    }

    /// <summary>True when the entry selects the pipeline described by <paramref name="context"/>.</summary>
    public bool IsMatch(RefContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (ProjectPath is not null && !string.Equals(ProjectPath, context.ProjectPath, StringComparison.Ordinal))
        {
            return false;
        }

        if ((context.IsTag && Pattern == "tags") || (context.IsBranch && Pattern == "branches"))
        {
            return true;
        }

        var source = context.PipelineSource.EndsWith("_event", StringComparison.Ordinal)
            ? context.PipelineSource[..^"_event".Length]
            : context.PipelineSource;
        if (Pattern == source || Pattern == Pluralize(source))
        {
            return true;
        }

        // Ref names and regexes only apply to branch and tag pipelines (not merge request pipelines).
        if (!context.IsBranch && !context.IsTag)
        {
            return false;
        }

        return regex?.IsMatch(context.RefName) ?? string.Equals(Pattern, context.RefName, StringComparison.Ordinal);
    }

    /// <summary>True when a ref name matches this entry as a name or regex (ignoring keywords and the project).</summary>
    public bool IsMatch(string refName)
    {
        ArgumentNullException.ThrowIfNull(refName);
        return regex?.IsMatch(refName) ?? string.Equals(Pattern, refName, StringComparison.Ordinal);
    }

    /// <inheritdoc/>
    public override string ToString() => Text;

    private static string Pluralize(string word) =>
        word.EndsWith('s') || word.EndsWith("sh", StringComparison.Ordinal) || word.EndsWith("ch", StringComparison.Ordinal)
            ? word + "es"
            : word + "s";
}
