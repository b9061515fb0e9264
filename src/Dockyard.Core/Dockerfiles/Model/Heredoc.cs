using Dockyard.Diagnostics;

namespace Dockyard.Dockerfiles.Model;

/// <summary>A here-document attached to RUN, COPY or ADD (<c>&lt;&lt;EOF</c> ... <c>EOF</c>).</summary>
/// <param name="Name">The delimiter word without quotes, e.g. <c>EOF</c>.</param>
/// <param name="Content">The body, each line ending with a newline; with <c>&lt;&lt;-</c> leading tabs are removed.</param>
/// <param name="Expand">False when the delimiter was quoted: variables in the body are then not expanded.</param>
/// <param name="StripTabs">True for <c>&lt;&lt;-</c>.</param>
/// <param name="FileDescriptor">The file descriptor written before <c>&lt;&lt;</c> (0 when none).</param>
/// <param name="Location">Where the delimiter appears.</param>
public sealed record Heredoc(string Name, string Content, bool Expand, bool StripTabs, int FileDescriptor, SourceLocation Location);
