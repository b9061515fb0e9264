using System.Globalization;
using Dockyard.Diagnostics;

namespace Dockyard.Credentials;

/// <summary>Reads a password or token piped to a front (<c>--password-stdin</c>), bounded so endless input is refused.</summary>
public static class PasswordInput
{
    /// <summary>The most characters accepted: 64 KiB (a registry token or a JSON key file is a few KiB).</summary>
    public const int MaxLength = 64 * 1024;

    // Room for the cap, a final CRLF, and one more character that tells "more than the cap" from "exactly the cap".
    private const int BufferLength = MaxLength + 3;

    /// <summary>Reads all of <paramref name="reader"/> (at most <see cref="MaxLength"/> characters besides trailing line breaks), without those line breaks.</summary>
    /// <param name="reader">Standard input.</param>
    /// <param name="option">The option that asked for it, for messages.</param>
    /// <exception cref="DockyardException">The input is longer than <see cref="MaxLength"/>.</exception>
    public static string Read(TextReader reader, string option = "--password-stdin")
    {
        var buffer = new char[BufferLength];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = reader.Read(buffer.AsSpan(length))) > 0)
        {
            length += read;
        }

        return Finish(buffer, length, option);
    }

    /// <summary>Reads all of <paramref name="reader"/> like <see cref="Read"/>, asynchronously.</summary>
    /// <param name="reader">Standard input.</param>
    /// <param name="option">The option that asked for it, for messages.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <exception cref="DockyardException">The input is longer than <see cref="MaxLength"/>.</exception>
    public static async Task<string> ReadAsync(TextReader reader, string option = "--password-stdin", CancellationToken cancellationToken = default)
    {
        var buffer = new char[BufferLength];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await reader.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
        {
            length += read;
        }

        return Finish(buffer, length, option);
    }

    private static string Finish(char[] buffer, int length, string option)
    {
        var password = new string(buffer, 0, length).TrimEnd('\r', '\n');
        if (length == buffer.Length || password.Length > MaxLength)
        {
            throw new DockyardException(
                $"{option}: standard input holds more than {(MaxLength / 1024).ToString(CultureInfo.InvariantCulture)} KiB; " +
                "pipe only the password or token (e.g. printf %s \"$TOKEN\" | dockyard ...).");
        }

        return password;
    }
}
