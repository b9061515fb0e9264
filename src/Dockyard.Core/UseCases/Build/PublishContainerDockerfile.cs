using System.Text;
using System.Text.Json;
using Dockyard.Diagnostics;
using Dockyard.Images;

namespace Dockyard.UseCases.Build;

/// <summary>
/// The Dockerfile equivalent of the SDK's <c>PublishContainer</c> for a publish directory: a <c>publish</c> stage whose
/// <c>RUN dotnet publish -o</c> the publish directory stands for, then the base image with WORKDIR, the directory
/// copied into it (dependencies and app layers), EXPOSE, ENV, LABEL, USER and ENTRYPOINT. The native builder builds
/// it like any Dockerfile, so the plan explains it and layering, caching and outputs are the same.
/// </summary>
internal static class PublishContainerDockerfile
{
    /// <summary>The name the synthesised Dockerfile has in plans and messages.</summary>
    public const string FileName = "(publish directory)";

    /// <summary>The Dockerfile text.</summary>
    /// <param name="settings">The requested image settings.</param>
    /// <param name="app">The published app.</param>
    /// <param name="project">The project file name the publish directory was built from.</param>
    /// <param name="configuration">Its configuration.</param>
    /// <param name="baseConfig">The base image's config (for <c>APP_UID</c> and the ASP.NET Core ports), when known.</param>
    public static string Create(ContainerAppSettings settings, PublishedApp app, string project, string configuration, ImageConfig? baseConfig)
    {
        var baseImage = settings.BaseImage
            ?? throw new DockyardException("Building from a publish directory without a Dockerfile needs a base image (e.g. mcr.microsoft.com/dotnet/runtime:10.0); give one.")
                { Setting = Setting.BaseImage };
        var workdir = settings.WorkingDirectory.Length > 0 && settings.WorkingDirectory[0] == '/' ? settings.WorkingDirectory
            : throw new DockyardException($"The working directory '{settings.WorkingDirectory}' of the image is not absolute; give a path starting with '/'.") { Setting = Setting.Output };
        var text = new StringBuilder();
        text.Append("FROM scratch AS publish\n");
        text.Append("RUN dotnet publish ").Append(Word(project)).Append(" -c ").Append(Word(configuration)).Append(" -o /publish\n\n");
        text.Append("FROM ").Append(Word(baseImage)).Append('\n');
        // COPY first: it creates the directory, so WORKDIR adds no layer of its own (BuildKit's rule).
        text.Append("COPY --from=publish /publish/ ").Append(Word(workdir.TrimEnd('/') + "/")).Append('\n');
        text.Append("WORKDIR ").Append(Word(workdir)).Append('\n');
        var ports = settings.Ports.Count > 0 ? settings.Ports : AspNetCorePorts(baseConfig);
        foreach (var port in ports) text.Append("EXPOSE ").Append(Word(port)).Append('\n');
        foreach (var (name, value) in settings.Environment.OrderBy(e => e.Key, StringComparer.Ordinal))
            text.Append("ENV ").Append(Word(name)).Append('=').Append(Quoted(value)).Append('\n');
        var user = settings.User ?? baseConfig?.GetEnv("APP_UID");
        if (user is { Length: > 0 }) text.Append("USER ").Append(Word(user)).Append('\n');
        var entrypoint = settings.Entrypoint.Count > 0 ? settings.Entrypoint : app.Command(workdir);
        text.Append("ENTRYPOINT ").Append(JsonSerializer.Serialize(entrypoint)).Append('\n');
        if (settings.Arguments.Count > 0) text.Append("CMD ").Append(JsonSerializer.Serialize(settings.Arguments)).Append('\n');
        return text.ToString();
    }

    /// <summary>The SDK's inference: the ports of <c>ASPNETCORE_HTTP_PORTS</c>/<c>ASPNETCORE_HTTPS_PORTS</c> of the base image.</summary>
    private static IReadOnlyList<string> AspNetCorePorts(ImageConfig? baseConfig) =>
        new[] { "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS" }
            .SelectMany(v => (baseConfig?.GetEnv(v) ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(p => p.All(char.IsAsciiDigit)).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>A word that needs no quoting (no whitespace, quotes, <c>$</c> or backslash), else an error naming it.</summary>
    private static string Word(string value) =>
        value.Length > 0 && !value.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '$' or '\\')
            ? value
            : throw new DockyardException($"'{value}' cannot be used in an image built from a publish directory: it is empty or holds spaces, quotes, '$' or '\\'.")
                { Setting = Setting.Output };

    /// <summary>A double-quoted ENV value with <c>\</c>, <c>"</c> and <c>$</c> escaped.</summary>
    private static string Quoted(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("$", "\\$", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal) + "\"";
}
