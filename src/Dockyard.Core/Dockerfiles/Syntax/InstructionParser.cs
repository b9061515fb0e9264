using System.Globalization;
using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Model;

namespace Dockyard.Dockerfiles.Syntax;

/// <summary>Parses one logical line into a typed <see cref="Instruction"/>, with BuildKit's per-instruction argument rules.</summary>
internal sealed class InstructionParser(char escape, List<string> warnings)
{
    /// <summary>Every instruction keyword docker knows.</summary>
    public static readonly string[] Keywords =
    [
        "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER",
        "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
    ];

    private static readonly string[] MountTypes = ["bind", "cache", "tmpfs", "secret", "ssh"];
    private static readonly string[] MountKeys =
    [
        "type", "target", "dst", "destination", "source", "src", "from", "readonly", "ro", "readwrite", "rw", "id", "sharing",
        "mode", "uid", "gid", "required", "size", "env",
    ];

    public Instruction Parse(LogicalLine line) => Parse(line, 0, line.Text, isTrigger: false);

    private Instruction Parse(LogicalLine line, int start, string wholeText, bool isTrigger)
    {
        var text = line.Text;
        var keywordEnd = start;
        while (keywordEnd < text.Length && !char.IsWhiteSpace(text[keywordEnd])) keywordEnd++;
        var keyword = text[start..keywordEnd].ToUpperInvariant();
        var location = line.At(start);
        if (!Keywords.Contains(keyword))
        {
            var suggestion = Suggestions.Closest(keyword, Keywords);
            throw new SourceException(location, $"unknown instruction '{text[start..keywordEnd]}'.",
                suggestion is null ? $"Instructions are {string.Join(", ", Keywords)}." : $"Did you mean '{suggestion}'?");
        }
        var flags = FlagReader.Read(text, keywordEnd, out var restStart);
        var rest = text[restStart..].TrimEnd();
        var logicalText = wholeText.Trim();
        var context = new Context(line, keyword, location, logicalText, rest, restStart, flags);
        return keyword switch
        {
            "FROM" => From(context),
            "RUN" => Run(context),
            "CMD" => new CmdInstruction(location, logicalText, Command(context, allowEmptyShell: false)),
            "ENTRYPOINT" => new EntrypointInstruction(location, logicalText, Command(context, allowEmptyShell: false)),
            "SHELL" => Shell(context),
            "HEALTHCHECK" => Healthcheck(context),
            "LABEL" => new LabelInstruction(location, logicalText, NameValues(context)),
            "ENV" => new EnvInstruction(location, logicalText, NameValues(context)),
            "ARG" => Arg(context),
            "MAINTAINER" => new MaintainerInstruction(location, logicalText, Single(context)),
            "EXPOSE" => new ExposeInstruction(location, logicalText, AtLeastOne(context).Select(w => w.Text).ToList()),
            "VOLUME" => Volume(context),
            "USER" => new UserInstruction(location, logicalText, Single(context)),
            "WORKDIR" => new WorkdirInstruction(location, logicalText, Single(context)),
            "STOPSIGNAL" => new StopSignalInstruction(location, logicalText, Single(context)),
            "COPY" => Copy(context),
            "ADD" => Add(context),
            _ => Onbuild(context, isTrigger),
        };
    }

    private sealed record Context(LogicalLine Line, string Keyword, SourceLocation Location, string Text, string Rest, int RestOffset, List<Flag> Flags)
    {
        public SourceLocation RestLocation => Line.At(RestOffset);

        public FlagSet FlagSet(string[]? strings = null, string[]? bools = null, string[]? lists = null) =>
            new(Line, Keyword, Flags, strings ?? [], bools ?? [], lists ?? []);
    }

    private static SourceException Error(Context c, string problem, string whatToDo) => new(c.RestLocation, $"{c.Keyword} {problem}", whatToDo);

    private static List<Word> AtLeastOne(Context c)
    {
        c.FlagSet();
        var words = Words.SplitWhitespace(c.Rest, c.RestOffset);
        if (words.Count == 0) throw new SourceException(c.Location, $"{c.Keyword} requires at least one argument.", $"Write {c.Keyword} followed by its arguments.");
        return words;
    }

    private static string Single(Context c)
    {
        c.FlagSet();
        if (c.Rest.Trim().Length == 0) throw new SourceException(c.Location, $"{c.Keyword} requires exactly one argument.", $"Write {c.Keyword} VALUE.");
        return c.Rest.Trim();
    }

    private static FromInstruction From(Context c)
    {
        var flags = c.FlagSet(strings: ["platform"]);
        var words = Words.SplitWhitespace(c.Rest, c.RestOffset);
        if (words.Count is not (1 or 3) || words.Count == 3 && !words[1].Text.Equals("AS", StringComparison.OrdinalIgnoreCase))
            throw new SourceException(c.Location, "FROM requires either one or three arguments: FROM image or FROM image AS name.",
                words.Count == 0 ? "Name the base image, e.g. FROM mcr.microsoft.com/dotnet/aspnet:8.0." : "Write FROM image AS name.");
        string? name = null;
        if (words.Count == 3)
        {
            name = words[2].Text.ToLowerInvariant();
            if (!IsValidStageName(name))
                throw new SourceException(c.Line.At(words[2].Offset), $"invalid stage name '{words[2].Text}'.",
                    "A stage name starts with a letter and contains only letters, digits, '-', '_' and '.'.");
            if (name is "scratch" or "context")
                throw new SourceException(c.Line.At(words[2].Offset), $"'{name}' is reserved and cannot name a stage.", "Choose another name.");
        }
        return new FromInstruction(c.Location, c.Text, words[0].Text, name, flags.String("platform"));
    }

    private static bool IsValidStageName(string name) =>
        name.Length > 0 && char.IsAsciiLetterLower(name[0]) && name.All(ch => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch is '-' or '_' or '.');

    private CommandForm Command(Context c, bool allowEmptyShell, bool requireJson = false)
    {
        var json = Words.TryParseJsonArray(c.Rest);
        if (json is not null) return new CommandForm(json, IsExecForm: true);
        if (requireJson)
            throw Error(c, "requires the arguments in JSON form, e.g. [\"/bin/bash\", \"-c\"].", "Write a JSON array of double-quoted strings.");
        var trimmed = c.Rest.Trim();
        if (trimmed.Length == 0 && !allowEmptyShell)
            throw new SourceException(c.Location, $"{c.Keyword} requires at least one argument.",
                $"Write {c.Keyword} [\"executable\", \"arg\"] or {c.Keyword} command (an empty list [] clears it).");
        if (trimmed.StartsWith("[\"", StringComparison.Ordinal) || trimmed.StartsWith("['", StringComparison.Ordinal))
            warnings.Add($"{c.RestLocation}: {c.Keyword} arguments look like the JSON (exec) form but are not valid JSON, so docker runs them with the shell " +
                "('/bin/sh -c'). Use double quotes and commas: [\"executable\", \"arg\"].");
        return new CommandForm([trimmed], IsExecForm: false);
    }

    private RunInstruction Run(Context c)
    {
        var flags = c.FlagSet(strings: ["network", "security"], lists: ["mount"]);
        var network = flags.String("network");
        if (network is not (null or "default" or "none" or "host"))
            throw flags.Error("network", $"'{network}' is not a network mode.", "Use --network=default, none or host.");
        var security = flags.String("security");
        if (security is not (null or "sandbox" or "insecure"))
            throw flags.Error("security", $"'{security}' is not a security mode.", "Use --security=sandbox or insecure.");
        var mounts = flags.List("mount").Select(flag => Mount(c, flag)).ToList();
        var command = Command(c, allowEmptyShell: false);
        return new RunInstruction(c.Location, c.Text, command, mounts, network, security, command.IsExecForm ? [] : c.Line.Heredocs.ToList());
    }

    private static RunMount Mount(Context c, Flag flag)
    {
        var location = c.Line.At(flag.Offset);
        if (string.IsNullOrEmpty(flag.Value))
            throw new SourceException(location, "RUN --mount needs a value.", "Write --mount=type=cache,target=/root/.nuget/packages.");
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in flag.Value.Split(','))
        {
            var equals = field.IndexOf('=', StringComparison.Ordinal);
            var key = (equals < 0 ? field : field[..equals]).Trim().ToLowerInvariant();
            if (!MountKeys.Contains(key))
            {
                var suggestion = Suggestions.Closest(key, MountKeys);
                throw new SourceException(location, $"RUN --mount: unknown option '{key}' in '{flag.Value}'.",
                    suggestion is null ? $"Options are {string.Join(", ", MountKeys)}." : $"Did you mean '{suggestion}'?");
            }
            options[key] = equals < 0 ? "true" : field[(equals + 1)..];
        }
        var type = options.GetValueOrDefault("type", "bind");
        if (!MountTypes.Contains(type))
            throw new SourceException(location, $"RUN --mount: unsupported mount type '{type}'.", $"Use one of {string.Join(", ", MountTypes)}.");
        var target = options.GetValueOrDefault("target") ?? options.GetValueOrDefault("dst") ?? options.GetValueOrDefault("destination");
        if (target is null && type is "bind" or "cache" or "tmpfs")
            throw new SourceException(location, $"RUN --mount: a {type} mount needs a target.", "Add target=/path to the mount.");
        if (options.TryGetValue("sharing", out var sharing) && sharing is not ("shared" or "private" or "locked"))
            throw new SourceException(location, $"RUN --mount: sharing '{sharing}' is not shared, private or locked.", "Use sharing=shared, private or locked.");
        return new RunMount(type, target, options.GetValueOrDefault("source") ?? options.GetValueOrDefault("src"), options.GetValueOrDefault("from"), options);
    }

    private ShellInstruction Shell(Context c)
    {
        c.FlagSet();
        var command = Command(c, allowEmptyShell: false, requireJson: true);
        if (command.Arguments.Count == 0) throw Error(c, "requires at least one argument: the shell executable.", "Write SHELL [\"/bin/sh\", \"-c\"].");
        return new ShellInstruction(c.Location, c.Text, command.Arguments);
    }

    private HealthcheckInstruction Healthcheck(Context c)
    {
        var flags = c.FlagSet(strings: ["interval", "timeout", "start-period", "start-interval", "retries"]);
        var words = Words.SplitWhitespace(c.Rest, c.RestOffset);
        if (words.Count == 0) throw new SourceException(c.Location, "HEALTHCHECK requires NONE or CMD.", "Write HEALTHCHECK NONE or HEALTHCHECK CMD command.");
        var type = words[0].Text.ToUpperInvariant();
        if (type == "NONE")
        {
            if (words.Count > 1 || c.Flags.Count > 0)
                throw new SourceException(c.Location, "HEALTHCHECK NONE takes no arguments or flags.", "Write just HEALTHCHECK NONE.");
            return new HealthcheckInstruction(c.Location, c.Text, null, null, null, null, null, null);
        }
        if (type != "CMD")
            throw new SourceException(c.Line.At(words[0].Offset), $"unknown HEALTHCHECK type '{words[0].Text}'.", "Write HEALTHCHECK CMD command or HEALTHCHECK NONE.");
        var commandOffset = words[0].Offset + 3;
        var sub = c with { Rest = c.Line.Text[commandOffset..].TrimEnd(), RestOffset = commandOffset, Keyword = "HEALTHCHECK CMD" };
        var command = Command(sub, allowEmptyShell: false);
        TimeSpan? Duration(string name)
        {
            var value = flags.String(name);
            if (value is null) return null;
            var parsed = GoDuration.TryParse(value) ?? throw flags.Error(name, $"'{value}' is not a duration.", "Write e.g. 30s, 1m30s or 500ms.");
            if (parsed != TimeSpan.Zero && parsed < TimeSpan.FromMilliseconds(1))
                throw flags.Error(name, $"'{value}' is less than 1ms.", "Use at least 1ms (or 0 for the default).");
            return parsed;
        }
        int? retries = null;
        if (flags.String("retries") is { } retriesText)
        {
            if (!int.TryParse(retriesText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsedRetries) || parsedRetries < 0)
                throw flags.Error("retries", $"'{retriesText}' is not a whole number of zero or more.", "Write e.g. --retries=3.");
            retries = parsedRetries;
        }
        return new HealthcheckInstruction(c.Location, c.Text, command, Duration("interval"), Duration("timeout"), Duration("start-period"),
            Duration("start-interval"), retries);
    }

    private List<KeyValue> NameValues(Context c)
    {
        c.FlagSet();
        var words = Words.SplitQuoted(c.Rest, c.RestOffset, escape);
        if (words.Count == 0) throw new SourceException(c.Location, $"{c.Keyword} requires at least one argument.", $"Write {c.Keyword} name=value.");
        if (!words[0].Text.Contains('=', StringComparison.Ordinal))
        {
            // Legacy form: KEY name value (the value is the rest of the line).
            var trimmed = c.Rest.Trim();
            var space = trimmed.IndexOfAny([' ', '\t']);
            if (space < 0)
                throw new SourceException(c.Location, $"{c.Keyword} {trimmed} has no value.", $"Write {c.Keyword} {trimmed}=value.");
            return [new KeyValue(trimmed[..space], trimmed[(space + 1)..].Trim())];
        }
        var pairs = new List<KeyValue>();
        foreach (var word in words)
        {
            var equals = word.Text.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
                throw new SourceException(c.Line.At(word.Offset), $"{c.Keyword}: '{word.Text}' has no '='.", "Every item must be name=value (quote values that contain spaces).");
            if (equals == 0)
                throw new SourceException(c.Line.At(word.Offset), $"{c.Keyword}: '{word.Text}' has an empty name.", "Write name=value.");
            pairs.Add(new KeyValue(word.Text[..equals], word.Text[(equals + 1)..]));
        }
        return pairs;
    }

    private ArgInstruction Arg(Context c)
    {
        c.FlagSet();
        var words = Words.SplitQuoted(c.Rest, c.RestOffset, escape);
        if (words.Count == 0) throw new SourceException(c.Location, "ARG requires at least one argument.", "Write ARG NAME or ARG NAME=default.");
        var declarations = new List<ArgDeclaration>();
        foreach (var word in words)
        {
            var equals = word.Text.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? word.Text : word.Text[..equals];
            if (name.Length == 0 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_' || ch == '.' || ch == '-'))
                throw new SourceException(c.Line.At(word.Offset), $"ARG: '{name}' is not a valid argument name.", "Use letters, digits and underscores.");
            declarations.Add(new ArgDeclaration(name, equals < 0 ? null : word.Text[(equals + 1)..]));
        }
        return new ArgInstruction(c.Location, c.Text, declarations);
    }

    private static VolumeInstruction Volume(Context c)
    {
        c.FlagSet();
        var paths = Words.TryParseJsonArray(c.Rest) ?? Words.SplitWhitespace(c.Rest, c.RestOffset).Select(w => w.Text).ToList();
        if (paths.Count == 0 || paths.Any(p => p.Trim().Length == 0))
            throw new SourceException(c.Location, "VOLUME needs at least one non-empty path.", "Write VOLUME /data.");
        return new VolumeInstruction(c.Location, c.Text, paths);
    }

    private (List<string> Sources, string Destination) SourcesAndDestination(Context c)
    {
        var items = Words.TryParseJsonArray(c.Rest) ?? Words.SplitWhitespace(c.Rest, c.RestOffset).Select(w => w.Text).ToList();
        if (items.Count < 2)
            throw new SourceException(c.Location, $"{c.Keyword} requires at least two arguments (sources and a destination), but {items.Count} {(items.Count == 1 ? "was" : "were")} given.",
                $"Write {c.Keyword} SOURCE... DESTINATION.");
        return (items.Take(items.Count - 1).ToList(), items[^1]);
    }

    private CopyInstruction Copy(Context c)
    {
        var flags = c.FlagSet(strings: ["from", "chown", "chmod"], bools: ["link", "parents"], lists: ["exclude"]);
        var (sources, destination) = SourcesAndDestination(c);
        var from = flags.String("from");
        if (from is not null && from.Contains('$', StringComparison.Ordinal))
            throw flags.Error("from", $"'{from}' uses a variable, which docker does not expand in --from.",
                "Declare the image in a stage (ARG before FROM, then FROM $IMAGE AS src) and write COPY --from=src.");
        if (from is { Length: 0 }) throw flags.Error("from", "is empty.", "Name a stage, a stage index or an image.");
        return new CopyInstruction(c.Location, c.Text, sources, destination, from, flags.String("chown"), flags.String("chmod"),
            flags.Bool("link"), Excludes(flags), flags.Bool("parents"), c.Line.Heredocs.ToList());
    }

    private AddInstruction Add(Context c)
    {
        var flags = c.FlagSet(strings: ["chown", "chmod", "checksum"], bools: ["link", "keep-git-dir", "unpack"], lists: ["exclude"]);
        var (sources, destination) = SourcesAndDestination(c);
        return new AddInstruction(c.Location, c.Text, sources, destination, flags.String("chown"), flags.String("chmod"), flags.Bool("link"),
            Excludes(flags), flags.Bool("keep-git-dir"), flags.String("checksum"), flags.OptionalBool("unpack"), c.Line.Heredocs.ToList());
    }

    private static List<string> Excludes(FlagSet flags) => flags.List("exclude").Select(f => f.Value ?? throw flags.Error("exclude", "needs a pattern.", "Write --exclude=PATTERN.")).ToList();

    private OnbuildInstruction Onbuild(Context c, bool isTrigger)
    {
        if (isTrigger) throw new SourceException(c.Location, "ONBUILD ONBUILD is not allowed.", "Remove the nested ONBUILD.");
        c.FlagSet();
        if (c.Rest.Trim().Length == 0) throw new SourceException(c.Location, "ONBUILD requires an instruction.", "Write ONBUILD INSTRUCTION ..., e.g. ONBUILD COPY . /app.");
        var triggerStart = c.RestOffset;
        var triggerKeyword = Words.SplitWhitespace(c.Rest, c.RestOffset)[0].Text.ToUpperInvariant();
        if (triggerKeyword is "ONBUILD" or "FROM" or "MAINTAINER")
            throw new SourceException(c.RestLocation, $"ONBUILD {triggerKeyword} is not allowed.", "ONBUILD triggers cannot be ONBUILD, FROM or MAINTAINER.");
        var trigger = Parse(c.Line, triggerStart, c.Rest, isTrigger: true);
        return new OnbuildInstruction(c.Location, c.Text, trigger, c.Rest.Trim());
    }
}
