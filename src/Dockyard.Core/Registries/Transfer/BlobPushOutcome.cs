namespace Dockyard.Registries.Transfer;

/// <summary>How a blob reached the destination repository.</summary>
public enum BlobPushOutcome
{
    /// <summary>It was already there (HEAD answered 200).</summary>
    Existed,
    /// <summary>It was mounted from another repository of the same registry.</summary>
    Mounted,
    /// <summary>Its bytes were uploaded.</summary>
    Uploaded,
}
