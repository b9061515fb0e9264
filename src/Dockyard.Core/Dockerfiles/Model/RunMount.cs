namespace Dockyard.Dockerfiles.Model;

/// <summary>A <c>RUN --mount=type=...,target=...</c> mount.</summary>
/// <param name="Type">bind (default), cache, tmpfs, secret or ssh.</param>
/// <param name="Target">The mount point (target, dst or destination); may be null for secret/ssh.</param>
/// <param name="Source">source/src, if given.</param>
/// <param name="From">The stage or image named by <c>from=</c>, if given.</param>
/// <param name="Options">Every key=value option as written (boolean keys without a value map to "true").</param>
public sealed record RunMount(string Type, string? Target, string? Source, string? From, IReadOnlyDictionary<string, string> Options);
