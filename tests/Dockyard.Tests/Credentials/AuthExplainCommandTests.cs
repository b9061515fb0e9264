using System.Text.Json;
using Dockyard.Cli;

namespace Dockyard.Tests.Credentials;

/// <summary>
/// <c>dockyard auth explain</c> through <see cref="Program.Run"/>. Each test uses its own registry host and points
/// <c>--config</c>/<c>--authfile</c> at sandbox files, so the machine's own credentials never match; the SDK variables
/// (which apply to every registry) are turned off.
/// </summary>
public class AuthExplainCommandTests : IDisposable
{
    private readonly CredentialSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string ConfigDirectory(string registry, string user, string password)
    {
        var path = _sandbox.Write("cli/config.json",
            $"{{\"auths\":{{\"{registry}\":{{\"auth\":\"{CredentialSandbox.Auth(user, password)}\"}}}}}}");
        return Path.GetDirectoryName(path)!;
    }

    [Fact]
    public void Explains_which_source_answers_without_the_secret()
    {
        var config = ConfigDirectory("cli-one.example:5000", "cli-user", "cli-password-1");
        var (code, output, errors) = Run("auth", "explain", "CLI-ONE.example:5000", "--config", config, "--disable", "sdk-environment");

        Assert.Equal(0, code);
        Assert.Equal("", errors);
        Assert.StartsWith("Credentials for cli-one.example:5000 (config key cli-one.example:5000, pull), sources in order:", output);
        Assert.Matches(@"2\. SDK environment variables\s+disabled", output);
        Assert.Matches(@"docker config \(\$DOCKER_CONFIG\) \(" + Regex(Path.Combine(config, "config.json")) + @"\)\s+ANSWERED\s+auths\[""cli-one.example:5000""\]", output);
        Assert.Contains("Result: user \"cli-user\" with password from ", output);
        Assert.DoesNotContain("cli-password-1", output);
        Assert.DoesNotContain(CredentialSandbox.Auth("cli-user", "cli-password-1"), output);
    }

    [Fact]
    public void Prints_json_with_the_step_names_fronts_use()
    {
        var config = ConfigDirectory("cli-two.example", "json-user", "cli-password-2");
        var (code, output, _) = Run("auth", "explain", "cli-two.example", "--config", config, "--json", "--disable", "sdk-environment", "--access", "pull");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("cli-two.example", root.GetProperty("registry").GetString());
        Assert.Equal("pull", root.GetProperty("access").GetString());
        Assert.Equal("json-user", root.GetProperty("credential").GetProperty("username").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);
        var steps = root.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal("explicit", steps[0].GetProperty("kind").GetString());
        Assert.Equal("disabled", steps[1].GetProperty("outcome").GetString());
        var answered = steps.Single(s => s.GetProperty("outcome").GetString() == "answered");
        Assert.Equal("docker-config-file", answered.GetProperty("kind").GetString());
        Assert.DoesNotContain("cli-password-2", output);
    }

    [Fact]
    public void No_credential_exits_zero_and_says_anonymous()
    {
        var config = ConfigDirectory("somewhere-else.example", "x", "cli-password-3");
        var (code, output, _) = Run("auth", "explain", "cli-three.example", "--config", config, "--disable", "sdk-environment");
        Assert.Equal(0, code);
        Assert.Contains("no auths entry for \"cli-three.example\"", output);
        Assert.Contains("Result: no credential found; cli-three.example will be accessed anonymously.", output);
    }

    [Fact]
    public void Broken_source_exits_non_zero_naming_the_file_line_and_column()
    {
        var path = _sandbox.Write("broken/config.json", "{\n  \"auths\": {\n    \"cli-four.example\": {\"auth\": \"c2VjcmV0LXZhbHVl\"\n");
        var (code, output, errors) = Run("auth", "explain", "cli-four.example", "--config", Path.GetDirectoryName(path)!, "--disable", "sdk-environment");
        Assert.Equal(1, code);
        Assert.Contains("FAILED", output);
        Assert.Matches(@"error DY4500: " + Regex(path) + @":\d+:\d+: is not valid JSON\.", errors);
        Assert.Contains("not consulted", output);
    }

    [Fact]
    public void Podman_auth_file_option_is_honoured()
    {
        var file = _sandbox.Write("podman/auth.json", $"{{\"auths\":{{\"cli-five.example\":{{\"auth\":\"{CredentialSandbox.Auth("pod-user", "cli-password-5")}\"}}}}}}");
        var (code, output, _) = Run("auth", "explain", "cli-five.example", "--authfile", file, "--disable", "sdk-environment");
        Assert.Equal(0, code);
        Assert.Matches(@"podman auth file \(\$REGISTRY_AUTH_FILE\) \(" + Regex(file) + @"\)\s+ANSWERED", output);
        Assert.Contains("user \"pod-user\"", output);
    }

    [Fact]
    public void Unknown_source_name_is_a_clear_error()
    {
        var (code, _, errors) = Run("auth", "explain", "cli-six.example", "--disable", "keychain");
        Assert.Equal(1, code);
        Assert.Contains("Unknown credential source 'keychain'. Use one of: explicit, sdk-environment, docker-auth-config, docker-config-file, gitlab-job, gitlab-dependency-proxy, podman.", errors);
    }

    [Fact]
    public void Explicit_password_from_stdin_answers_and_is_masked()
    {
        var previous = Console.In;
        try
        {
            Console.SetIn(new StringReader("stdin-password-7\n"));
            var (code, output, _) = Run("auth", "explain", "cli-seven.example", "-u", "stdin-user", "--password-stdin", "--disable", "sdk-environment");
            Assert.Equal(0, code);
            Assert.Matches(@"1\. explicit credentials\s+ANSWERED\s+given for cli-seven.example", output);
            Assert.Contains("Result: user \"stdin-user\" with password from explicit credentials for cli-seven.example.", output);
            Assert.DoesNotContain("stdin-password-7", output);
        }
        finally
        {
            Console.SetIn(previous);
        }
    }

    [Fact]
    public void Push_and_pull_choose_the_direction_and_the_json_says_which()
    {
        var config = ConfigDirectory("cli-eight.example", "dir-user", "cli-password-8");
        var (code, output, _) = Run("auth", "explain", "cli-eight.example", "--config", config, "--json", "--disable", "sdk-environment", "--push");
        Assert.Equal(0, code);
        using (var json = JsonDocument.Parse(output)) Assert.Equal("push", json.RootElement.GetProperty("access").GetString());

        (code, output, _) = Run("auth", "explain", "cli-eight.example", "--config", config, "--disable", "sdk-environment", "--pull");
        Assert.Equal(0, code);
        Assert.StartsWith("Credentials for cli-eight.example (config key cli-eight.example, pull)", output);

        (code, _, var errors) = Run("auth", "explain", "cli-eight.example", "--config", config, "--push", "--pull");
        Assert.Equal(1, code);
        Assert.Contains("--push and --pull (or --access) disagree", errors);
    }

    [Theory]
    [InlineData("-0.001")]
    [InlineData("0")]
    [InlineData("NaN")]
    public void Helper_timeout_that_is_not_positive_is_refused(string seconds)
    {
        var (code, _, errors) = Run("auth", "explain", "cli-eight.example", "--helper-timeout", seconds, "--disable", "sdk-environment");
        Assert.Equal(1, code);
        Assert.Contains("--helper-timeout ", errors);
        Assert.Contains("greater than 0", errors);
    }

    [Fact]
    public void Password_stdin_is_capped()
    {
        var error = Assert.Throws<Dockyard.Diagnostics.DockyardException>(() =>
            Dockyard.Credentials.PasswordInput.Read(new StringReader(new string('p', Dockyard.Credentials.PasswordInput.MaxLength + 1))));
        Assert.Contains("--password-stdin: standard input holds more than 64 KiB", error.Message);
        Assert.DoesNotContain("ppp", error.Message);
        var atCap = new string('q', Dockyard.Credentials.PasswordInput.MaxLength);
        Assert.Equal(atCap, Dockyard.Credentials.PasswordInput.Read(new StringReader(atCap + "\r\n")));
    }

    private static string Regex(string literal) => System.Text.RegularExpressions.Regex.Escape(literal);
}
