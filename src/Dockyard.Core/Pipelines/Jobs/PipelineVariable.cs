namespace Dockyard.Pipelines.Jobs;

/// <summary>A CI/CD variable value.</summary>
/// <param name="Value">The value (not yet expanded).</param>
/// <param name="Expand">False for <c>expand: false</c> (the value is used verbatim).</param>
/// <param name="Description">The <c>description</c> of a global variable, if any.</param>
public sealed record PipelineVariable(string Value, bool Expand = true, string? Description = null);
