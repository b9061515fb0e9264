namespace Dockyard.Jobs.Variables;

/// <summary>A variable given to a run from outside the pipeline file (<c>--variable</c>, <c>--variables-file</c>).</summary>
/// <param name="Name">The name.</param>
/// <param name="Value">The value (for a file variable: the file's content).</param>
/// <param name="Masked">Whether the value is shown as <c>[MASKED]</c> in job output.</param>
/// <param name="IsFile">Whether the value is written to a private file and the variable holds its path.</param>
/// <param name="Expand">False when references in the value stay literal.</param>
public sealed record JobVariable(string Name, string Value, bool Masked = false, bool IsFile = false, bool Expand = true)
{
    /// <summary>
    /// True for a pipeline variable (<c>--variable</c>, as given when running a pipeline by hand): child pipelines receive
    /// it only with <c>trigger:forward:pipeline_variables</c>. False for a project variable (a variables file), which every pipeline sees.
    /// </summary>
    public bool IsPipelineVariable { get; init; }
}
