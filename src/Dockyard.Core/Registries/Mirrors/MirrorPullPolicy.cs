namespace Dockyard.Registries.Mirrors;

/// <summary>Which references a mirror serves (<c>pull-from-mirror</c> of containers-registries.conf(5)).</summary>
public enum MirrorPullPolicy
{
    /// <summary><c>all</c> (the default): tag and digest pulls.</summary>
    All,

    /// <summary><c>digest-only</c>: only pulls by digest.</summary>
    DigestOnly,

    /// <summary><c>tag-only</c>: only pulls by tag.</summary>
    TagOnly,
}
