using System.Text.RegularExpressions;
using Dockyard.Builders.Planning;
using Dockyard.Diagnostics;
using Dockyard.Hosting;
using Microsoft.Extensions.Logging;

namespace Dockyard.UseCases.Build;

/// <summary>
/// What "build an image" tells the front's logger: the backend and why, plan warnings (code
/// <see cref="DiagnosticCodes.BuildPlanWarning"/>, with the Dockerfile location) and every tool output line, masked.
/// Each entry's state is a <see cref="Diagnostic"/>, so fronts can log it in their own shape.
/// </summary>
internal sealed partial class BuildLog(HostContext host)
{
    private static readonly EventId PlanWarning = new(2501, DiagnosticCodes.BuildPlanWarning);
    private static readonly EventId Build = new(2500, DiagnosticCodes.Build);

    /// <summary>Logs an informational message.</summary>
    public void Info(string message) => Write(LogLevel.Information, Build, Diagnostic.Info(DiagnosticCodes.Build, host.Masker.Mask(message)));

    /// <summary>Logs a warning about the build (not about a Dockerfile line).</summary>
    public void Warning(string message, Setting? setting = null) =>
        Write(LogLevel.Warning, Build, Diagnostic.Warning(DiagnosticCodes.Build, host.Masker.Mask(message)) with { Setting = setting });

    /// <summary>Logs one output line of a tool (docker, buildah), masked.</summary>
    public void ToolLine(string line) => Write(LogLevel.Information, Build, Diagnostic.Info(DiagnosticCodes.Build, host.Masker.Mask(line)) with { Subject = "tool" });

    /// <summary>Logs every warning of <paramref name="plan"/> and each build argument no ARG consumes.</summary>
    public void PlanWarnings(BuildPlan plan)
    {
        foreach (var warning in plan.Warnings) Write(LogLevel.Warning, PlanWarning, WarningAt(plan.DockerfileName, warning));
        if (plan.UnusedBuildArgs.Count > 0)
            Write(LogLevel.Warning, PlanWarning, Diagnostic.Warning(DiagnosticCodes.BuildPlanWarning,
                $"build arguments not consumed by any ARG: {string.Join(", ", plan.UnusedBuildArgs)}", new SourceLocation(plan.DockerfileName, 0, 0))
                with { Setting = Setting.BuildArgument });
    }

    /// <summary>A warning whose text starts with <c>FILE:LINE[:COLUMN]: </c> as a diagnostic at that place.</summary>
    internal static Diagnostic WarningAt(string dockerfileName, string warning)
    {
        if (warning.StartsWith(dockerfileName + ":", StringComparison.Ordinal)
            && Position().Match(warning, dockerfileName.Length) is { Success: true } at)
        {
            var line = int.Parse(at.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var column = at.Groups["column"].Success ? int.Parse(at.Groups["column"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            return Diagnostic.Warning(DiagnosticCodes.BuildPlanWarning, warning[(at.Index + at.Length)..], new SourceLocation(dockerfileName, line, column));
        }
        return Diagnostic.Warning(DiagnosticCodes.BuildPlanWarning, warning, new SourceLocation(dockerfileName, 0, 0));
    }

    private void Write(LogLevel level, EventId id, Diagnostic diagnostic) =>
        host.Logger.Log(level, id, diagnostic, null, static (d, _) => d.ToString());

    [GeneratedRegex(@"\G:(?<line>\d+)(?::(?<column>\d+))?: ")]
    private static partial Regex Position();
}
