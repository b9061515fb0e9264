using Dockyard.Credentials.Masking;
using Dockyard.Diagnostics;

namespace Dockyard.Cli.Hosting;

/// <summary>How the CLI shows a failure: one line for a user error, one line and a hint for a bug; the exit codes.</summary>
public static class ErrorReport
{
    /// <summary>Exit code of a user error (bad input or environment).</summary>
    public const int UserError = 1;

    /// <summary>Exit code of an unexpected failure (EX_SOFTWARE).</summary>
    public const int Unexpected = 70;

    /// <summary>Exit code after Ctrl+C (128 + SIGINT).</summary>
    public const int Cancelled = 130;

    /// <summary>Writes <paramref name="failure"/> and returns the exit code.</summary>
    public static int Write(Exception failure, TextWriter stderr, SecretMasker masker, bool verbose)
    {
        var error = Unwrap(failure);
        switch (error)
        {
            case DockyardException user:
                stderr.WriteLine(masker.Mask($"error {user.Code}: {user.Message}{SettingHint(user.Setting)}"));
                return UserError;
            case OperationCanceledException:
                stderr.WriteLine("cancelled");
                return Cancelled;
            default:
                var first = error.Message.Split('\n', 2)[0].Trim();
                stderr.WriteLine(masker.Mask($"error {DiagnosticCodes.Unexpected}: unexpected failure ({error.GetType().Name}: {first}). " +
                    (verbose ? "This is a bug in Dockyard; please report it with the trace below." : "This is a bug in Dockyard; run again with --verbose for the stack trace and report it.")));
                if (verbose) stderr.WriteLine(masker.Mask(error.ToString()));
                return Unexpected;
        }
    }

    /// <summary>The CLI's spelling of a neutral setting, as a hint after a message.</summary>
    public static string SettingHint(Setting? setting) => setting is { } s ? $" (option {OptionNames.For(s)})" : "";

    private static Exception Unwrap(Exception failure)
    {
        while (failure is AggregateException { InnerExceptions.Count: 1 } aggregate) failure = aggregate.InnerExceptions[0];
        return failure;
    }
}
