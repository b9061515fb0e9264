using System.Text;

namespace Dockyard.Images;

/// <summary>
/// The <c>created_by</c> texts BuildKit's Dockerfile frontend writes into image history (moby/buildkit
/// <c>frontend/dockerfile/dockerfile2llb/convert.go</c>): steps with a layer end in <c> # buildkit</c>, lists are
/// printed with Go's <c>%q</c> (CMD, ENTRYPOINT) or <c>%v</c> (SHELL, VOLUME). Every entry carries the comment
/// <see cref="ImageBuilder.BuildKitComment"/>.
/// </summary>
public static class BuildKitHistory
{
    /// <summary><c>COPY [--chown=..] [--chmod=..] src… dest # buildkit</c> (<paramref name="isAdd"/>: <c>ADD</c>).</summary>
    public static string Copy(IEnumerable<string> sources, string destination, string? chown = null, string? chmod = null, bool isAdd = false)
    {
        var text = new StringBuilder(isAdd ? "ADD" : "COPY");
        if (!string.IsNullOrEmpty(chown)) text.Append(" --chown=").Append(chown);
        if (!string.IsNullOrEmpty(chmod)) text.Append(" --chmod=").Append(chmod);
        foreach (var source in sources) text.Append(' ').Append(source);
        return text.Append(' ').Append(destination).Append(" # buildkit").ToString();
    }

    /// <summary><c>ENV k=v …</c> (no layer).</summary>
    public static string Env(IEnumerable<KeyValuePair<string, string>> values) => "ENV" + string.Concat(values.Select(v => $" {v.Key}={v.Value}"));

    /// <summary><c>LABEL k=v …</c> (no layer).</summary>
    public static string Label(IEnumerable<KeyValuePair<string, string>> values) => "LABEL" + string.Concat(values.Select(v => $" {v.Key}={v.Value}"));

    /// <summary><c>WORKDIR /abs</c> (a layer unless the directory is <c>/</c>).</summary>
    public static string Workdir(string absolutePath) => "WORKDIR " + absolutePath;

    /// <summary><c>USER u</c> (no layer).</summary>
    public static string User(string user) => "USER " + user;

    /// <summary><c>CMD ["a" "b"]</c> (no layer).</summary>
    public static string Cmd(IEnumerable<string> args) => "CMD " + GoQuotedList(args);

    /// <summary><c>ENTRYPOINT ["a" "b"]</c> (no layer).</summary>
    public static string Entrypoint(IEnumerable<string> args) => "ENTRYPOINT " + GoQuotedList(args);

    /// <summary><c>SHELL [a b]</c> (no layer).</summary>
    public static string Shell(IEnumerable<string> args) => $"SHELL [{string.Join(' ', args)}]";

    /// <summary><c>VOLUME [a b]</c> (no layer).</summary>
    public static string Volume(IEnumerable<string> paths) => $"VOLUME [{string.Join(' ', paths)}]";

    /// <summary><c>EXPOSE map[80/tcp:{} …]</c>, ports sorted as Go prints map keys (no layer).</summary>
    public static string Expose(IEnumerable<string> ports) =>
        $"EXPOSE map[{string.Join(' ', ports.Distinct().Order(StringComparer.Ordinal).Select(p => p + ":{}"))}]";

    /// <summary><c>STOPSIGNAL s</c> (no layer).</summary>
    public static string StopSignal(string signal) => "STOPSIGNAL " + signal;

    /// <summary><c>ARG k=v …</c> (no layer).</summary>
    public static string Arg(IEnumerable<KeyValuePair<string, string?>> args) =>
        "ARG " + string.Join(' ', args.Select(a => a.Value is null ? a.Key : $"{a.Key}={a.Value}"));

    /// <summary><c>MAINTAINER name</c> (no layer).</summary>
    public static string Maintainer(string name) => "MAINTAINER " + name;

    /// <summary>A list printed with Go's <c>%q</c>: <c>["a" "b"]</c>.</summary>
    public static string GoQuotedList(IEnumerable<string> values) => "[" + string.Join(' ', values.Select(GoQuote)) + "]";

    /// <summary>A string quoted like Go's <c>strconv.Quote</c> (escapes quotes, backslashes and control characters).</summary>
    public static string GoQuote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"", '\\' => "\\\\", '\a' => "\\a", '\b' => "\\b", '\f' => "\\f", '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", '\v' => "\\v",
                < ' ' or '\x7f' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }
        return text.Append('"').ToString();
    }
}
