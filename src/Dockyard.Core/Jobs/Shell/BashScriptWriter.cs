using System.Globalization;
using System.Text;

namespace Dockyard.Jobs.Shell;

/// <summary>
/// Writes the bash script of a job step the way GitLab Runner's bash shell does: <c>trap exit 1 TERM</c>, the
/// prologue (<c>pipefail</c> where the shell has it, <c>errexit</c>, <c>+noclobber</c>), then the step's body run by
/// <c>: | eval $'…'</c> (so the commands read an empty stdin), each command echoed as <c>$ command</c> first (a
/// multi-line command shows its first line and <c># collapsed multi-line command</c>), and <c>exit 0</c>. As with the
/// runner, a failing command other than <c>exit N</c> ends the step with exit code 1 unless
/// <c>FF_USE_NEW_BASH_EVAL_STRATEGY</c> is on (the body then runs in a subshell, <c>: | (eval …)</c>, and keeps its code).
/// </summary>
public static class BashScriptWriter
{
    /// <summary>The script running <paramref name="commands"/> (already expanded by nothing: bash expands them).</summary>
    /// <param name="commands">The lines of <c>before_script</c> + <c>script</c>, or of <c>after_script</c>.</param>
    /// <param name="color">Whether the echoes carry the runner's ANSI colours (a terminal) or are plain.</param>
    /// <param name="newEvalStrategy">The runner's <c>FF_USE_NEW_BASH_EVAL_STRATEGY</c>.</param>
    public static string Write(IReadOnlyList<string> commands, bool color, bool newEvalStrategy = false) => Write(commands, color, newEvalStrategy, null);

    /// <summary>As the public overload; each command runs as <paramref name="executed"/> maps it, and is echoed as written.</summary>
    internal static string Write(IReadOnlyList<string> commands, bool color, bool newEvalStrategy, Func<string, string>? executed)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var body = new StringBuilder();
        foreach (var command in commands)
        {
            var shown = Echoed(command);
            body.Append("echo ").Append(Quote(color ? $"\u001b[32;1m$ {shown}\u001b[0;m" : $"$ {shown}")).Append('\n');
            body.Append(executed is null ? command : executed(command)).Append('\n');
        }

        var script = new StringBuilder();
        script.Append("#!/usr/bin/env bash\n");
        script.Append("exec 2>&1\n");
        script.Append("trap 'exit 1' TERM\n");
        script.Append("if set -o | grep pipefail > /dev/null; then set -o pipefail; fi; set -o errexit\n");
        script.Append("set +o noclobber\n");
        script.Append(newEvalStrategy ? ": | (eval " : ": | eval ").Append(Quote(body.ToString())).Append(newEvalStrategy ? ")\n" : "\n");
        script.Append("exit 0\n");
        return script.ToString();
    }

    /// <summary>How a command is echoed: its first line, and a marker when it has more.</summary>
    public static string Echoed(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var trimmed = command.TrimEnd('\n', '\r');
        var newline = trimmed.IndexOf('\n');
        return newline < 0 ? trimmed : trimmed[..newline].TrimEnd('\r') + " # collapsed multi-line command";
    }

    /// <summary>Quotes <paramref name="text"/> as a bash ANSI-C string (<c>$'…'</c>).</summary>
    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var quoted = new StringBuilder(text.Length + 8).Append("$'");
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\': quoted.Append(@"\\"); break;
                case '\'': quoted.Append(@"\'"); break;
                case '\n': quoted.Append(@"\n"); break;
                case '\r': quoted.Append(@"\r"); break;
                case '\t': quoted.Append(@"\t"); break;
                case '\u001b': quoted.Append(@"\e"); break;
                default:
                    if (c < ' ' || c == '\u007f') quoted.Append(@"\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    else quoted.Append(c);
                    break;
            }
        }

        return quoted.Append('\'').ToString();
    }
}
