using System.Text.Json.Nodes;
using Dockyard.Dockerfiles.Model;
using Dockyard.Images;

namespace Dockyard.Builders.Native;

/// <summary>The config's <c>Healthcheck</c> object for a HEALTHCHECK instruction, as docker writes it (durations in nanoseconds, zero values left out).</summary>
internal static class HealthcheckConfig
{
    public static List<string> Test(HealthcheckInstruction health, ImageConfig config) => health.Command switch
    {
        null => ["NONE"],
        { IsExecForm: true } exec => ["CMD", .. exec.Arguments],
        var shell => ["CMD-SHELL", string.Join(' ', shell.Arguments)],
    };

    public static JsonObject ToJson(HealthcheckInstruction health, ImageConfig config)
    {
        var json = new JsonObject { ["Test"] = new JsonArray(Test(health, config).Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()) };
        void Duration(string name, TimeSpan? value)
        {
            if (value is { } v && v > TimeSpan.Zero) json[name] = v.Ticks * 100;
        }
        Duration("Interval", health.Interval);
        Duration("Timeout", health.Timeout);
        Duration("StartPeriod", health.StartPeriod);
        Duration("StartInterval", health.StartInterval);
        if (health.Retries is > 0) json["Retries"] = health.Retries;
        return json;
    }

    /// <summary>The history line: BuildKit prints the Go struct of the health config.</summary>
    public static string History(HealthcheckInstruction health, ImageConfig config) =>
        "HEALTHCHECK &{" + BuildKitHistory.GoQuotedList(Test(health, config))
        + $" \"{Go(health.Interval)}\" \"{Go(health.Timeout)}\" \"{Go(health.StartPeriod)}\" \"{Go(health.StartInterval)}\" '\\x{health.Retries ?? 0:x2}'}}";

    private static string Go(TimeSpan? value)
    {
        if (value is not { } v || v == TimeSpan.Zero) return "0s";
        var text = "";
        if (v.Hours > 0 || v.Days > 0) text += $"{(int)v.TotalHours}h";
        if (v.Minutes > 0 || text.Length > 0) text += $"{v.Minutes}m";
        var seconds = v.Seconds + v.Milliseconds / 1000.0;
        return text + seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + "s";
    }
}
