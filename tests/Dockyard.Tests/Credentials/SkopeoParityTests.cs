using System.Diagnostics;
using Dockyard.Credentials;

namespace Dockyard.Tests.Credentials;

/// <summary>
/// Differential tests against the real skopeo (containers/image): for podman auth files, our chain must pick the same
/// user as <c>skopeo login --get-login --authfile FILE REGISTRY</c>, including key normalisation and credential helpers.
/// </summary>
public class SkopeoParityTests : IDisposable
{
    private readonly CredentialSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        string[] keys =
        [
            "registry.example.com", "https://registry.example.com/v1/", "http://registry.example.com", "REGISTRY.example.com",
            "registry.example.com/group", "registry.example.com:5000", "docker.io", "https://index.docker.io/v1/",
            "index.docker.io", "registry-1.docker.io",
        ];
        foreach (var key in keys)
        {
            foreach (var registry in new[] { "registry.example.com", "registry.example.com:5000", "docker.io" })
            {
                data.Add(key, registry);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Auth_file_keys_match_like_skopeo(string key, string registry)
    {
        var file = _sandbox.Write("auth.json", $"{{\"auths\":{{\"{key}\":{{\"auth\":\"{CredentialSandbox.Auth("keyed-user", "parity-password")}\"}}}}}}");
        Assert.Equal(Skopeo(file, registry), await OurUser(file, registry));
    }

    [Theory]
    [InlineData("registry.example.com", "registry.example.com")]
    [InlineData("docker.io", "docker.io")]
    [InlineData("registry.example.com:5000", "registry.example.com")]
    public async Task Credential_helpers_in_auth_files_answer_like_skopeo(string key, string registry)
    {
        _sandbox.WriteAnsweringHelper("parity", "helper-user", "parity-helper-secret");
        var file = _sandbox.Write("auth.json", $"{{\"credHelpers\":{{\"{key}\":\"parity\"}}}}");
        Assert.Equal(Skopeo(file, registry), await OurUser(file, registry));
    }

    private async Task<string?> OurUser(string authFile, string registry)
    {
        _sandbox.Variables["REGISTRY_AUTH_FILE"] = authFile;
        var onlyPodman = new CredentialChainOptions();
        foreach (var kind in Enum.GetValues<CredentialSourceKind>().Where(k => k != CredentialSourceKind.Podman))
        {
            onlyPodman.Disabled.Add(kind);
        }

        return (await _sandbox.Chain(onlyPodman).GetAsync(registry, RegistryAccess.Push))?.Username;
    }

    private string? Skopeo(string authFile, string registry)
    {
        var start = new ProcessStartInfo("skopeo") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "login", "--get-login", "--authfile", authFile, registry })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        start.Environment["PATH"] = _sandbox.Variables["PATH"];
        start.Environment["HOME"] = _sandbox.Home;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            Assert.Contains("not logged into", errors);
            return null;
        }

        return output.Trim();
    }
}
