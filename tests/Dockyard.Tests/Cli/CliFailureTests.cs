using Dockyard.Cli;
using Dockyard.Cli.Hosting;
using Dockyard.Credentials.Masking;
using Dockyard.Diagnostics;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Cli;

public sealed class CliFailureTests
{
    [Fact]
    public void A_user_error_is_one_line_with_its_code_and_exit_code_1()
    {
        var stderr = new StringWriter();
        var code = ErrorReport.Write(new SourceException(new SourceLocation(".gitlab-ci.yml", 3, 5), "unknown keyword 'scirpt'.", "Did you mean 'script'?") { Code = DiagnosticCodes.Pipeline },
            stderr, new SecretMasker(), verbose: false);
        Assert.Equal(1, code);
        var lines = stderr.ToString().TrimEnd().Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("error DY1000: .gitlab-ci.yml:3:5: unknown keyword", lines[0]);
    }

    [Fact]
    public void An_unexpected_failure_is_one_line_with_a_hint_and_exit_code_70()
    {
        var stderr = new StringWriter();
        var masker = new SecretMasker();
        masker.Add("hunter2-secret");
        var code = ErrorReport.Write(new InvalidOperationException("state broke near hunter2-secret\nsecond line"), stderr, masker, verbose: false);
        Assert.Equal(70, code);
        var text = stderr.ToString();
        Assert.Single(text.TrimEnd().Split('\n'));
        Assert.Contains("DY0070", text);
        Assert.Contains("--verbose", text);
        Assert.DoesNotContain("hunter2-secret", text);
        Assert.DoesNotContain("   at ", text);
    }

    [Fact]
    public void With_verbose_an_unexpected_failure_shows_the_trace_masked()
    {
        var stderr = new StringWriter();
        var masker = new SecretMasker();
        masker.Add("hunter2-secret");
        Exception thrown;
        try { throw new InvalidOperationException("boom hunter2-secret"); }
        catch (Exception e) { thrown = e; }
        Assert.Equal(70, ErrorReport.Write(thrown, stderr, masker, verbose: true));
        Assert.Contains("   at ", stderr.ToString());
        Assert.DoesNotContain("hunter2-secret", stderr.ToString());
    }

    [Fact]
    public void A_setting_is_named_in_the_CLI_spelling()
    {
        var stderr = new StringWriter();
        ErrorReport.Write(new DockyardException("the publish directory does not exist.") { Setting = Setting.PublishDirectory }, stderr, new SecretMasker(), false);
        Assert.Contains("(option --publish-dir)", stderr.ToString());
    }

    [Fact]
    public void Response_files_are_not_read()
    {
        using var directory = new TempDirectory("cli-at");
        var file = directory.Combine("args.txt");
        File.WriteAllText(file, "planted-file-content-7c1f\n");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(["ci", "list", "--cwd", "@" + file], stdout, stderr);
        Assert.NotEqual(0, code);
        Assert.DoesNotContain("planted-file-content-7c1f", stdout.ToString() + stderr.ToString());
    }

    [Fact]
    public void Areas_get_their_codes_from_the_folder_that_threw()
    {
        Assert.Equal(DiagnosticCodes.Pipeline, DiagnosticCodes.ForArea("/_/src/Dockyard.Core/Pipelines/Yaml/YamlFileReader.cs"));
        Assert.Equal(DiagnosticCodes.Registry, DiagnosticCodes.ForArea(@"C:\src\Dockyard.Core\Registries\RegistryClient.cs"));
        Assert.Equal(DiagnosticCodes.General, DiagnosticCodes.ForArea("/src/Dockyard.Cli/Commands/BuildCommand.cs"));
    }
}
