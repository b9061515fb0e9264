namespace Dockyard.Dockerfiles.Model;

/// <summary>A name and value pair of ENV or LABEL.</summary>
/// <param name="Key">The name.</param>
/// <param name="Value">The value.</param>
public sealed record KeyValue(string Key, string Value);

/// <summary>One ARG declaration: a name and an optional default value.</summary>
/// <param name="Name">The argument name.</param>
/// <param name="DefaultValue">The default after <c>=</c>, or null for <c>ARG NAME</c>.</param>
public sealed record ArgDeclaration(string Name, string? DefaultValue);
