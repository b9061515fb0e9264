using Dockyard.Diagnostics;
using Dockyard.Jobs.Artifacts;
using Dockyard.Jobs.Scheduling;
using Dockyard.Jobs.Shell;
using Dockyard.Jobs.Variables;
using Dockyard.Pipelines.Yaml;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Jobs;

/// <summary>Unit tests of the script writer, masker, dotenv and variables-file readers, path selection and retry.</summary>
public class ShellPiecesTests
{
    [Fact]
    public void The_script_has_the_runner_prologue_and_quotes_the_body()
    {
        var script = BashScriptWriter.Write(["echo 'a' \\ b", "line1\nline2"], color: false);
        Assert.Contains("trap 'exit 1' TERM\n", script);
        Assert.Contains("if set -o | grep pipefail > /dev/null; then set -o pipefail; fi; set -o errexit\n", script);
        Assert.Contains("set +o noclobber\n", script);
        Assert.Contains(": | eval $'", script);
        using var dir = new TempDirectory("script");
        var path = dir.WriteFile("s.sh", script);
        var bash = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("bash", [path]) { RedirectStandardOutput = true })!;
        var output = bash.StandardOutput.ReadToEnd();
        bash.WaitForExit();
        Assert.StartsWith("$ echo 'a' \\ b\na  b\n$ line1 # collapsed multi-line command\n", output);
        Assert.Contains("line1: command not found", output);
        Assert.Equal(1, bash.ExitCode); // the runner's legacy eval turns 127 into 1
        Assert.EndsWith("exit 0\n", script);
        Assert.Equal("line1 # collapsed multi-line command", BashScriptWriter.Echoed("line1\nline2\n"));
        Assert.Contains(": | (eval $'", BashScriptWriter.Write(["true"], false, newEvalStrategy: true));
        Assert.Equal(@"$'\e[0m\x01'", BashScriptWriter.Quote("\u001b[0m\u0001"));
    }

    [Fact]
    public void The_masker_replaces_longest_values_first()
    {
        var masker = new OutputMasker(["secret", "secret-longer", ""]);
        Assert.Equal("a [MASKED] b [MASKED]", masker.Mask("a secret-longer b secret"));
    }

    [Fact]
    public void Dotenv_reads_assignments_and_reports_bad_lines()
    {
        var warnings = new List<string>();
        var pairs = DotenvReader.Read("# c\nA=1\n\nB = \"two words\"\nbad line\n1X=2\nA=3\nC='q'\nD=\n", "build.env", warnings.Add);
        Assert.Equal(["B=two words", "A=3", "C=q", "D="], pairs.Select(p => $"{p.Key}={p.Value}"));
        Assert.Equal(["build.env:5: not a KEY=VALUE line; skipped", "build.env:6: not a KEY=VALUE line; skipped"], warnings);
    }

    [Fact]
    public void The_variables_file_reads_values_and_settings_and_rejects_mistakes_with_their_location()
    {
        using var dir = new TempDirectory("vars");
        var path = dir.WriteFile("vars.yml", "PLAIN: value\nNUMBER: 5\nTOKEN:\n  value: abc12345xyz\n  masked: true\nKEY_FILE:\n  value: \"-----key-----\"\n  file: true\nRAW:\n  value: $HOME\n  expand: false\n");
        var variables = VariablesFileReader.Read(path);
        Assert.Equal(new JobVariable("PLAIN", "value"), variables[0]);
        Assert.Equal(new JobVariable("NUMBER", "5"), variables[1]);
        Assert.True(variables[2].Masked);
        Assert.True(variables[3].IsFile);
        Assert.False(variables[4].Expand);
        var bad = dir.WriteFile("bad.yml", "TOKEN:\n  value: x\n  maskd: true\n");
        var error = Assert.Throws<SourceException>(() => VariablesFileReader.Read(bad));
        Assert.Equal(3, error.Location.Line);
        Assert.Contains("did you mean 'masked'?", error.Message);
        Assert.Throws<DockyardException>(() => VariablesFileReader.Read(dir.Combine("missing.yml")));
    }

    [Fact]
    public void Environment_precedence_and_file_variables()
    {
        using var dir = new TempDirectory("env");
        var environment = new JobEnvironmentBuilder(dir.Combine("files"))
            .AddPredefined(new Dictionary<string, string> { ["CI_COMMIT_SHA"] = "local", ["CI_PROJECT_DIR"] = "/job" })
            .AddYaml(new Dictionary<string, Dockyard.Pipelines.Jobs.PipelineVariable> { ["A"] = new("yaml"), ["REF"] = new("$SECRET_FILE") })
            .AddDotenv([new("A", "dotenv")])
            .AddExternal([new JobVariable("SECRET_FILE", "content", Masked: true, IsFile: true)])
            .AddSurroundingGitLabJob(new Dictionary<string, string> { ["GITLAB_CI"] = "true", ["CI_COMMIT_SHA"] = "real", ["CI_PROJECT_DIR"] = "/real" },
                new HashSet<string> { "CI_COMMIT_SHA", "CI_PROJECT_DIR" })
            .Build();
        Assert.Equal("dotenv", environment.Variables["A"]);
        Assert.Equal("real", environment.Variables["CI_COMMIT_SHA"]);
        Assert.Equal("/job", environment.Variables["CI_PROJECT_DIR"]);
        Assert.Equal(dir.Combine("files", "SECRET_FILE"), environment.Variables["SECRET_FILE"]);
        Assert.Equal(environment.Variables["SECRET_FILE"], environment.Variables["REF"]);
        Assert.Equal("content", File.ReadAllText(environment.Variables["SECRET_FILE"]));
        Assert.Equal(["content"], environment.MaskedValues);
        // The runner's Value (what DOCKER_AUTH_CONFIG is read with): a file variable's content, not its path.
        Assert.Equal("content", environment.ValueOf("SECRET_FILE"));
        Assert.Equal("dotenv", environment.ValueOf("A"));
        Assert.Null(environment.ValueOf("UNSET"));
        Assert.Equal($"{dir.Combine("files", "SECRET_FILE")}/dotenv/", environment.Expand("$SECRET_FILE/${A}/$UNSET"));
    }

    [Fact]
    public void Path_selection_matches_directories_globs_excludes_and_untracked_files()
    {
        using var dir = new TempDirectory("sel");
        foreach (var f in new[] { "a/x.txt", "a/b/y.txt", "a/b/y.log", "c.txt", "tracked.txt", "d/e.bin" }) dir.WriteFile(f);
        var warnings = new List<string>();
        var tracked = new HashSet<string> { "tracked.txt", "c.txt" };
        Assert.Equal(["a/", "a/b/", "a/b/y.txt", "a/x.txt"], PathSelection.Select(dir.Path, ["a/"], ["**/*.log"], false, tracked, warnings.Add));
        Assert.Equal(["a/", "a/b/", "a/x.txt"], PathSelection.Select(dir.Path, ["a"], ["a/b/**"], false, tracked, warnings.Add));
        Assert.Equal(["a/b/y.log", "a/b/y.txt", "a/x.txt", "d/e.bin"], PathSelection.Select(dir.Path, [], [], true, tracked, warnings.Add));
        Assert.Equal(["a/b/y.txt", "c.txt"], PathSelection.Select(dir.Path, ["**/y.txt", dir.Combine("c.txt")], [], false, tracked, warnings.Add));
        Assert.Empty(PathSelection.Select(dir.Path, ["../outside", "nothing/*"], [], false, tracked, warnings.Add));
        Assert.Contains(warnings, w => w.Contains("outside the job directory", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("nothing/*: no matching files", StringComparison.Ordinal));
    }

    [Fact]
    public void Retry_reads_numbers_and_hashes_as_GitLab()
    {
        static YamlNode Node(string yaml) => ((YamlMapping)YamlFileReader.ReadDocuments("retry: " + yaml, "ci.yml")[0]!)["retry"]!;
        var two = RetryPolicy.Read(Node("2"));
        Assert.True(two.ShouldRetry(2, "script_failure", 1));
        Assert.False(two.ShouldRetry(3, "script_failure", 1));
        var codes = RetryPolicy.Read(Node("{max: 1, exit_codes: [137]}"));
        Assert.True(codes.ShouldRetry(1, "script_failure", 137));
        Assert.False(codes.ShouldRetry(1, "script_failure", 1));
        var reason = RetryPolicy.Read(Node("{max: 2, when: [job_execution_timeout]}"));
        Assert.True(reason.ShouldRetry(1, "job_execution_timeout", null));
        Assert.False(reason.ShouldRetry(1, "script_failure", 1));
        Assert.Contains("did you mean", Assert.Throws<SourceException>(() => RetryPolicy.Read(Node("{max: 1, when: script_failur}"))).Message);
        Assert.Throws<SourceException>(() => RetryPolicy.Read(Node("3")));
    }
}
