using Dockyard.Pipelines.Variables;

namespace Dockyard.Tests.Pipelines.Variables;

public class GitRemoteTests
{
    [Theory]
    [InlineData("git@gitlab.com:group/sub/proj.git", "gitlab.com", "https", 443, "group/sub/proj")]
    [InlineData("gitlab.com:group/proj", "gitlab.com", "https", 443, "group/proj")]
    [InlineData("git@host:2222/proj.git", "host", "https", 443, "2222/proj")] // scp syntax has no port
    [InlineData("ssh://git@host:2222/group/proj.git", "host", "https", 443, "group/proj")]
    [InlineData("git+ssh://host/group/proj", "host", "https", 443, "group/proj")]
    [InlineData("https://host/group/proj.git/", "host", "https", 443, "group/proj")]
    [InlineData("https://host:8443/group/my%20proj", "host", "https", 8443, "group/my proj")]
    [InlineData("http://host/group/proj", "host", "http", 80, "group/proj")]
    public void Parses_remote_urls(string url, string host, string protocol, int port, string path) =>
        Assert.Equal(new GitRemote(host, protocol, port, path), GitRemote.Parse(url));

    [Theory]
    [InlineData("/srv/repos/proj.git")]
    [InlineData("../proj")]
    [InlineData("file:///srv/repos/proj.git")]
    [InlineData("https://host/")]
    [InlineData("git@host:")]
    public void Local_or_empty_remotes_have_no_server(string url) => Assert.Null(GitRemote.Parse(url));
}
