using Dockyard.Jobs;
using Dockyard.Jobs.Scheduling;
using Dockyard.Jobs.Variables;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Jobs;

/// <summary>The docker executor against the private test dockerd, with busybox-static images built there.</summary>
[Collection(DockerDaemonCollection.Name)]
public sealed class DockerExecutorTests(DockerDaemon daemon) : IAsyncLifetime
{
    private const string Image = "dockyard-test/busybox:1";
    private const string FalseEntrypointImage = "dockyard-test/false-entrypoint:1";

    public async Task InitializeAsync()
    {
        using var context = new TempDirectory("busybox-image");
        File.Copy("/bin/busybox", context.Combine("busybox"));
        context.WriteFile("Dockerfile", """
            FROM scratch
            COPY busybox /bin/busybox
            RUN ["/bin/busybox", "--install", "-s", "/bin"]
            RUN mkdir -p /www /tmp && echo dockyard-httpd > /www/index.html
            """);
        context.WriteFile("Dockerfile.false", $"FROM {Image}\nENTRYPOINT [\"/bin/false\"]\n");
        await daemon.DockerAsync(["build", "--network", "host", "-q", "-t", Image, context.Path]);
        await daemon.DockerAsync(["build", "--network", "host", "-q", "-t", FalseEntrypointImage, "-f", context.Combine("Dockerfile.false"), context.Path]);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private RunResult Run(JobProject project, CancellationToken cancellation = default, bool inPlace = true,
        ExecutorKind executor = ExecutorKind.Docker, string? dockerHost = null, IReadOnlyList<JobVariable>? jobVariables = null,
        IReadOnlyDictionary<string, string>? hostVariables = null, int concurrency = 1)
    {
        var host = project.Host();
        var variables = new Dictionary<string, string>(host.Variables, StringComparer.Ordinal) { ["DOCKER_HOST"] = dockerHost ?? daemon.Host, ["DOCKER_CONFIG"] = daemon.ClientConfig };
        foreach (var (name, value) in hostVariables ?? new Dictionary<string, string>()) variables[name] = value;
        var options = new JobRunOptions
        {
            ProjectDirectory = project.Directory,
            Selection = new RunSelection { Pipeline = true },
            Executor = executor,
            InPlace = inPlace,
            Variables = jobVariables ?? [],
            Concurrency = concurrency,
        };
        var run = new JobEngine(host.WithVariables(variables)).RunAsync(options, project.Log, cancellation);
        Assert.True(run.Wait(TimeSpan.FromMinutes(5)), "watchdog: the run did not end within 5 minutes");
        return run.Result;
    }

    private async Task<string> ContainersLeftAsync() =>
        (await daemon.DockerAsync(["ps", "-aq", "--filter", "label=dev.dockyard.executor"])).StandardOutput.Trim();

    private async Task<string> NetworksLeftAsync() =>
        (await daemon.DockerAsync(["network", "ls", "-q", "--filter", "label=dev.dockyard.executor"])).StandardOutput.Trim();

    /// <summary>An IPv4 address or, for a service that exited before it got one, what the wait says instead.</summary>
    private const string ServiceAddress = @"(\d+\.\d+\.\d+\.\d+|the service \(it has no address on the job's network\))";

    [Fact]
    public void Script_writes_into_the_project_directory_mounted_under_builds()
    {
        using var project = new JobProject($$"""
            build:
              image: { name: "{{Image}}", pull_policy: if-not-present }
              script:
                - echo "$CI_PROJECT_DIR" > where.txt
                - cat input.txt > copied.txt
            """, ("input.txt", "from the host\n"));
        var result = Run(project);
        Assert.Equal(JobStatus.Success, result.Job("build").Status);
        Assert.Equal("from the host\n", File.ReadAllText(Path.Combine(project.Directory, "copied.txt")));
        var where = File.ReadAllText(Path.Combine(project.Directory, "where.txt")).Trim();
        Assert.StartsWith("/builds/", where, StringComparison.Ordinal);
        Assert.Contains("(docker executor)", project.Log.TextOf("build"), StringComparison.Ordinal);
    }

    [Fact]
    public void Exit_code_of_the_script_is_the_job_result()
    {
        using var project = new JobProject($$"""
            fails:
              image: { name: "{{Image}}", pull_policy: if-not-present }
              script:
                - echo before
                - exit 7
              after_script:
                - echo "after in $CI_JOB_STATUS"
            """);
        var result = Run(project);
        var job = result.Job("fails");
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal(7, job.ExitCode);
        Assert.Contains("after in failed", project.Log.TextOf("fails"), StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_entrypoint_overrides_the_image_entrypoint()
    {
        using var project = new JobProject($$"""
            overridden:
              image: { name: "{{FalseEntrypointImage}}", entrypoint: [""], pull_policy: if-not-present }
              script: [echo entrypoint-cleared]
            kept:
              image: { name: "{{FalseEntrypointImage}}", pull_policy: if-not-present }
              script: [echo should-not-run]
            """);
        var result = Run(project);
        Assert.Equal(JobStatus.Success, result.Job("overridden").Status);
        Assert.Contains("entrypoint-cleared", project.Log.TextOf("overridden"), StringComparison.Ordinal);
        Assert.Equal(JobStatus.Failed, result.Job("kept").Status);
        Assert.DoesNotContain("should-not-run\n", project.Log.TextOf("kept").Replace("$ echo should-not-run", "", StringComparison.Ordinal) + "\n", StringComparison.Ordinal);
    }

    [Fact]
    public void Service_is_reached_by_its_alias()
    {
        var port = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var project = new JobProject($$"""
            web:
              image: { name: "{{Image}}", pull_policy: if-not-present }
              services:
                - name: "{{Image}}"
                  alias: website
                  pull_policy: if-not-present
                  command: ["httpd", "-f", "-p", "{{port}}", "-h", "/www"]
              script:
                - for i in $(seq 1 100); do wget -qO- http://website:{{port}}/index.html > page.txt && break; sleep 0.1; done
                - cat page.txt
            """);
        var result = Run(project);
        Assert.Equal(JobStatus.Success, result.Job("web").Status);
        Assert.Equal("dockyard-httpd", File.ReadAllText(Path.Combine(project.Directory, "page.txt")).Trim());
    }

    [Fact]
    public async Task Two_jobs_at_once_each_reach_their_own_service_on_the_same_port_by_alias_on_their_own_network()
    {
        // Each job waits (up to 60 s) until the other one's service is up too, so both services listen on 8080 at once,
        // and until the test has seen both networks; a second service reaches the first by its alias.
        static string Job(string me, string other) => $$"""
            {{me}}:
              image: { name: "{{Image}}", pull_policy: if-not-present }
              services:
                - name: "{{Image}}"
                  alias: web
                  pull_policy: if-not-present
                  variables: { HEALTHCHECK_TCP_PORT: "8080" }
                  command: ["sh", "-c", "echo served-to-{{me}} > /www/index.html && exec httpd -f -p 8080 -h /www"]
                - name: "{{Image}}"
                  alias: peer
                  pull_policy: if-not-present
                  command: ["sh", "-c", "for i in $(seq 1 600); do wget -qO- http://web:8080/index.html > $CI_PROJECT_DIR/{{me}}-peer.txt && exec sleep 300; sleep 0.1; done"]
              script:
                - touch {{me}}.up
                - for i in $(seq 1 600); do [ -e {{other}}.up ] && [ -e networks.seen ] && [ -s {{me}}-peer.txt ] && break; sleep 0.1; done
                - ls {{other}}.up networks.seen
                - wget -qO- http://web:8080/index.html > {{me}}.txt
                - cat /etc/hosts
            """;
        using var project = new JobProject(Job("first", "second") + "\n" + Job("second", "first"));
        using var stop = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var seen = (await daemon.DockerAsync(["network", "ls", "--filter", "label=dev.dockyard.executor=network", "--format", "{{.Name}} {{.Label \"dev.dockyard.job\"}}"])).StandardOutput
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal).ToList();
                if (seen.Count == 2)
                {
                    File.WriteAllText(Path.Combine(project.Directory, "networks.seen"), "");
                    return seen;
                }

                await Task.Delay(100);
            }

            return [];
        });
        var result = Run(project, concurrency: 2);
        await stop.CancelAsync();
        var networks = await watcher;
        Assert.Equal(2, networks.Count);
        Assert.Matches("^dockyard-net-first-[0-9a-f]{32} first$", networks[0]);
        Assert.Matches("^dockyard-net-second-[0-9a-f]{32} second$", networks[1]);
        foreach (var job in new[] { "first", "second" })
        {
            var log = project.Log.TextOf(job);
            Assert.True(result.Job(job).Status == JobStatus.Success, log);
            Assert.DoesNotContain("probably didn't start properly", log, StringComparison.Ordinal);
            Assert.DoesNotContain("WARNING", log, StringComparison.Ordinal);
            Assert.DoesNotContain("127.0.0.1\tweb", log, StringComparison.Ordinal); // no /etc/hosts entry: the network resolves the alias
            Assert.Equal("served-to-" + job, File.ReadAllText(Path.Combine(project.Directory, job + ".txt")).Trim());
            Assert.Equal("served-to-" + job, File.ReadAllText(Path.Combine(project.Directory, job + "-peer.txt")).Trim());
        }

        Assert.Equal("", await ContainersLeftAsync());
        Assert.Equal("", await NetworksLeftAsync());
    }

    /// <summary>
    /// Runs a job with <paramref name="variables"/> whose service answers at 127.0.0.1 and by its alias, as on the host
    /// network; returns its log after checking both answers and that nothing is left.
    /// </summary>
    private async Task<string> RunOnTheHostNetworkAsync(string variables)
    {
        var port = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var project = new JobProject($$"""
            on-host:
              image: { name: "{{Image}}", pull_policy: if-not-present }
              variables: {{variables}}
              services:
                - name: "{{Image}}"
                  alias: website
                  pull_policy: if-not-present
                  variables: { HEALTHCHECK_TCP_PORT: "{{port}}" }
                  command: ["httpd", "-f", "-p", "{{port}}", "-h", "/www"]
              script:
                - wget -qO- http://127.0.0.1:{{port}}/index.html > loopback.txt
                - wget -qO- http://website:{{port}}/index.html > alias.txt
            """);
        var result = Run(project);
        var log = project.Log.TextOf("on-host");
        Assert.True(result.Job("on-host").Status == JobStatus.Success, log);
        Assert.DoesNotContain("probably didn't start properly", log, StringComparison.Ordinal);
        Assert.Equal("dockyard-httpd", File.ReadAllText(Path.Combine(project.Directory, "loopback.txt")).Trim());
        Assert.Equal("dockyard-httpd", File.ReadAllText(Path.Combine(project.Directory, "alias.txt")).Trim());
        Assert.Equal("", await ContainersLeftAsync());
        Assert.Equal("", await NetworksLeftAsync());
        return log;
    }

    [Fact]
    public async Task FF_NETWORK_PER_BUILD_false_runs_the_services_and_steps_on_the_host_network()
    {
        var log = await RunOnTheHostNetworkAsync("{ FF_NETWORK_PER_BUILD: \"false\" }");
        Assert.DoesNotContain("WARNING", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_daemon_that_cannot_create_the_network_runs_the_job_on_the_host_network_with_one_warning()
    {
        // Use up the daemon's address pool so that it refuses the job's network.
        var blockers = new List<string>();
        for (var i = 0; i <= DockerDaemon.NetworkPoolSize; i++)
        {
            var name = $"dockyard-test-blocker-{i}";
            if ((await daemon.DockerAsync(["network", "create", name], check: false)).ExitCode != 0) break;
            blockers.Add(name);
        }

        try
        {
            Assert.InRange(blockers.Count, 1, DockerDaemon.NetworkPoolSize);
            var log = await RunOnTheHostNetworkAsync("{}");
            var warning = Assert.Single(log.Split('\n'), l => l.StartsWith("WARNING: ", StringComparison.Ordinal));
            Assert.StartsWith($"WARNING: the Docker daemon at {daemon.Host} could not create a network for the job (", warning, StringComparison.Ordinal);
            Assert.EndsWith("); its services and steps use the host network, so services are reached at 127.0.0.1 and two jobs' services cannot use the same port at once", warning, StringComparison.Ordinal);
            Assert.Contains("address pool", warning, StringComparison.Ordinal); // the daemon's reason
        }
        finally
        {
            foreach (var name in blockers) await daemon.DockerAsync(["network", "rm", name], check: false);
        }
    }

    [Fact]
    public async Task Image_and_service_names_and_aliases_come_from_the_jobs_variables()
    {
        await using var registry = await RegistryServer.StartAsync(new());
        var registryImage = $"{registry.Host}/group/app";
        await daemon.DockerAsync(["tag", Image, registryImage + "/ci:latest"]);
        await daemon.DockerAsync(["push", registryImage + "/ci:latest"]);
        await daemon.DockerAsync(["rmi", registryImage + "/ci:latest"]);
        var port = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var project = new JobProject($$"""
            variables:
              CI_TAG: latest
            expanded:
              image: $CI_REGISTRY_IMAGE/ci:$CI_TAG
              services:
                - name: "$SVC_IMAGE"
                  alias: "$SVC_ALIAS"
                  pull_policy: if-not-present
                  command: ["httpd", "-f", "-p", "{{port}}", "-h", "/www"]
              script:
                - for i in $(seq 1 100); do wget -qO- http://from-variables:{{port}}/index.html > page.txt && break; sleep 0.1; done
                - echo "job-image=$CI_JOB_IMAGE"
            empty:
              image: { name: "$UNSET_IMAGE", pull_policy: if-not-present }
              script: [echo should-not-run]
            """);
        try
        {
            var result = Run(project, jobVariables: [new JobVariable("CI_REGISTRY_IMAGE", registryImage), new JobVariable("SVC_IMAGE", Image, Masked: true), new JobVariable("SVC_ALIAS", "from-variables")]);
            var log = project.Log.TextOf("expanded");
            Assert.True(result.Job("expanded").Status == JobStatus.Success, log);
            Assert.Contains($"Using Docker executor with image {registryImage}/ci:latest ...", log, StringComparison.Ordinal);
            Assert.Contains($"\njob-image={registryImage}/ci:latest\n", log, StringComparison.Ordinal);
            Assert.Contains("Starting service [MASKED] ...", log, StringComparison.Ordinal); // a masked name stays masked in the log
            Assert.DoesNotContain(Image, log, StringComparison.Ordinal);
            Assert.Equal("dockyard-httpd", File.ReadAllText(Path.Combine(project.Directory, "page.txt")).Trim());
            Assert.NotEqual("", (await daemon.DockerAsync(["images", "-q", registryImage + "/ci:latest"])).StandardOutput.Trim());

            var empty = project.Log.TextOf("empty");
            Assert.Equal(JobStatus.Failed, result.Job("empty").Status);
            Assert.True(empty.Contains(".gitlab-ci.yml:14:18: job 'empty': the image name '$UNSET_IMAGE' is empty after expanding the job's variables (UNSET_IMAGE is not set).", StringComparison.Ordinal), empty);
            Assert.DoesNotContain("\nshould-not-run", empty, StringComparison.Ordinal);
            Assert.Equal("", await ContainersLeftAsync());
            Assert.Equal("", await NetworksLeftAsync());
        }
        finally
        {
            await daemon.DockerAsync(["rmi", "-f", registryImage + "/ci:latest"], check: false);
        }
    }

    /// <summary>An image of the busybox test image that EXPOSEs <paramref name="port"/> (so the runner's rule waits for it).</summary>
    private async Task<string> ExposingImageAsync(string port)
    {
        var name = $"dockyard-test/exposes:{port}";
        using var context = new TempDirectory("exposing-image");
        context.WriteFile("Dockerfile", $"FROM {Image}\nEXPOSE {port}/tcp 53/udp\n");
        await daemon.DockerAsync(["build", "--network", "host", "-q", "-t", name, context.Path]);
        return name;
    }

    [Fact]
    public async Task Job_waits_until_the_exposed_port_of_a_slow_service_accepts_connections()
    {
        var port = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var service = await ExposingImageAsync(port);
        using var project = new JobProject($$"""
            web:
              image: { name: "{{Image}}", pull_policy: if-not-present }
              services:
                - name: "{{service}}"
                  alias: slow
                  pull_policy: if-not-present
                  command: ["sh", "-c", "sleep 2; exec httpd -f -p {{port}} -h /www"]
              script:
                - wget -qO- http://slow:{{port}}/index.html > page.txt
            """);
        var result = Run(project);
        var log = project.Log.TextOf("web");
        Assert.True(result.Job("web").Status == JobStatus.Success, log);
        Assert.Contains("Waiting for services to be up and running (timeout 30 seconds)...", log, StringComparison.Ordinal);
        Assert.DoesNotContain("probably didn't start properly", log, StringComparison.Ordinal);
        Assert.Equal("dockyard-httpd", File.ReadAllText(Path.Combine(project.Directory, "page.txt")).Trim());
    }

    [Fact]
    public async Task Services_that_never_listen_get_the_runners_warning_with_their_logs_and_the_job_goes_on()
    {
        var port = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var service = await ExposingImageAsync(port);
        using var project = new JobProject($$"""
            deaf:
              image: { name: "{{Image}}", pull_policy: if-not-present }
              services:
                - name: "{{service}}"
                  alias: silent
                  pull_policy: if-not-present
                  command: ["sh", "-c", "echo silent-service-started; exec sleep 300"]
                - name: "{{service}}"
                  alias: crashing
                  pull_policy: if-not-present
                  command: ["sh", "-c", "echo crashing-service-gives-up; exit 3"]
                - name: "{{Image}}"
                  alias: portless
                  pull_policy: if-not-present
                  command: ["sleep", "300"]
              script:
                - echo script-ran
            """);
        var result = Run(project, hostVariables: new Dictionary<string, string> { ["DOCKER_WAIT_FOR_SERVICES_TIMEOUT"] = "3" });
        var log = project.Log.TextOf("deaf");
        Assert.True(result.Job("deaf").Status == JobStatus.Success, log);
        Assert.Contains("Waiting for services to be up and running (timeout 3 seconds)...", log, StringComparison.Ordinal);
        Assert.Equal(2, log.Split('\n').Count(l => l == $"*** WARNING: Service {service} probably didn't start properly."));
        Assert.Matches($@"\nno TCP connection to \d+\.\d+\.\d+\.\d+ on \[{port}\] succeeded within 3 seconds\n", log);
        Assert.Matches($@"\nthe service container exited with code 3 before a TCP connection to {ServiceAddress} on \[{port}\] succeeded\n", log);
        Assert.Contains(" silent-service-started\n", log, StringComparison.Ordinal);
        Assert.Contains(" crashing-service-gives-up\n", log, StringComparison.Ordinal);
        Assert.Contains($"Service {Image} exposes no TCP port and sets no HEALTHCHECK_TCP_PORT: not waiting for it", log, StringComparison.Ordinal);
        Assert.Contains("\nscript-ran", log, StringComparison.Ordinal);
        Assert.Equal("", await ContainersLeftAsync());
        Assert.Equal("", await NetworksLeftAsync());
    }

    [Fact]
    public void Service_gets_the_jobs_public_variables_and_its_own_and_is_waited_for_on_its_HEALTHCHECK_TCP_PORT()
    {
        var port = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var project = new JobProject($$"""
            variables:
              FROM_YAML: yaml-value
            web:
              image: { name: "{{Image}}", pull_policy: if-not-present }
              services:
                - name: "{{Image}}"
                  alias: svc
                  pull_policy: if-not-present
                  variables:
                    HEALTHCHECK_TCP_PORT: "{{port}}"
                    GREETING: "hello $FROM_YAML and $OPTED_IN"
                  command: ["sh", "-c", "env > /www/env.txt; ls \"$CI_PROJECT_DIR\" > /www/ls.txt; sleep 2; exec httpd -f -p $HEALTHCHECK_TCP_PORT -h /www"]
              script:
                - wget -qO- http://svc:{{port}}/env.txt > service-env.txt
                - wget -qO- http://svc:{{port}}/ls.txt > service-ls.txt
            """, ("input.txt", "x\n"));
        var result = Run(project, jobVariables: [new JobVariable("PROJECT_SECRET", "project-secret-value", Masked: true), new JobVariable("OPTED_IN", "opted-in-value")]);
        var log = project.Log.TextOf("web");
        Assert.True(result.Job("web").Status == JobStatus.Success, log);
        Assert.DoesNotContain("probably didn't start properly", log, StringComparison.Ordinal);
        var environment = File.ReadAllLines(Path.Combine(project.Directory, "service-env.txt"));
        Assert.Contains($"HEALTHCHECK_TCP_PORT={port}", environment);
        Assert.Contains("GREETING=hello yaml-value and opted-in-value", environment);
        Assert.Contains("FROM_YAML=yaml-value", environment);
        Assert.Contains("CI_JOB_NAME=web", environment);
        Assert.Contains(environment, l => l.StartsWith("CI_PROJECT_DIR=/builds/", StringComparison.Ordinal));
        Assert.DoesNotContain(environment, l => l.StartsWith("PROJECT_SECRET=", StringComparison.Ordinal) || l.StartsWith("OPTED_IN=", StringComparison.Ordinal));
        Assert.Contains("input.txt", File.ReadAllLines(Path.Combine(project.Directory, "service-ls.txt")));
    }

    [Fact]
    public void Docker_user_runs_the_steps_and_the_service_as_that_user()
    {
        var port = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var project = new JobProject($$"""
            as-user:
              image: { name: "{{Image}}", pull_policy: if-not-present, docker: { user: "1234:2345" } }
              services:
                - name: "{{Image}}"
                  alias: svc
                  pull_policy: if-not-present
                  docker: { user: "4321" }
                  variables: { HEALTHCHECK_TCP_PORT: "{{port}}" }
                  command: ["sh", "-c", "[ \"$(id -u)\" = 4321 ] && exec httpd -f -p {{port}} -h /www"]
              script:
                - echo "ids $(id -u):$(id -g)"
                - wget -qO- http://svc:{{port}}/index.html
            """);
        var result = Run(project);
        var log = project.Log.TextOf("as-user");
        Assert.True(result.Job("as-user").Status == JobStatus.Success, log);
        Assert.Contains("\nids 1234:2345\n", log, StringComparison.Ordinal);
        Assert.Contains("\ndockyard-httpd", log, StringComparison.Ordinal);
    }

    [Fact]
    public void Docker_platform_is_the_platform_the_container_is_created_for()
    {
        var machine = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "amd64";
        var other = machine == "amd64" ? "s390x" : "amd64";
        using var project = new JobProject($$"""
            native:
              image: { name: "{{Image}}", pull_policy: if-not-present, docker: { platform: "linux/{{machine}}" } }
              script: [echo ran-native]
            foreign:
              image: { name: "{{Image}}", pull_policy: if-not-present, docker: { platform: "linux/{{other}}" } }
              script: [echo ran-foreign]
            """);
        var result = Run(project);
        var native = project.Log.TextOf("native");
        Assert.True(result.Job("native").Status == JobStatus.Success, native);
        Assert.Contains("\nran-native", native, StringComparison.Ordinal);
        var foreign = project.Log.TextOf("foreign");
        Assert.Equal(JobStatus.Failed, result.Job("foreign").Status);
        Assert.Contains($"job foreign: the Docker daemon could not create a container of {Image}", foreign, StringComparison.Ordinal);
        Assert.Contains($"linux/{other}", foreign, StringComparison.Ordinal);
        Assert.DoesNotContain("\nran-foreign", foreign, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_kills_and_removes_every_container()
    {
        var port = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var project = new JobProject($$"""
            long:
              image: { name: "{{Image}}", pull_policy: if-not-present }
              services:
                - name: "{{Image}}"
                  alias: idle
                  pull_policy: if-not-present
                  command: ["httpd", "-f", "-p", "{{port}}", "-h", "/www"]
              script:
                - echo started-long
                - sleep 300
            """);
        using var cancel = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!project.Log.AllLines.Any(l => l == "started-long")) await Task.Delay(100);
            await cancel.CancelAsync();
        });
        var result = Run(project, cancel.Token);
        await watcher;
        Assert.Equal(JobStatus.Canceled, result.Job("long").Status);
        Assert.Equal("", await ContainersLeftAsync());
        Assert.Equal("", await NetworksLeftAsync());
    }

    /// <summary>The log of <paramref name="name"/>, after checking it failed as timed out after its 3 seconds.</summary>
    private static string TimedOutLog(RunResult result, JobProject project, string name)
    {
        var job = result.Job(name);
        var log = project.Log.TextOf(name);
        Assert.True(job.Status == JobStatus.Failed, log);
        Assert.Equal("job_execution_timeout", job.FailureReason);
        Assert.Contains("ERROR: Job failed: execution took longer than 3s seconds", log, StringComparison.Ordinal);
        return log;
    }

    [Fact]
    public async Task Timeout_fails_the_job_as_timed_out_and_removes_every_container()
    {
        using var project = new JobProject($$"""
            slow:
              image: { name: "{{Image}}", pull_policy: if-not-present }
              timeout: 3 seconds
              services:
                - name: "{{Image}}"
                  alias: idle
                  pull_policy: if-not-present
                  command: ["sleep", "300"]
              script:
                - echo started-slow
                - sleep 300
                - echo should-not-be-reached
              after_script:
                - echo "after in $CI_JOB_STATUS"
            """);
        var log = TimedOutLog(Run(project), project, "slow");
        Assert.Contains("\nstarted-slow", log, StringComparison.Ordinal);
        Assert.DoesNotContain("\nshould-not-be-reached", log, StringComparison.Ordinal);
        Assert.Contains("after in failed", log, StringComparison.Ordinal);
        Assert.Equal("", await ContainersLeftAsync());
        Assert.Equal("", await NetworksLeftAsync());
    }

    [Fact]
    public async Task Job_timeout_covers_the_wait_for_a_service_that_never_listens()
    {
        var port = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var service = await ExposingImageAsync(port);
        using var project = new JobProject($$"""
            waits:
              image: { name: "{{Image}}", pull_policy: if-not-present }
              timeout: 3 seconds
              services:
                - name: "{{service}}"
                  alias: deaf
                  pull_policy: if-not-present
                  command: ["sleep", "300"]
              script:
                - echo script-should-not-run
              after_script:
                - echo after-should-not-run
            """);
        var log = TimedOutLog(Run(project, hostVariables: new Dictionary<string, string> { ["DOCKER_WAIT_FOR_SERVICES_TIMEOUT"] = "600" }), project, "waits");
        Assert.Contains("Waiting for services to be up and running (timeout 600 seconds)...", log, StringComparison.Ordinal);
        Assert.DoesNotContain("\nscript-should-not-run", log, StringComparison.Ordinal);
        Assert.DoesNotContain("\nafter-should-not-run", log, StringComparison.Ordinal);
        Assert.Equal("", await ContainersLeftAsync());
        Assert.Equal("", await NetworksLeftAsync());
    }

    [Fact]
    public void A_container_building_tool_image_named_by_a_variable_runs_with_the_shell_executor()
    {
        using var project = new JobProject("""
            tool:
              image: $TOOL_IMAGE
              script: [echo "dir=$CI_PROJECT_DIR"]
            """);
        var result = Run(project, jobVariables: [new JobVariable("TOOL_IMAGE", "docker:27")]);
        var log = project.Log.TextOf("tool");
        Assert.True(result.Job("tool").Status == JobStatus.Success, log);
        Assert.Contains("(shell executor)", log, StringComparison.Ordinal);
        Assert.Contains("dir=" + project.Directory, log, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_uses_the_daemon_when_it_answers_and_the_shell_when_none_does()
    {
        using var project = new JobProject($$"""
            probe:
              image: { name: "{{Image}}", pull_policy: if-not-present }
              script: [echo "dir=$CI_PROJECT_DIR"]
            """);
        Assert.Equal(JobStatus.Success, Run(project, executor: ExecutorKind.Auto).Job("probe").Status);
        Assert.Contains("(docker executor)", project.Log.TextOf("probe"), StringComparison.Ordinal);
        Assert.Contains("dir=/builds/", project.Log.TextOf("probe"), StringComparison.Ordinal);

        var missing = "unix://" + Path.Combine(project.Outside, "no-daemon.sock");
        Assert.Equal(JobStatus.Success, Run(project, executor: ExecutorKind.Auto, dockerHost: missing).Job("probe").Status);
        Assert.Contains("(shell executor)", project.Log.TextOf("probe"), StringComparison.Ordinal);
        Assert.Contains("dir=" + project.Directory, project.Log.TextOf("probe"), StringComparison.Ordinal);
    }

    /// <summary>
    /// Pushes the test image as <paramref name="images"/> to the htpasswd <paramref name="registry"/> and removes them
    /// from the daemon; returns the base64 user:password and a DOCKER_AUTH_CONFIG holding it.
    /// </summary>
    private async Task<(string Auth, string AuthConfig)> PushPrivateAsync(RegistryServer registry, params string[] images)
    {
        var auth = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{registry.Username}:{registry.Password}"));
        var authConfig = "{\"auths\":{\"" + registry.Host + "\":{\"auth\":\"" + auth + "\"}}}";
        using var pusher = new TempDirectory("push-config");
        pusher.WriteFile("config.json", authConfig);
        foreach (var image in images)
        {
            await daemon.DockerAsync(["tag", Image, image]);
            await daemon.DockerAsync(["--config", pusher.Path, "push", image]);
            await daemon.DockerAsync(["rmi", image]);
        }

        return (auth, authConfig);
    }

    [Fact]
    public async Task Private_image_is_pulled_with_DOCKER_AUTH_CONFIG_from_the_variables_and_fails_clearly_without()
    {
        await using var registry = await RegistryServer.StartAsync(new() { Auth = RegistryAuth.Basic });
        var privateImage = $"{registry.Host}/private/busybox:1";
        var (auth, authConfig) = await PushPrivateAsync(registry, privateImage);

        using var project = new JobProject($$"""
            private:
              image: "{{privateImage}}"
              script: [echo ran-in-private-image]
            """);
        try
        {
            var denied = Run(project);
            Assert.Equal(JobStatus.Failed, denied.Job("private").Status);
            var deniedLog = project.Log.TextOf("private");
            Assert.Contains($"image {privateImage} could not be pulled", deniedLog, StringComparison.Ordinal);
            Assert.Contains($"No credentials for registry {registry.Host} were found: set DOCKER_AUTH_CONFIG", deniedLog, StringComparison.Ordinal);
            Assert.DoesNotContain("ran-in-private-image\n", deniedLog.Replace("$ echo ran-in-private-image", "", StringComparison.Ordinal) + "\n", StringComparison.Ordinal);

            var allowed = Run(project, jobVariables: [new JobVariable("DOCKER_AUTH_CONFIG", authConfig)]);
            var allowedLog = project.Log.TextOf("private");
            Assert.True(allowed.Job("private").Status == JobStatus.Success, allowedLog);
            Assert.Contains("Authenticating with credentials from DOCKER_AUTH_CONFIG", allowedLog, StringComparison.Ordinal);
            Assert.Contains("\nran-in-private-image", allowedLog, StringComparison.Ordinal);
            foreach (var secret in new[] { registry.Password!, auth })
            {
                Assert.DoesNotContain(secret, deniedLog, StringComparison.Ordinal);
                Assert.DoesNotContain(secret, allowedLog, StringComparison.Ordinal);
            }
        }
        finally
        {
            await daemon.DockerAsync(["rmi", "-f", privateImage], check: false);
        }
    }

    [Fact]
    public async Task DOCKER_AUTH_CONFIG_is_the_jobs_resolved_variable_expanded_from_the_variables_file_or_set_by_a_dotenv_report()
    {
        await using var registry = await RegistryServer.StartAsync(new() { Auth = RegistryAuth.Basic });
        var fromYaml = $"{registry.Host}/private/yaml:1";
        var fromDotenv = $"{registry.Host}/private/dotenv:1";
        var (auth, authConfig) = await PushPrivateAsync(registry, fromYaml, fromDotenv);

        using var project = new JobProject($$"""
            stages: [auth, use]
            write-auth:
              stage: auth
              script: [cp auth.source auth.env]
              artifacts: { reports: { dotenv: auth.env } }
            from-dotenv:
              stage: use
              image: "{{fromDotenv}}"
              script: [echo ran-with-dotenv-auth]
            from-yaml:
              stage: use
              needs: []
              image: "{{fromYaml}}"
              variables:
                DOCKER_AUTH_CONFIG: $MY_AUTH
              script: [echo ran-with-yaml-auth]
            """, ("auth.source", "DOCKER_AUTH_CONFIG=" + authConfig + "\n"));
        try
        {
            var result = Run(project, jobVariables: [new JobVariable("MY_AUTH", authConfig, Masked: true)]);
            foreach (var (job, line) in new[] { ("from-yaml", "ran-with-yaml-auth"), ("from-dotenv", "ran-with-dotenv-auth") })
            {
                var log = project.Log.TextOf(job);
                Assert.True(result.Job(job).Status == JobStatus.Success, log);
                Assert.Contains("Authenticating with credentials from DOCKER_AUTH_CONFIG", log, StringComparison.Ordinal);
                Assert.DoesNotContain("WARNING: pulling", log, StringComparison.Ordinal);
                Assert.Contains("\n" + line, log, StringComparison.Ordinal);
                Assert.DoesNotContain(registry.Password!, log, StringComparison.Ordinal);
                Assert.DoesNotContain(auth, log, StringComparison.Ordinal);
            }
        }
        finally
        {
            foreach (var image in new[] { fromYaml, fromDotenv }) await daemon.DockerAsync(["rmi", "-f", image], check: false);
        }
    }
}
