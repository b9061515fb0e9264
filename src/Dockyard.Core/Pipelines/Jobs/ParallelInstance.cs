namespace Dockyard.Pipelines.Jobs;

/// <summary>One instance of a job after <c>parallel</c> expansion.</summary>
/// <param name="Name">GitLab's name for it (<c>unit 1/3</c>, <c>build: [linux, x64]</c>, or the job name).</param>
/// <param name="NodeIndex">1-based <c>CI_NODE_INDEX</c>, or null without <c>parallel</c>.</param>
/// <param name="NodeTotal"><c>CI_NODE_TOTAL</c>, or null without <c>parallel</c>.</param>
/// <param name="Matrix">The matrix variables of a <c>parallel:matrix</c> instance, in key order.</param>
internal sealed record ParallelInstance(string Name, int? NodeIndex, int? NodeTotal, IReadOnlyList<KeyValuePair<string, string>> Matrix);
