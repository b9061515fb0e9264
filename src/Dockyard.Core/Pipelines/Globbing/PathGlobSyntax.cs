namespace Dockyard.Pipelines.Globbing;

/// <summary>Which of GitLab's two glob dialects a pattern is written in.</summary>
public enum PathGlobSyntax
{
    /// <summary>
    /// <c>rules:exists</c>, <c>rules:changes</c>: Ruby <c>File.fnmatch?</c> with <c>FNM_PATHNAME | FNM_DOTMATCH | FNM_EXTGLOB</c>:
    /// <c>*</c> and <c>?</c> stay within a path segment, <c>**/</c> spans zero or more directories, <c>[abc]</c>/<c>[!a-z]</c>,
    /// <c>{a,b}</c> (nested), <c>\</c> escapes, dot files match.
    /// </summary>
    FileMatch,

    /// <summary>
    /// <c>include:local</c> wildcards (<c>Repository#search_files_by_wildcard_path</c>): <c>*</c> matches within a segment,
    /// <c>**</c> matches anything including <c>/</c>; every other character is literal.
    /// </summary>
    IncludeWildcard,
}
