namespace Dockyard.Pipelines.Variables;

/// <summary>A variable's value for runner-side expansion.</summary>
/// <param name="Value">The value as configured.</param>
/// <param name="IsRaw">True for <c>expand: false</c> (and raw project variables): references in the value stay literal.</param>
public readonly record struct VariableValue(string Value, bool IsRaw = false);
