using Dockyard.Credentials;

namespace Dockyard.Tests.Credentials;

public class CredentialEnvironmentTests
{
    [Fact]
    public void Empty_variables_count_as_unset()
    {
        var environment = new CredentialEnvironment(new Dictionary<string, string> { ["A"] = "", ["B"] = "b" }, "");
        Assert.Null(environment.Get("A"));
        Assert.Equal("b", environment.Get("B"));
        Assert.Null(environment.Get("C"));
        Assert.Null(environment.HomeDirectory);
    }

    [Fact]
    public void With_returns_a_changed_copy_keeping_home_and_root()
    {
        var original = new CredentialEnvironment(new Dictionary<string, string> { ["KEEP"] = "k", ["DROP"] = "d" }, "/home/u", isRoot: true)
        {
            RootHomeDirectory = "/custom-root",
        };
        var changed = original.With("NEW", "n").With("DROP", null);
        Assert.Equal(("k", "n", null), (changed.Get("KEEP"), changed.Get("NEW"), changed.Get("DROP")));
        Assert.Equal(("/home/u", true, "/custom-root"), (changed.HomeDirectory, changed.IsRoot, changed.RootHomeDirectory));
        Assert.Equal("d", original.Get("DROP"));
        Assert.Null(original.Get("NEW"));
    }

    [Fact]
    public void From_process_reads_the_real_environment()
    {
        var environment = CredentialEnvironment.FromProcess();
        Assert.Equal(Environment.GetEnvironmentVariable("PATH"), environment.Get("PATH"));
        Assert.Equal(Environment.IsPrivilegedProcess, environment.IsRoot);
    }
}
