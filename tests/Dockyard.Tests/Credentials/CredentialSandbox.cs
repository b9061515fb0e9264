using System.Text;
using Dockyard.Credentials;

namespace Dockyard.Tests.Credentials;

/// <summary>
/// A throw-away home directory, a bin directory on PATH for credential-helper scripts, and an environment dictionary,
/// so every lookup is hermetic. Deletes everything on dispose.
/// </summary>
public sealed class CredentialSandbox : IDisposable
{
    public CredentialSandbox()
    {
        Root = Directory.CreateTempSubdirectory("dockyard-cred-").FullName;
        Home = Directory.CreateDirectory(Path.Combine(Root, "home")).FullName;
        Bin = Directory.CreateDirectory(Path.Combine(Root, "bin")).FullName;
        Variables["PATH"] = $"{Bin}:/usr/bin:/bin";
        Variables["HOME"] = Home;
    }

    public string Root { get; }

    public string Home { get; }

    public string Bin { get; }

    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    public bool IsRoot { get; set; }

    public string RootHome { get; set; } = "/nonexistent-root-home";

    public CredentialEnvironment Environment =>
        new(Variables, Home, IsRoot) { RootHomeDirectory = RootHome };

    public CredentialChain Chain(CredentialChainOptions? options = null) =>
        new(options ?? new CredentialChainOptions(), Environment);

    /// <summary>Writes a file under the sandbox root (creating directories) and returns its full path.</summary>
    public string Write(string relativePath, string content)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Writes <c>~/.docker/config.json</c>.</summary>
    public string WriteDockerConfig(string json) => Write(Path.Combine("home", ".docker", "config.json"), json);

    /// <summary>Writes an executable <c>docker-credential-NAME</c> shell script into the bin directory.</summary>
    public string WriteHelper(string name, string body)
    {
        var path = Path.Combine(Bin, $"docker-credential-{name}");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    /// <summary>A helper that answers <paramref name="username"/>/<paramref name="secret"/> for any server.</summary>
    public string WriteAnsweringHelper(string name, string username, string secret) => WriteHelper(name,
        $"[ \"$1\" = get ] || exit 3\nread -r server\nprintf '{{\"ServerURL\":\"%s\",\"Username\":\"{username}\",\"Secret\":\"{secret}\"}}' \"$server\"");

    /// <summary>Docker's <c>auth</c> value: base64 of <c>user:password</c>.</summary>
    public static string Auth(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a killed helper may still be releasing the directory.
        }
    }
}
