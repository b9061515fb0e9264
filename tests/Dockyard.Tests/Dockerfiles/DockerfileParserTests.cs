using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Model;
using Dockyard.Dockerfiles.Syntax;

namespace Dockyard.Tests.Dockerfiles;

public class DockerfileParserTests
{
    private static T Single<T>(string text) where T : Instruction =>
        Assert.IsType<T>(Assert.Single(DockerfileParser.Parse("FROM scratch\n" + text).Stages[0].Instructions));

    private static SourceException Fails(string text) => Assert.Throws<SourceException>(() => DockerfileParser.Parse(text));

    [Fact]
    public void Visual_studio_template_has_four_stages_with_names_and_locations()
    {
        var dockerfile = DockerfileParser.Parse(DockerfileFixtures.VisualStudio);
        Assert.Equal(["base", "build", "publish", "final"], dockerfile.Stages.Select(s => s.Name));
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:8.0", dockerfile.Stages[0].From.Image);
        Assert.Equal(new SourceLocation("Dockerfile", 3, 1), dockerfile.Stages[0].From.Location);
        var copy = Assert.IsType<CopyInstruction>(dockerfile.Stages[3].Instructions[1]);
        Assert.Equal("publish", copy.From);
        Assert.Equal(["/app/publish"], copy.Sources);
        Assert.Equal(".", copy.Destination);
        var entrypoint = Assert.IsType<EntrypointInstruction>(dockerfile.Stages[3].Instructions[2]);
        Assert.True(entrypoint.Command.IsExecForm);
        Assert.Equal(["dotnet", "WebApp.dll"], entrypoint.Command.Arguments);
    }

    [Fact]
    public void Directives_are_read_only_at_the_top()
    {
        var dockerfile = DockerfileParser.Parse("# syntax=docker/dockerfile:1.7\n#Check = skip=all\n# escape=`\n\n# syntax=ignored\nFROM scratch\n");
        Assert.Equal("docker/dockerfile:1.7", dockerfile.Directives.Syntax);
        Assert.Equal("skip=all", dockerfile.Directives.Check);
        Assert.Equal('`', dockerfile.Directives.Escape);
    }

    [Fact]
    public void A_directive_after_a_comment_is_just_a_comment()
    {
        var dockerfile = DockerfileParser.Parse("# a comment\n# escape=`\nFROM scratch\nRUN echo \\\n  done\n");
        Assert.Equal('\\', dockerfile.Directives.Escape);
        Assert.Equal("echo   done", Assert.IsType<RunInstruction>(dockerfile.Stages[0].Instructions[0]).Command.Arguments[0]);
    }

    [Fact]
    public void An_unknown_directive_ends_the_directives()
    {
        var dockerfile = DockerfileParser.Parse("# unknowndirective=x\n# escape=`\nFROM scratch\n");
        Assert.Equal('\\', dockerfile.Directives.Escape);
    }

    [Fact]
    public void Duplicate_or_invalid_directives_fail_with_location()
    {
        Assert.Equal(2, Fails("# escape=`\n# escape=\\\nFROM scratch").Location.Line);
        var bad = Fails("# escape=x\nFROM scratch");
        Assert.Equal(new SourceLocation("Dockerfile", 1, 10), bad.Location);
        Assert.Contains("escape", bad.Message);
    }

    [Fact]
    public void Backtick_escape_continues_lines_and_keeps_backslashes()
    {
        var dockerfile = DockerfileParser.Parse("# escape=`\nFROM mcr.microsoft.com/windows/servercore\nCOPY testfile.txt c:\\\nRUN dir c:\\ `\n  /b\n");
        var copy = Assert.IsType<CopyInstruction>(dockerfile.Stages[0].Instructions[0]);
        Assert.Equal("c:\\", copy.Destination);
        Assert.Equal("dir c:\\   /b", Assert.IsType<RunInstruction>(dockerfile.Stages[0].Instructions[1]).Command.Arguments[0]);
    }

    [Fact]
    public void Continuations_skip_comment_lines_and_empty_lines_with_a_warning()
    {
        var dockerfile = DockerfileParser.Parse("FROM scratch\nRUN echo a \\\n# a comment inside\n   \\\n\n    && echo b\nUSER app\n");
        var run = Assert.IsType<RunInstruction>(dockerfile.Stages[0].Instructions[0]);
        Assert.Equal("echo a        && echo b", run.Command.Arguments[0]);
        Assert.Equal(7, dockerfile.Stages[0].Instructions[1].Location.Line);
        Assert.Contains(dockerfile.Warnings, w => w.StartsWith("Dockerfile:5:1: empty continuation line", StringComparison.Ordinal));
    }

    [Fact]
    public void Continuation_with_trailing_spaces_after_the_escape_still_continues()
    {
        var run = Single<RunInstruction>("RUN a \\   \n b");
        Assert.Equal("a  b", run.Command.Arguments[0]);
    }

    [Fact]
    public void Keywords_are_case_insensitive_and_indentation_is_allowed()
    {
        var dockerfile = DockerfileParser.Parse("from scratch as Final\n    workdir /app\n");
        Assert.Equal("final", dockerfile.Stages[0].Name);
        var workdir = Assert.IsType<WorkdirInstruction>(dockerfile.Stages[0].Instructions[0]);
        Assert.Equal(new SourceLocation("Dockerfile", 2, 5), workdir.Location);
    }

    [Fact]
    public void From_with_platform_and_global_args()
    {
        var dockerfile = DockerfileParser.Parse(DockerfileFixtures.CrossPlatform);
        var global = Assert.Single(dockerfile.GlobalArgs);
        Assert.Equal(new ArgDeclaration("DOTNET_VERSION", "8.0"), Assert.Single(global.Arguments));
        Assert.Equal("$BUILDPLATFORM", dockerfile.Stages[0].From.Platform);
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}", dockerfile.Stages[0].From.Image);
        Assert.Null(dockerfile.Stages[1].Name);
        Assert.Equal("1", dockerfile.Stages[1].DisplayName);
    }

    [Fact]
    public void Run_shell_and_exec_forms()
    {
        Assert.Equal(new[] { "echo hi && ls" }, Single<RunInstruction>("RUN echo hi && ls").Command.Arguments);
        var exec = Single<RunInstruction>("RUN [\"/bin/bash\", \"-c\", \"echo hi\"]");
        Assert.True(exec.Command.IsExecForm);
        Assert.Equal(["/bin/bash", "-c", "echo hi"], exec.Command.Arguments);
        var test = Single<RunInstruction>("RUN [ -f /etc/os-release ] && echo yes");
        Assert.False(test.Command.IsExecForm);
    }

    [Fact]
    public void Invalid_json_looking_form_falls_back_to_shell_with_a_warning()
    {
        var dockerfile = DockerfileParser.Parse("FROM scratch\nCMD ['dotnet', 'app.dll']\n");
        var cmd = Assert.IsType<CmdInstruction>(dockerfile.Stages[0].Instructions[0]);
        Assert.False(cmd.Command.IsExecForm);
        Assert.Contains(dockerfile.Warnings, w => w.StartsWith("Dockerfile:2:5:", StringComparison.Ordinal) && w.Contains("not valid JSON"));
    }

    [Fact]
    public void Run_flags_mount_network_security()
    {
        var run = Single<RunInstruction>("RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages,sharing=locked --mount=type=secret,id=npmrc --network=none --security=insecure dotnet restore");
        Assert.Equal(2, run.Mounts.Count);
        Assert.Equal(new[] { "cache", "secret" }, run.Mounts.Select(m => m.Type));
        Assert.Equal("/root/.nuget/packages", run.Mounts[0].Target);
        Assert.Equal("locked", run.Mounts[0].Options["sharing"]);
        Assert.Equal("none", run.Network);
        Assert.Equal("insecure", run.Security);
        Assert.Equal("dotnet restore", run.Command.Arguments[0]);
        Assert.Equal("/src", Single<RunInstruction>("RUN --mount=from=build,source=/out,target=/src ls").Mounts[0].Target);
    }

    [Theory]
    [InlineData("RUN --mount=type=volume,target=/x ls", "unsupported mount type 'volume'")]
    [InlineData("RUN --mount=type=cache ls", "needs a target")]
    [InlineData("RUN --mount=type=cache,traget=/x ls", "Did you mean 'target'?")]
    [InlineData("RUN --network=bridge ls", "'bridge' is not a network mode")]
    [InlineData("RUN --security=root ls", "'root' is not a security mode")]
    [InlineData("RUN --netwrok=none ls", "unknown flag '--netwrok' for RUN. Did you mean '--network'?")]
    [InlineData("COPY --form=build /a /b", "Did you mean '--from'?")]
    [InlineData("COPY --chown /a /b", "needs a value")]
    [InlineData("COPY --link=maybe /a /b", "is a switch")]
    [InlineData("WORKDIR --x=1 /app", "WORKDIR takes no flags")]
    [InlineData("COPY --from=a --from=b /a /b", "given twice")]
    public void Bad_flags_fail_at_the_flag(string line, string message)
    {
        var error = Fails("FROM scratch\n" + line);
        Assert.Contains(message, error.Message);
        Assert.Equal(2, error.Location.Line);
        Assert.True(error.Location.Column > 1, error.Message);
    }

    [Fact]
    public void Cmd_entrypoint_shell_stopsignal_user_workdir_maintainer()
    {
        Assert.Equal(new[] { "dotnet", "app.dll" }, Single<CmdInstruction>("CMD [\"dotnet\", \"app.dll\"]").Command.Arguments);
        Assert.Empty(Single<EntrypointInstruction>("ENTRYPOINT []").Command.Arguments);
        Assert.Equal(new[] { "pwsh", "-Command" }, Single<ShellInstruction>("SHELL [\"pwsh\", \"-Command\"]").Shell);
        Assert.Equal("SIGTERM", Single<StopSignalInstruction>("STOPSIGNAL SIGTERM").Signal);
        Assert.Equal("app:app", Single<UserInstruction>("USER app:app").User);
        Assert.Equal("/my app", Single<WorkdirInstruction>("WORKDIR /my app").Path);
        Assert.Equal("Jane Doe <jane@example.com>", Single<MaintainerInstruction>("MAINTAINER Jane Doe <jane@example.com>").Name);
    }

    [Fact]
    public void Expose_and_volume_forms()
    {
        Assert.Equal(new[] { "8080", "8081/udp" }, Single<ExposeInstruction>("EXPOSE 8080 8081/udp").Ports);
        Assert.Equal(new[] { "/data", "/logs" }, Single<VolumeInstruction>("VOLUME [\"/data\", \"/logs\"]").Paths);
        Assert.Equal(new[] { "/data", "/logs" }, Single<VolumeInstruction>("VOLUME /data /logs").Paths);
    }

    [Fact]
    public void Env_both_forms_keep_quotes_for_expansion()
    {
        var modern = Single<EnvInstruction>("ENV A=1 B=\"two words\" C=three\\ words D=");
        Assert.Equal(new[] { "A", "B", "C", "D" }, modern.Variables.Select(v => v.Key));
        Assert.Equal("\"two words\"", modern.Variables[1].Value);
        Assert.Equal("three\\ words", modern.Variables[2].Value);
        Assert.Equal("", modern.Variables[3].Value);
        var legacy = Single<EnvInstruction>("ENV PATH_EXTRA  /opt/tool/bin and more");
        Assert.Equal(new KeyValue("PATH_EXTRA", "/opt/tool/bin and more"), Assert.Single(legacy.Variables));
    }

    [Fact]
    public void Label_with_quoted_keys_and_multiline_values()
    {
        var label = Single<LabelInstruction>("LABEL \"com.example.vendor\"=\"ACME Inc\" version=1.0 \\\n      description=\"multi \\\n line\"");
        Assert.Equal(3, label.Labels.Count);
        Assert.Equal("\"com.example.vendor\"", label.Labels[0].Key);
    }

    [Fact]
    public void Arg_declarations_with_and_without_defaults()
    {
        var arg = Single<ArgInstruction>("ARG A B=2 C=\"x y\"");
        Assert.Equal([new ArgDeclaration("A", null), new ArgDeclaration("B", "2"), new ArgDeclaration("C", "\"x y\"")], arg.Arguments);
    }

    [Fact]
    public void Copy_and_add_flags()
    {
        var copy = Single<CopyInstruction>("COPY --from=0 --chown=app:app --chmod=755 --link --parents --exclude=*.md --exclude=obj/ a b /dest/");
        Assert.Equal("0", copy.From);
        Assert.Equal("app:app", copy.Chown);
        Assert.Equal("755", copy.Chmod);
        Assert.True(copy.Link);
        Assert.True(copy.Parents);
        Assert.Equal(new[] { "*.md", "obj/" }, copy.Excludes);
        Assert.Equal(new[] { "a", "b" }, copy.Sources);
        Assert.Equal("/dest/", copy.Destination);
        var add = Single<AddInstruction>("ADD --checksum=sha256:abc --keep-git-dir=false --unpack=false https://example.com/x.tar.gz /opt/");
        Assert.Equal("sha256:abc", add.Checksum);
        Assert.False(add.KeepGitDir);
        Assert.False(add.Unpack);
        Assert.True(AddInstruction.IsRemote(add.Sources[0]));
        var json = Single<CopyInstruction>("COPY [\"my file.txt\", \"/dest dir/\"]");
        Assert.Equal(new[] { "my file.txt" }, json.Sources);
        Assert.Equal("/dest dir/", json.Destination);
    }

    [Fact]
    public void Copy_from_with_a_variable_is_rejected_like_buildkit()
    {
        var error = Fails("FROM scratch\nARG SRC=build\nCOPY --from=$SRC /a /b");
        Assert.Equal(new SourceLocation("Dockerfile", 3, 6), error.Location);
        Assert.Contains("does not expand", error.Message);
    }

    [Fact]
    public void Healthcheck_none_and_cmd_with_options()
    {
        var none = Single<HealthcheckInstruction>("HEALTHCHECK NONE");
        Assert.True(none.IsNone);
        var check = Single<HealthcheckInstruction>("HEALTHCHECK --interval=1m30s --timeout=500ms --start-period=5s --start-interval=1s --retries=4 CMD curl -f http://localhost/ || exit 1");
        Assert.Equal(TimeSpan.FromSeconds(90), check.Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(500), check.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(5), check.StartPeriod);
        Assert.Equal(TimeSpan.FromSeconds(1), check.StartInterval);
        Assert.Equal(4, check.Retries);
        Assert.Equal("curl -f http://localhost/ || exit 1", check.Command!.Arguments[0]);
        Assert.True(Single<HealthcheckInstruction>("HEALTHCHECK CMD [\"/healthcheck\"]").Command!.IsExecForm);
    }

    [Theory]
    [InlineData("HEALTHCHECK NONE --x", "takes no arguments")]
    [InlineData("HEALTHCHECK PING x", "unknown HEALTHCHECK type 'PING'")]
    [InlineData("HEALTHCHECK --interval=often CMD x", "'often' is not a duration")]
    [InlineData("HEALTHCHECK --retries=-1 CMD x", "not a whole number")]
    [InlineData("HEALTHCHECK CMD", "requires at least one argument")]
    public void Bad_healthchecks_fail(string line, string message) => Assert.Contains(message, Fails("FROM scratch\n" + line).Message);

    [Fact]
    public void Onbuild_parses_its_trigger()
    {
        var onbuild = Single<OnbuildInstruction>("ONBUILD COPY --chown=app . /app");
        var trigger = Assert.IsType<CopyInstruction>(onbuild.Trigger);
        Assert.Equal("app", trigger.Chown);
        Assert.Equal("COPY --chown=app . /app", onbuild.TriggerText);
        Assert.Contains("ONBUILD ONBUILD is not allowed", Fails("FROM scratch\nONBUILD ONBUILD RUN x").Message);
        Assert.Contains("ONBUILD FROM is not allowed", Fails("FROM scratch\nONBUILD FROM x").Message);
    }

    [Fact]
    public void Run_heredoc_body_is_read_after_the_line()
    {
        var dockerfile = DockerfileParser.Parse("FROM scratch\nRUN <<EOF\necho one\n  echo $HOME\nEOF\nUSER app\n");
        var run = Assert.IsType<RunInstruction>(dockerfile.Stages[0].Instructions[0]);
        var heredoc = Assert.Single(run.Heredocs);
        Assert.Equal("EOF", heredoc.Name);
        Assert.Equal("echo one\n  echo $HOME\n", heredoc.Content);
        Assert.True(heredoc.Expand);
        Assert.Equal(6, dockerfile.Stages[0].Instructions[1].Location.Line);
    }

    [Fact]
    public void Heredoc_with_tab_stripping_quoted_delimiter_and_several_docs()
    {
        var run = Single<RunInstruction>("RUN <<-'FIRST' cat - && python3 <<\"SECOND\"\n\tline 1\n\t\tline 2\n\tFIRST\nprint('$x')\nSECOND");
        Assert.Equal(2, run.Heredocs.Count);
        Assert.Equal("line 1\nline 2\n", run.Heredocs[0].Content);
        Assert.True(run.Heredocs[0].StripTabs);
        Assert.False(run.Heredocs[0].Expand);
        Assert.Equal("print('$x')\n", run.Heredocs[1].Content);
        Assert.False(run.Heredocs[1].Expand);
    }

    [Fact]
    public void Copy_heredoc_creates_a_file_source()
    {
        var copy = Single<CopyInstruction>("COPY <<EOF /app/appsettings.Production.json\n{ \"Logging\": {} }\nEOF");
        Assert.Equal("<<EOF", Assert.Single(copy.Sources));
        Assert.Equal("{ \"Logging\": {} }\n", copy.HeredocFor(copy.Sources[0])!.Content);
        Assert.Null(copy.HeredocFor("/app/file"));
    }

    [Fact]
    public void Unterminated_heredoc_names_its_start()
    {
        var error = Fails("FROM scratch\nRUN cat <<EOF\nhello\n");
        Assert.Equal(new SourceLocation("Dockerfile", 2, 9), error.Location);
        Assert.Contains("unterminated here-document '<<EOF'", error.Message);
    }

    [Fact]
    public void A_heredoc_file_descriptor_past_int_is_refused_at_its_word() // found by the dockerfile fuzz target (corpus/dockerfile/huge-heredoc-fd)
    {
        var error = Fails("FROM busybox\nADD 88888888888888888888888888888888888888<<-EOF /e\n\tx\n\tEOF\n");
        Assert.Equal(new SourceLocation("Dockerfile", 2, 5), error.Location);
        Assert.Contains("here-document '<<-EOF': its file descriptor 88888888888888888888… is too large", error.Message);
    }

    [Fact]
    public void Herestrings_and_exec_form_are_not_heredocs()
    {
        Assert.Empty(Single<RunInstruction>("RUN cat <<<hello").Heredocs);
        Assert.Empty(Single<RunInstruction>("RUN [\"cat\", \"<<EOF\"]").Heredocs);
    }

    [Fact]
    public void Unknown_instruction_suggests_the_closest()
    {
        var error = Fails("FROM scratch\n  COPPY . /app");
        Assert.Equal(new SourceLocation("Dockerfile", 2, 3), error.Location);
        Assert.Contains("unknown instruction 'COPPY'. Did you mean 'COPY'?", error.Message);
    }

    [Theory]
    [InlineData("", 1, "no FROM instruction")]
    [InlineData("# only a comment\n", 1, "no FROM instruction")]
    [InlineData("ARG X=1\nRUN echo\nFROM scratch", 2, "RUN comes before the first FROM")]
    [InlineData("FROM", 1, "FROM requires either one or three arguments")]
    [InlineData("FROM a b", 1, "FROM requires either one or three arguments")]
    [InlineData("FROM a AS 1bad", 1, "invalid stage name '1bad'")]
    [InlineData("FROM a AS scratch", 1, "'scratch' is reserved")]
    [InlineData("FROM a AS x\nFROM b AS X", 2, "duplicate stage name 'x' (first defined at Dockerfile:1:1)")]
    [InlineData("FROM a\nCOPY onlyone", 2, "COPY requires at least two arguments")]
    [InlineData("FROM a\nADD x", 2, "ADD requires at least two arguments")]
    [InlineData("FROM a\nSHELL /bin/sh -c", 2, "SHELL requires the arguments in JSON form")]
    [InlineData("FROM a\nSHELL []", 2, "SHELL requires at least one argument")]
    [InlineData("FROM a\nENV A=1 B", 2, "'B' has no '='")]
    [InlineData("FROM a\nENV ONLYKEY", 2, "ENV ONLYKEY has no value")]
    [InlineData("FROM a\nLABEL", 2, "LABEL requires at least one argument")]
    [InlineData("FROM a\nARG", 2, "ARG requires at least one argument")]
    [InlineData("FROM a\nARG in$valid", 2, "not a valid argument name")]
    [InlineData("FROM a\nRUN", 2, "RUN requires at least one argument")]
    [InlineData("FROM a\nCMD", 2, "CMD requires at least one argument")]
    [InlineData("FROM a\nWORKDIR", 2, "WORKDIR requires exactly one argument")]
    [InlineData("FROM a\nUSER", 2, "USER requires exactly one argument")]
    [InlineData("FROM a\nEXPOSE", 2, "EXPOSE requires at least one argument")]
    [InlineData("FROM a\nVOLUME", 2, "VOLUME needs at least one non-empty path")]
    [InlineData("FROM a\nSTOPSIGNAL", 2, "STOPSIGNAL requires exactly one argument")]
    [InlineData("FROM a\nONBUILD", 2, "ONBUILD requires an instruction")]
    [InlineData("FROM a\nENV A=\"unterminated", 2, "matching double quote")]
    [InlineData("FROM a\nLABEL a='x", 2, "matching single quote")]
    [InlineData("FROM a\nWORKDIR ${HOME", 2, "missing '}'")]
    [InlineData("FROM a\nWORKDIR ${HOME:=x}", 2, "unsupported modifier ':='")]
    [InlineData("FROM ${}", 1, "bad substitution")]
    public void Every_error_names_its_line(string text, int line, string message)
    {
        var error = Fails(text);
        Assert.Equal(line, error.Location.Line);
        Assert.Equal("Dockerfile", error.Location.File);
        Assert.Contains(message, error.Message);
        Assert.StartsWith($"Dockerfile:{line}", error.Message);
    }

    [Fact]
    public void Error_locations_point_into_continuation_lines()
    {
        var error = Fails("FROM scratch\nCOPY \\\n   --chwon=1 a b");
        Assert.Equal(new SourceLocation("Dockerfile", 3, 4), error.Location);
    }

    [Fact]
    public void Crlf_line_endings_and_bom_are_accepted()
    {
        var dockerfile = DockerfileParser.Parse("\uFEFF# escape=`\r\nFROM scratch\r\nRUN a `\r\n b\r\n");
        Assert.Equal('`', dockerfile.Directives.Escape);
        Assert.Equal("a  b", Assert.IsType<RunInstruction>(dockerfile.Stages[0].Instructions[0]).Command.Arguments[0]);
    }

    [Fact]
    public void Parse_file_reports_unreadable_paths()
    {
        var error = Assert.Throws<DockyardException>(() => DockerfileParser.ParseFile("/nonexistent/Dockerfile"));
        Assert.Contains("/nonexistent/Dockerfile", error.Message);
    }
}
