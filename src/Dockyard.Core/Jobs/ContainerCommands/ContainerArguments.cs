using Dockyard.Diagnostics;

namespace Dockyard.Jobs.ContainerCommands;

/// <summary>Walks the arguments of one command: <c>--name value</c>, <c>--name=value</c>, <c>-n value</c>, <c>-nvalue</c>, flags and operands.</summary>
internal sealed class ContainerArguments(string command, IReadOnlyList<string> arguments)
{
    private int _index;
    private bool _operandsOnly;

    /// <summary>The command as the user wrote it (for messages), e.g. <c>docker build</c>.</summary>
    public string Command { get; } = command;

    public List<string> Operands { get; } = [];

    /// <summary>Moves to the next option; operands are collected on the way. Returns false at the end.</summary>
    public bool NextOption(out string name, out string? inlineValue)
    {
        while (_index < arguments.Count)
        {
            var argument = arguments[_index++];
            if (_operandsOnly || argument == "-" || !argument.StartsWith('-'))
            {
                Operands.Add(argument);
                continue;
            }
            if (argument == "--")
            {
                _operandsOnly = true;
                continue;
            }
            var equals = argument.IndexOf('=');
            if (argument.StartsWith("--", StringComparison.Ordinal))
            {
                name = equals < 0 ? argument : argument[..equals];
                inlineValue = equals < 0 ? null : argument[(equals + 1)..];
            }
            else
            {
                name = argument[..2];
                inlineValue = argument.Length > 2 ? argument[2..].TrimStart('=') : null;
            }
            return true;
        }
        name = "";
        inlineValue = null;
        return false;
    }

    /// <summary>The value of the option just read: inline, or the next argument.</summary>
    public string Value(string name, string? inlineValue)
    {
        if (inlineValue is not null) return inlineValue;
        if (_index >= arguments.Count)
            throw new DockyardException($"{Command}: option {name} needs a value.");
        return arguments[_index++];
    }

    /// <summary>A boolean flag: <c>--push</c> or <c>--push=true|false</c>.</summary>
    public bool Flag(string name, string? inlineValue) => inlineValue switch
    {
        null or "true" or "1" => true,
        "false" or "0" => false,
        _ => throw new DockyardException($"{Command}: option {name} takes true or false, not '{inlineValue}'."),
    };

    public DockyardException Unknown(string name) =>
        new($"{Command}: option {name} is not supported by Dockyard's native container commands. Remove it, or run the job with the docker executor and a real daemon.");

    public DockyardException Usage(string usage) => new($"{Command}: expected '{usage}'.");
}
