using System.CommandLine;
using Dockyard.Cli.Commands;
using Dockyard.Credentials;
using Dockyard.Diagnostics;
using Dockyard.Registries;
using Dockyard.Registries.Transfer;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Registries.Integration;

/// <summary>
/// Proves that no password or token reaches a progress/log line, an exception message, CLI output or any process
/// command line, across successful pushes, re-authentication, retries and refused credentials.
/// </summary>
public sealed class NoSecretLeakTests
{
    [Fact]
    public async Task No_password_or_token_appears_in_progress_errors_output_or_command_lines()
    {
        await using var basic = await RegistryServer.StartAsync(new() { Auth = RegistryAuth.Basic });
        await using var token = await RegistryServer.StartAsync(new() { Auth = RegistryAuth.Token, Token = new() { TokenLifetime = TimeSpan.FromSeconds(2) } });
        var texts = new List<string>();
        var commandLinesSeen = new List<string>();
        var scanned = false;
        var progress = new SynchronousProgress<TransferProgress>(e =>
        {
            lock (texts) texts.Add(e.ToString());
            if (e.Kind == TransferEventKind.BlobStarted && !scanned)
            {
                scanned = true;
                commandLinesSeen.AddRange(AllProcessCommandLines()); // while credentials are in use
            }
            if (e.Kind == TransferEventKind.BlobCompleted && e.Target.StartsWith(token.Host) && !texts.Any(t => t.Contains("slept")))
            {
                texts.Add("slept");
                Thread.Sleep(TimeSpan.FromSeconds(3)); // force a 401 and a re-authentication mid-push
            }
        });
        var image = TestImages.Create("secrets", busybox: false);
        foreach (var registry in new[] { basic, token })
        {
            using var client = registry.CreateClient(new RegistryClientOptions { Progress = progress, MaxParallelTransfers = 1 });
            await image.PushAsync(client, registry.Reference("secret/app:1"), "2");
            await new ImageCopier(client).CopyAsync(registry.Reference("secret/app:1"), registry.Reference("secret/copy:1"));
        }
        Assert.Contains(texts, t => t.Contains(nameof(TransferEventKind.Reauthenticated)));

        // Refused credentials and denied operations: the messages must not echo what was sent.
        const string wrongPassword = "wrong-password-that-must-not-leak";
        foreach (var registry in new[] { basic, token })
        {
            using var wrong = registry.CreateClient(new RegistryClientOptions { Progress = progress, MaxRetries = 0 },
                new ExplicitCredentialProvider().Add(registry.Host, registry.Username!, wrongPassword, "test"));
            var error = await Assert.ThrowsAsync<DockyardException>(() => image.PushAsync(wrong, registry.Reference("secret/denied:1")));
            texts.Add(error.ToString());
        }

        // The CLI, with the password on stdin.
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var root = new RootCommand { ImageCommand.Create(stdout, stderr, new StringReader(token.Password!)) };
        var exit = root.Parse(["image", "copy", $"{token.Host}/secret/app:1", $"{token.Host}/secret/cli:1", "--username", token.Username!, "--password-stdin"])
            .Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        Assert.Equal(0, exit);
        texts.Add(stdout.ToString());
        texts.Add(stderr.ToString());
        texts.Add(basic.Log);
        texts.Add(token.Log);
        commandLinesSeen.AddRange(ProcessRunner.CommandLines);

        var secrets = new List<string> { basic.Password!, token.Password!, wrongPassword };
        secrets.AddRange(token.Tokens!.Tokens);
        Assert.True(token.Tokens.Tokens.Count >= 2);
        Assert.NotEmpty(commandLinesSeen);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(texts, t => t.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(commandLinesSeen, c => c.Contains(secret, StringComparison.Ordinal));
        }
    }

    private static IEnumerable<string> AllProcessCommandLines()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _)) continue;
            string text;
            try { text = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' '); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            if (text.Length > 0) yield return text;
        }
    }
}
