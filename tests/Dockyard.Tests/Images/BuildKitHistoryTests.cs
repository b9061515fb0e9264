using Dockyard.Images;

namespace Dockyard.Tests.Images;

public class BuildKitHistoryTests
{
    [Fact]
    public void TextsMatchBuildKitsDockerfileFrontend()
    {
        Assert.Equal("COPY --chown=app:app --chmod=644 a.txt b/ /dst/ # buildkit", BuildKitHistory.Copy(["a.txt", "b/"], "/dst/", "app:app", "644"));
        Assert.Equal("ADD app.tar.gz / # buildkit", BuildKitHistory.Copy(["app.tar.gz"], "/", isAdd: true));
        Assert.Equal("ENV A=1 B=two words", BuildKitHistory.Env([new("A", "1"), new("B", "two words")]));
        Assert.Equal("CMD [\"/bin/sh\" \"-c\" \"echo \\\"hi\\\"\\n\"]", BuildKitHistory.Cmd(["/bin/sh", "-c", "echo \"hi\"\n"]));
        Assert.Equal("ENTRYPOINT [\"dotnet\" \"Web.dll\"]", BuildKitHistory.Entrypoint(["dotnet", "Web.dll"]));
        Assert.Equal("SHELL [/bin/bash -c]", BuildKitHistory.Shell(["/bin/bash", "-c"]));
        Assert.Equal("VOLUME [/data /logs]", BuildKitHistory.Volume(["/data", "/logs"]));
        Assert.Equal("EXPOSE map[443/tcp:{} 80/tcp:{}]", BuildKitHistory.Expose(["80/tcp", "443/tcp", "80/tcp"]));
        Assert.Equal("ARG VERSION=1.0 EMPTY", BuildKitHistory.Arg([new("VERSION", "1.0"), new("EMPTY", null)]));
        Assert.Equal("WORKDIR /app", BuildKitHistory.Workdir("/app"));
    }
}
