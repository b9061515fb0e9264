using Dockyard.Diagnostics;
using Dockyard.Registries.Mirrors;
using Dockyard.Registries.References;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Registries.Mirrors;

/// <summary>Parsing, file discovery and matching of containers-registries.conf(5), as containers/image does them.</summary>
public sealed class RegistriesConfTests : IDisposable
{
    private readonly TempDirectory _temp = new("regconf-unit");

    public void Dispose() => _temp.Dispose();

    private static RegistriesConf Conf(string toml, string file = "/etc/containers/registries.conf") =>
        new(RegistriesConfParser.Parse(toml, file), [file]);

    private static IReadOnlyList<string> Candidates(RegistriesConf conf, string reference) =>
        conf.PlanPull(ImageReference.Parse(reference)).Candidates.Select(c => $"{(c.IsMirror ? "mirror " : "")}{c.Reference}").ToList();

    [Fact]
    public void A_prefix_rewrite_keeps_the_rest_of_the_reference()
    {
        var conf = Conf("""
            [[registry]]
            prefix = "mcr.microsoft.com"
            location = "127.0.0.1:5000/mcr"
            """);
        Assert.Equal(["127.0.0.1:5000/mcr/dotnet/aspnet:10.0"], Candidates(conf, "mcr.microsoft.com/dotnet/aspnet:10.0"));
        var digest = "sha256:" + new string('a', 64);
        Assert.Equal([$"127.0.0.1:5000/mcr/dotnet/aspnet@{digest}"], Candidates(conf, $"mcr.microsoft.com/dotnet/aspnet@{digest}"));
        Assert.Equal(["mcr.microsoft.com.evil.example/x:1"], Candidates(conf, "mcr.microsoft.com.evil.example/x:1"));
    }

    [Fact]
    public void The_longest_matching_prefix_wins_and_a_prefix_matches_only_whole_path_components()
    {
        var conf = Conf("""
            [[registry]]
            prefix = "docker.io"
            location = "hub-cache.example.com"
            [[registry]]
            prefix = "docker.io/library"
            location = "library-cache.example.com/lib"
            [[registry]]
            prefix = "docker.io/library/alpine"
            location = "alpine.example.com/alpine"
            """);
        Assert.Equal(["library-cache.example.com/lib/busybox:1"], Candidates(conf, "busybox:1"));
        Assert.Equal(["alpine.example.com/alpine:3.20"], Candidates(conf, "alpine:3.20"));
        Assert.Equal(["library-cache.example.com/lib/alpinex:1"], Candidates(conf, "alpinex:1"));
        Assert.Equal(["hub-cache.example.com/bitnami/redis:7"], Candidates(conf, "bitnami/redis:7"));
        Assert.Equal("docker.io/library", conf.Find(ImageReference.Parse("ubuntu"))!.Prefix);
        Assert.Null(conf.Find(ImageReference.Parse("ghcr.io/x/y:1")));
    }

    [Fact]
    public void Wildcards_match_subdomains_in_the_host_only_and_an_empty_location_keeps_the_reference()
    {
        var conf = Conf("""
            [[registry]]
            prefix = "*.internal.example"
            [[registry.mirror]]
            location = "mirror.example.com/internal"
            """);
        Assert.Equal(["mirror mirror.example.com/internal/team/app:1", "a.b.internal.example/team/app:1"], Candidates(conf, "a.b.internal.example/team/app:1"));
        Assert.Null(conf.Find(ImageReference.Parse("internal.example/team/app:1")));
        Assert.Null(conf.Find(ImageReference.Parse("other.example/x.internal.example/app:1")));
        Assert.Equal(-1, new RegistryRule("*.internal.example", "", false, false, false, [], "f").MatchLength("a.internal.examplex/app"));
        Assert.Equal(13, new RegistryRule("*.example.com", "", false, false, false, [], "f").MatchLength("a.example.com:5000/app"));
    }

    [Fact]
    public void Mirrors_are_tried_first_when_they_serve_the_kind_of_reference()
    {
        var conf = Conf("""
            [[registry]]
            location = "registry.example.com"
            [[registry.mirror]]
            location = "all.example.com"
            [[registry.mirror]]
            location = "digests.example.com"
            pull-from-mirror = "digest-only"
            [[registry.mirror]]
            location = "tags.example.com"
            pull-from-mirror = "tag-only"
            insecure = true

            [[registry]]
            location = "pinned.example.com"
            mirror-by-digest-only = true
            [[registry.mirror]]
            location = "pinned-mirror.example.com"
            """);
        var digest = "sha256:" + new string('b', 64);
        Assert.Equal(["mirror all.example.com/app:1", "mirror tags.example.com/app:1", "registry.example.com/app:1"], Candidates(conf, "registry.example.com/app:1"));
        Assert.Equal([$"mirror all.example.com/app@{digest}", $"mirror digests.example.com/app@{digest}", $"registry.example.com/app@{digest}"],
            Candidates(conf, $"registry.example.com/app@{digest}"));
        Assert.Equal(["pinned.example.com/app:1"], Candidates(conf, "pinned.example.com/app:1"));
        Assert.Equal([$"mirror pinned-mirror.example.com/app@{digest}", $"pinned.example.com/app@{digest}"], Candidates(conf, $"pinned.example.com/app@{digest}"));
        Assert.Equal(["tags.example.com"], conf.InsecureHosts);
    }

    [Fact]
    public void Blocked_is_an_error_naming_the_file_and_the_prefix()
    {
        var conf = Conf("""
            [[registry]]
            prefix = "docker.io"
            location = "docker.io"
            blocked = true
            [[registry.mirror]]
            location = "mirror.example.com"
            """, "/home/u/.config/containers/registries.conf");
        var error = Assert.Throws<DockyardException>(() => conf.PlanPull(ImageReference.Parse("alpine:3")));
        Assert.Equal("Pulling docker.io/library/alpine:3 is blocked by registries.conf /home/u/.config/containers/registries.conf ([[registry]] prefix 'docker.io' has blocked = true). Pull it from another registry or remove the block.", error.Message);
    }

    [Fact]
    public void A_syntax_error_names_file_line_and_column()
    {
        var error = Assert.Throws<SourceException>(() => RegistriesConfParser.Parse("[[registry]]\nprefix = \"a.example\"\nlocation = = \"b\"\n", "/tmp/r.conf"));
        Assert.Equal("/tmp/r.conf", error.Location.File);
        Assert.Equal(3, error.Location.Line);
        Assert.True(error.Location.Column > 0);
        Assert.StartsWith("/tmp/r.conf:3:", error.Message);
        Assert.DoesNotContain("..", error.Message);
    }

    [Theory]
    [InlineData("[[registry]]\ninsecure = true\n", "sets neither 'prefix' nor 'location'")]
    [InlineData("[[registry]]\nprefix = \"a.example\"\n", "has no 'location'; only a *.example.com wildcard prefix may omit it")]
    [InlineData("[[registry]]\nprefix = \"*.a.example/x\"\n", "wildcard prefix '*.a.example/x' must look like *.example.com")]
    [InlineData("[[registry]]\nlocation = \"https://a.example\"\n", "has a URL scheme")]
    [InlineData("[[registry]]\nlocation = \"a.example\"\ninsecure = \"yes\"\n", "'insecure' must be true or false")]
    [InlineData("[[registry]]\nlocation = \"a.example\"\n[[registry.mirror]]\nlocation = \"m.example\"\npull-from-mirror = \"sometimes\"\n", "use \"all\", \"digest-only\" or \"tag-only\"")]
    [InlineData("[[registry]]\nlocation = \"a.example\"\nmirror-by-digest-only = true\n[[registry.mirror]]\nlocation = \"m.example\"\npull-from-mirror = \"all\"\n", "use one of them")]
    [InlineData("[[registry]]\nlocation = \"a.example\"\npull-from-mirror = \"all\"\n", "belongs to its [[registry.mirror]] entries only")]
    [InlineData("[registries.search]\nregistries = [\"docker.io\"]\n", "version 1 format")]
    public void Invalid_entries_are_errors_naming_the_file(string toml, string expected)
    {
        var error = Assert.ThrowsAny<DockyardException>(() => RegistriesConfParser.Parse(toml, "/x/registries.conf"));
        Assert.StartsWith("/x/registries.conf", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Unknown_keys_and_tables_are_ignored()
    {
        var rules = RegistriesConfParser.Parse("""
            unqualified-search-registries = ["docker.io", "quay.io"]
            short-name-mode = "enforcing"
            credential-helpers = ["containers-auth.json"]
            [aliases]
            "fedora" = "registry.fedoraproject.org/fedora"
            [[registry]]
            location = "quay.io/"
            future = { nested = 1 }
            """, "f");
        var rule = Assert.Single(rules);
        Assert.Equal("quay.io", rule.Prefix);
        Assert.Equal("quay.io", rule.Location);
    }

    [Fact]
    public void The_variable_names_the_main_file_and_drop_ins_override_by_prefix_in_alphanumeric_order()
    {
        var main = _temp.WriteFile("custom.conf", "[[registry]]\nprefix = \"a.example\"\nlocation = \"main.example\"\n[[registry]]\nprefix = \"b.example\"\nlocation = \"main-b.example\"\n");
        _temp.WriteFile("etc/registries.conf", "[[registry]]\nprefix = \"c.example\"\nlocation = \"system.example\"\n");
        _temp.WriteFile("etc/registries.conf.d/20-b.conf", "[[registry]]\nprefix = \"a.example\"\nlocation = \"dropin-20.example\"\n");
        _temp.WriteFile("etc/registries.conf.d/10-a.conf", "[[registry]]\nprefix = \"a.example\"\nlocation = \"dropin-10.example\"\n");
        _temp.WriteFile("etc/registries.conf.d/notes.txt", "not toml at all [");
        _temp.WriteFile("home/.config/containers/registries.conf.d/50-user.conf", "[[registry]]\nprefix = \"b.example\"\nlocation = \"user.example\"\n");

        var conf = RegistriesConfLoader.Load(new Dictionary<string, string> { ["CONTAINERS_REGISTRIES_CONF"] = main }, _temp.Combine("home"), Locations());

        Assert.Equal([main, _temp.Combine("etc/registries.conf.d/10-a.conf"), _temp.Combine("etc/registries.conf.d/20-b.conf"), _temp.Combine("home/.config/containers/registries.conf.d/50-user.conf")], conf.Files);
        Assert.Equal("dropin-20.example", conf.Find(ImageReference.Parse("a.example/x:1"))!.Location);
        Assert.Equal(_temp.Combine("etc/registries.conf.d/20-b.conf"), conf.Find(ImageReference.Parse("a.example/x:1"))!.File);
        Assert.Equal("user.example", conf.Find(ImageReference.Parse("b.example/x:1"))!.Location);
        Assert.Null(conf.Find(ImageReference.Parse("c.example/x:1"))); // the system file is replaced, not merged
    }

    [Fact]
    public void The_user_file_replaces_the_system_file_and_its_drop_ins()
    {
        _temp.WriteFile("etc/registries.conf", "[[registry]]\nprefix = \"a.example\"\nlocation = \"system.example\"\n");
        _temp.WriteFile("etc/registries.conf.d/10.conf", "[[registry]]\nprefix = \"b.example\"\nlocation = \"system-dropin.example\"\n");
        var user = _temp.WriteFile("home/.config/containers/registries.conf", "[[registry]]\nprefix = \"a.example\"\nlocation = \"user.example\"\n");

        var conf = RegistriesConfLoader.Load(new Dictionary<string, string>(), _temp.Combine("home"), Locations());

        Assert.Equal([user], conf.Files);
        Assert.Equal("user.example", conf.Find(ImageReference.Parse("a.example/x:1"))!.Location);
        Assert.Null(conf.Find(ImageReference.Parse("b.example/x:1")));
    }

    [Fact]
    public void Without_files_nothing_is_remapped_but_a_missing_named_file_is_an_error()
    {
        var none = RegistriesConfLoader.Load(new Dictionary<string, string>(), _temp.Combine("home"), Locations());
        Assert.Empty(none.Rules);
        Assert.Empty(none.Files);

        var missing = _temp.Combine("nope.conf");
        var error = Assert.Throws<DockyardException>(() => RegistriesConfLoader.Load(new Dictionary<string, string> { ["CONTAINERS_REGISTRIES_CONF"] = missing }, null, Locations()));
        Assert.Equal($"CONTAINERS_REGISTRIES_CONF names {missing}, which does not exist. Point it at a registries.conf file or unset it.", error.Message);
    }

    [Fact]
    public void Within_one_file_the_first_entry_of_a_prefix_wins()
    {
        var conf = Conf("[[registry]]\nprefix = \"a.example\"\nlocation = \"first.example\"\n[[registry]]\nprefix = \"a.example\"\nlocation = \"second.example\"\n");
        Assert.Equal("first.example", Assert.Single(conf.Rules).Location);
    }

    [Fact]
    public void A_plan_line_says_where_a_pull_would_go()
    {
        var conf = Conf("[[registry]]\nprefix = \"mcr.microsoft.com\"\nlocation = \"127.0.0.1:5000/mcr\"\n[[registry.mirror]]\nlocation = \"cache.example.com/mcr\"\n[[registry]]\nlocation = \"quay.io\"\nblocked = true\n", "/r.conf");
        Assert.Equal("registries.conf /r.conf (prefix 'mcr.microsoft.com'): mirror cache.example.com/mcr/dotnet/aspnet:10.0, then 127.0.0.1:5000/mcr/dotnet/aspnet:10.0",
            conf.DescribePull(ImageReference.Parse("mcr.microsoft.com/dotnet/aspnet:10.0")));
        Assert.Equal("registries.conf /r.conf (prefix 'quay.io'): blocked", conf.DescribePull(ImageReference.Parse("quay.io/x:1")));
        Assert.Null(conf.DescribePull(ImageReference.Parse("ghcr.io/x:1")));
    }

    private RegistriesConfLocations Locations() =>
        new() { SystemFile = _temp.Combine("etc", "registries.conf"), SystemDropInDirectory = _temp.Combine("etc", "registries.conf.d") };
}
