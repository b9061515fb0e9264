using Dockyard.Credentials.Masking;
using Dockyard.Diagnostics;
using Dockyard.Processes;
using Dockyard.Tests.Infrastructure;
using ProcessRunner = Dockyard.Processes.ProcessRunner;
using Microsoft.Extensions.Logging;

namespace Dockyard.Tests.Processes;

/// <summary>The one process runner, driving real /bin/sh scripts, their background children, <c>yes</c> and <c>setsid</c>.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ProcessRunnerTests : IDisposable
{
    private readonly TempDirectory _dir = new("proc");
    private readonly List<int> _leftovers = [];

    public void Dispose()
    {
        foreach (var pid in _leftovers.Where(ProcessProbe.IsRunning))
        {
            try
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill();
            }
            catch (ArgumentException)
            {
                // Gone meanwhile.
            }
        }
        _dir.Dispose();
    }

    private static ProcessRequest Shell(string script) => new("/bin/sh", ["-c", script]);

    [Fact]
    public async Task SecretsGoInThroughStdinAndEveryOutputLineIsMasked()
    {
        var masker = new SecretMasker();
        masker.Add("pa55-word");
        var logged = new List<string>();
        var request = Shell("read secret; echo \"got $secret\"; echo \"$NOTE\" >&2; exit 4") with
        {
            Environment = new Dictionary<string, string?> { ["NOTE"] = "note pa55-word", ["HOME"] = null },
            Masker = masker,
            OnLine = line => { lock (logged) logged.Add(line); },
        };

        var result = await ProcessRunner.RunAsync(request.WithInput("pa55-word\n"), CancellationToken.None);

        Assert.Equal(4, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.Equal(["got ****", "note ****"], result.LastLines.Order());
        Assert.Equal(["got ****", "note ****"], logged.Order());
        Assert.Contains("  got ****", result.Tail(), StringComparison.Ordinal);
        Assert.Equal("got pa55-word\n", result.StandardOutput.Text);
        Assert.Equal("note pa55-word\n", result.StandardError.Text);
        Assert.False(result.TimedOut);
        Assert.False(result.PipesLeftOpen);
    }

    // Seen in CI: a program that exits before its stdin is closed made disposing the process flush into the closed
    // pipe (ObjectDisposedException, exit 70 from `ci run`), about once in 200 runs. Many fast runs, with and without input.
    [Fact]
    public async Task ManyProgramsThatExitAtOnceNeverFailOnTheirClosedStandardInput()
    {
        var runs = Enumerable.Range(0, 400).Select(i => Task.Run(async () =>
        {
            var request = new ProcessRequest("true", []);
            if (i % 2 == 0) request = request.WithInput("ignored input\n");
            return (await ProcessRunner.RunAsync(request, CancellationToken.None)).ExitCode;
        }));
        var codes = await Task.WhenAll(runs);
        Assert.All(codes, code => Assert.Equal(0, code));
    }

    [Fact]
    public async Task EnvironmentOverridesRemovalsAndWorkingDirectory()
    {
        Environment.SetEnvironmentVariable("DOCKYARD_PROCESS_TEST_INHERITED", "inherited");
        var request = Shell("echo \"[$DOCKYARD_PROCESS_TEST_INHERITED][$SET][$(pwd)]\"") with
        {
            Environment = new Dictionary<string, string?> { ["DOCKYARD_PROCESS_TEST_INHERITED"] = null, ["SET"] = "value" },
            WorkingDirectory = _dir.Path,
        };
        var result = await ProcessRunner.RunAsync(request, CancellationToken.None);
        Assert.Equal([$"[][value][{_dir.Path}]"], result.LastLines);
    }

    [Fact]
    public async Task WithoutInheritanceTheProgramSeesOnlyTheGivenVariables()
    {
        Environment.SetEnvironmentVariable("DOCKYARD_PROCESS_TEST_INHERITED", "inherited");
        var request = Shell("env | grep -c DOCKYARD_PROCESS_TEST || true; echo \"[$ONLY]\"") with
        {
            InheritEnvironment = false,
            Environment = new Dictionary<string, string?> { ["ONLY"] = "this", ["PATH"] = "/usr/bin:/bin" },
        };
        var result = await ProcessRunner.RunAsync(request, CancellationToken.None);
        Assert.Equal(["0", "[this]"], result.LastLines);
    }

    [Fact]
    public async Task ReturnsWhenTheProgramExitsAlthoughABackgroundChildKeepsItsPipesOpen()
    {
        var pidFile = _dir.Combine("background.pid");
        var request = Shell($"sleep 300 & echo $! > '{pidFile}'; echo answered; echo warned >&2") with { Timeout = TimeSpan.FromMinutes(2) };

        var result = await ProcessRunner.RunAsync(request, CancellationToken.None);
        var background = int.Parse(File.ReadAllText(pidFile).Trim());
        _leftovers.Add(background);

        Assert.False(result.TimedOut);
        Assert.True(result.Succeeded);
        Assert.True(result.PipesLeftOpen);
        Assert.Equal("answered\n", result.StandardOutput.Text);
        Assert.Equal(["answered", "warned"], result.LastLines.Order());
        Assert.True(ProcessProbe.IsRunning(background), "a background child is left alone when the program exits on its own");
    }

    [Fact]
    public async Task TimeoutKillsTheWholeProcessGroupIncludingOrphanedGrandchildren()
    {
        var grandchild = _dir.Combine("grandchild.pid");
        var child = _dir.Combine("child.pid");
        // The inner shell exits at once, so its sleep is re-parented and invisible to a walk of the process tree.
        var request = Shell($"sh -c 'sleep 300 & echo $! > \"{grandchild}\"'; echo $$ > '{child}'; echo started; sleep 300") with
        {
            Timeout = TimeSpan.FromSeconds(1),
        };

        var result = await ProcessRunner.RunAsync(request, CancellationToken.None);

        Assert.True(result.TimedOut);
        Assert.False(result.Succeeded);
        Assert.Equal(-1, result.ExitCode);
        Assert.Equal(["started"], result.LastLines);
        Assert.True(ProcessProbe.WaitUntilGone(ReadPid(child)), "the program is still running");
        Assert.True(ProcessProbe.WaitUntilGone(ReadPid(grandchild)), "the orphaned grandchild is still running");
    }

    [Fact]
    public async Task CancellationKillsTheWholeProcessGroupAndThrows()
    {
        var grandchild = _dir.Combine("grandchild.pid");
        var request = Shell($"sh -c 'sleep 300 & echo $! > \"{grandchild}.tmp\"; mv \"{grandchild}.tmp\" \"{grandchild}\"'; sleep 300");
        using var cancel = new CancellationTokenSource();
        var run = ProcessRunner.RunAsync(request, cancel.Token);
        Assert.True(SpinWait.SpinUntil(() => File.Exists(grandchild), TimeSpan.FromMinutes(1)), "the script did not start its grandchild");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(ProcessProbe.WaitUntilGone(ReadPid(grandchild)), "the grandchild survived the cancellation");
    }

    [Fact]
    public async Task AStdinSecretReachesTheProgramButNeverItsCommandLine()
    {
        const string secret = "stdin-secret-777";
        var cmdline = _dir.Combine("cmdline");
        var received = _dir.Combine("received");
        var request = Shell($"tr '\\0' ' ' < /proc/$$/cmdline > '{cmdline}'; cat > '{received}'").WithInput(secret);

        var result = await ProcessRunner.RunAsync(request, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal(secret, File.ReadAllText(received));
        var commandLine = File.ReadAllText(cmdline);
        Assert.StartsWith("/bin/sh -c ", commandLine, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, commandLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LinesAreMaskedAcrossReadsStreamsAndTheLinesOfAMultiLineSecret()
    {
        var masker = new SecretMasker();
        masker.Add("alpha-secret-1");
        masker.Add("-----BEGIN KEY-----\nline-two-of-key\n-----END KEY-----\n");
        var seen = new List<string>();
        var logger = new CollectingLogger();
        // A secret split over two writes (the reader sees two reads), the same secret on stderr, a key's lines, no final newline.
        var script = "printf 'first alpha-'; sleep 0.2; printf 'secret-1 end\\n'; echo 'err alpha-secret-1' >&2; " +
                     "printf 'line-two-of-key\\r\\n'; printf 'tail alpha-secret-1'";
        var request = Shell(script) with { Masker = masker, OnLine = line => { lock (seen) seen.Add(line); }, Logger = logger, LogLevel = LogLevel.Debug };

        var result = await ProcessRunner.RunAsync(request, CancellationToken.None);

        Assert.Equal(["****", "err ****", "first **** end", "tail ****"], seen.Order(StringComparer.Ordinal));
        Assert.Equal(seen.Order(), result.LastLines.Order());
        Assert.Equal(seen.Select(l => "sh: " + l).Order(), logger.Messages.Order());
        Assert.All(logger.Levels, level => Assert.Equal(LogLevel.Debug, level));
        Assert.DoesNotContain(seen.Concat(logger.Messages), l => l.Contains("alpha", StringComparison.Ordinal) || l.Contains("line-two", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EndlessOutputIsCappedAndTheProgramKilledWhenAsked()
    {
        var request = new ProcessRequest("yes", ["capped-output"]) { MaxCapturedBytes = 64 * 1024, KillWhenOutputExceedsCap = true, StreamStandardOutput = false };

        var result = await ProcessRunner.RunAsync(request, CancellationToken.None);

        Assert.True(result.KilledForOutput);
        Assert.False(result.TimedOut);
        Assert.False(result.Succeeded);
        Assert.True(result.StandardOutput.Truncated);
        Assert.Equal(64 * 1024, result.StandardOutput.Text.Length);
        Assert.True(result.StandardOutput.TotalBytes > 64 * 1024);
        Assert.StartsWith("capped-output\ncapped-output\n", result.StandardOutput.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutputPastTheCapIsReadAndDroppedButStillStreamed()
    {
        var lines = 0;
        var request = Shell("yes 0123456789 2>/dev/null | head -n 100000") with { MaxCapturedBytes = 1000, OnLine = _ => Interlocked.Increment(ref lines) };

        var result = await ProcessRunner.RunAsync(request, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.True(result.StandardOutput.Truncated);
        Assert.Equal(1000, result.StandardOutput.Text.Length);
        Assert.Equal(1_100_000, result.StandardOutput.TotalBytes);
        Assert.Equal(100_000, lines);
        Assert.Equal(OutputLines.KeptLines, result.LastLines.Count);
    }

    [Fact]
    public async Task LongLinesArriveInPiecesAndCarriageReturnsAreDropped()
    {
        var request = Shell("head -c 20000 /dev/zero | tr '\\0' a; printf '\\n'; head -c 8192 /dev/zero | tr '\\0' b; printf '\\r\\nlast'");

        var result = await ProcessRunner.RunAsync(request, CancellationToken.None);

        Assert.Equal([8192, 8192, 3616, 8192, 4], result.LastLines.Select(l => l.Length));
        Assert.Equal(new string('b', 8192), result.LastLines[3]);
        Assert.Equal("last", result.LastLines[4]);
    }

    [Fact]
    public async Task AMissingProgramIsNamedWithHowToGetIt()
    {
        var bare = await Assert.ThrowsAsync<ExecutableNotFoundException>(() => ProcessRunner.RunAsync(
            new ProcessRequest("dockyard-no-such-tool", []) { InstallHint = "Install it with 'apt-get install dockyard-no-such-tool'." }, CancellationToken.None));
        Assert.Equal("'dockyard-no-such-tool' was not found on PATH. Install it with 'apt-get install dockyard-no-such-tool'.", bare.Message);
        Assert.Equal("dockyard-no-such-tool", bare.Executable);

        var path = await Assert.ThrowsAsync<ExecutableNotFoundException>(() =>
            ProcessRunner.RunAsync(new ProcessRequest("/nonexistent/dockyard-tool", []), CancellationToken.None));
        Assert.Contains("'/nonexistent/dockyard-tool' is not an executable file", path.Message, StringComparison.Ordinal);
        Assert.Contains("Install it or put its directory on PATH", path.Message, StringComparison.Ordinal);
        Assert.Equal(DiagnosticCodes.General, path.Code);
    }

    [Fact]
    public async Task AProgramIsLookedUpOnThePathItWillSee()
    {
        File.WriteAllText(_dir.Combine("dockyard-own-tool"), "#!/bin/sh\necho own tool\n");
        File.SetUnixFileMode(_dir.Combine("dockyard-own-tool"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var request = new ProcessRequest("dockyard-own-tool", []) { Environment = new Dictionary<string, string?> { ["PATH"] = _dir.Path + ":/usr/bin:/bin" } };
        var result = await ProcessRunner.RunAsync(request, CancellationToken.None);
        Assert.Equal(["own tool"], result.LastLines);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task ATimeoutMustBePositive(int milliseconds)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            ProcessRunner.RunAsync(Shell("true") with { Timeout = TimeSpan.FromMilliseconds(milliseconds) }, CancellationToken.None));
    }

    [Fact]
    public void TheSynchronousRunGivesTheSameResult()
    {
        var result = ProcessRunner.Run(Shell("echo sync; exit 3"));
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("sync\n", result.StandardOutput.Text);
    }

    [Fact]
    public void ExecutablesAreFoundOnTheGivenPath()
    {
        File.WriteAllText(_dir.Combine("tool"), "#!/bin/sh\n");
        File.WriteAllText(_dir.Combine("data"), "");
        File.SetUnixFileMode(_dir.Combine("tool"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        Assert.Equal(_dir.Combine("tool"), ExecutableLookup.Find("tool", "/nonexistent:" + _dir.Path));
        Assert.Null(ExecutableLookup.Find("data", _dir.Path));
        Assert.Null(ExecutableLookup.Find("tool", "/nonexistent"));
        Assert.Null(ExecutableLookup.Find("tool", ""));
        Assert.Equal(_dir.Combine("tool"), ExecutableLookup.Find(_dir.Combine("tool"), ""));
    }

    [Fact]
    public void PrivateDirectoriesAreOwnerOnlyAndDeletedOnDispose()
    {
        string path, file;
        using (var directory = PrivateDirectory.Create("test"))
        {
            path = directory.Path;
            file = directory.WriteSecretFile("auth.json", "{}");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        Assert.False(Directory.Exists(path));
    }

    private static int ReadPid(string file) => int.Parse(File.ReadAllText(file).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private sealed class CollectingLogger : ILogger
    {
        private readonly List<(LogLevel Level, string Message)> _entries = [];

        public IEnumerable<string> Messages { get { lock (_entries) return _entries.Select(e => e.Message).ToList(); } }

        public IEnumerable<LogLevel> Levels { get { lock (_entries) return _entries.Select(e => e.Level).ToList(); } }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_entries) _entries.Add((logLevel, formatter(state, exception)));
        }
    }
}
