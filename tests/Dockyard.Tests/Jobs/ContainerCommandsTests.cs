using Dockyard.Diagnostics;
using Dockyard.Jobs.ContainerCommands;

namespace Dockyard.Tests.Jobs;

/// <summary>Parsing of the docker/buildah/podman lines that shell jobs carry out natively.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class ContainerCommandsTests
{
    private static ContainerCommand Docker(params string[] argv) => ContainerCommandParser.Parse("docker", argv);

    [Fact]
    public void Login_with_user_password_and_registry()
    {
        var login = Assert.IsType<LoginCommand>(Docker("login", "-u", "ci", "-p", "s3cret", "registry.example.com:5000"));
        Assert.Equal(("registry.example.com:5000", "ci", "s3cret", false), (login.Registry, login.Username, login.Password, login.PasswordFromStdin));
    }

    [Fact]
    public void Login_with_password_stdin_inline_user_and_no_registry_means_docker_hub()
    {
        var login = Assert.IsType<LoginCommand>(Docker("login", "--username=ci", "--password-stdin"));
        Assert.Equal(("docker.io", "ci", (string?)null, true), (login.Registry, login.Username, login.Password, login.PasswordFromStdin));
    }

    [Fact]
    public void Login_registry_given_as_url_is_reduced_to_the_host()
    {
        Assert.Equal("gitlab.example.com:5050", Assert.IsType<LoginCommand>(Docker("login", "https://gitlab.example.com:5050/v2/")).Registry);
        Assert.Equal("docker.io", Assert.IsType<LogoutCommand>(Docker("logout", "https://index.docker.io/v1/")).Registry);
    }

    [Fact]
    public void Login_rejects_password_and_password_stdin_together_without_echoing_the_password()
    {
        var error = Assert.Throws<DockyardException>(() => Docker("login", "-p", "s3cret", "--password-stdin", "r"));
        Assert.Contains("mutually exclusive", error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
    }

    [Fact]
    public void Build_collects_every_option()
    {
        var build = Assert.IsType<BuildCommand>(Docker("build", "-t", "r/a:1", "--tag=r/a:latest", "-fDockerfile.ci", "--target", "final",
            "--build-arg", "A=1", "--build-arg", "B", "--label", "org.x=y", "--platform", "linux/amd64,linux/arm64",
            "--push", "--pull", "--no-cache", "--iidfile", "id.txt", "--provenance=false", "--sbom=false", "."));
        Assert.Equal(".", build.Context);
        Assert.Equal(["r/a:1", "r/a:latest"], build.Tags);
        Assert.Equal(("Dockerfile.ci", "final", "id.txt"), (build.Dockerfile, build.Target, build.IidFile));
        Assert.Equal([new("A", "1"), new KeyValuePair<string, string?>("B", null)], build.BuildArgs);
        Assert.Equal([new KeyValuePair<string, string>("org.x", "y")], build.Labels);
        Assert.Equal(["linux/amd64", "linux/arm64"], build.Platforms);
        Assert.True(build.Push && build.Pull && build.NoCache);
        Assert.Equal(["--provenance=false", "--sbom=false"], build.IgnoredOptions);
    }

    [Theory]
    [InlineData("docker", "buildx build -t x .")]
    [InlineData("docker", "image build -t x .")]
    [InlineData("buildah", "bud -t x .")]
    [InlineData("buildah", "build -t x .")]
    [InlineData("podman", "build -t x .")]
    public void Build_spellings_of_every_tool(string tool, string line)
    {
        var build = Assert.IsType<BuildCommand>(ContainerCommandParser.Parse(tool, line.Split(' ')));
        Assert.Equal((tool, ".", "x"), (build.Tool, build.Context, Assert.Single(build.Tags)));
    }

    [Fact]
    public void Unknown_option_is_a_clear_error_naming_command_and_option()
    {
        var error = Assert.Throws<DockyardException>(() => Docker("build", "--shm-size", "2g", "."));
        Assert.Contains("docker build: option --shm-size is not supported", error.Message);
        Assert.Contains("docker executor", error.Message);
    }

    [Fact]
    public void Build_needs_exactly_one_context()
    {
        Assert.Contains("docker build [OPTIONS] PATH", Assert.Throws<DockyardException>(() => Docker("build", "-t", "x")).Message);
        Assert.Contains("option -t needs a value", Assert.Throws<DockyardException>(() => Docker("build", ".", "-t")).Message);
    }

    [Fact]
    public void Tag_push_pull_images_inspect()
    {
        Assert.Equal(new TagCommand("docker", "a:1", "a:latest"), Docker("tag", "a:1", "a:latest"));
        Assert.Equal(new PushCommand("docker", "a", true), Docker("push", "--all-tags", "a"));
        Assert.Equal(new PushCommand("docker", "a:1", false), Docker("image", "push", "a:1"));
        Assert.Equal(new PullCommand("docker", "busybox"), Docker("pull", "-q", "busybox"));
        Assert.Equal(new ImagesCommand("docker", "r/a", true), Docker("images", "-q", "r/a"));
        Assert.Equal(new ImagesCommand("docker", null, false), Docker("image", "ls"));
        var inspect = Assert.IsType<InspectCommand>(Docker("image", "inspect", "--format", "{{ .Id }}", "a:1", "b"));
        Assert.Equal(InspectFormat.Id, inspect.Format);
        Assert.Equal(["a:1", "b"], inspect.References);
        Assert.Equal(InspectFormat.RepoDigest, Assert.IsType<InspectCommand>(Docker("inspect", "--format={{index .RepoDigests 0}}", "a:1")).Format);
    }

    [Fact]
    public void Inspect_with_another_format_is_refused()
    {
        var error = Assert.Throws<DockyardException>(() => Docker("image", "inspect", "--format", "{{.Config.Env}}", "a"));
        Assert.Contains("only --format '{{.Id}}' and --format '{{index .RepoDigests 0}}'", error.Message);
    }

    [Theory]
    [InlineData("run", "--rm", "alpine", "true")]
    [InlineData("compose", "up")]
    [InlineData("exec", "c", "sh")]
    [InlineData("buildx", "create", "--use")]
    public void Run_exec_compose_go_to_the_real_tool(params string[] argv)
    {
        var external = Assert.IsType<ExternalCommand>(Docker(argv));
        Assert.Equal(argv, external.Arguments);
    }

    [Fact]
    public void Save_load_manifest_and_imagetools_lines_are_parsed()
    {
        var save = Assert.IsType<SaveCommand>(Docker("save", "-o", "app.tar", "a:1", "a:2"));
        Assert.Equal("app.tar", save.Output);
        Assert.Equal(["a:1", "a:2"], save.Images);
        Assert.Null(Assert.IsType<SaveCommand>(Docker("image", "save", "a:1")).Output);
        Assert.Equal(("x.tar", true), Assert.IsType<LoadCommand>(Docker("load", "--input=x.tar", "-q")) is var load ? (load.Input, load.Quiet) : default);
        Assert.Null(Assert.IsType<LoadCommand>(Docker("load")).Input);
        var create = Assert.IsType<ManifestCreateCommand>(Docker("manifest", "create", "--amend", "r/x:multi", "r/x:amd64", "r/x:arm64"));
        Assert.Equal(("r/x:multi", true), (create.List, create.Amend));
        Assert.Equal(["r/x:amd64", "r/x:arm64"], create.Images);
        Assert.True(Assert.IsType<ManifestPushCommand>(Docker("manifest", "push", "--purge", "r/x:multi")).Purge);
        var tools = Assert.IsType<IndexCreateCommand>(Docker("buildx", "imagetools", "create", "-t", "r/x:1", "--tag=r/x:2", "r/x:a", "r/x:b"));
        Assert.Equal(["r/x:1", "r/x:2"], tools.Tags);
        Assert.Equal(["r/x:a", "r/x:b"], tools.Sources);
        Assert.IsType<ExternalCommand>(Docker("buildx", "imagetools", "inspect", "r/x:1"));
        Assert.Contains("[--amend] LIST IMAGE...", Assert.Throws<DockyardException>(() => Docker("manifest", "create", "r/x:multi")).Message);
        Assert.Contains("not carried out natively", Assert.Throws<DockyardException>(() => Docker("manifest", "annotate", "r/x:multi", "r/x:arm64")).Message);
        Assert.Contains("-t TAG", Assert.Throws<DockyardException>(() => Docker("buildx", "imagetools", "create", "r/x:a")).Message);
        Assert.Contains("IMAGE...", Assert.Throws<DockyardException>(() => Docker("save", "-o", "x.tar")).Message);
    }

    [Theory]
    [InlineData("type=registry", true, null)]
    [InlineData("type=image,name=r/x:1,push=true", true, null)]
    [InlineData("type=image", false, null)]
    [InlineData("type=docker", false, null)]
    [InlineData("type=docker,dest=out/app.tar", false, "docker-archive:out/app.tar")]
    [InlineData("type=oci,dest=app.tar", false, "oci-archive:app.tar")]
    [InlineData("type=oci,dest=layout,tar=false", false, "oci:layout")]
    public void Build_outputs_say_whether_to_push_and_where_to_write(string output, bool push, string? location)
    {
        var build = Assert.IsType<BuildCommand>(Docker("buildx", "build", "-o", output, "--metadata-file", "m.json", "--load", "--ssh", "default", "."));
        Assert.Equal([output], build.Outputs);
        Assert.Equal(("m.json", true), (build.MetadataFile, build.Load));
        Assert.Equal(["--ssh"], build.SecretsAndSsh);
        Assert.Equal(new BuildOutputSpec(push, location), BuildOutputSpec.Parse("docker", output));
    }

    [Theory]
    [InlineData("type=local,dest=out", "file system")]
    [InlineData("type=tar,dest=x.tar", "file system")]
    [InlineData("out", "file system")]
    [InlineData("-", "file system")]
    [InlineData("type=oci", "needs dest=FILE")]
    [InlineData("type=cacheonly", "type cacheonly is not one Dockyard writes")]
    public void Build_outputs_Dockyard_does_not_write_are_refused_with_what_to_use(string output, string message) =>
        Assert.Contains(message, Assert.Throws<DockyardException>(() => BuildOutputSpec.Parse("docker", output)).Message);

    [Fact]
    public void An_unknown_verb_names_what_is_supported()
    {
        var error = Assert.Throws<DockyardException>(() => Docker("frobnicate"));
        Assert.Contains("docker frobnicate", error.Message);
        Assert.Contains("login, logout, build", error.Message);
    }

    [Fact]
    public void Shims_exec_the_dockyard_command_with_tool_and_arguments_first_on_path()
    {
        using var dir = new Dockyard.Tests.Infrastructure.TempDirectory("shims");
        var variables = ContainerShims.Install(dir.Path, ["printf", "%s\\n"], "job-build-1", "/usr/bin:/bin");
        Assert.StartsWith(Path.Combine(dir.Path, "bin") + ":", variables["PATH"]);
        Assert.Equal(("/usr/bin:/bin", "job-build-1"), (variables[ContainerShims.OriginalPathVariable], variables[ContainerShims.NamespaceVariable]));
        var start = new System.Diagnostics.ProcessStartInfo("bash", ["-c", "docker login -u 'a b' \"$1\"", "bash", "r:5000"]) { RedirectStandardOutput = true };
        start.Environment["PATH"] = variables["PATH"];
        var bash = System.Diagnostics.Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEnd();
        bash.WaitForExit();
        Assert.Equal(0, bash.ExitCode);
        Assert.Equal("container\ndocker\n--\nlogin\n-u\na b\nr:5000\n", output);
    }

    [Fact]
    public void Job_credentials_file_is_private_and_round_trips()
    {
        using var dir = new Dockyard.Tests.Infrastructure.TempDirectory("jobauth");
        var file = new JobCredentialsFile(Path.Combine(dir.Path, "container-auth.json"));
        Assert.Null(file.Find("r:5000"));
        file.Save("r:5000", "ci", "s3cret");
        file.Save("other", "u", "p");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file.Path));
        Assert.Equal(("ci", "s3cret"), file.Find("r:5000"));
        Assert.True(file.Remove("r:5000"));
        Assert.False(file.Remove("r:5000"));
        Assert.Null(file.Find("r:5000"));
        Assert.Equal(("u", "p"), file.Find("other"));
        Assert.Equal(["container-auth.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }
}
