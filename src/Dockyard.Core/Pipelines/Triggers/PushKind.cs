namespace Dockyard.Pipelines.Triggers;

/// <summary>What kind of push a <c>push</c> pipeline simulates.</summary>
public enum PushKind
{
    /// <summary>A push that updates the branch from a base commit: <c>CI_COMMIT_BEFORE_SHA</c> is the base, <c>changes</c> compares with it.</summary>
    Update,

    /// <summary>A push that creates the branch: <c>CI_COMMIT_BEFORE_SHA</c> is forty zeros and every <c>changes</c> is true.</summary>
    New,
}
