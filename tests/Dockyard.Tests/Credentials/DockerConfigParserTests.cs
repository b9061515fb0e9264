using Dockyard.Credentials.DockerConfig;
using Dockyard.Diagnostics;

namespace Dockyard.Tests.Credentials;

public class DockerConfigParserTests
{
    [Fact]
    public void Reads_auths_credsStore_and_credHelpers()
    {
        var config = DockerConfigParser.ParseConfig($$"""
            {
              "auths": {
                "https://index.docker.io/v1/": { "auth": "{{CredentialSandbox.Auth("hubuser", "hub:pass:word")}}" },
                "registry.example.com": { "username": "plain", "password": "plain-password" },
                "oauth.example.com": { "auth": "{{CredentialSandbox.Auth("alice", "")}}", "identitytoken": "refresh-token-1" },
                "bearer.example.com": { "registrytoken": "bearer-token-1" },
                "store.example.com": {}
              },
              "credsStore": "desktop",
              "credHelpers": { "123456789012.dkr.ecr.eu-west-1.amazonaws.com": "ecr-login" },
              "proxies": { "default": {} }
            }
            """, "config.json");

        Assert.Equal("desktop", config.CredsStore);
        Assert.Equal("ecr-login", config.CredHelpers["123456789012.dkr.ecr.eu-west-1.amazonaws.com"]);
        var hub = config.Auths.Single(a => a.Key == "https://index.docker.io/v1/");
        Assert.Equal(("hubuser", "hub:pass:word"), (hub.Username, hub.Password));
        var plain = config.Auths.Single(a => a.Key == "registry.example.com");
        Assert.Equal(("plain", "plain-password"), (plain.Username, plain.Password));
        var oauth = config.Auths.Single(a => a.Key == "oauth.example.com");
        Assert.Equal(("alice", "refresh-token-1"), (oauth.Username, oauth.IdentityToken));
        Assert.Null(oauth.Password);
        Assert.Equal("bearer-token-1", config.Auths.Single(a => a.Key == "bearer.example.com").RegistryToken);
        Assert.True(config.Auths.Single(a => a.Key == "store.example.com").IsEmpty);
    }

    [Fact]
    public void Auth_overrides_username_and_password_and_trims_trailing_nuls()
    {
        var auth = CredentialSandbox.Auth("real", "pw\0\0");
        var config = DockerConfigParser.ParseConfig(
            "{\"auths\":{\"r.example.com\":{\"auth\":\"" + auth + "\",\"username\":\"other\",\"password\":\"other-pw\"}}}", "c.json");
        var entry = config.Auths.Single();
        Assert.Equal(("real", "pw"), (entry.Username, entry.Password));
    }

    [Fact]
    public void Malformed_json_names_the_file_line_and_column()
    {
        var error = Assert.Throws<SourceException>(() =>
            DockerConfigParser.ParseConfig("{\n  \"auths\": {\n    \"x\": { \"auth\": \"c2VjcmV0LXZhbHVl\" \n  }\n", "/home/u/.docker/config.json"));
        Assert.Equal("/home/u/.docker/config.json", error.Location.File);
        Assert.True(error.Location.Line >= 3, error.Message);
        Assert.True(error.Location.Column >= 1, error.Message);
        Assert.StartsWith($"/home/u/.docker/config.json:{error.Location.Line}:{error.Location.Column}: is not valid JSON.", error.Message);
    }

    [Theory]
    [InlineData("""{"auths":[]}""", "\"auths\" must be a JSON object, not an array")]
    [InlineData("""{"auths":{"h":{"auth":5}}}""", "auths[\"h\"].auth must be a string, not a number")]
    [InlineData("""{"credsStore":true}""", "\"credsStore\" must be a string, not a boolean")]
    [InlineData("""{"credHelpers":{"h":{}}}""", "credHelpers[\"h\"] must be a string, not an object")]
    [InlineData("""{"auths":{"h":{"auth":"not base64!"}}}""", "auths[\"h\"].auth is not valid base64")]
    [InlineData("""{"auths":{"h":{"auth":"Om5vLXVzZXI="}}}""", "auths[\"h\"].auth does not decode to \"user:password\" (no user name)")]
    [InlineData("""{"auths":{"h":{"auth":"bm8tY29sb24="}}}""", "auths[\"h\"].auth does not decode to \"user:password\"")]
    public void Wrong_shapes_are_named_with_their_path(string json, string expected)
    {
        var error = Assert.Throws<DockyardException>(() => DockerConfigParser.ParseConfig(json, "DOCKER_AUTH_CONFIG"));
        Assert.StartsWith("DOCKER_AUTH_CONFIG: ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Reads_the_legacy_dockercfg_json_form()
    {
        var auth = CredentialSandbox.Auth("old", "old-password");
        var config = DockerConfigParser.ParseLegacy(
            "{\"https://index.docker.io/v1/\":{\"auth\":\"" + auth + "\",\"email\":\"a@b.c\"}}", ".dockercfg");
        var entry = config.Auths.Single();
        Assert.Equal(("https://index.docker.io/v1/", "old", "old-password"), (entry.Key, entry.Username, entry.Password));
        Assert.Null(config.CredsStore);
    }

    [Fact]
    public void Reads_the_oldest_two_line_dockercfg_form_as_docker_hub()
    {
        var config = DockerConfigParser.ParseLegacy($"auth = {CredentialSandbox.Auth("ancient", "ancient-pw")}\nemail = a@b.c\n", ".dockercfg");
        var entry = config.Auths.Single();
        Assert.Equal(("https://index.docker.io/v1/", "ancient", "ancient-pw"), (entry.Key, entry.Username, entry.Password));
    }

    [Fact]
    public void Legacy_file_in_neither_format_is_an_error_naming_it()
    {
        var error = Assert.Throws<SourceException>(() => DockerConfigParser.ParseLegacy("garbage\n", "/h/.dockercfg"));
        Assert.StartsWith("/h/.dockercfg:1:1: is neither JSON nor the legacy", error.Message);
    }
}
